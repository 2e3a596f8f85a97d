//! [`Bookings`](crate::Bookings) on PostgreSQL: a new booking is inserted under advisory locks on
//! its space and person ([`lock_key`]) and retried after a transient failure; the plain insert
//! here is the one the import shares.

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::booking::MAX_BOOKING_SECONDS;
use hubnet_domain::{Booking, BookingId, PersonId, SiteId, SpaceId, SpaceKind, TimeRange, Verdict};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{PgStore, uuid};
use crate::bookings::group_by_window;
use crate::rows::{BookingRow, convert};
use crate::{Approver, BookingFilter, Bookings, NewBooking, Result, StoreError, map_error, not_pending};

#[async_trait]
impl Bookings for PgStore {
    async fn book(&self, booking: NewBooking) -> Result<Booking> {
        let mut attempt = 0;
        loop {
            match insert_new_booking(&self.pool, &booking).await {
                Err(error) if is_transient(&error) && attempt < MAX_RETRIES => {
                    attempt += 1;
                    self.retries.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    tracing::warn!(%error, attempt, "retrying a booking after a transient failure");
                }
                Err(error) => return Err(map_error(error)),
                Ok(()) => return Ok(booking.into_booking()),
            }
        }
    }

    async fn get_booking(&self, id: BookingId) -> Result<Booking> {
        let row: BookingRow =
            sqlx::query_as(concat!("SELECT ", booking_columns!(), " FROM bookings b WHERE b.id = $1"))
                .bind(uuid(id))
                .fetch_one(&self.pool)
                .await
                .map_err(map_error)?;
        row.try_into()
    }

    async fn cancel_booking(&self, id: BookingId, at: DateTime<Utc>) -> Result<Booking> {
        let row: Option<BookingRow> = sqlx::query_as(concat!(
            "UPDATE bookings AS b SET status = 'cancelled', updated_at = $2 WHERE b.id = $1 AND b.status IN ",
            active!(),
            " RETURNING ",
            booking_columns!()
        ))
        .bind(uuid(id))
        .bind(at)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_error)?;
        match row {
            Some(row) => row.try_into(),
            None => self.get_booking(id).await,
        }
    }

    async fn decide_booking(
        &self,
        id: BookingId,
        verdict: &Verdict,
        approver: Approver,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> Result<Booking> {
        // One statement: of two hosts deciding at once, the second finds the row no longer
        // pending (or no longer awaiting its organisation) once the first commits, and changes
        // nothing.
        let row: Option<BookingRow> = sqlx::query_as(concat!(
            "UPDATE bookings AS b SET status = $2, decided_by = $3, decided_at = $4, decline_reason = $5, \
             awaits_organisation = false, updated_at = $4 \
             WHERE b.id = $1 AND b.status = 'pending_approval' AND b.awaits_organisation = $6 RETURNING ",
            booking_columns!()
        ))
        .bind(uuid(id))
        .bind(crate::decided_status(verdict, approver).key())
        .bind(uuid(by))
        .bind(at)
        .bind(verdict.reason())
        .bind(matches!(approver, Approver::Organisation { .. }))
        .fetch_optional(&self.pool)
        .await
        .map_err(map_error)?;
        match row {
            Some(row) => row.try_into(),
            None => Err(not_pending(self.get_booking(id).await?.status.key())),
        }
    }

    async fn list_bookings(&self, filter: &BookingFilter) -> Result<Vec<Booking>> {
        let mut query = QueryBuilder::<Postgres>::new(concat!("SELECT ", booking_columns!(), " FROM bookings b"));
        if filter.organisation.is_some() {
            query.push(" JOIN people p ON p.id = b.person_id");
        }
        query.push(" WHERE true");
        if let Some(person) = filter.person {
            query.push(" AND b.person_id = ").push_bind(uuid(person));
        }
        if let Some(site) = filter.site {
            query.push(" AND b.site_id = ").push_bind(uuid(site));
        }
        if let Some(organisation) = filter.organisation {
            query.push(" AND p.organisation_id = ").push_bind(uuid(organisation));
        }
        if let Some(from) = filter.from {
            query.push(" AND b.end_at > ").push_bind(from);
        }
        if let Some(to) = filter.to {
            query.push(" AND b.start_at < ").push_bind(to);
        }
        if filter.active_only {
            query.push(concat!(" AND b.status IN ", active!()));
        }
        if let Some(status) = filter.status {
            // A literal, not a parameter: a generic plan can use the partial index of pending
            // bookings only then. The key is one of the domain's fixed words.
            query.push(" AND b.status = '").push(status.key()).push("'");
        }
        query.push(" ORDER BY b.start_at, b.id LIMIT ").push_bind(i64::from(filter.limit));
        let rows: Vec<BookingRow> = query.build_query_as().fetch_all(&self.pool).await.map_err(map_error)?;
        convert(rows)
    }

    async fn taken_spaces(&self, windows: &[(SiteId, TimeRange)]) -> Result<HashSet<SpaceId>> {
        let mut taken = HashSet::new();
        for (range, sites) in group_by_window(windows) {
            let sites: Vec<Uuid> = sites.into_iter().map(uuid).collect();
            // The bookings overlapping the window all start within the longest booking before it.
            let ids: Vec<Uuid> = sqlx::query_scalar(concat!(
                "SELECT coalesce(array_agg(b.space_id), '{}') FROM bookings b WHERE b.site_id = ANY($1) \
                 AND b.start_at >= $2 AND b.start_at < $3 AND b.end_at > $4 AND b.status IN ",
                active!()
            ))
            .bind(sites)
            .bind(range.start - chrono::Duration::seconds(MAX_BOOKING_SECONDS))
            .bind(range.end)
            .bind(range.start)
            .fetch_one(&self.pool)
            .await
            .map_err(map_error)?;
            taken.extend(ids.into_iter().map(SpaceId::from));
        }
        Ok(taken)
    }
}

/// How often a booking is retried after a deadlock or serialisation failure.
const MAX_RETRIES: u32 = 5;

/// Failures that a second attempt can cure: deadlock, serialisation failure, lock not available.
fn is_transient(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("40P01" | "40001" | "55P03")))
}

/// A lock key for an id: its last eight bytes, which are random in the UUIDs hubnet makes.
pub fn lock_key(id: Uuid) -> i64 {
    let bytes = id.as_bytes();
    i64::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]])
}

/// Inserts a booking as one statement that first takes transaction-scoped advisory locks on the
/// space and then on the person. Without them, concurrent inserts that conflict under the
/// exclusion constraints can each wait for the other's uncommitted row: a deadlock that
/// PostgreSQL breaks only after `deadlock_timeout` (1 s), aborting one. With them, requests for
/// one space queue, and each after the first meets a committed row and a plain
/// `bookings_no_double_booking` violation. Always space before person, so the locks cannot cycle.
async fn insert_new_booking(pool: &PgPool, booking: &NewBooking) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH serialise AS (SELECT pg_advisory_xact_lock($11) AS space_lock, pg_advisory_xact_lock($12) AS person_lock) \
         INSERT INTO bookings (id, space_id, site_id, space_kind, person_id, created_by, start_at, end_at, status, \
         created_at, updated_at, organisation_id, awaits_organisation) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $10, (SELECT organisation_id FROM people WHERE id = $5), $13 FROM serialise",
    )
    .bind(uuid(booking.id))
    .bind(uuid(booking.space_id))
    .bind(uuid(booking.site_id))
    .bind(booking.space_kind.key())
    .bind(uuid(booking.person_id))
    .bind(uuid(booking.created_by))
    .bind(booking.range.start)
    .bind(booking.range.end)
    .bind(booking.status.key())
    .bind(booking.created_at)
    .bind(lock_key(uuid(booking.space_id)))
    .bind(lock_key(uuid(booking.person_id)))
    .bind(booking.awaits_organisation)
    .execute(pool)
    .await
    .map(drop)
}

pub(super) async fn space_kind(conn: &mut PgConnection, space: SpaceId) -> Result<SpaceKind> {
    let kind: String = sqlx::query_scalar("SELECT kind FROM spaces WHERE id = $1")
        .bind(uuid(space))
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_error)?
        .ok_or(StoreError::MissingReference)?;
    SpaceKind::from_key(&kind).map_err(StoreError::Invalid)
}

pub(super) async fn insert_booking(conn: &mut PgConnection, b: &Booking, kind: SpaceKind) -> Result<()> {
    sqlx::query(
        "INSERT INTO bookings (id, space_id, site_id, space_kind, person_id, created_by, start_at, end_at, status, \
         created_at, updated_at, organisation_id, decided_by, decided_at, decline_reason, awaits_organisation) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, (SELECT organisation_id FROM people WHERE id = $5), \
         $11, $12, $13, $14)",
    )
    .bind(uuid(b.id))
    .bind(uuid(b.space_id))
    .bind(uuid(b.site_id))
    .bind(kind.key())
    .bind(uuid(b.person_id))
    .bind(uuid(b.created_by))
    .bind(b.start)
    .bind(b.end)
    .bind(b.status.key())
    .bind(b.created_at)
    .bind(b.decision.as_ref().map(|d| uuid(d.decided_by)))
    .bind(b.decision.as_ref().map(|d| d.decided_at))
    .bind(b.decision.as_ref().and_then(|d| d.reason.clone()))
    .bind(b.awaits_organisation)
    .execute(conn)
    .await
    .map(drop)
    .map_err(map_error)
}
