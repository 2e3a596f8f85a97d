//! Bookings: writing one if the database agrees, reading, listing, cancelling and deciding them,
//! and which spaces bookings hold during a window.

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::{
    Booking, BookingId, BookingStatus, OrganisationId, PersonId, SiteId, SpaceId, SpaceKind, TimeRange, Verdict,
};

use crate::Result;

/// A booking the rules have accepted, to be written if the database agrees.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBooking {
    pub id: BookingId,
    pub space_id: SpaceId,
    pub site_id: SiteId,
    pub space_kind: SpaceKind,
    pub person_id: PersonId,
    pub created_by: PersonId,
    pub range: TimeRange,
    pub status: BookingStatus,
    pub created_at: DateTime<Utc>,
    /// Pending until the booker's organisation approves (before the site, if it asks too).
    pub awaits_organisation: bool,
}

/// Whose approval a decision on a pending booking gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approver {
    /// The site's approvers (the site or the space asked): only once the booker's organisation
    /// has approved, or when it was never asked.
    Site,
    /// The booker's organisation (its policy asked). Approving leaves the booking pending for
    /// the site when `site_next`; otherwise it is confirmed.
    Organisation { site_next: bool },
}

/// The status a decision leaves a pending booking in: the organisation's approval keeps it
/// pending when the site decides next.
pub fn decided_status(verdict: &Verdict, approver: Approver) -> BookingStatus {
    match (verdict, approver) {
        (Verdict::Approve, Approver::Organisation { site_next: true }) => BookingStatus::PendingApproval,
        _ => verdict.status(),
    }
}

impl NewBooking {
    pub fn into_booking(self) -> Booking {
        Booking {
            id: self.id,
            space_id: self.space_id,
            site_id: self.site_id,
            person_id: self.person_id,
            created_by: self.created_by,
            start: self.range.start,
            end: self.range.end,
            status: self.status,
            created_at: self.created_at,
            decision: None,
            awaits_organisation: self.awaits_organisation,
        }
    }
}

/// Which bookings to list. All given conditions must hold.
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    pub person: Option<PersonId>,
    pub site: Option<SiteId>,
    /// Bookings of people in this organisation.
    pub organisation: Option<OrganisationId>,
    /// Bookings that end after `from` and start before `to`.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub active_only: bool,
    /// Bookings in this status only (with `active_only`, an inactive status finds nothing).
    pub status: Option<BookingStatus>,
    pub limit: u32,
}

/// Bookings and the conflicts between them, which the database decides.
#[async_trait]
pub trait Bookings: Send + Sync {
    /// Writes a booking unless the space is taken or the person already holds a booking of the
    /// same kind at that time ([`StoreError::Booking`](crate::StoreError::Booking)). Decided
    /// atomically by the database.
    async fn book(&self, booking: NewBooking) -> Result<Booking>;
    async fn get_booking(&self, id: BookingId) -> Result<Booking>;
    /// Cancels an active booking; a booking already over or inactive is left as it is.
    async fn cancel_booking(&self, id: BookingId, at: DateTime<Utc>) -> Result<Booking>;

    /// A host's decision on a booking waiting for approval: it becomes confirmed, or declined
    /// with the reason (which frees the space), recording who decided and when. Only a pending
    /// booking can be decided, once: any other gets [`BookingError::NotPending`] with its status.
    /// With two approvals, the organisation's comes first: a decision as [`Approver::Site`] on a
    /// booking still awaiting its organisation, or as [`Approver::Organisation`] on one that does
    /// not, gets [`BookingError::NotPending`].
    ///
    /// [`BookingError::NotPending`]: hubnet_domain::BookingError::NotPending
    async fn decide_booking(
        &self,
        id: BookingId,
        verdict: &Verdict,
        approver: Approver,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> Result<Booking>;

    async fn list_bookings(&self, filter: &BookingFilter) -> Result<Vec<Booking>>;

    /// The spaces at each site that an active booking holds during that site's window.
    async fn taken_spaces(&self, windows: &[(SiteId, TimeRange)]) -> Result<HashSet<SpaceId>>;
}

/// Groups (site, window) pairs by window: sites in one time zone share the window of a date.
pub(crate) fn group_by_window(windows: &[(SiteId, TimeRange)]) -> Vec<(TimeRange, Vec<SiteId>)> {
    let mut groups: Vec<(TimeRange, Vec<SiteId>)> = Vec::new();
    for (site, range) in windows {
        match groups.iter_mut().find(|(r, _)| r == range) {
            Some((_, sites)) => sites.push(*site),
            None => groups.push((*range, vec![*site])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use hubnet_domain::{SiteId, TimeRange};
    use uuid::Uuid;

    use super::group_by_window;

    #[test]
    fn sites_in_one_time_zone_share_a_window() {
        let t = |h: i64| DateTime::from_timestamp(h * 3600, 0).unwrap();
        let a = TimeRange::new(t(0), t(10)).unwrap();
        let b = TimeRange::new(t(1), t(11)).unwrap();
        let site = |n| SiteId::from_uuid(Uuid::from_u128(n));
        let groups = group_by_window(&[(site(1), a), (site(2), b), (site(3), a)]);
        assert_eq!(groups, vec![(a, vec![site(1), site(3)]), (b, vec![site(2)])]);
    }
}
