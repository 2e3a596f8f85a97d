//! Follow-up: an organisation's bookings counted, never listed. Read by its admins, analysts and
//! HR (and platform admins); no individual booking or person appears in an answer.

use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use hubnet_domain::{OrganisationId, SiteId, TimeRange};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Auth;
use crate::auth::require;
use crate::error::{AppError, Json, Path, Query};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(utilisation))
}

/// The longest period one utilisation answer covers.
const MAX_DAYS: i64 = 366;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UtilisationQuery {
    /// Count the hours from this instant (RFC 3339).
    from: DateTime<Utc>,
    /// Up to this instant; at most 366 days after `from`.
    to: DateTime<Utc>,
}

/// How many of the organisation's bookings were under way in one hour of the week at one site.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct UtilisationCell {
    pub site_id: SiteId,
    /// 0 = Monday ... 6 = Sunday, in the site's time zone.
    pub weekday: u8,
    /// 0-23, local time at the site.
    pub hour: u8,
    pub bookings: u64,
}

/// An organisation's utilisation over a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct Utilisation {
    pub organisation_id: OrganisationId,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Only cells with bookings, by site, weekday and hour.
    pub cells: Vec<UtilisationCell>,
}

/// The organisation's active bookings (made by its people as its members) counted by site, local
/// weekday and local hour over a period: what a utilisation report stands on. Admins, analysts
/// and HR of the organisation.
#[utoipa::path(get, path = "/organisations/{id}/utilisation", tag = "follow-up", params(
        ("id" = uuid::Uuid, Path, description = "Organisation id"), UtilisationQuery),
    responses((status = 200, body = Utilisation), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn utilisation(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
    Query(query): Query<UtilisationQuery>,
) -> Result<Json<Utilisation>, AppError> {
    state.store.organisations().get_organisation(id).await?;
    require(me.can_read_follow_up(id))?;
    for (field, instant) in [("from", query.from), ("to", query.to)] {
        if !hubnet_domain::booking::is_plausible(instant) {
            return Err(AppError::invalid(field, "an instant in the years 1900-9999"));
        }
    }
    if query.to - query.from > Duration::days(MAX_DAYS) {
        return Err(AppError::invalid("to", format!("at most {MAX_DAYS} days after from")));
    }
    let range = TimeRange::new(query.from, query.to).map_err(|_| AppError::invalid("to", "after from"))?;
    let spans = state.store.follow_up().booking_hours(id, range).await?;
    let mut with_zones = Vec::with_capacity(spans.len());
    for span in spans {
        let zone = state.store.sites().get_site(span.site_id).await?.time_zone;
        with_zones.push((span, zone));
    }
    let cells = hubnet_domain::utilisation::by_site_weekday_hour(&with_zones, range)
        .into_iter()
        .map(|((site_id, weekday, hour), bookings)| UtilisationCell { site_id, weekday, hour, bookings })
        .collect();
    Ok(Json(Utilisation { organisation_id: id, from: query.from, to: query.to, cells }))
}
