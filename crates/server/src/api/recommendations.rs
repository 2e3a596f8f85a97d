//! Recommendations: for a person and a date, or the seven days of a week, the places they may
//! use, ranked by their organisation's policy, each with its reasons as data (and, where a rule
//! refuses or asks for approval, the rule's explanation in the caller's language). A week also
//! says, day by day, where the person is booked already.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{Datelike as _, NaiveDate, TimeZone as _, Utc};
use hubnet_domain::access::Principal;
use hubnet_domain::policy::{Finding, Place, PlaceContext, Recommendation, Usage, Verdict};
use hubnet_domain::{
    BookingId, BookingStatus, OrganisationId, Person, PersonId, Site, SiteId, SiteKind, SpaceId, SpaceKind, TimeRange,
};
use hubnet_store::BookingFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::availability::site_window;
use crate::AppState;
use crate::audit;
use crate::auth::Auth;
use crate::error::{AppError, Json, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(recommendations)).routes(routes!(week_recommendations))
}

/// The most places considered: the nearest open ones.
const MAX_PLACES: usize = 40;
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

/// A booking the person already has on a day of the week.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookedPlace {
    pub booking_id: BookingId,
    pub site_id: SiteId,
    pub space_id: SpaceId,
    /// `confirmed`, `pending_approval` or `checked_in`.
    pub status: BookingStatus,
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
    let language = crate::error::request_language(&headers);
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
    let language = crate::error::request_language(&headers);
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

/// Monday to Sunday of the ISO week of `date`.
pub fn week_of(date: NaiveDate) -> Vec<NaiveDate> {
    let monday = date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()));
    monday.iter_days().take(7).collect()
}

/// The person's active bookings on `days`, by the local date of their site.
pub async fn booked_on(
    state: &AppState,
    person: &Person,
    days: &[NaiveDate],
) -> Result<HashMap<NaiveDate, Vec<BookedPlace>>, AppError> {
    let mut out: HashMap<NaiveDate, Vec<BookedPlace>> = HashMap::new();
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return Ok(out) };
    // A day wider on each side, so that every site's local days are inside; kept by local date.
    let at = |d: NaiveDate| Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN));
    let bookings = state
        .store
        .bookings()
        .list_bookings(&BookingFilter {
            person: Some(person.id),
            from: Some(at(*first - chrono::Days::new(1))),
            to: Some(at(*last + chrono::Days::new(2))),
            active_only: true,
            limit: 1_000,
            ..BookingFilter::default()
        })
        .await?;
    let sites = state.directory.all_sites().await?;
    for booking in bookings {
        let Some(site) = sites.iter().find(|s| s.id == booking.site_id) else { continue };
        let date = booking.start.with_timezone(&site.time_zone).date_naive();
        if days.contains(&date) {
            out.entry(date).or_default().push(BookedPlace {
                booking_id: booking.id,
                site_id: booking.site_id,
                space_id: booking.space_id,
                status: booking.status,
            });
        }
    }
    Ok(out)
}

/// A policy finding in words.
pub fn explain(finding: Finding, language: hubnet_domain::Language) -> String {
    AppError::Policy(Box::new(finding)).message(language)
}

/// Ranked places, each with its free desks, and the policy version that ranked them.
pub struct Ranked {
    pub version: Option<u32>,
    pub places: Vec<(Recommendation, u32)>,
}

/// The places open to the person's organisation on `date` within `radius` km of their home (the
/// nearest [`MAX_PLACES`]; without a home, the organisation's own offices and the sites nearest
/// to them), with a free desk that day, ranked by the policy in force.
pub async fn recommend(state: &AppState, person: &Person, date: NaiveDate, radius: f64) -> Result<Ranked, AppError> {
    let sites = state.directory.all_sites().await?;
    let loaded = crate::policy::load(state, person, date).await?;
    let facts = match &loaded {
        Some(l) => l.facts.clone(),
        None => crate::policy::facts_of(state, person, &[]).await?,
    };
    let origin = person.home.or_else(|| {
        sites
            .iter()
            .find(|s| s.organisation_id == person.organisation_id && s.kind == SiteKind::OwnOffice)
            .map(|s| s.coordinates)
    });
    let mut open: Vec<(f64, &Site, TimeRange)> = sites
        .iter()
        .filter(|s| s.admits(person.organisation_id))
        .map(|s| (origin.map_or(0.0, |o| o.distance_km(s.coordinates)), s))
        .filter(|(d, _)| *d <= radius)
        .filter_map(|(d, s)| match site_window(s, date, (None, None)) {
            Ok(Ok((_, range))) => Some((d, s, range)),
            _ => None,
        })
        .collect();
    open.sort_by(|a, b| a.0.total_cmp(&b.0));
    open.truncate(MAX_PLACES);
    let windows: Vec<(SiteId, TimeRange)> = open.iter().map(|(_, s, r)| (s.id, *r)).collect();
    let taken = state.store.bookings().taken_spaces(&windows).await?;
    let mut free: HashMap<SiteId, u32> = HashMap::new();
    for (_, site, _) in &open {
        let spaces = state.directory.spaces(site.id).await?;
        let count = spaces.iter().filter(|s| s.bookable && s.kind == SpaceKind::Desk && !taken.contains(&s.id)).count();
        free.insert(site.id, u32::try_from(count).unwrap_or(u32::MAX));
    }
    open.retain(|(_, s, _)| free.get(&s.id).copied().unwrap_or(0) > 0);

    let present = who_is_there(state, &open, person).await?;
    let contexts: Vec<PlaceContext> = open
        .iter()
        .map(|(_, site, _)| {
            let (colleagues, organisations) = present.get(&site.id).cloned().unwrap_or_default();
            let in_unit = colleagues.iter().filter(|unit| unit.is_some_and(|u| Some(u) == person.unit_id)).count();
            PlaceContext {
                place: Place::from_site(site),
                colleagues_of_unit_booked: u32::try_from(in_unit).unwrap_or(u32::MAX),
                other_organisations_present: u32::try_from(organisations.len()).unwrap_or(u32::MAX),
            }
        })
        .collect();
    let usage = Usage::default();
    let (rules, own_offices, usage) = match &loaded {
        Some(l) => (l.rules.as_slice(), l.own_offices.as_slice(), &l.usage),
        None => (&[][..], &[][..], &usage),
    };
    let situation = hubnet_domain::policy::Situation { rules, person: &facts, own_offices, usage };
    let places = situation
        .recommend(date, &contexts)
        .into_iter()
        .map(|r| {
            let desks = free.get(&r.site_id).copied().unwrap_or(0);
            (r, desks)
        })
        .collect();
    Ok(Ranked { version: loaded.map(|l| l.version), places })
}

/// For each site, that day: the units of the person's colleagues booked there (the person not
/// counted) and the other organisations with people there.
async fn who_is_there(
    state: &AppState,
    open: &[(f64, &Site, TimeRange)],
    person: &Person,
) -> Result<HashMap<SiteId, (Vec<Option<hubnet_domain::UnitId>>, HashSet<OrganisationId>)>, AppError> {
    let mut out: HashMap<SiteId, (Vec<Option<hubnet_domain::UnitId>>, HashSet<OrganisationId>)> = HashMap::new();
    let mut people: HashMap<PersonId, Person> = HashMap::new();
    for (_, site, range) in open {
        let bookings = state
            .store
            .bookings()
            .list_bookings(&BookingFilter {
                site: Some(site.id),
                from: Some(range.start),
                to: Some(range.end),
                active_only: true,
                limit: 10_000,
                ..BookingFilter::default()
            })
            .await?;
        let entry = out.entry(site.id).or_default();
        for booking in bookings.iter().filter(|b| b.person_id != person.id) {
            let holder = match people.entry(booking.person_id) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(new) => {
                    new.insert(state.store.people().get_person(booking.person_id).await?)
                }
            };
            if holder.organisation_id == person.organisation_id {
                entry.0.push(holder.unit_id);
            } else {
                entry.1.insert(holder.organisation_id);
            }
        }
    }
    Ok(out)
}
