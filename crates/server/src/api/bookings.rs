//! Booking and cancelling. The rules of the domain decide what may be booked; the database
//! decides, atomically, that nobody else holds the space.
//!
//! Who sees which bookings: one's own; an admin of the holder's organisation; the hosts and the
//! owner's admins of the site. Analysts and HR see none (they read counts, not bookings). Booking
//! or cancelling in someone else's name, and an admin's read of someone else's bookings, are
//! audited.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use chrono::{DateTime, NaiveDate, SecondsFormat, SubsecRound as _, Utc};
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::booking::{BookingRequest, Period, RequestedTime, check};
use hubnet_domain::policy::Verdict as PolicyVerdict;
use hubnet_domain::{
    Booking, BookingId, BookingStatus, DeclineReason, PersonId, Principal, Site, SiteId, SpaceId, Verdict,
};
use hubnet_store::{Approver, BookingFilter, NewBooking};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::limit;
use crate::AppState;
use crate::audit::{self, Subject};
use crate::auth::Auth;
use crate::error::{AppError, Json, Path, Query};
use hubnet_domain::ids::new_id;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bookings, create_booking))
        .routes(routes!(get_booking, cancel_booking))
        .routes(routes!(approve_booking))
        .routes(routes!(decline_booking))
}

/// A booking request: a space and either `start`/`end` (RFC 3339) or `date`/`period`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    pub space_id: SpaceId,
    /// With `end`: an exact time range, such as an hourly slot.
    #[serde(default)]
    pub start: Option<DateTime<Utc>>,
    #[serde(default)]
    pub end: Option<DateTime<Utc>>,
    /// With `period`: a whole day or half a day, in the site's local time.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub period: Option<Period>,
    /// Book on someone's behalf (admins of their organisation); default: the caller.
    #[serde(default)]
    pub person_id: Option<PersonId>,
}

impl BookingInput {
    fn time(&self) -> Result<RequestedTime, AppError> {
        match (self.start, self.end, self.date, self.period) {
            (Some(start), Some(end), None, None) => Ok(RequestedTime::Range { start, end }),
            (None, None, Some(date), Some(period)) => Ok(RequestedTime::Period { date, period }),
            (Some(_), None, None, None) => Err(AppError::invalid("end", "give end with start")),
            (None, Some(_), None, None) => Err(AppError::invalid("start", "give start with end")),
            (None, None, Some(_), None) => Err(AppError::invalid("period", "give period with date")),
            (None, None, None, Some(_)) => Err(AppError::invalid("date", "give date with period")),
            (None, None, None, None) => Err(AppError::invalid("start", "give start and end, or date and period")),
            _ => Err(AppError::invalid("date", "give either start and end, or date and period, not both")),
        }
    }
}

/// A booking with its times also in the site's local time.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingView {
    #[serde(flatten)]
    pub booking: Booking,
    /// The site's IANA time zone.
    pub time_zone: String,
    /// `start` in the site's local time (RFC 3339 with offset).
    pub local_start: String,
    pub local_end: String,
}

fn view(booking: Booking, site: &Site) -> BookingView {
    let local = |t: DateTime<Utc>| t.with_timezone(&site.time_zone).to_rfc3339_opts(SecondsFormat::Secs, false);
    BookingView {
        local_start: local(booking.start),
        local_end: local(booking.end),
        time_zone: site.time_zone.name().to_owned(),
        booking,
    }
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

pub(crate) async fn book(state: &AppState, me: &Principal, input: &BookingInput) -> Result<(Booking, Site), AppError> {
    let time = input.time()?;
    let person = match input.person_id {
        None => me.person.clone(),
        Some(id) if id == me.person_id() => me.person.clone(),
        Some(id) => {
            let person = state.store.people().get_person(id).await?;
            if !me.can_see_person(&person) {
                return Err(AppError::NotFound);
            }
            if !me.can_book_for(&person) {
                return Err(AppError::AccessDenied);
            }
            if !person.active {
                return Err(AppError::invalid("person_id", "this person is deactivated"));
            }
            person
        }
    };
    let space = state.store.sites().get_space(input.space_id).await?;
    let site = state.store.sites().get_site(space.site_id).await?;
    let registered = site.access.registration_required && state.store.sites().is_registered(site.id, person.id).await?;
    // Whole seconds: what the database keeps, so that every read of the booking agrees.
    let now = state.now().trunc_subsecs(0);
    let accepted = check(&BookingRequest {
        site: &site,
        space: &space,
        organisation: person.organisation_id,
        registered,
        time,
        now,
    })?;
    // The booker's organisation's policy: a refusal names its rule; where the rule allows
    // exceptions, the booking waits for the organisation's approval instead (first, when the
    // site asks for its own approval too).
    let date = accepted.range.start.with_timezone(&site.time_zone).date_naive();
    let (status, awaits_organisation) = match crate::policy::verdict(state, &person, &site, date).await? {
        PolicyVerdict::Allowed => (accepted.status, false),
        PolicyVerdict::NeedsApproval { .. } => (BookingStatus::PendingApproval, true),
        PolicyVerdict::Refused { reason } => return Err(AppError::Policy(Box::new(reason))),
    };
    let booking = state
        .store
        .bookings()
        .book(NewBooking {
            id: new_id(),
            space_id: space.id,
            site_id: site.id,
            space_kind: space.kind,
            person_id: person.id,
            created_by: me.person_id(),
            range: accepted.range,
            status,
            created_at: now,
            awaits_organisation,
        })
        .await?;
    if person.id != me.person_id() {
        let subject = Subject::new(SubjectKind::Booking, booking.id);
        let detail = serde_json::json!({ "person_id": person.id, "site_id": site.id });
        audit::record(state, me, person.organisation_id, AuditAction::BookingCreated, subject, detail).await?;
    }
    Ok((booking, site))
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

/// The booking, if the caller may see it (holder, booker, their organisation's admins, the
/// site's hosts and owner's admins); otherwise it does not exist for them. Also its holder.
async fn visible_booking(
    state: &AppState,
    me: &Principal,
    id: BookingId,
) -> Result<(Booking, Site, hubnet_domain::Person), AppError> {
    let booking = state.store.bookings().get_booking(id).await?;
    let holder = if booking.person_id == me.person_id() {
        me.person.clone()
    } else {
        state.store.people().get_person(booking.person_id).await?
    };
    let site = state.store.sites().get_site(booking.site_id).await?;
    if !(me.can_see_booking(&holder, booking.created_by, booking.site_id) || me.can_manage_site(&site)) {
        return Err(AppError::NotFound);
    }
    Ok((booking, site, holder))
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

/// Cancels a booking the caller may see, unless it has ended; cancelling twice is harmless.
pub(crate) async fn cancel(state: &AppState, me: &Principal, id: BookingId) -> Result<(Booking, Site), AppError> {
    let (booking, site, holder) = visible_booking(state, me, id).await?;
    let now = state.now();
    if booking.status.is_active() && booking.end <= now {
        return Err(AppError::BookingAlreadyEnded);
    }
    if booking.status == BookingStatus::Cancelled {
        return Ok((booking, site));
    }
    let cancelled = state.store.bookings().cancel_booking(id, now).await?;
    if holder.id != me.person_id() {
        let subject = Subject::new(SubjectKind::Booking, id);
        let detail = serde_json::json!({ "person_id": holder.id, "site_id": site.id });
        audit::record(state, me, holder.organisation_id, AuditAction::BookingCancelled, subject, detail).await?;
    }
    Ok((cancelled, site))
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

/// Records a decision on a pending booking, if `me` is its site's approver: a host of the site,
/// an admin of the site's owner (or a platform admin), and not the booker. Whoever may see the
/// booking but not decide it is refused (403); to anyone else it does not exist (404).
pub(crate) async fn decide(
    state: &AppState,
    me: &Principal,
    id: BookingId,
    verdict: Verdict,
) -> Result<(Booking, Site), AppError> {
    let (booking, site, holder) = visible_booking(state, me, id).await?;
    // A booking the booker's policy sent for approval waits for their organisation's admins
    // first; then, if the site or the space asks for approval too, for the site's approvers. An
    // admin who may also decide for the site gives both at once.
    let (approver, approved_for) = if booking.awaits_organisation {
        if !me.administers(holder.organisation_id) {
            return Err(AppError::AccessDenied);
        }
        let space = state.store.sites().get_space(booking.space_id).await?;
        let site_asks = site.access.approval_required || space.approval_required;
        let both = site_asks && me.can_manage_site(&site);
        (Approver::Organisation { site_next: site_asks && !both }, if both { "both" } else { "organisation" })
    } else {
        if !me.can_manage_site(&site) {
            return Err(AppError::AccessDenied);
        }
        (Approver::Site, "site")
    };
    if booking.person_id == me.person_id() || booking.created_by == me.person_id() {
        return Err(AppError::CannotDecideOwnBooking);
    }
    let declined = matches!(verdict, Verdict::Decline { .. });
    let decided = state
        .store
        .bookings()
        .decide_booking(booking.id, &verdict, approver, me.person_id(), state.now().trunc_subsecs(0))
        .await?;
    // Recorded for the site's owner and, when they differ, the booker's organisation; the reason
    // stays with the booking (it may name people), the entry says only that one was given.
    let (action, detail) = if declined {
        (AuditAction::BookingDeclined, json!({ "site": site.id, "for": approved_for, "reason_given": true }))
    } else {
        (AuditAction::BookingApproved, json!({ "site": site.id, "for": approved_for }))
    };
    let subject = Subject::new(SubjectKind::Booking, booking.id);
    audit::record(state, me, site.organisation_id, action, subject, detail.clone()).await?;
    if holder.organisation_id != site.organisation_id {
        audit::record(state, me, holder.organisation_id, action, subject, detail).await?;
    }
    Ok((decided, site))
}
