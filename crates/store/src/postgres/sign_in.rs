//! [`SignIn`](crate::SignIn) on PostgreSQL: sessions, local accounts and failed sign-ins.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::PersonId;
use uuid::Uuid;

use super::{PgStore, uuid};
use crate::{NewSession, Result, SessionInfo, SignIn, map_error};

#[async_trait]
impl SignIn for PgStore {
    async fn create_session(&self, session: &NewSession) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(session.created_at)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session.token_hash.as_slice())
        .bind(uuid(session.person_id))
        .bind(&session.csrf_token)
        .bind(session.created_at)
        .bind(session.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
        tx.commit().await.map_err(map_error)
    }

    async fn session(&self, hash: &[u8; 32], now: DateTime<Utc>) -> Result<SessionInfo> {
        let row: (Uuid, String, DateTime<Utc>) = sqlx::query_as(
            "SELECT s.person_id, s.csrf_token, s.expires_at FROM sessions s JOIN people p ON p.id = s.person_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND p.active",
        )
        .bind(hash.as_slice())
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(map_error)?;
        Ok(SessionInfo { person_id: row.0.into(), csrf_token: row.1, expires_at: row.2 })
    }

    async fn end_session(&self, hash: &[u8; 32]) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash.as_slice())
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(map_error)
    }

    async fn set_password(&self, person: PersonId, password_hash: &str, at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        // A new password ends every session begun with the old one.
        sqlx::query("DELETE FROM sessions WHERE person_id = $1")
            .bind(uuid(person))
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        sqlx::query(
            "INSERT INTO local_accounts (person_id, password_hash, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at",
        )
        .bind(uuid(person))
        .bind(password_hash)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
        tx.commit().await.map_err(map_error)
    }

    async fn local_account(&self, email: &str) -> Result<(PersonId, String)> {
        let (id, hash): (Uuid, String) = sqlx::query_as(
            "SELECT p.id, a.password_hash FROM people p JOIN local_accounts a ON a.person_id = p.id \
             WHERE p.email = $1 AND p.active",
        )
        .bind(email.trim().to_lowercase())
        .fetch_one(&self.pool)
        .await
        .map_err(map_error)?;
        Ok((id.into(), hash))
    }

    async fn record_sign_in_failure(
        &self,
        email: &str,
        address: Option<&str>,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(forget_before)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        sqlx::query("INSERT INTO sign_in_failures (email, at, address) VALUES ($1, $2, $3)")
            .bind(email.trim().to_lowercase())
            .bind(at)
            .bind(address)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        tx.commit().await.map_err(map_error)
    }

    async fn sign_in_failures(&self, email: &str, since: DateTime<Utc>) -> Result<u32> {
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM sign_in_failures WHERE email = $1 AND at >= $2")
            .bind(email.trim().to_lowercase())
            .bind(since)
            .fetch_one(&self.pool)
            .await
            .map_err(map_error)?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    async fn sign_in_failures_from(&self, address: &str, since: DateTime<Utc>) -> Result<u32> {
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM sign_in_failures WHERE address = $1 AND at >= $2")
            .bind(address)
            .bind(since)
            .fetch_one(&self.pool)
            .await
            .map_err(map_error)?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }
}
