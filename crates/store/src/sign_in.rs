//! Signing in to the pages: web sessions, local accounts' passwords, and the failed sign-ins
//! counted to limit password guessing.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::PersonId;

use crate::Result;

/// A web session to start: the SHA-256 of the cookie's secret, whose it is, the secret its
/// forms must send back, and when it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub token_hash: [u8; 32],
    pub person_id: PersonId,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// An unexpired session of an active person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub person_id: PersonId,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Web sessions, local accounts and failed sign-ins.
#[async_trait]
pub trait SignIn: Send + Sync {
    /// Starts a web session, and forgets the sessions that have expired by then.
    async fn create_session(&self, session: &NewSession) -> Result<()>;
    /// The session with this hash, unless it has expired at `now` or its person is inactive.
    async fn session(&self, hash: &[u8; 32], now: DateTime<Utc>) -> Result<SessionInfo>;
    /// Ends a session; ending one that does not exist is not an error.
    async fn end_session(&self, hash: &[u8; 32]) -> Result<()>;
    /// Sets (or replaces) the password hash of a person's local account, and ends their sessions.
    async fn set_password(&self, person: PersonId, password_hash: &str, at: DateTime<Utc>) -> Result<()>;
    /// The active person with this email and their local account's password hash.
    async fn local_account(&self, email: &str) -> Result<(PersonId, String)>;
    /// Counts a failed sign-in for this email (known or not), and forgets failures older than
    /// `forget_before`.
    async fn record_sign_in_failure(
        &self,
        email: &str,
        address: Option<&str>,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<()>;
    /// Failed sign-ins from the client address `address` (any email) since `since`.
    async fn sign_in_failures_from(&self, address: &str, since: DateTime<Utc>) -> Result<u32>;
    /// How many sign-ins for this email failed since `since`.
    async fn sign_in_failures(&self, email: &str, since: DateTime<Utc>) -> Result<u32>;
}
