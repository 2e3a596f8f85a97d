//! [`Tokens`](crate::Tokens) on SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::access::Principal;
use hubnet_domain::{PersonId, TokenId};
use uuid::Uuid;

use super::{SqliteStore, uuid};
use crate::rows::{PrincipalRow, TokenRow, convert};
use crate::{Result, StoreError, TokenInfo, Tokens, map_error};

#[async_trait]
impl Tokens for SqliteStore {
    async fn create_token(
        &self,
        id: TokenId,
        person: PersonId,
        hash: &[u8; 32],
        label: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let (hash, label) = (hash.to_vec(), label.to_owned());
        self.write(true, move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO api_tokens (id, person_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(uuid(id))
                .bind(uuid(person))
                .bind(hash)
                .bind(label)
                .bind(at.timestamp())
                .execute(&mut *conn)
                .await
                .map(drop)
                .map_err(map_error)
            })
        })
        .await
    }

    async fn principal_by_token(&self, hash: &[u8; 32]) -> Result<Principal> {
        // One query for the person and their roles: this runs on every request.
        let rows: Vec<PrincipalRow> = sqlx::query_as(concat!(
            "SELECT ",
            person_columns!(),
            ", r.role, r.site_id AS role_site_id, r.organisation_id AS role_organisation_id \
             FROM api_tokens t JOIN people p ON p.id = t.person_id \
             LEFT JOIN role_grants r ON r.person_id = p.id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND p.active = 1"
        ))
        .bind(hash.as_slice())
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        crate::rows::principal(rows)
    }

    async fn list_tokens(&self, person: PersonId) -> Result<Vec<TokenInfo>> {
        let rows: Vec<TokenRow> = sqlx::query_as(
            "SELECT id, person_id, label, created_at, revoked_at FROM api_tokens WHERE person_id = $1 ORDER BY created_at",
        )
        .bind(uuid(person))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> Result<()> {
        self.write(true, move |conn| {
            Box::pin(async move {
                let found: Option<Uuid> = sqlx::query_scalar(
                    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING id",
                )
                .bind(uuid(id))
                .bind(at.timestamp())
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_error)?;
                found.map(drop).ok_or(StoreError::NotFound)
            })
        })
        .await
    }
}
