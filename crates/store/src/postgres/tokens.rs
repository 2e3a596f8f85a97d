//! [`Tokens`](crate::Tokens) on PostgreSQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::access::Principal;
use hubnet_domain::{PersonId, TokenId};
use uuid::Uuid;

use super::{PgStore, uuid};
use crate::rows::{PrincipalRow, TokenRow, convert};
use crate::{Result, StoreError, TokenInfo, Tokens, map_error};

#[async_trait]
impl Tokens for PgStore {
    async fn create_token(
        &self,
        id: TokenId,
        person: PersonId,
        hash: &[u8; 32],
        label: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query("INSERT INTO api_tokens (id, person_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(uuid(id))
            .bind(uuid(person))
            .bind(hash.as_slice())
            .bind(label)
            .bind(at)
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(map_error)
    }

    async fn principal_by_token(&self, hash: &[u8; 32]) -> Result<Principal> {
        // One query for the person and their roles: this runs on every request.
        let rows: Vec<PrincipalRow> = sqlx::query_as(concat!(
            "SELECT ",
            person_columns!(),
            ", r.role, r.site_id AS role_site_id, r.organisation_id AS role_organisation_id \
             FROM api_tokens t JOIN people p ON p.id = t.person_id \
             LEFT JOIN role_grants r ON r.person_id = p.id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND p.active"
        ))
        .bind(hash.as_slice())
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        crate::rows::principal(rows)
    }

    async fn list_tokens(&self, person: PersonId) -> Result<Vec<TokenInfo>> {
        let rows: Vec<TokenRow> = sqlx::query_as(
            "SELECT id, person_id, label, extract(epoch FROM created_at)::bigint AS created_at, \
             extract(epoch FROM revoked_at)::bigint AS revoked_at FROM api_tokens WHERE person_id = $1 ORDER BY created_at",
        )
        .bind(uuid(person))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> Result<()> {
        let found: Option<Uuid> = sqlx::query_scalar(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING id",
        )
        .bind(uuid(id))
        .bind(at)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_error)?;
        found.map(drop).ok_or(StoreError::NotFound)
    }
}
