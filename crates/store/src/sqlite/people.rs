//! [`People`](crate::People) on SQLite, and the person and role writes that the import and SCIM
//! share (a deactivated person is signed out everywhere, however they were deactivated).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::access::Principal;
use hubnet_domain::{Coordinates, Language, OrganisationId, Person, PersonId, Role, RoleGrant};
use sqlx::SqliteConnection;
use uuid::Uuid;

use super::{SqliteStore, uuid};
use crate::rows::{PersonRow, PrincipalRow, RoleRow, convert, role_columns};
use crate::{Page, People, Result, StoreError, map_error};

#[async_trait]
impl People for SqliteStore {
    async fn list_people(&self, organisation: OrganisationId, page: Page<PersonId>) -> Result<Vec<Person>> {
        let rows: Vec<PersonRow> = sqlx::query_as(concat!(
            "SELECT ",
            person_columns!(),
            " FROM people p WHERE p.organisation_id = $1 AND ($2 IS NULL OR p.id > $2) ORDER BY p.id LIMIT $3"
        ))
        .bind(uuid(organisation))
        .bind(page.after.map(uuid))
        .bind(i64::from(page.limit))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn get_person(&self, id: PersonId) -> Result<Person> {
        let row: PersonRow = sqlx::query_as(concat!("SELECT ", person_columns!(), " FROM people p WHERE p.id = $1"))
            .bind(uuid(id))
            .fetch_one(&self.readers)
            .await
            .map_err(map_error)?;
        row.try_into()
    }

    async fn person_by_email(&self, email: &str) -> Result<Person> {
        let row: PersonRow = sqlx::query_as(concat!("SELECT ", person_columns!(), " FROM people p WHERE p.email = $1"))
            .bind(email.trim().to_lowercase())
            .fetch_one(&self.readers)
            .await
            .map_err(map_error)?;
        row.try_into()
    }

    async fn save_person(&self, person: &Person) -> Result<()> {
        let person = person.clone();
        self.write(false, move |conn| Box::pin(async move { upsert_person(conn, &person).await })).await
    }

    async fn roles_of(&self, person: PersonId) -> Result<Vec<Role>> {
        let rows: Vec<RoleRow> =
            sqlx::query_as("SELECT role, site_id, organisation_id FROM role_grants WHERE person_id = $1")
                .bind(uuid(person))
                .fetch_all(&self.readers)
                .await
                .map_err(map_error)?;
        convert(rows)
    }

    async fn replace_roles(&self, person: PersonId, roles: &[Role]) -> Result<()> {
        let roles = roles.to_vec();
        self.write(false, move |conn| {
            Box::pin(async move {
                sqlx::query("DELETE FROM role_grants WHERE person_id = $1")
                    .bind(uuid(person))
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
                for role in roles {
                    insert_role(conn, &RoleGrant { person_id: person, role }).await?;
                }
                Ok(())
            })
        })
        .await
    }

    async fn principal_of(&self, person: PersonId) -> Result<Principal> {
        let rows: Vec<PrincipalRow> = sqlx::query_as(concat!(
            "SELECT ",
            person_columns!(),
            ", r.role, r.site_id AS role_site_id, r.organisation_id AS role_organisation_id \
             FROM people p LEFT JOIN role_grants r ON r.person_id = p.id WHERE p.id = $1 AND p.active = 1"
        ))
        .bind(uuid(person))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        crate::rows::principal(rows)
    }

    async fn set_language(&self, person: PersonId, language: Language) -> Result<()> {
        let at = Utc::now().timestamp();
        self.write(true, move |conn| {
            Box::pin(async move {
                let found: Option<Uuid> =
                    sqlx::query_scalar("UPDATE people SET language = $2, updated_at = $3 WHERE id = $1 RETURNING id")
                        .bind(uuid(person))
                        .bind(language.code())
                        .bind(at)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(map_error)?;
                found.map(drop).ok_or(StoreError::NotFound)
            })
        })
        .await
    }
}

pub(super) async fn upsert_person(conn: &mut SqliteConnection, p: &Person) -> Result<()> {
    sqlx::query(
        "INSERT INTO people (id, organisation_id, unit_id, name, email, language, home_municipality, home_lat, \
         home_lon, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, unixepoch()) \
         ON CONFLICT (id) DO UPDATE SET organisation_id = excluded.organisation_id, unit_id = excluded.unit_id, \
         name = excluded.name, email = excluded.email, language = excluded.language, \
         home_municipality = excluded.home_municipality, home_lat = excluded.home_lat, \
         home_lon = excluded.home_lon, active = excluded.active, updated_at = excluded.updated_at, \
         external_id = CASE WHEN people.organisation_id = excluded.organisation_id THEN people.external_id END",
    )
    .bind(uuid(p.id))
    .bind(uuid(p.organisation_id))
    .bind(p.unit_id.map(uuid))
    .bind(&p.name)
    .bind(p.email.as_str())
    .bind(p.language.code())
    .bind(p.home_municipality.map(|m| m.to_string()))
    .bind(p.home.map(Coordinates::lat))
    .bind(p.home.map(Coordinates::lon))
    .bind(p.active)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    sqlx::query(
        "DELETE FROM role_grants WHERE person_id = $1 AND role IN ('org_admin', 'analyst', 'hr') \
         AND organisation_id <> $2",
    )
    .bind(uuid(p.id))
    .bind(uuid(p.organisation_id))
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    // A deactivated person is signed out everywhere and loses their coming bookings, however
    // they were deactivated (the API, an import, SCIM); for one already inactive this finds nothing.
    if !p.active {
        sign_out_everywhere(conn, p.id, Utc::now()).await?;
    }
    Ok(())
}

pub(super) async fn insert_role(conn: &mut SqliteConnection, grant: &RoleGrant) -> Result<()> {
    let (role, site, org) = role_columns(grant.role);
    sqlx::query(
        "INSERT INTO role_grants (person_id, role, site_id, organisation_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(uuid(grant.person_id))
    .bind(role)
    .bind(site)
    .bind(org)
    .execute(conn)
    .await
    .map(drop)
    .map_err(map_error)
}

/// Ends an inactive person's sessions, revokes their API tokens and cancels their bookings that
/// start at or after `at`. Answers how many bookings it cancelled.
pub(super) async fn sign_out_everywhere(
    conn: &mut SqliteConnection,
    person: PersonId,
    at: DateTime<Utc>,
) -> Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE person_id = $1")
        .bind(uuid(person))
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL")
        .bind(uuid(person))
        .bind(at.timestamp())
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    let cancelled = sqlx::query(concat!(
        "UPDATE bookings SET status = 'cancelled', updated_at = $2 WHERE person_id = $1 AND start_at >= $2 \
         AND status IN ",
        active!()
    ))
    .bind(uuid(person))
    .bind(at.timestamp())
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(cancelled.rows_affected())
}
