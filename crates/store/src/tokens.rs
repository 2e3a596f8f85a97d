//! API tokens: made for a person, found by the SHA-256 of their secret, listed, revoked.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::access::Principal;
use hubnet_domain::{PersonId, TokenId};

use crate::Result;

/// An API token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: TokenId,
    pub person_id: PersonId,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// API tokens, kept by the SHA-256 of their secret.
#[async_trait]
pub trait Tokens: Send + Sync {
    async fn create_token(
        &self,
        id: TokenId,
        person: PersonId,
        hash: &[u8; 32],
        label: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
    /// The active person holding the unrevoked token with this hash, with their roles.
    async fn principal_by_token(&self, hash: &[u8; 32]) -> Result<Principal>;
    async fn list_tokens(&self, person: PersonId) -> Result<Vec<TokenInfo>>;
    async fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> Result<()>;
}
