//! hubnet's persistence: one [`Store`] trait in domain types, implemented for SQLite
//! ([`sqlite`]) and PostgreSQL ([`postgres`]), chosen by [`connect`] from the URL scheme.
//!
//! `Store` is the sum of capability traits, each in a file of its own with the types its methods
//! take and return ([`sites`], [`bookings`], [`policies`], ...), and hands each one out through an
//! accessor: `store.policies().policy_in_force(organisation, date)`. `Store` itself keeps only the
//! accessors and the plumbing (`backend`, `ping`, `close`, `is_empty`); an answer that needs two
//! capabilities is a method of `dyn Store` (`occupancy`). Each backend is a folder with a file per
//! capability (`sqlite/policies.rs` beside `postgres/policies.rs`, method for method in the same
//! order); [`cached::CachedStore`] wraps either with an in-memory copy of the network.
//!
//! Methods are use-case sized and atomic: a transaction never crosses the trait. Both schemas
//! enforce the invariants themselves (no double booking, one booking per kind per person,
//! references inside one organisation or site), so a bug above this layer cannot break them.

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use hubnet_domain::{InvalidValue, SiteId, Space, SpaceKind, TimeRange};

pub mod audit;
pub mod baseline;
pub mod bookings;
pub mod bulk;
pub mod cached;
mod error;
pub mod follow_up;
pub mod import;
pub mod organisations;
pub mod people;
pub mod policies;
pub mod postgres;
mod rows;
pub mod scim;
pub mod sign_in;
pub mod sites;
pub mod sqlite;
pub mod sso;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod tokens;

pub use audit::Audit;
pub use bookings::{Approver, BookingFilter, Bookings, NewBooking, decided_status};
pub use error::StoreError;
pub(crate) use error::{map_error, not_pending};
pub use follow_up::{FollowUp, HourSpan};
pub use import::{Import, ImportBatch};
pub use organisations::Organisations;
pub use people::People;
pub use policies::{NewPolicyVersion, Policies, PolicyVersion};
pub use scim::Scim;
pub use sign_in::{NewSession, SessionInfo, SignIn};
pub use sites::Sites;
pub use sso::{Sso, SsoOutcome, SsoSignIn};
pub use tokens::{TokenInfo, Tokens};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A space and whether it is taken during the asked window.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceOccupancy {
    pub space: Space,
    pub taken: bool,
}

/// A page of a long list, in id order, after the given id.
#[derive(Debug, Clone, Copy)]
pub struct Page<K> {
    pub after: Option<K>,
    pub limit: u32,
}

/// hubnet's persistence, in domain types: the sum of its capabilities, each handed out by an
/// accessor (`store.policies().policy_versions(organisation)`). Every capability method is one
/// atomic use case.
///
/// Accessors rather than supertraits: a wrapper (the cache, [`cached::CachedStore`]) hands out the
/// inner store's capability in one line instead of one line per method, and a capability's methods
/// stay together under its name. A new capability is new files plus one accessor here and one in
/// each `impl Store`.
#[async_trait]
pub trait Store: Send + Sync {
    fn backend(&self) -> Backend;
    /// Checks that the database answers.
    async fn ping(&self) -> Result<()>;
    /// Finishes pending writes and closes connections.
    async fn close(&self);
    /// Whether the network is empty (no organisations): the demo seeds only an empty database.
    async fn is_empty(&self) -> Result<bool>;

    /// Organisations and their units ([`Organisations`]).
    fn organisations(&self) -> &dyn Organisations;
    /// People and their roles ([`People`]).
    fn people(&self) -> &dyn People;
    /// API tokens ([`Tokens`]).
    fn tokens(&self) -> &dyn Tokens;
    /// Web sessions, local accounts and failed sign-ins ([`SignIn`]).
    fn sign_in(&self) -> &dyn SignIn;
    /// Identity providers and single sign-on ([`Sso`]).
    fn sso(&self) -> &dyn Sso;
    /// SCIM provisioning of people and units, and each organisation's SCIM token ([`Scim`]).
    fn scim(&self) -> &dyn Scim;
    /// Policy versions and role tags ([`Policies`]).
    fn policies(&self) -> &dyn Policies;
    /// Sites, floors, spaces and registrations, and the network's version ([`Sites`]).
    fn sites(&self) -> &dyn Sites;
    /// Bookings: making, listing, cancelling and deciding them, and which spaces they hold
    /// ([`Bookings`]).
    fn bookings(&self) -> &dyn Bookings;
    /// What follow-up reports read ([`FollowUp`]).
    fn follow_up(&self) -> &dyn FollowUp;
    /// Bulk import of a network in one transaction ([`Import`]).
    fn import(&self) -> &dyn Import;
    /// The audit log and the erasure of a person ([`Audit`]).
    fn audit(&self) -> &dyn Audit;
}

/// Answers drawn from more than one capability. Through a [`cached::CachedStore`], what it copies
/// (a site's spaces) comes from the copy.
impl dyn Store + '_ {
    /// For each (site, window): the site's bookable spaces (of `kind`, if given), by floor and
    /// name, and whether an active booking overlaps the window.
    pub async fn occupancy(
        &self,
        windows: &[(SiteId, TimeRange)],
        kind: Option<SpaceKind>,
    ) -> Result<Vec<SpaceOccupancy>> {
        let taken = self.bookings().taken_spaces(windows).await?;
        let mut result = Vec::new();
        let mut seen = HashSet::new();
        for (site, _) in windows {
            if !seen.insert(*site) {
                continue;
            }
            for space in self.sites().list_spaces(*site).await? {
                if space.bookable && kind.is_none_or(|k| space.kind == k) {
                    result.push(SpaceOccupancy { taken: taken.contains(&space.id), space });
                }
            }
        }
        Ok(result)
    }
}

/// Connection settings beyond the URL.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// SQLite: `synchronous=FULL` when true (every commit reaches the disk), `NORMAL` otherwise
    /// (in WAL mode safe against a crash of hubnet, not against losing power).
    pub sqlite_durable: bool,
    /// Most connections in the pool.
    pub max_connections: u32,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { sqlite_durable: true, max_connections: 16 }
    }
}

/// Opens the store the URL names (`sqlite:` or `postgres:`/`postgresql:`) and brings its schema
/// up to date.
pub async fn connect(url: &str, options: &StoreOptions) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url, options).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgStore::connect(url, options).await?))
    } else {
        Err(StoreError::Invalid(InvalidValue::new(
            "database_url",
            "the database URL must start with sqlite: or postgres:",
        )))
    }
}
