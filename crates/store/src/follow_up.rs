//! Follow-up: the figures behind the utilisation reports, bookings counted by site and hour.

use async_trait::async_trait;
pub use hubnet_domain::utilisation::HourSpan;
use hubnet_domain::{OrganisationId, SiteId, TimeRange};

use crate::Result;

/// What follow-up reports read.
#[async_trait]
pub trait FollowUp: Send + Sync {
    /// The active bookings made by `organisation`'s people (as members of it when they booked)
    /// that overlap `range`, counted by site and by the UTC hours they start and end in: what a
    /// utilisation report folds into local weekdays and hours ([`hubnet_domain::utilisation`]).
    async fn booking_hours(&self, organisation: OrganisationId, range: TimeRange) -> Result<Vec<HourSpan>>;
}

/// Rows of (site, start hour, end hour, count) as [`HourSpan`]s, adding up rows with the same
/// site and hours (the slices of one organisation's people are counted apart).
pub(crate) fn hour_spans(rows: impl IntoIterator<Item = (uuid::Uuid, i64, i64, i64)>) -> Vec<HourSpan> {
    let mut counts: std::collections::HashMap<(uuid::Uuid, i64, i64), i64> = std::collections::HashMap::new();
    for (site, start_hour, end_hour, count) in rows {
        *counts.entry((site, start_hour, end_hour)).or_default() += count;
    }
    counts
        .into_iter()
        .map(|((site, start_hour, end_hour), count)| HourSpan {
            site_id: SiteId::from_uuid(site),
            start_hour,
            end_hour,
            bookings: u64::try_from(count).unwrap_or(0),
        })
        .collect()
}
