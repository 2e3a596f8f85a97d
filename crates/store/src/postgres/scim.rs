//! [`Scim`](crate::Scim) on PostgreSQL: SCIM provisioning.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::{OrganisationId, PersonId, Unit, UnitId};
use uuid::Uuid;

use super::organisations::upsert_unit;
use super::people::{sign_out_everywhere, upsert_person};
use super::{PgStore, uuid};
use crate::rows::convert;
use crate::scim::{
    Members, PeoplePage, PersonMatch, ProvisionOutcome, ProvisionedPerson, ProvisionedPersonRow, ProvisionedUnit,
    ProvisionedUnitRow, joining, units_with_members,
};
use crate::{Result, Scim, StoreError, map_error};

#[async_trait]
impl Scim for PgStore {
    async fn set_scim_token(&self, organisation: OrganisationId, hash: &[u8; 32], at: DateTime<Utc>) -> Result<()> {
        sqlx::query(
            "INSERT INTO scim_tokens (organisation_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (organisation_id) DO UPDATE SET token_hash = excluded.token_hash, \
             created_at = excluded.created_at",
        )
        .bind(uuid(organisation))
        .bind(hash.as_slice())
        .bind(at)
        .execute(&self.pool)
        .await
        .map(drop)
        .map_err(map_error)
    }

    async fn delete_scim_token(&self, organisation: OrganisationId) -> Result<()> {
        let found: Option<Uuid> =
            sqlx::query_scalar("DELETE FROM scim_tokens WHERE organisation_id = $1 RETURNING organisation_id")
                .bind(uuid(organisation))
                .fetch_optional(&self.pool)
                .await
                .map_err(map_error)?;
        found.map(drop).ok_or(StoreError::NotFound)
    }

    async fn scim_organisation(&self, hash: &[u8; 32]) -> Result<OrganisationId> {
        let id: Uuid = sqlx::query_scalar("SELECT organisation_id FROM scim_tokens WHERE token_hash = $1")
            .bind(hash.as_slice())
            .fetch_one(&self.pool)
            .await
            .map_err(map_error)?;
        Ok(id.into())
    }

    async fn scim_people(
        &self,
        organisation: OrganisationId,
        filter: &PersonMatch,
        offset: u64,
        limit: u32,
    ) -> Result<PeoplePage> {
        let (email, external_id) = match filter {
            PersonMatch::All => (None, None),
            PersonMatch::Email(email) => (Some(email.trim().to_lowercase()), None),
            PersonMatch::ExternalId(id) => (None, Some(id.clone())),
        };
        let total: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM people p WHERE p.organisation_id = $1 AND p.scim_deleted_at IS NULL \
             AND ($2::text IS NULL OR p.email = $2) AND ($3::text IS NULL OR p.external_id = $3)",
        )
        .bind(uuid(organisation))
        .bind(&email)
        .bind(&external_id)
        .fetch_one(&self.pool)
        .await
        .map_err(map_error)?;
        let rows: Vec<ProvisionedPersonRow> = sqlx::query_as(concat!(
            "SELECT ",
            provisioned_person_columns!(),
            " FROM people p WHERE p.organisation_id = $1 AND p.scim_deleted_at IS NULL \
             AND ($2::text IS NULL OR p.email = $2) AND ($3::text IS NULL OR p.external_id = $3) \
             ORDER BY p.id LIMIT $4 OFFSET $5"
        ))
        .bind(uuid(organisation))
        .bind(email)
        .bind(external_id)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        Ok(PeoplePage { people: convert(rows)?, total: u64::try_from(total).unwrap_or(0) })
    }

    async fn scim_person(&self, organisation: OrganisationId, id: PersonId) -> Result<ProvisionedPerson> {
        let row: ProvisionedPersonRow = sqlx::query_as(concat!(
            "SELECT ",
            provisioned_person_columns!(),
            " FROM people p WHERE p.id = $1 AND p.organisation_id = $2 AND p.scim_deleted_at IS NULL"
        ))
        .bind(uuid(id))
        .bind(uuid(organisation))
        .fetch_one(&self.pool)
        .await
        .map_err(map_error)?;
        row.try_into()
    }

    async fn create_scim_person(&self, person: &ProvisionedPerson, at: DateTime<Utc>) -> Result<ProvisionedPerson> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        let mut record = person.person.clone();
        let holder: Option<(Uuid, Uuid, bool)> = sqlx::query_as(
            "SELECT id, organisation_id, scim_deleted_at IS NOT NULL FROM people WHERE email = $1 FOR UPDATE",
        )
        .bind(record.email.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_error)?;
        match holder {
            None => {}
            // Deleted through SCIM and provisioned again: the same person comes back.
            Some((id, organisation, true)) if organisation == uuid(record.organisation_id) => record.id = id.into(),
            Some(_) => return Err(StoreError::Duplicate("email")),
        }
        upsert_person(&mut tx, &record).await?;
        sqlx::query(
            "UPDATE people SET external_id = $2, given_name = $3, family_name = $4, scim_deleted_at = NULL WHERE id = $1",
        )
        .bind(uuid(record.id))
        .bind(&person.external_id)
        .bind(&person.given_name)
        .bind(&person.family_name)
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
        if !record.active {
            sign_out_everywhere(&mut tx, record.id, at).await?;
        }
        let stored: ProvisionedPerson = sqlx::query_as::<_, ProvisionedPersonRow>(concat!(
            "SELECT ",
            provisioned_person_columns!(),
            " FROM people p WHERE p.id = $1"
        ))
        .bind(uuid(record.id))
        .fetch_one(&mut *tx)
        .await
        .map_err(map_error)?
        .try_into()?;
        tx.commit().await.map_err(map_error)?;
        Ok(stored)
    }

    async fn update_scim_person(&self, person: &ProvisionedPerson, at: DateTime<Utc>) -> Result<ProvisionOutcome> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        let p = &person.person;
        let found: Option<Uuid> = sqlx::query_scalar(
            "UPDATE people SET name = $3, email = $4, language = $5, active = $6, external_id = $7, \
             given_name = $8, family_name = $9, updated_at = now() \
             WHERE id = $1 AND organisation_id = $2 AND scim_deleted_at IS NULL RETURNING id",
        )
        .bind(uuid(p.id))
        .bind(uuid(p.organisation_id))
        .bind(&p.name)
        .bind(p.email.as_str())
        .bind(p.language.code())
        .bind(p.active)
        .bind(&person.external_id)
        .bind(&person.given_name)
        .bind(&person.family_name)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_error)?;
        found.ok_or(StoreError::NotFound)?;
        let cancelled_bookings = if p.active { 0 } else { sign_out_everywhere(&mut tx, p.id, at).await? };
        tx.commit().await.map_err(map_error)?;
        Ok(ProvisionOutcome { cancelled_bookings })
    }

    async fn delete_scim_person(
        &self,
        organisation: OrganisationId,
        id: PersonId,
        at: DateTime<Utc>,
    ) -> Result<ProvisionOutcome> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        let found: Option<Uuid> = sqlx::query_scalar(
            "UPDATE people SET active = false, unit_id = NULL, external_id = NULL, scim_deleted_at = $3, \
             updated_at = now() WHERE id = $1 AND organisation_id = $2 AND scim_deleted_at IS NULL RETURNING id",
        )
        .bind(uuid(id))
        .bind(uuid(organisation))
        .bind(at)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_error)?;
        found.ok_or(StoreError::NotFound)?;
        let cancelled_bookings = sign_out_everywhere(&mut tx, id, at).await?;
        tx.commit().await.map_err(map_error)?;
        Ok(ProvisionOutcome { cancelled_bookings })
    }

    async fn scim_units(&self, organisation: OrganisationId) -> Result<Vec<ProvisionedUnit>> {
        let units: Vec<ProvisionedUnitRow> = sqlx::query_as(concat!(
            "SELECT ",
            unit_columns!(),
            ", u.external_id, extract(epoch FROM u.updated_at)::bigint AS updated_at \
             FROM units u WHERE u.organisation_id = $1 ORDER BY u.id"
        ))
        .bind(uuid(organisation))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        let members: Vec<(Uuid, Uuid, String)> = sqlx::query_as(
            "SELECT p.unit_id, p.id, p.name FROM people p \
             WHERE p.organisation_id = $1 AND p.unit_id IS NOT NULL AND p.scim_deleted_at IS NULL",
        )
        .bind(uuid(organisation))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        units_with_members(units, members)
    }

    async fn scim_unit(&self, organisation: OrganisationId, id: UnitId) -> Result<ProvisionedUnit> {
        let unit: ProvisionedUnitRow = sqlx::query_as(concat!(
            "SELECT ",
            unit_columns!(),
            ", u.external_id, extract(epoch FROM u.updated_at)::bigint AS updated_at \
             FROM units u WHERE u.id = $1 AND u.organisation_id = $2"
        ))
        .bind(uuid(id))
        .bind(uuid(organisation))
        .fetch_one(&self.pool)
        .await
        .map_err(map_error)?;
        let members: Vec<(Uuid, Uuid, String)> = sqlx::query_as(
            "SELECT p.unit_id, p.id, p.name FROM people p WHERE p.unit_id = $1 AND p.scim_deleted_at IS NULL",
        )
        .bind(uuid(id))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        units_with_members(vec![unit], members)?.pop().ok_or(StoreError::NotFound)
    }

    async fn save_scim_unit(&self, unit: &Unit, external_id: Option<&str>, members: &Members) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        // Units of one organisation change one at a time, as in save_unit.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))")
            .bind(uuid(unit.organisation_id))
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        let owner: Option<Uuid> = sqlx::query_scalar("SELECT organisation_id FROM units WHERE id = $1")
            .bind(uuid(unit.id))
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_error)?;
        if owner.is_some_and(|o| o != uuid(unit.organisation_id)) {
            return Err(StoreError::NotFound);
        }
        upsert_unit(&mut tx, unit).await?;
        sqlx::query("UPDATE units SET external_id = $2 WHERE id = $1")
            .bind(uuid(unit.id))
            .bind(external_id)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        let remove: Vec<PersonId> = match members {
            Members::Keep => Vec::new(),
            Members::Replace(_) => {
                sqlx::query("UPDATE people SET unit_id = NULL, updated_at = now() WHERE unit_id = $1")
                    .bind(uuid(unit.id))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_error)?;
                Vec::new()
            }
            Members::Change { remove, .. } => remove.clone(),
        };
        for person in remove {
            sqlx::query("UPDATE people SET unit_id = NULL, updated_at = now() WHERE id = $1 AND unit_id = $2")
                .bind(uuid(person))
                .bind(uuid(unit.id))
                .execute(&mut *tx)
                .await
                .map_err(map_error)?;
        }
        for person in joining(members) {
            let found: Option<Uuid> = sqlx::query_scalar(
                "UPDATE people SET unit_id = $2, updated_at = now() \
                 WHERE id = $1 AND organisation_id = $3 AND scim_deleted_at IS NULL RETURNING id",
            )
            .bind(uuid(*person))
            .bind(uuid(unit.id))
            .bind(uuid(unit.organisation_id))
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_error)?;
            found.ok_or(StoreError::MissingReference)?;
        }
        tx.commit().await.map_err(map_error)
    }

    async fn delete_scim_unit(&self, organisation: OrganisationId, id: UnitId) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))")
            .bind(uuid(organisation))
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        let parent: Option<Uuid> =
            sqlx::query_scalar("SELECT parent_id FROM units WHERE id = $1 AND organisation_id = $2")
                .bind(uuid(id))
                .bind(uuid(organisation))
                .fetch_one(&mut *tx)
                .await
                .map_err(map_error)?;
        sqlx::query("UPDATE people SET unit_id = NULL, updated_at = now() WHERE unit_id = $1")
            .bind(uuid(id))
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        sqlx::query("UPDATE units SET parent_id = $2, updated_at = now() WHERE parent_id = $1")
            .bind(uuid(id))
            .bind(parent)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        sqlx::query("DELETE FROM units WHERE id = $1").bind(uuid(id)).execute(&mut *tx).await.map_err(map_error)?;
        tx.commit().await.map_err(map_error)
    }
}
