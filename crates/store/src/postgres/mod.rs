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
use hubnet_domain::InvalidValue;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

use crate::{
    Audit, Backend, Bookings, FollowUp, Import, Organisations, People, Policies, Result, Scim, SignIn, Sites, Sso,
    Store, StoreError, StoreOptions, Tokens, map_error,
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

mod audit;
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

    fn audit(&self) -> &dyn Audit {
        self
    }
}
