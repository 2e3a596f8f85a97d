//! The SQLite store: the embedded database for one machine.
//!
//! Writes are serialised through one writer connection owned by a task, which commits whatever
//! write jobs are waiting in one transaction ([`writer`], the group commit). Reads go to a pool
//! of read-only connections; WAL lets them run beside the writer.
//!
//! Each capability is implemented in a file of its own (`policies.rs`, ...), method for method in
//! the order of `postgres/`, so that a diff of the two shows only the dialect. This file holds the
//! store, its connections, the column lists the capabilities share and `impl Store`.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use hubnet_domain::InvalidValue;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use uuid::Uuid;

use crate::{
    Audit, Backend, Bookings, FollowUp, Import, Organisations, People, Policies, Result, Scim, SignIn, Sites, Sso,
    Store, StoreError, StoreOptions, Tokens, map_error,
};

mod writer;

pub use writer::MAX_BATCH;
use writer::Writer;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

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
        concat!(person_columns!(), ", p.external_id, p.given_name, p.family_name, p.updated_at")
    };
}
macro_rules! site_columns {
    () => {
        "s.id, s.code, s.kind, s.organisation_id, s.name_fi, s.name_sv, s.name_en, s.address, s.municipality, \
         s.lat, s.lon, s.time_zone, s.opening_hours, s.closed_on_holidays, s.access_who, \
         (SELECT group_concat(hex(a.organisation_id)) FROM site_access a WHERE a.site_id = s.id) \
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
        "sp.id, sp.site_id, sp.floor_id, sp.kind, sp.name, sp.capacity, sp.amenities, sp.accessibility, \
         sp.bookable, sp.assigned_to, sp.approval_required"
    };
}
macro_rules! booking_columns {
    () => {
        "b.id, b.space_id, b.site_id, b.person_id, b.created_by, b.start_at, b.end_at, b.status, b.created_at, \
         b.decided_by, b.decided_at, b.decline_reason, b.awaits_organisation"
    };
}
/// The booking columns unqualified: SQLite's RETURNING clause does not accept a table alias.
macro_rules! booking_returning {
    () => {
        "id, space_id, site_id, person_id, created_by, start_at, end_at, status, created_at, decided_by, decided_at, \
         decline_reason, awaits_organisation"
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

/// The SQLite store.
pub struct SqliteStore {
    readers: SqlitePool,
    writer: Writer,
}

impl SqliteStore {
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self> {
        let base = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Invalid(InvalidValue::new("database_url", e.to_string())))?
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("temp_store", "memory")
            // Each connection has its own page cache: 8 MiB for each reader (up to 8 of them),
            // 32 MiB for the writer. The operating system caches the file for all of them, and
            // the server stays well under 200 MB resident on the national data set.
            .pragma("cache_size", "-8192");
        let synchronous = if options.sqlite_durable { SqliteSynchronous::Full } else { SqliteSynchronous::Normal };
        let writer_options =
            base.clone().create_if_missing(true).synchronous(synchronous).pragma("cache_size", "-32768");
        let mut writer = SqliteConnection::connect_with(&writer_options).await.map_err(map_error)?;
        MIGRATOR.run(&mut writer).await.map_err(|e| StoreError::Internal(format!("migrating SQLite: {e}")))?;
        let readers = SqlitePoolOptions::new()
            .max_connections(options.max_connections.clamp(1, 8))
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(base.read_only(true))
            .await
            .map_err(map_error)?;
        Ok(Self { readers, writer: Writer::start(writer) })
    }
}

fn uuid<T: Into<Uuid>>(id: T) -> Uuid {
    id.into()
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.readers).await.map(drop).map_err(map_error)
    }

    async fn close(&self) {
        self.writer.stop().await;
        self.readers.close().await;
    }

    async fn is_empty(&self) -> Result<bool> {
        let any: Option<Uuid> = sqlx::query_scalar("SELECT id FROM organisations LIMIT 1")
            .fetch_optional(&self.readers)
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

// Keep the status list in one place with the schema's: the tests check it against the domain.
#[cfg(test)]
mod status_tests {
    use hubnet_domain::BookingStatus;

    #[test]
    fn the_active_statuses_in_sql_are_the_domains() {
        let active: Vec<&str> = BookingStatus::ALL.iter().filter(|s| s.is_active()).map(|s| s.key()).collect();
        let sql = active!();
        for key in &active {
            assert!(sql.contains(&format!("'{key}'")), "{key} missing from {sql}");
        }
        assert_eq!(sql.matches('\'').count(), active.len() * 2);
    }
}
