//! [`Sso`](crate::Sso) on PostgreSQL: identity providers and single sign-on.

use async_trait::async_trait;
use hubnet_domain::IdentityProviderId;
use hubnet_domain::sso::IdentityProvider;
use hubnet_domain::{Language, OrganisationId};
use uuid::Uuid;

use super::{PgStore, uuid};
use crate::rows::{IDENTITY_PROVIDER_COLUMNS, IdentityProviderRow, convert};
use crate::{Result, Sso, SsoOutcome, SsoSignIn, StoreError, map_error};

#[async_trait]
impl Sso for PgStore {
    async fn list_identity_providers(&self, organisation: Option<OrganisationId>) -> Result<Vec<IdentityProvider>> {
        let rows: Vec<IdentityProviderRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {IDENTITY_PROVIDER_COLUMNS} FROM identity_providers \
             WHERE $1 IS NULL OR organisation_id = $1 ORDER BY name, id"
        )))
        .bind(organisation.map(uuid))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn get_identity_provider(&self, id: IdentityProviderId) -> Result<IdentityProvider> {
        let row: IdentityProviderRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {IDENTITY_PROVIDER_COLUMNS} FROM identity_providers WHERE id = $1"
        )))
        .bind(uuid(id))
        .fetch_one(&self.pool)
        .await
        .map_err(map_error)?;
        row.try_into()
    }

    async fn save_identity_provider(&self, provider: &IdentityProvider) -> Result<()> {
        let p = provider;
        sqlx::query(
            "INSERT INTO identity_providers (id, organisation_id, name, issuer, client_id, client_secret, \
             email_domains, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now()) \
             ON CONFLICT (id) DO UPDATE SET organisation_id = excluded.organisation_id, name = excluded.name, \
             issuer = excluded.issuer, client_id = excluded.client_id, client_secret = excluded.client_secret, \
             email_domains = excluded.email_domains, updated_at = excluded.updated_at",
        )
        .bind(uuid(p.id))
        .bind(uuid(p.organisation_id))
        .bind(&p.name)
        .bind(&p.issuer)
        .bind(&p.client_id)
        .bind(&p.client_secret)
        .bind(p.email_domains.join(" "))
        .execute(&self.pool)
        .await
        .map(drop)
        .map_err(map_error)
    }

    async fn delete_identity_provider(&self, id: IdentityProviderId) -> Result<()> {
        let done = sqlx::query("DELETE FROM identity_providers WHERE id = $1")
            .bind(uuid(id))
            .execute(&self.pool)
            .await
            .map_err(map_error)?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    async fn sso_person(&self, sign_in: &SsoSignIn) -> Result<SsoOutcome> {
        let s = sign_in;
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        let conn = &mut *tx;
        let outcome = {
            let a = &s.assertion;
            let at = s.at;
            let linked: Option<Uuid> =
                sqlx::query_scalar("SELECT person_id FROM person_identities WHERE issuer = $1 AND subject = $2")
                    .bind(&s.issuer)
                    .bind(&a.subject)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_error)?;
            let (person, created) = if let Some(person) = linked {
                (person, false)
            } else {
                let holder: Option<(Uuid, Uuid, bool)> = sqlx::query_as(
                    "SELECT p.id, p.organisation_id, EXISTS (SELECT 1 FROM person_identities i \
                 WHERE i.person_id = p.id AND i.issuer = $2) FROM people p \
                 WHERE (p.organisation_id = $3 AND p.external_id = $4) OR p.email = $1 \
                 ORDER BY (p.organisation_id = $3 AND p.external_id = $4) DESC LIMIT 1",
                )
                .bind(a.email.as_str())
                .bind(&s.issuer)
                .bind(uuid(s.organisation_id))
                .bind(&a.subject)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_error)?;
                let found = match holder {
                    Some((id, organisation, false)) if organisation == uuid(s.organisation_id) => Some(id),
                    Some(_) => return Err(StoreError::Duplicate("email")),
                    None => None,
                };
                if found.is_none() {
                    sqlx::query(
                        "INSERT INTO people (id, organisation_id, name, email, language, active, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, true, $6)",
                    )
                    .bind(uuid(s.new_person))
                    .bind(uuid(s.organisation_id))
                    .bind(&a.name)
                    .bind(a.email.as_str())
                    .bind(a.language.unwrap_or(s.fallback_language).code())
                    .bind(at)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
                }
                let person = found.unwrap_or_else(|| uuid(s.new_person));
                sqlx::query(
                    "INSERT INTO person_identities (issuer, subject, person_id, tenant_id, created_at, \
                 last_sign_in_at) VALUES ($1, $2, $3, $4, $5, $5)",
                )
                .bind(&s.issuer)
                .bind(&a.subject)
                .bind(person)
                .bind(&a.tenant_id)
                .bind(at)
                .execute(&mut *conn)
                .await
                .map_err(map_error)?;
                (person, found.is_none())
            };
            if !created {
                sqlx::query(
                    "UPDATE people SET name = $2, language = coalesce($3, language), updated_at = $4 \
                 WHERE id = $1 AND (name <> $2 OR language <> coalesce($3, language))",
                )
                .bind(person)
                .bind(&a.name)
                .bind(a.language.map(Language::code))
                .bind(at)
                .execute(&mut *conn)
                .await
                .map_err(map_error)?;
                sqlx::query(
                    "UPDATE person_identities SET last_sign_in_at = $3, tenant_id = $4 \
                 WHERE issuer = $1 AND subject = $2",
                )
                .bind(&s.issuer)
                .bind(&a.subject)
                .bind(at)
                .bind(&a.tenant_id)
                .execute(&mut *conn)
                .await
                .map_err(map_error)?;
            }
            SsoOutcome { person_id: person.into(), created }
        };
        tx.commit().await.map_err(map_error)?;
        Ok(outcome)
    }
}
