//! [`Organisations`](crate::Organisations) on SQLite, and the upserts that the import and SCIM
//! share.

use async_trait::async_trait;
use hubnet_domain::{InvalidValue, Organisation, OrganisationId, Unit, UnitId};
use sqlx::SqliteConnection;

use super::{SqliteStore, uuid};
use crate::rows::{OrganisationRow, UnitRow, convert};
use crate::{Organisations, Result, map_error};

#[async_trait]
impl Organisations for SqliteStore {
    async fn list_organisations(&self) -> Result<Vec<Organisation>> {
        let rows: Vec<OrganisationRow> =
            sqlx::query_as(concat!("SELECT ", organisation_columns!(), " FROM organisations o ORDER BY o.code"))
                .fetch_all(&self.readers)
                .await
                .map_err(map_error)?;
        convert(rows)
    }

    async fn get_organisation(&self, id: OrganisationId) -> Result<Organisation> {
        let row: OrganisationRow =
            sqlx::query_as(concat!("SELECT ", organisation_columns!(), " FROM organisations o WHERE o.id = $1"))
                .bind(uuid(id))
                .fetch_one(&self.readers)
                .await
                .map_err(map_error)?;
        row.try_into()
    }

    async fn save_organisation(&self, organisation: &Organisation) -> Result<()> {
        let organisation = organisation.clone();
        self.write(true, move |conn| Box::pin(async move { upsert_organisation(conn, &organisation).await })).await
    }

    async fn list_units(&self, organisation: OrganisationId) -> Result<Vec<Unit>> {
        let rows: Vec<UnitRow> = sqlx::query_as(concat!(
            "SELECT ",
            unit_columns!(),
            " FROM units u WHERE u.organisation_id = $1 ORDER BY u.name_en, u.name_fi"
        ))
        .bind(uuid(organisation))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        Ok(rows.into_iter().map(Unit::from).collect())
    }

    async fn get_unit(&self, id: UnitId) -> Result<Unit> {
        let row: UnitRow = sqlx::query_as(concat!("SELECT ", unit_columns!(), " FROM units u WHERE u.id = $1"))
            .bind(uuid(id))
            .fetch_one(&self.readers)
            .await
            .map_err(map_error)?;
        Ok(row.into())
    }

    async fn save_unit(&self, unit: &Unit) -> Result<()> {
        let unit = unit.clone();
        self.write(false, move |conn| Box::pin(async move { upsert_unit(conn, &unit).await })).await
    }
}

pub(super) async fn upsert_organisation(conn: &mut SqliteConnection, o: &Organisation) -> Result<()> {
    sqlx::query(
        "INSERT INTO organisations (id, code, name_fi, name_sv, name_en, kind, country, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, unixepoch()) \
         ON CONFLICT (id) DO UPDATE SET code = excluded.code, name_fi = excluded.name_fi, \
         name_sv = excluded.name_sv, name_en = excluded.name_en, kind = excluded.kind, \
         country = excluded.country, updated_at = excluded.updated_at",
    )
    .bind(uuid(o.id))
    .bind(o.code.as_str())
    .bind(&o.name.fi)
    .bind(&o.name.sv)
    .bind(&o.name.en)
    .bind(o.kind.key())
    .bind(o.country.code())
    .execute(conn)
    .await
    .map(drop)
    .map_err(map_error)
}

pub(super) async fn upsert_unit(conn: &mut SqliteConnection, u: &Unit) -> Result<()> {
    if let Some(parent) = u.parent_id {
        let cycle: bool = sqlx::query_scalar(
            "WITH RECURSIVE ancestors(id) AS (SELECT $1 UNION SELECT u.parent_id FROM units u \
             JOIN ancestors a ON u.id = a.id WHERE u.parent_id IS NOT NULL) \
             SELECT EXISTS (SELECT 1 FROM ancestors WHERE id = $2)",
        )
        .bind(uuid(parent))
        .bind(uuid(u.id))
        .fetch_one(&mut *conn)
        .await
        .map_err(map_error)?;
        if cycle {
            return Err(InvalidValue::new("parent_id", "a unit cannot be its own ancestor").into());
        }
    }
    sqlx::query(
        "INSERT INTO units (id, organisation_id, parent_id, name_fi, name_sv, name_en, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, unixepoch()) \
         ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, name_fi = excluded.name_fi, \
         name_sv = excluded.name_sv, name_en = excluded.name_en, updated_at = excluded.updated_at \
         WHERE units.organisation_id = excluded.organisation_id",
    )
    .bind(uuid(u.id))
    .bind(uuid(u.organisation_id))
    .bind(u.parent_id.map(uuid))
    .bind(&u.name.fi)
    .bind(&u.name.sv)
    .bind(&u.name.en)
    .execute(conn)
    .await
    .map(drop)
    .map_err(map_error)
}
