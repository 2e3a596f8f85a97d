//! [`Audit`](crate::Audit) on PostgreSQL: the audit log and the erasure of a person.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::PersonId;
use hubnet_domain::audit::AuditAction;
use hubnet_domain::person::{ERASED_NAME, erased_email};
use sqlx::PgConnection;

use super::{PgStore, uuid};
use crate::audit::{AuditEntry, AuditQuery, AuditRow, Erasure, ErasureReport};
use crate::rows::convert;
use crate::{Audit, Result, map_error};

#[async_trait]
impl Audit for PgStore {
    async fn append_audit(&self, entry: &AuditEntry) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(map_error)?;
        insert_audit(&mut conn, entry).await
    }

    async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT id, organisation_id, extract(epoch FROM at)::bigint AS at, actor_id, actor_label, action, \
             subject_kind, subject_id, detail::text AS detail FROM audit_log \
             WHERE organisation_id = $1 AND ($2::text IS NULL OR action = $2) AND ($3::uuid IS NULL OR id < $3) \
             ORDER BY id DESC LIMIT $4",
        )
        .bind(uuid(query.organisation))
        .bind(query.action.map(AuditAction::key))
        .bind(query.after.map(uuid))
        .bind(i64::from(query.limit))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn erased_at(&self, person: PersonId) -> Result<Option<DateTime<Utc>>> {
        sqlx::query_scalar("SELECT erased_at FROM people WHERE id = $1")
            .bind(uuid(person))
            .fetch_one(&self.pool)
            .await
            .map_err(map_error)
    }

    async fn erase_person(&self, person: PersonId, at: DateTime<Utc>, audit: &AuditEntry) -> Result<Erasure> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        // FOR UPDATE: two admins erasing one person at once take turns, and the second finds it done.
        let (email, erased): (String, Option<DateTime<Utc>>) =
            sqlx::query_as("SELECT email, erased_at FROM people WHERE id = $1 FOR UPDATE")
                .bind(uuid(person))
                .fetch_one(&mut *tx)
                .await
                .map_err(map_error)?;
        if erased.is_some() {
            return Ok(Erasure::AlreadyErased);
        }
        sqlx::query(
            "UPDATE people SET name = $2, email = $3, home_municipality = NULL, home_lat = NULL, home_lon = NULL, \
             external_id = NULL, given_name = NULL, family_name = NULL, active = false, erased_at = $4, \
             updated_at = $4 WHERE id = $1",
        )
        .bind(uuid(person))
        .bind(ERASED_NAME)
        .bind(erased_email(person).as_str())
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
        let key = uuid(person);
        let mut run = async |sql: &'static str| {
            sqlx::query(sql).bind(key).execute(&mut *tx).await.map(|r| r.rows_affected()).map_err(map_error)
        };
        run("DELETE FROM role_grants WHERE person_id = $1").await?;
        let sessions_ended = run("DELETE FROM sessions WHERE person_id = $1").await?;
        let tokens_deleted = run("DELETE FROM api_tokens WHERE person_id = $1").await?;
        run("DELETE FROM local_accounts WHERE person_id = $1").await?;
        run("DELETE FROM site_registrations WHERE person_id = $1").await?;
        run("UPDATE spaces SET assigned_to = NULL WHERE assigned_to = $1").await?;
        // Their identities at providers: signing in through one later is a new person.
        run("DELETE FROM person_identities WHERE person_id = $1").await?;
        run("DELETE FROM person_role_tags WHERE person_id = $1").await?;
        // A host's reason for declining may name them.
        run("UPDATE bookings SET decline_reason = '–' WHERE person_id = $1 AND decline_reason IS NOT NULL").await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
            .bind(email)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        let cancelled_bookings = sqlx::query(concat!(
            "UPDATE bookings SET status = 'cancelled', updated_at = $2 WHERE person_id = $1 AND start_at >= $2 \
             AND status IN ",
            active!()
        ))
        .bind(key)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(map_error)?
        .rows_affected();
        let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM bookings WHERE person_id = $1")
            .bind(key)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_error)?;
        let report = ErasureReport {
            cancelled_bookings,
            kept_bookings: u64::try_from(kept).unwrap_or(0),
            tokens_deleted,
            sessions_ended,
        };
        insert_audit(&mut tx, &report.into_detail(audit)).await?;
        tx.commit().await.map_err(map_error)?;
        Ok(Erasure::Erased(report))
    }
}

async fn insert_audit(conn: &mut PgConnection, entry: &AuditEntry) -> Result<()> {
    let (actor_id, actor_label) = entry.actor_columns();
    sqlx::query(
        "INSERT INTO audit_log (id, organisation_id, at, actor_id, actor_label, action, subject_kind, subject_id, \
         detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)",
    )
    .bind(uuid(entry.id))
    .bind(uuid(entry.organisation_id))
    .bind(entry.at)
    .bind(actor_id)
    .bind(actor_label)
    .bind(entry.action.key())
    .bind(entry.subject_kind.key())
    .bind(entry.subject_id)
    .bind(entry.detail_text()?)
    .execute(conn)
    .await
    .map(drop)
    .map_err(map_error)
}
