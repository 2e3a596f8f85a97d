//! [`Bookings`](crate::Bookings) on SQLite, and the insert of a booking that the import shares.

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::booking::MAX_BOOKING_SECONDS;
use hubnet_domain::{Booking, BookingId, PersonId, SiteId, SpaceId, SpaceKind, TimeRange, Verdict};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

use super::{SqliteStore, uuid};
use crate::bookings::group_by_window;
use crate::rows::{BookingRow, convert};
use crate::{Approver, BookingFilter, Bookings, NewBooking, Result, StoreError, map_error, not_pending};

#[async_trait]
impl Bookings for SqliteStore {
    async fn book(&self, booking: NewBooking) -> Result<Booking> {
        self.write(true, move |conn| {
            Box::pin(async move {
                insert_booking(conn, &booking.clone().into_booking(), booking.space_kind).await?;
                Ok(booking.into_booking())
            })
        })
        .await
    }

    async fn get_booking(&self, id: BookingId) -> Result<Booking> {
        let row: BookingRow =
            sqlx::query_as(concat!("SELECT ", booking_columns!(), " FROM bookings b WHERE b.id = $1"))
                .bind(uuid(id))
                .fetch_one(&self.readers)
                .await
                .map_err(map_error)?;
        row.try_into()
    }

    async fn cancel_booking(&self, id: BookingId, at: DateTime<Utc>) -> Result<Booking> {
        self.write(true, move |conn| {
            Box::pin(async move {
                let row: Option<BookingRow> = sqlx::query_as(concat!(
                    "UPDATE bookings AS b SET status = 'cancelled', updated_at = $2 WHERE b.id = $1 AND b.status IN ",
                    active!(),
                    " RETURNING ",
                    booking_returning!()
                ))
                .bind(uuid(id))
                .bind(at.timestamp())
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_error)?;
                match row {
                    Some(row) => row.try_into(),
                    None => sqlx::query_as::<_, BookingRow>(concat!(
                        "SELECT ",
                        booking_columns!(),
                        " FROM bookings b WHERE b.id = $1"
                    ))
                    .bind(uuid(id))
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(map_error)?
                    .try_into(),
                }
            })
        })
        .await
    }

    async fn decide_booking(
        &self,
        id: BookingId,
        verdict: &Verdict,
        approver: Approver,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> Result<Booking> {
        let verdict = verdict.clone();
        self.write(true, move |conn| {
            Box::pin(async move {
                let row: Option<BookingRow> = sqlx::query_as(concat!(
                    "UPDATE bookings AS b SET status = $2, decided_by = $3, decided_at = $4, decline_reason = $5, \
                     awaits_organisation = 0, updated_at = $4 \
                     WHERE b.id = $1 AND b.status = 'pending_approval' AND b.awaits_organisation = $6 RETURNING ",
                    booking_returning!()
                ))
                .bind(uuid(id))
                .bind(crate::decided_status(&verdict, approver).key())
                .bind(uuid(by))
                .bind(at.timestamp())
                .bind(verdict.reason())
                .bind(matches!(approver, Approver::Organisation { .. }))
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_error)?;
                if let Some(row) = row {
                    return row.try_into();
                }
                let status: String = sqlx::query_scalar("SELECT status FROM bookings WHERE id = $1")
                    .bind(uuid(id))
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(map_error)?;
                Err(not_pending(&status))
            })
        })
        .await
    }

    async fn list_bookings(&self, filter: &BookingFilter) -> Result<Vec<Booking>> {
        let mut query = QueryBuilder::<Sqlite>::new(concat!("SELECT ", booking_columns!(), " FROM bookings b"));
        if filter.organisation.is_some() {
            query.push(" JOIN people p ON p.id = b.person_id");
        }
        query.push(" WHERE 1 = 1");
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
            query.push(" AND b.end_at > ").push_bind(from.timestamp());
        }
        if let Some(to) = filter.to {
            query.push(" AND b.start_at < ").push_bind(to.timestamp());
        }
        if filter.active_only {
            query.push(concat!(" AND b.status IN ", active!()));
        }
        if let Some(status) = filter.status {
            // A literal, not a parameter: only then can SQLite use the partial index of pending
            // bookings. The key is one of the domain's fixed words.
            query.push(" AND b.status = '").push(status.key()).push("'");
        }
        query.push(" ORDER BY b.start_at, b.id LIMIT ").push_bind(i64::from(filter.limit));
        let rows: Vec<BookingRow> = query.build_query_as().fetch_all(&self.readers).await.map_err(map_error)?;
        convert(rows)
    }

    async fn taken_spaces(&self, windows: &[(SiteId, TimeRange)]) -> Result<HashSet<SpaceId>> {
        let mut taken = HashSet::new();
        for (range, sites) in group_by_window(windows) {
            // The sites' bookings that overlap the window all start within the longest booking
            // before it: one bounded range of the bookings_by_site index per site. The ids come
            // back as one JSON row rather than a row each.
            let mut query = QueryBuilder::<Sqlite>::new(
                "SELECT json_group_array(hex(b.space_id)) FROM bookings b WHERE b.site_id IN (",
            );
            let mut ids = query.separated(", ");
            for site in sites {
                ids.push_bind(uuid(site));
            }
            query.push(") AND b.start_at >= ").push_bind(range.start.timestamp() - MAX_BOOKING_SECONDS);
            query.push(" AND b.start_at < ").push_bind(range.end.timestamp());
            query.push(" AND b.end_at > ").push_bind(range.start.timestamp());
            query.push(concat!(" AND b.status IN ", active!()));
            let json: String = query.build_query_scalar().fetch_one(&self.readers).await.map_err(map_error)?;
            let hex: Vec<String> = serde_json::from_str(&json).map_err(|e| StoreError::Internal(e.to_string()))?;
            for id in hex {
                taken.insert(Uuid::parse_str(&id).map_err(|e| StoreError::Internal(e.to_string()))?.into());
            }
        }
        Ok(taken)
    }
}

pub(super) async fn space_kind(conn: &mut SqliteConnection, space: SpaceId) -> Result<SpaceKind> {
    let kind: String = sqlx::query_scalar("SELECT kind FROM spaces WHERE id = $1")
        .bind(uuid(space))
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_error)?
        .ok_or(StoreError::MissingReference)?;
    SpaceKind::from_key(&kind).map_err(StoreError::Invalid)
}

pub(super) async fn insert_booking(conn: &mut SqliteConnection, b: &Booking, kind: SpaceKind) -> Result<()> {
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
    .bind(b.start.timestamp())
    .bind(b.end.timestamp())
    .bind(b.status.key())
    .bind(b.created_at.timestamp())
    .bind(b.decision.as_ref().map(|d| uuid(d.decided_by)))
    .bind(b.decision.as_ref().map(|d| d.decided_at.timestamp()))
    .bind(b.decision.as_ref().and_then(|d| d.reason.clone()))
    .bind(b.awaits_organisation)
    .execute(conn)
    .await
    .map(drop)
    .map_err(map_error)
}
