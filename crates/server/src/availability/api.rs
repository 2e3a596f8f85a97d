//! Free spaces: at one site on a date, or across the network near a point, nearest first.

use axum::extract::State;
use chrono::NaiveDate;
use hubnet_domain::holidays::HolidayName;
use hubnet_domain::{
    BookingError, Coordinates, DayHours, LocalizedText, Price, Site, SiteId, SiteKind, Space, SpaceKind, TimeOfDay,
    TimeRange,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Auth;
use crate::availability::space_json::SpaceJson;
use crate::error::{AppError, Json, Query};
use crate::input::limit;
use crate::state::AppState;
use crate::window::Unavailable;
use crate::window::site_window;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(availability))
}

/// Either `site` or `near` (with `radius_km`), and a `date`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityQuery {
    /// A site id: its spaces on the date.
    site: Option<String>,
    /// `LAT,LON`: free spaces near this point across the network, nearest first.
    #[param(example = "61.2056,26.0381")]
    near: Option<String>,
    /// With `near`: how far to look, in kilometres (up to 500; default 25).
    radius_km: Option<String>,
    /// The date, `YYYY-MM-DD`, in each site's own time zone.
    date: Option<String>,
    /// Start of the window, `HH:MM` local time (default: opening).
    from: Option<String>,
    /// End of the window, `HH:MM` local time (default: closing).
    to: Option<String>,
    /// Only spaces of this kind (with `near`, default `desk`).
    kind: Option<String>,
    /// With `near`: at most this many spaces (1-500, default 50).
    limit: Option<u32>,
}

/// A space and whether it is free for the whole window.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpaceAvailability {
    #[serde(flatten)]
    pub space: Space,
    pub free: bool,
}

/// One site on one date.
#[derive(Debug, Serialize, ToSchema)]
pub struct SiteAvailability {
    pub site_id: SiteId,
    pub date: NaiveDate,
    /// Whether the site is open that day at all.
    pub open: bool,
    /// When closed for a holiday: which.
    pub closed_for: Option<HolidayName>,
    /// Opening hours that day, local time.
    pub hours: Option<DayHours>,
    /// The window asked about, as instants.
    pub window: Option<TimeRange>,
    /// Whether the caller's organisation may book here.
    pub bookable_by_you: bool,
    pub total: usize,
    pub free: usize,
    /// Each a [`SpaceAvailability`], written from [`SpaceJson`]'s copy.
    #[schema(value_type = Vec<SpaceAvailability>)]
    pub spaces: Vec<Box<RawValue>>,
}

/// The site a nearby free space is at.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SiteSummary {
    pub id: SiteId,
    pub name: LocalizedText,
    pub kind: SiteKind,
    pub coordinates: Coordinates,
    pub price_per_seat_day: Option<Price>,
}

/// A free space near the asked point.
#[derive(Debug, Serialize, ToSchema)]
pub struct NearbySpace {
    pub space: Space,
    pub site: SiteSummary,
    /// Straight-line distance from the asked point, km, one decimal.
    pub distance_km: f64,
}

/// Free spaces across the network near a point.
#[derive(Debug, Serialize, ToSchema)]
pub struct NearbyAvailability {
    pub date: NaiveDate,
    pub near: Coordinates,
    pub radius_km: f64,
    pub kind: SpaceKind,
    /// Nearest first; only sites open that day whose terms admit the caller's organisation.
    pub results: Vec<NearbySpace>,
}

/// The answer: one site, or nearby spaces.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Availability {
    Site(SiteAvailability),
    Near(NearbyAvailability),
}

/// Free spaces at a site on a date (`site`, `date`, optional `from`/`to`/`kind`), or free
/// spaces of a kind within `radius_km` of `near` (`near`, `radius_km`, `date`, `kind`), nearest
/// first with their distance.
#[utoipa::path(get, path = "/availability", tag = "availability", params(AvailabilityQuery),
    responses((status = 200, body = Availability), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn availability(
    State(state): State<AppState>,
    Auth(me): Auth,
    Query(query): Query<AvailabilityQuery>,
) -> Result<Json<Availability>, AppError> {
    let date = query
        .date
        .as_deref()
        .ok_or_else(|| AppError::invalid("date", "give a date, YYYY-MM-DD"))?
        .parse::<NaiveDate>()
        .ok()
        .filter(|d| hubnet_domain::booking::is_plausible_date(*d))
        .ok_or_else(|| AppError::invalid("date", "not a date like 2026-11-24"))?;
    let window = parse_window(query.from.as_deref(), query.to.as_deref())?;
    let kind = query.kind.as_deref().map(SpaceKind::from_key).transpose()?;
    match (query.site.as_deref(), query.near.as_deref()) {
        (Some(site), None) => {
            if query.radius_km.is_some() || query.limit.is_some() {
                return Err(AppError::invalid("radius_km", "radius_km and limit go with near, not site"));
            }
            let site: SiteId = site.parse().map_err(|_| AppError::NotFound)?;
            let site = state.store.sites().get_site(site).await?;
            Ok(Json(Availability::Site(
                site_availability(&state, &site, me.organisation_id(), date, window, kind).await?,
            )))
        }
        (None, Some(near)) => {
            let near = parse_point(near)?;
            let radius_km = match query.radius_km.as_deref() {
                None => 25.0,
                Some(r) => r.trim().parse::<f64>().ok().filter(|r| *r > 0.0 && *r <= 500.0).ok_or_else(|| {
                    AppError::invalid("radius_km", "a distance in kilometres above 0 and at most 500")
                })?,
            };
            let limit = limit(query.limit, 50, 500, "limit")?;
            let kind = kind.unwrap_or(SpaceKind::Desk);
            let results = nearby(&state, me.organisation_id(), near, radius_km, date, window, kind, limit).await?;
            Ok(Json(Availability::Near(NearbyAvailability { date, near, radius_km, kind, results })))
        }
        _ => Err(AppError::invalid("site", "give either site or near")),
    }
}

fn parse_point(s: &str) -> Result<Coordinates, AppError> {
    let bad = || AppError::invalid("near", "a point like 61.2056,26.0381 (latitude,longitude)");
    let (lat, lon) = s.split_once(',').ok_or_else(bad)?;
    let lat = lat.trim().parse::<f64>().map_err(|_| bad())?;
    let lon = lon.trim().parse::<f64>().map_err(|_| bad())?;
    Coordinates::new(lat, lon).map_err(|e| AppError::invalid("near", e.reason))
}

fn parse_window(from: Option<&str>, to: Option<&str>) -> Result<(Option<TimeOfDay>, Option<TimeOfDay>), AppError> {
    let from = from.map(|s| s.parse::<TimeOfDay>().map_err(|e| AppError::invalid("from", e.reason))).transpose()?;
    let to = to.map(|s| s.parse::<TimeOfDay>().map_err(|e| AppError::invalid("to", e.reason))).transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f >= t
    {
        return Err(AppError::invalid("to", "the window must end after it starts"));
    }
    Ok((from, to))
}

async fn site_availability(
    state: &AppState,
    site: &Site,
    organisation: hubnet_domain::OrganisationId,
    date: NaiveDate,
    window: (Option<TimeOfDay>, Option<TimeOfDay>),
    kind: Option<SpaceKind>,
) -> Result<SiteAvailability, AppError> {
    let mut answer = SiteAvailability {
        site_id: site.id,
        date,
        open: false,
        closed_for: None,
        hours: None,
        window: None,
        bookable_by_you: site.admits(organisation),
        total: 0,
        free: 0,
        spaces: Vec::new(),
    };
    match site_window(site, date, window)? {
        Err(Unavailable::Closed(holiday)) => answer.closed_for = holiday,
        Err(Unavailable::OutsideHours(hours)) => return Err(BookingError::OutsideOpeningHours { hours }.into()),
        Ok((hours, range)) => {
            let spaces = state.directory.spaces(site.id).await?;
            let taken = state.store.bookings().taken_spaces(&[(site.id, range)]).await?;
            let json = state.shared::<SpaceJson>().of(site.id, &spaces)?;
            answer.open = true;
            answer.hours = Some(hours);
            answer.window = Some(range);
            for (space, object) in spaces.iter().zip(json.iter()) {
                if !space.bookable || kind.is_some_and(|k| space.kind != k) {
                    continue;
                }
                let free = !taken.contains(&space.id);
                let tail = if free { r#","free":true}"# } else { r#","free":false}"# };
                let mut item = String::with_capacity(object.len() + tail.len());
                item.push_str(object);
                item.push_str(tail);
                answer.spaces.push(RawValue::from_string(item).map_err(|e| AppError::Internal(e.to_string()))?);
                answer.total += 1;
                answer.free += usize::from(free);
            }
        }
    }
    Ok(answer)
}

/// Sites are asked a few at a time, nearest first, until `limit` free spaces are found.
const SITES_PER_QUERY: usize = 4;

#[expect(clippy::too_many_arguments, reason = "the query's parts, each already checked")]
async fn nearby(
    state: &AppState,
    organisation: hubnet_domain::OrganisationId,
    near: Coordinates,
    radius_km: f64,
    date: NaiveDate,
    window: (Option<TimeOfDay>, Option<TimeOfDay>),
    kind: SpaceKind,
    limit: u32,
) -> Result<Vec<NearbySpace>, AppError> {
    // Sites and spaces come from the server's copy of the network; only which spaces are
    // taken is asked of the database.
    let sites = state.directory.all_sites().await?;
    let (min, max) = near.bounding_box(radius_km);
    let mut candidates: Vec<(f64, &Site)> = sites
        .iter()
        .filter(|site| site.coordinates.is_within(min, max) && site.admits(organisation))
        .map(|site| (near.distance_km(site.coordinates), site))
        .filter(|(distance, _)| *distance <= radius_km)
        .collect();
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));

    let mut open = Vec::new();
    // Sites closed that day, or not open in the window, or where the window's local time does
    // not exist (the spring change to summer time), have nothing to offer: skip them.
    for (distance, site) in candidates {
        if let Ok(Ok((_, range))) = site_window(site, date, window) {
            open.push((distance, site, range));
        }
    }
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut results = Vec::new();
    for chunk in open.chunks(SITES_PER_QUERY) {
        let windows: Vec<(SiteId, TimeRange)> = chunk.iter().map(|(_, site, range)| (site.id, *range)).collect();
        let taken = state.store.bookings().taken_spaces(&windows).await?;
        for (distance, site, _) in chunk {
            let summary = SiteSummary {
                id: site.id,
                name: site.name.clone(),
                kind: site.kind,
                coordinates: site.coordinates,
                price_per_seat_day: site.price_per_seat_day,
            };
            let spaces = state.directory.spaces(site.id).await?;
            let free = spaces.iter().filter(|s| s.bookable && s.kind == kind && !taken.contains(&s.id));
            for space in free {
                results.push(NearbySpace {
                    space: space.clone(),
                    site: summary.clone(),
                    distance_km: (distance * 10.0).round() / 10.0,
                });
                if results.len() >= limit {
                    return Ok(results);
                }
            }
        }
    }
    Ok(results)
}
