//! [`FollowUp`](crate::FollowUp) on PostgreSQL.

use async_trait::async_trait;
use hubnet_domain::{OrganisationId, TimeRange};
use uuid::Uuid;

use super::{PgStore, uuid};
use crate::follow_up::hour_spans;
use crate::{FollowUp, HourSpan, Result, map_error};

#[async_trait]
impl FollowUp for PgStore {
    async fn booking_hours(&self, organisation: OrganisationId, range: TimeRange) -> Result<Vec<HourSpan>> {
        // One index (bookings_by_organisation) holds every column the count reads; hour_spans
        // turns the times into hours.
        let rows: Vec<(Uuid, i64, i64, i64)> = sqlx::query_as(concat!(
            "SELECT b.site_id, extract(epoch FROM b.start_at)::bigint, extract(epoch FROM b.end_at)::bigint, count(*) \
             FROM bookings b WHERE b.organisation_id = $1 AND b.end_at > $2 AND b.start_at < $3 AND b.status IN ",
            active!(),
            " GROUP BY b.site_id, b.start_at, b.end_at"
        ))
        .bind(uuid(organisation))
        .bind(range.start)
        .bind(range.end)
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        Ok(hour_spans(
            rows.into_iter()
                .map(|(site, start, end, n)| (site, start.div_euclid(3600), (end + 3599).div_euclid(3600), n)),
        ))
    }
}
