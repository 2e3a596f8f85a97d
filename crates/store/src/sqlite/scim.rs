//! [`Scim`](crate::Scim) on SQLite: SCIM provisioning.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::{OrganisationId, PersonId, Unit, UnitId};
use uuid::Uuid;

use super::organisations::upsert_unit;
use super::people::{sign_out_everywhere, upsert_person};
use super::{SqliteStore, uuid};
use crate::rows::convert;
use crate::scim::{
    Members, PeoplePage, PersonMatch, ProvisionOutcome, ProvisionedPerson, ProvisionedPersonRow, ProvisionedUnit,
    ProvisionedUnitRow, joining, units_with_members,
};
use crate::{Result, Scim, StoreError, map_error};

#[async_trait]
impl Scim for SqliteStore {
    async fn set_scim_token(&self, organisation: OrganisationId, hash: &[u8; 32], at: DateTime<Utc>) -> Result<()> {
        let hash = hash.to_vec();
        self.write(true, move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO scim_tokens (organisation_id, token_hash, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (organisation_id) DO UPDATE SET token_hash = excluded.token_hash, \
                     created_at = excluded.created_at",
                )
                .bind(uuid(organisation))
                .bind(hash)
                .bind(at.timestamp())
                .execute(&mut *conn)
                .await
                .map(drop)
                .map_err(map_error)
            })
        })
        .await
    }

    async fn delete_scim_token(&self, organisation: OrganisationId) -> Result<()> {
        self.write(true, move |conn| {
            Box::pin(async move {
                let found: Option<Uuid> =
                    sqlx::query_scalar("DELETE FROM scim_tokens WHERE organisation_id = $1 RETURNING organisation_id")
                        .bind(uuid(organisation))
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(map_error)?;
                found.map(drop).ok_or(StoreError::NotFound)
            })
        })
        .await
    }

    async fn scim_organisation(&self, hash: &[u8; 32]) -> Result<OrganisationId> {
        let id: Uuid = sqlx::query_scalar("SELECT organisation_id FROM scim_tokens WHERE token_hash = $1")
            .bind(hash.as_slice())
            .fetch_one(&self.readers)
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
             AND ($2 IS NULL OR p.email = $2) AND ($3 IS NULL OR p.external_id = $3)",
        )
        .bind(uuid(organisation))
        .bind(&email)
        .bind(&external_id)
        .fetch_one(&self.readers)
        .await
        .map_err(map_error)?;
        let rows: Vec<ProvisionedPersonRow> = sqlx::query_as(concat!(
            "SELECT ",
            provisioned_person_columns!(),
            " FROM people p WHERE p.organisation_id = $1 AND p.scim_deleted_at IS NULL \
             AND ($2 IS NULL OR p.email = $2) AND ($3 IS NULL OR p.external_id = $3) ORDER BY p.id LIMIT $4 OFFSET $5"
        ))
        .bind(uuid(organisation))
        .bind(email)
        .bind(external_id)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.readers)
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
        .fetch_one(&self.readers)
        .await
        .map_err(map_error)?;
        row.try_into()
    }

    async fn create_scim_person(&self, person: &ProvisionedPerson, at: DateTime<Utc>) -> Result<ProvisionedPerson> {
        let provisioned = person.clone();
        self.write(false, move |conn| {
            Box::pin(async move {
                let mut person = provisioned.person.clone();
                let holder: Option<(Uuid, Uuid, Option<i64>)> =
                    sqlx::query_as("SELECT id, organisation_id, scim_deleted_at FROM people WHERE email = $1")
                        .bind(person.email.as_str())
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(map_error)?;
                match holder {
                    None => {}
                    // Deleted through SCIM and provisioned again: the same person comes back.
                    Some((id, organisation, Some(_))) if organisation == uuid(person.organisation_id) => {
                        person.id = id.into();
                    }
                    Some(_) => return Err(StoreError::Duplicate("email")),
                }
                upsert_person(conn, &person).await?;
                sqlx::query(
                    "UPDATE people SET external_id = $2, given_name = $3, family_name = $4, scim_deleted_at = NULL \
                     WHERE id = $1",
                )
                .bind(uuid(person.id))
                .bind(&provisioned.external_id)
                .bind(&provisioned.given_name)
                .bind(&provisioned.family_name)
                .execute(&mut *conn)
                .await
                .map_err(map_error)?;
                if !person.active {
                    sign_out_everywhere(conn, person.id, at).await?;
                }
                sqlx::query_as::<_, ProvisionedPersonRow>(concat!(
                    "SELECT ",
                    provisioned_person_columns!(),
                    " FROM people p WHERE p.id = $1"
                ))
                .bind(uuid(person.id))
                .fetch_one(&mut *conn)
                .await
                .map_err(map_error)?
                .try_into()
            })
        })
        .await
    }

    async fn update_scim_person(&self, person: &ProvisionedPerson, at: DateTime<Utc>) -> Result<ProvisionOutcome> {
        let provisioned = person.clone();
        self.write(false, move |conn| {
            Box::pin(async move {
                let p = &provisioned.person;
                let found: Option<Uuid> = sqlx::query_scalar(
                    "UPDATE people SET name = $3, email = $4, language = $5, active = $6, external_id = $7, \
                     given_name = $8, family_name = $9, updated_at = unixepoch() \
                     WHERE id = $1 AND organisation_id = $2 AND scim_deleted_at IS NULL RETURNING id",
                )
                .bind(uuid(p.id))
                .bind(uuid(p.organisation_id))
                .bind(&p.name)
                .bind(p.email.as_str())
                .bind(p.language.code())
                .bind(p.active)
                .bind(&provisioned.external_id)
                .bind(&provisioned.given_name)
                .bind(&provisioned.family_name)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_error)?;
                found.ok_or(StoreError::NotFound)?;
                let cancelled_bookings = if p.active { 0 } else { sign_out_everywhere(conn, p.id, at).await? };
                Ok(ProvisionOutcome { cancelled_bookings })
            })
        })
        .await
    }

    async fn delete_scim_person(
        &self,
        organisation: OrganisationId,
        id: PersonId,
        at: DateTime<Utc>,
    ) -> Result<ProvisionOutcome> {
        self.write(false, move |conn| {
            Box::pin(async move {
                let found: Option<Uuid> = sqlx::query_scalar(
                    "UPDATE people SET active = 0, unit_id = NULL, external_id = NULL, scim_deleted_at = $3, \
                     updated_at = unixepoch() \
                     WHERE id = $1 AND organisation_id = $2 AND scim_deleted_at IS NULL RETURNING id",
                )
                .bind(uuid(id))
                .bind(uuid(organisation))
                .bind(at.timestamp())
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_error)?;
                found.ok_or(StoreError::NotFound)?;
                Ok(ProvisionOutcome { cancelled_bookings: sign_out_everywhere(conn, id, at).await? })
            })
        })
        .await
    }

    async fn scim_units(&self, organisation: OrganisationId) -> Result<Vec<ProvisionedUnit>> {
        let units: Vec<ProvisionedUnitRow> = sqlx::query_as(concat!(
            "SELECT ",
            unit_columns!(),
            ", u.external_id, u.updated_at FROM units u WHERE u.organisation_id = $1 ORDER BY u.id"
        ))
        .bind(uuid(organisation))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        let members: Vec<(Uuid, Uuid, String)> = sqlx::query_as(
            "SELECT p.unit_id, p.id, p.name FROM people p \
             WHERE p.organisation_id = $1 AND p.unit_id IS NOT NULL AND p.scim_deleted_at IS NULL",
        )
        .bind(uuid(organisation))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        units_with_members(units, members)
    }

    async fn scim_unit(&self, organisation: OrganisationId, id: UnitId) -> Result<ProvisionedUnit> {
        let unit: ProvisionedUnitRow = sqlx::query_as(concat!(
            "SELECT ",
            unit_columns!(),
            ", u.external_id, u.updated_at FROM units u WHERE u.id = $1 AND u.organisation_id = $2"
        ))
        .bind(uuid(id))
        .bind(uuid(organisation))
        .fetch_one(&self.readers)
        .await
        .map_err(map_error)?;
        let members: Vec<(Uuid, Uuid, String)> = sqlx::query_as(
            "SELECT p.unit_id, p.id, p.name FROM people p WHERE p.unit_id = $1 AND p.scim_deleted_at IS NULL",
        )
        .bind(uuid(id))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        units_with_members(vec![unit], members)?.pop().ok_or(StoreError::NotFound)
    }

    async fn save_scim_unit(&self, unit: &Unit, external_id: Option<&str>, members: &Members) -> Result<()> {
        let (unit, external_id, members) = (unit.clone(), external_id.map(str::to_owned), members.clone());
        self.write(false, move |conn| {
            Box::pin(async move {
                let owner: Option<Uuid> = sqlx::query_scalar("SELECT organisation_id FROM units WHERE id = $1")
                    .bind(uuid(unit.id))
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_error)?;
                if owner.is_some_and(|o| o != uuid(unit.organisation_id)) {
                    return Err(StoreError::NotFound);
                }
                upsert_unit(conn, &unit).await?;
                sqlx::query("UPDATE units SET external_id = $2 WHERE id = $1")
                    .bind(uuid(unit.id))
                    .bind(external_id)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
                let remove: Vec<PersonId> = match &members {
                    Members::Keep => return Ok(()),
                    Members::Replace(_) => {
                        sqlx::query("UPDATE people SET unit_id = NULL, updated_at = unixepoch() WHERE unit_id = $1")
                            .bind(uuid(unit.id))
                            .execute(&mut *conn)
                            .await
                            .map_err(map_error)?;
                        Vec::new()
                    }
                    Members::Change { remove, .. } => remove.clone(),
                };
                for person in remove {
                    sqlx::query(
                        "UPDATE people SET unit_id = NULL, updated_at = unixepoch() WHERE id = $1 AND unit_id = $2",
                    )
                    .bind(uuid(person))
                    .bind(uuid(unit.id))
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
                }
                for person in joining(&members) {
                    let found: Option<Uuid> = sqlx::query_scalar(
                        "UPDATE people SET unit_id = $2, updated_at = unixepoch() \
                         WHERE id = $1 AND organisation_id = $3 AND scim_deleted_at IS NULL RETURNING id",
                    )
                    .bind(uuid(*person))
                    .bind(uuid(unit.id))
                    .bind(uuid(unit.organisation_id))
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_error)?;
                    found.ok_or(StoreError::MissingReference)?;
                }
                Ok(())
            })
        })
        .await
    }

    async fn delete_scim_unit(&self, organisation: OrganisationId, id: UnitId) -> Result<()> {
        self.write(false, move |conn| {
            Box::pin(async move {
                let parent: Option<Uuid> =
                    sqlx::query_scalar("SELECT parent_id FROM units WHERE id = $1 AND organisation_id = $2")
                        .bind(uuid(id))
                        .bind(uuid(organisation))
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(map_error)?;
                sqlx::query("UPDATE people SET unit_id = NULL, updated_at = unixepoch() WHERE unit_id = $1")
                    .bind(uuid(id))
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
                sqlx::query("UPDATE units SET parent_id = $2, updated_at = unixepoch() WHERE parent_id = $1")
                    .bind(uuid(id))
                    .bind(parent)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
                sqlx::query("DELETE FROM units WHERE id = $1")
                    .bind(uuid(id))
                    .execute(&mut *conn)
                    .await
                    .map(drop)
                    .map_err(map_error)
            })
        })
        .await
    }
}
