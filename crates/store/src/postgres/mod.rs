//! The PostgreSQL store: the single source of truth when several hubnet servers run behind a
//! load balancer.
//!
//! Bookings are single INSERTs guarded by exclusion constraints, so PostgreSQL itself refuses
//! overlaps whichever server sends them. SELECT lists turn `timestamptz` into epoch seconds and
//! arrays into text so that both backends share their row types (`rows.rs`).
//!
//! Each capability is implemented in a file of its own (`policies.rs`, ...), method for method in
//! the order of `sqlite/`, so that a diff of the two shows only the dialect. This file holds the
//! store, its pool, the column lists the capabilities share and `impl Store`.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::audit::AuditAction;
use hubnet_domain::person::{ERASED_NAME, erased_email};
use hubnet_domain::{InvalidValue, PersonId};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{AuditEntry, AuditQuery, AuditRow, Erasure, ErasureReport};
use crate::rows::convert;
use crate::{
    Backend, Bookings, FollowUp, Import, Organisations, People, Policies, Result, Scim, SignIn, Sites, Sso, Store,
    StoreError, StoreOptions, Tokens, map_error,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

macro_rules! organisation_columns {
    () => {
        "o.id, o.code, o.name_fi, o.name_sv, o.name_en, o.kind, o.country"
    };
}
macro_rules! unit_columns {
    () => {
        "u.id, u.organisation_id, u.parent_id, u.name_fi, u.name_sv, u.name_en"
    };
}
macro_rules! person_columns {
    () => {
        "p.id, p.organisation_id, p.unit_id, p.name, p.email, p.language, p.home_municipality, p.home_lat, \
         p.home_lon, p.active"
    };
}
/// A person with what SCIM provisioning keeps about them (`scim::ProvisionedPersonRow`).
macro_rules! provisioned_person_columns {
    () => {
        concat!(
            person_columns!(),
            ", p.external_id, p.given_name, p.family_name, extract(epoch FROM p.updated_at)::bigint AS updated_at"
        )
    };
}
macro_rules! site_columns {
    () => {
        "s.id, s.code, s.kind, s.organisation_id, s.name_fi, s.name_sv, s.name_en, s.address, s.municipality, \
         s.lat, s.lon, s.time_zone, s.opening_hours::text AS opening_hours, s.closed_on_holidays, s.access_who, \
         (SELECT string_agg(a.organisation_id::text, ',') FROM site_access a WHERE a.site_id = s.id) \
         AS access_organisations, s.registration_required, s.approval_required, s.price_minor, \
         s.price_currency, s.booking_horizon_days, s.terms_fi, s.terms_sv, s.terms_en"
    };
}
macro_rules! floor_columns {
    () => {
        "f.id, f.site_id, f.name_fi, f.name_sv, f.name_en, f.level"
    };
}
macro_rules! space_columns {
    () => {
        "sp.id, sp.site_id, sp.floor_id, sp.kind, sp.name, sp.capacity, \
         array_to_string(sp.amenities, ',') AS amenities, array_to_string(sp.accessibility, ',') AS accessibility, \
         sp.bookable, sp.assigned_to, sp.approval_required"
    };
}
macro_rules! booking_columns {
    () => {
        "b.id, b.space_id, b.site_id, b.person_id, b.created_by, extract(epoch FROM b.start_at)::bigint AS start_at, \
         extract(epoch FROM b.end_at)::bigint AS end_at, b.status, extract(epoch FROM b.created_at)::bigint AS created_at, \
         b.decided_by, extract(epoch FROM b.decided_at)::bigint AS decided_at, b.decline_reason, b.awaits_organisation"
    };
}
macro_rules! active {
    () => {
        "('confirmed', 'pending_approval', 'checked_in')"
    };
}

mod bookings;
mod follow_up;
mod import;
mod organisations;
mod people;
mod policies;
mod scim;
mod sign_in;
mod sites;
mod sso;
mod tokens;

pub use bookings::lock_key;

/// The PostgreSQL store.
pub struct PgStore {
    pool: PgPool,
    /// Bookings retried after a deadlock or serialisation failure, since start.
    retries: std::sync::atomic::AtomicU64,
}

impl PgStore {
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self> {
        let connect = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Invalid(InvalidValue::new("database_url", e.to_string())))?
            .application_name("hubnet");
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(connect)
            .await
            .map_err(map_error)?;
        // sqlx takes an advisory lock while migrating, so servers starting together take turns.
        MIGRATOR.run(&pool).await.map_err(|e| StoreError::Internal(format!("migrating PostgreSQL: {e}")))?;
        Ok(Self { pool, retries: std::sync::atomic::AtomicU64::new(0) })
    }

    /// How many bookings had to be retried after a transient failure (a deadlock, say). Racing
    /// requests for one space are serialised, so this stays at zero unless something else
    /// writes bookings concurrently.
    pub fn transient_retries(&self) -> u64 {
        self.retries.load(std::sync::atomic::Ordering::Relaxed)
    }
}

fn uuid<T: Into<Uuid>>(id: T) -> Uuid {
    id.into()
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(drop).map_err(map_error)
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn is_empty(&self) -> Result<bool> {
        let any: Option<Uuid> = sqlx::query_scalar("SELECT id FROM organisations LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(map_error)?;
        Ok(any.is_none())
    }

    fn organisations(&self) -> &dyn Organisations {
        self
    }

    fn people(&self) -> &dyn People {
        self
    }

    fn tokens(&self) -> &dyn Tokens {
        self
    }

    fn sign_in(&self) -> &dyn SignIn {
        self
    }

    fn sso(&self) -> &dyn Sso {
        self
    }

    fn scim(&self) -> &dyn Scim {
        self
    }

    fn policies(&self) -> &dyn Policies {
        self
    }

    fn sites(&self) -> &dyn Sites {
        self
    }

    fn bookings(&self) -> &dyn Bookings {
        self
    }

    fn follow_up(&self) -> &dyn FollowUp {
        self
    }

    fn import(&self) -> &dyn Import {
        self
    }

    // --- Audit and erasure ---

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
