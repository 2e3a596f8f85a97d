//! Booking and cancelling. The rules of the domain decide what may be booked; the database
//! decides, atomically, that nobody else holds the space.
//!
//! Who sees which bookings: one's own; an admin of the holder's organisation; the hosts and the
//! owner's admins of the site. Analysts and HR see none (they read counts, not bookings). Booking
//! or cancelling in someone else's name, and an admin's read of someone else's bookings, are
//! audited.
//!
//! Here: the use cases the JSON API (`api.rs`) and the pages (`pages.rs`: My week, the Book
//! buttons; the host pages' Approve and Decline) share: book, cancel, decide, and which bookings a
//! person may see.

pub mod api;
pub mod error;
pub mod pages;
use crate::audit::{self, Subject};
use crate::bookings::error::BookingRefusal;
use crate::error::AppError;
use crate::policies::error::PolicyRefusal;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, SecondsFormat, SubsecRound as _, Utc};
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::booking::{BookingRequest, Period, RequestedTime, check};
use hubnet_domain::ids::new_id;
use hubnet_domain::policy::Verdict as PolicyVerdict;
use hubnet_domain::{Booking, BookingId, BookingStatus, PersonId, Principal, Site, SpaceId, Verdict};
use hubnet_store::{Approver, NewBooking};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

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

pub fn view(booking: Booking, site: &Site) -> BookingView {
    let local = |t: DateTime<Utc>| t.with_timezone(&site.time_zone).to_rfc3339_opts(SecondsFormat::Secs, false);
    BookingView {
        local_start: local(booking.start),
        local_end: local(booking.end),
        time_zone: site.time_zone.name().to_owned(),
        booking,
    }
}

pub async fn book(state: &AppState, me: &Principal, input: &BookingInput) -> Result<(Booking, Site), AppError> {
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
    let (status, awaits_organisation) = match crate::policies::load::verdict(state, &person, &site, date).await? {
        PolicyVerdict::Allowed => (accepted.status, false),
        PolicyVerdict::NeedsApproval { .. } => (BookingStatus::PendingApproval, true),
        PolicyVerdict::Refused { reason } => return Err(PolicyRefusal(Box::new(reason)).into()),
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

/// The booking, if the caller may see it (holder, booker, their organisation's admins, the
/// site's hosts and owner's admins); otherwise it does not exist for them. Also its holder.
pub async fn visible_booking(
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

/// Cancels a booking the caller may see, unless it has ended; cancelling twice is harmless.
pub async fn cancel(state: &AppState, me: &Principal, id: BookingId) -> Result<(Booking, Site), AppError> {
    let (booking, site, holder) = visible_booking(state, me, id).await?;
    let now = state.now();
    if booking.status.is_active() && booking.end <= now {
        return Err(BookingRefusal::AlreadyEnded.into());
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

/// Records a decision on a pending booking, if `me` is its site's approver: a host of the site,
/// an admin of the site's owner (or a platform admin), and not the booker. Whoever may see the
/// booking but not decide it is refused (403); to anyone else it does not exist (404).
pub async fn decide(
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
        return Err(BookingRefusal::CannotDecideOwn.into());
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
