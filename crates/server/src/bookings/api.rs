//! Bookings as JSON: book, list, read, cancel, approve and decline (`crate::bookings` says who may
//! see and do what).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use chrono::{DateTime, Utc};
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::{Booking, BookingId, BookingStatus, DeclineReason, PersonId, Principal, Site, SiteId, Verdict};
use hubnet_store::BookingFilter;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{BookingInput, BookingView, book, cancel, decide, view, visible_booking};
use crate::audit::{self, Subject};
use crate::auth::Auth;
use crate::error::{AppError, Json, Path, Query};
use crate::input::limit;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bookings, create_booking))
        .routes(routes!(get_booking, cancel_booking))
        .routes(routes!(approve_booking))
        .routes(routes!(decline_booking))
}

/// Books a space. 201 with the booking; 409 `booking_conflict` when someone holds it; 422 with
/// the rule's code when a rule refuses (`outside_opening_hours`, `site_closed`, ...).
#[utoipa::path(post, path = "/bookings", tag = "bookings", request_body = BookingInput,
    responses((status = 201, body = BookingView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn create_booking(
    State(state): State<AppState>,
    Auth(me): Auth,
    Json(input): Json<BookingInput>,
) -> Result<(StatusCode, HeaderMap, Json<BookingView>), AppError> {
    let (booking, site) = book(&state, &me, &input).await?;
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/bookings/{}", booking.id)) {
        headers.insert(header::LOCATION, location);
    }
    Ok((StatusCode::CREATED, headers, Json(view(booking, &site))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BookingsQuery {
    /// The caller's own bookings (the default when neither `site` nor `person` is given).
    mine: Option<bool>,
    /// All bookings at a site (its hosts and the owner's admins).
    site: Option<SiteId>,
    /// One person's bookings (themself or their organisation's admins).
    person: Option<PersonId>,
    /// Bookings that end after this instant (default: now).
    from: Option<DateTime<Utc>>,
    /// Bookings that start before this instant.
    to: Option<DateTime<Utc>>,
    /// Include cancelled and released bookings.
    include_inactive: Option<bool>,
    /// Only bookings in this status, such as `pending_approval` for a host's decisions (an
    /// inactive status needs no `include_inactive`).
    status: Option<BookingStatus>,
    /// At most this many (1-1000, default 100).
    limit: Option<u32>,
}

/// Bookings, earliest first: the caller's own (`mine=true`), a site's, or a person's.
#[utoipa::path(get, path = "/bookings", tag = "bookings", params(BookingsQuery),
    responses((status = 200, body = [BookingView]), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn list_bookings(
    State(state): State<AppState>,
    Auth(me): Auth,
    Query(query): Query<BookingsQuery>,
) -> Result<Json<Vec<BookingView>>, AppError> {
    for (field, instant) in [("from", query.from), ("to", query.to)] {
        if instant.is_some_and(|t| !hubnet_domain::booking::is_plausible(t)) {
            return Err(AppError::invalid(field, "an instant in the years 1900-9999"));
        }
    }
    let mut filter = BookingFilter {
        from: Some(query.from.unwrap_or_else(|| state.now())),
        to: query.to,
        active_only: !query.include_inactive.unwrap_or(false) && query.status.is_none_or(BookingStatus::is_active),
        status: query.status,
        limit: limit(query.limit, 100, 1000, "limit")?,
        ..BookingFilter::default()
    };
    match (query.mine, query.site, query.person) {
        (Some(true) | None, None, None) => filter.person = Some(me.person_id()),
        (None | Some(false), Some(site), None) => {
            let site = state.store.sites().get_site(site).await?;
            if !me.can_manage_site(&site) {
                return Err(AppError::AccessDenied);
            }
            filter.site = Some(site.id);
        }
        (None | Some(false), None, Some(person)) => {
            let person = state.store.people().get_person(person).await?;
            if !(person.id == me.person_id() || me.administers(person.organisation_id)) {
                return Err(AppError::NotFound);
            }
            audit::viewed(&state, &me, &person, "bookings").await?;
            filter.person = Some(person.id);
        }
        _ => {
            return Err(AppError::invalid("mine", "give one of mine, site or person"));
        }
    }
    let bookings = state.store.bookings().list_bookings(&filter).await?;
    let mut sites: HashMap<SiteId, Site> = HashMap::new();
    let mut views = Vec::with_capacity(bookings.len());
    for booking in bookings {
        if let std::collections::hash_map::Entry::Vacant(entry) = sites.entry(booking.site_id) {
            entry.insert(state.store.sites().get_site(booking.site_id).await?);
        }
        let site = &sites[&booking.site_id];
        views.push(view(booking, site));
    }
    Ok(Json(views))
}

/// Whether `me` reaches someone else's booking only through an admin role (not as its holder,
/// its booker or a host of its site): such a read or cancellation is audited.
fn through_admin_role(me: &Principal, booking: &Booking) -> bool {
    booking.person_id != me.person_id() && booking.created_by != me.person_id() && !me.hosts(booking.site_id)
}

#[utoipa::path(get, path = "/bookings/{id}", tag = "bookings",
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_booking(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<BookingId>,
) -> Result<Json<BookingView>, AppError> {
    let (booking, site, holder) = visible_booking(&state, &me, id).await?;
    if through_admin_role(&me, &booking) {
        let subject = Subject::new(SubjectKind::Person, holder.id);
        let detail = serde_json::json!({ "read": "booking", "booking_id": booking.id });
        audit::record(&state, &me, holder.organisation_id, AuditAction::PersonViewed, subject, detail).await?;
    }
    Ok(Json(view(booking, &site)))
}

/// Cancels a booking that has not ended; the space is free again at once.
#[utoipa::path(delete, path = "/bookings/{id}", tag = "bookings",
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn cancel_booking(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<BookingId>,
) -> Result<Json<BookingView>, AppError> {
    let (cancelled, site) = cancel(&state, &me, id).await?;
    Ok(Json(view(cancelled, &site)))
}

// Approval

/// Why a booking is declined.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineInput {
    /// Shown to the booker as written: plain text, 1-500 characters.
    #[schema(min_length = 1, max_length = 500, example = "The event space is reserved for the network day.")]
    pub reason: String,
}

/// Approves a booking waiting for approval. A booking with `awaits_organisation` (its booker's
/// policy asked for an exception) is decided first by an admin of the booker's organisation: it
/// is confirmed, or, when the site or space asks for approval too, stays pending for the site. Any
/// other pending booking is decided by a host of the booking's site, an admin of the site's owner
/// or a platform admin. Never by the booker; 403 to anyone else; 409 `booking_not_pending` once
/// it has been decided or cancelled.
#[utoipa::path(post, path = "/bookings/{id}/approve", tag = "bookings",
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn approve_booking(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<BookingId>,
) -> Result<Json<BookingView>, AppError> {
    let (booking, site) = decide(&state, &me, id, Verdict::Approve).await?;
    Ok(Json(view(booking, &site)))
}

/// Declines a booking waiting for approval, with a reason the booker sees; the space is free
/// again at once. Allowed as for approving.
#[utoipa::path(post, path = "/bookings/{id}/decline", tag = "bookings", request_body = DeclineInput,
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn decline_booking(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<BookingId>,
    Json(input): Json<DeclineInput>,
) -> Result<Json<BookingView>, AppError> {
    let reason = DeclineReason::parse(&input.reason)?;
    let (booking, site) = decide(&state, &me, id, Verdict::Decline { reason }).await?;
    Ok(Json(view(booking, &site)))
}
