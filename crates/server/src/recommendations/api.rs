//! Recommendations: for a person and a date, or the seven days of a week, the places they may
//! use, ranked by their organisation's policy, each with its reasons as data (and, where a rule
//! refuses or asks for approval, the rule's explanation in the caller's language). A week also
//! says, day by day, where the person is booked already.

use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{Datelike as _, NaiveDate};
use hubnet_domain::access::Principal;
use hubnet_domain::policy::{Recommendation, Verdict};
use hubnet_domain::{Person, PersonId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{BookedPlace, booked_on, explain, recommend, week_of};
use crate::audit;
use crate::auth::Auth;
use crate::error::{AppError, Json, Query};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(recommendations)).routes(routes!(week_recommendations))
}

/// How far from home places are looked for, by default.
const DEFAULT_RADIUS_KM: f64 = 150.0;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RecommendationsQuery {
    /// The day, `YYYY-MM-DD`.
    date: NaiveDate,
    /// Whose recommendations (admins of the person's organisation); default the caller.
    person: Option<PersonId>,
    /// Look this far from home (1-500 km, default 150).
    radius_km: Option<f64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WeekQuery {
    /// Any day of the week (Monday to Sunday), `YYYY-MM-DD`.
    date: NaiveDate,
    /// Whose recommendations (admins of the person's organisation); default the caller.
    person: Option<PersonId>,
    /// Look this far from home (1-500 km, default 150).
    radius_km: Option<f64>,
}

/// One recommended place, with the policy's explanation where it refuses or asks for approval.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationView {
    #[serde(flatten)]
    pub recommendation: Recommendation,
    /// Desks free that day.
    pub free_desks: u32,
    /// What the rule says, in the caller's language, when the place is refused or needs approval.
    pub message: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recommendations {
    pub date: NaiveDate,
    pub person_id: PersonId,
    /// The policy version that ranked the places; none when the organisation has no policy.
    pub policy_version: Option<u32>,
    pub places: Vec<RecommendationView>,
}

/// One day of a week: the person's bookings that day and the ranked places.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayRecommendationsView {
    pub date: NaiveDate,
    /// The policy version in force that day; none when the organisation has none.
    pub policy_version: Option<u32>,
    /// Where the person is booked already (in the site's local date).
    pub booked: Vec<BookedPlace>,
    /// Empty on days when no place near home is open with a free desk (weekends, holidays).
    pub places: Vec<RecommendationView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeekRecommendations {
    /// The ISO week, such as `2026-W48`.
    pub week: String,
    pub person_id: PersonId,
    /// Monday to Sunday, each ranked on its own.
    pub days: Vec<DayRecommendationsView>,
}

/// Ranks the places a person may use on a date: refusals last, with the rule that refuses.
#[utoipa::path(get, path = "/recommendations", tag = "policies", params(RecommendationsQuery),
    responses((status = 200, body = Recommendations), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn recommendations(
    State(state): State<AppState>,
    headers: HeaderMap,
    Auth(me): Auth,
    Query(query): Query<RecommendationsQuery>,
) -> Result<Json<Recommendations>, AppError> {
    let person = whose(&state, &me, query.person).await?;
    let radius = radius(query.radius_km)?;
    let language = crate::i18n::request_language(&headers);
    let ranked = recommend(&state, &person, query.date, radius).await?;
    Ok(Json(Recommendations {
        date: query.date,
        person_id: person.id,
        policy_version: ranked.version,
        places: views(ranked.places, language),
    }))
}

/// Ranks the places a person may use on each day of the week of `date`, Monday to Sunday, and
/// lists where they are booked already: a plan for the week.
#[utoipa::path(get, path = "/recommendations/week", tag = "policies", params(WeekQuery),
    responses((status = 200, body = WeekRecommendations), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn week_recommendations(
    State(state): State<AppState>,
    headers: HeaderMap,
    Auth(me): Auth,
    Query(query): Query<WeekQuery>,
) -> Result<Json<WeekRecommendations>, AppError> {
    let person = whose(&state, &me, query.person).await?;
    let radius = radius(query.radius_km)?;
    let language = crate::i18n::request_language(&headers);
    let days = week_of(query.date);
    let mut booked = booked_on(&state, &person, &days).await?;
    let mut out = Vec::with_capacity(days.len());
    for date in days {
        let ranked = recommend(&state, &person, date, radius).await?;
        out.push(DayRecommendationsView {
            date,
            policy_version: ranked.version,
            booked: booked.remove(&date).unwrap_or_default(),
            places: views(ranked.places, language),
        });
    }
    let week = query.date.iso_week();
    Ok(Json(WeekRecommendations {
        week: format!("{}-W{:02}", week.year(), week.week()),
        person_id: person.id,
        days: out,
    }))
}

/// The person whose recommendations are asked for: the caller, or one of the people of an
/// organisation the caller administers (and the look is audited).
async fn whose(state: &AppState, me: &Principal, asked: Option<PersonId>) -> Result<Person, AppError> {
    match asked {
        None => Ok(me.person.clone()),
        Some(id) if id == me.person_id() => Ok(me.person.clone()),
        Some(id) => {
            let person = state.store.people().get_person(id).await?;
            if !me.can_see_person(&person) {
                return Err(AppError::NotFound);
            }
            if !me.administers(person.organisation_id) {
                return Err(AppError::AccessDenied);
            }
            audit::viewed(state, me, &person, "recommendations").await?;
            Ok(person)
        }
    }
}

fn radius(asked: Option<f64>) -> Result<f64, AppError> {
    match asked {
        None => Ok(DEFAULT_RADIUS_KM),
        Some(r) if (1.0..=500.0).contains(&r) => Ok(r),
        Some(_) => Err(AppError::invalid("radius_km", "between 1 and 500")),
    }
}

/// The ranked places with the rule's words where a rule refuses or asks for approval.
fn views(places: Vec<(Recommendation, u32)>, language: hubnet_domain::Language) -> Vec<RecommendationView> {
    places
        .into_iter()
        .map(|(recommendation, free_desks)| {
            let finding = match &recommendation.verdict {
                Verdict::Refused { reason } => Some(reason.clone()),
                Verdict::NeedsApproval { reasons } => reasons.first().cloned(),
                Verdict::Allowed => None,
            };
            let message = finding.map(|f| explain(f, language));
            RecommendationView { recommendation, free_desks, message }
        })
        .collect()
}
