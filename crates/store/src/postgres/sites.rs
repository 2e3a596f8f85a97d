//! [`Sites`](crate::Sites) on PostgreSQL: sites, floors, spaces, registrations and the network
//! version, and the upserts of them that the import shares.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::{
    AccessibilityFeature, Amenity, Coordinates, Floor, FloorId, PersonId, Site, SiteId, Space, SpaceId,
};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{PgStore, uuid};
use crate::rows::{FloorRow, SiteRow, SpaceRow, convert};
use crate::{Page, Result, Sites, StoreError, map_error};

#[async_trait]
impl Sites for PgStore {
    async fn list_sites(&self, page: Page<SiteId>) -> Result<Vec<Site>> {
        let rows: Vec<SiteRow> = sqlx::query_as(concat!(
            "SELECT ",
            site_columns!(),
            " FROM sites s WHERE ($1::uuid IS NULL OR s.id > $1) ORDER BY s.id LIMIT $2"
        ))
        .bind(page.after.map(uuid))
        .bind(i64::from(page.limit))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn get_site(&self, id: SiteId) -> Result<Site> {
        let row: SiteRow = sqlx::query_as(concat!("SELECT ", site_columns!(), " FROM sites s WHERE s.id = $1"))
            .bind(uuid(id))
            .fetch_one(&self.pool)
            .await
            .map_err(map_error)?;
        row.try_into()
    }

    async fn sites_in_box(&self, min: Coordinates, max: Coordinates) -> Result<Vec<Site>> {
        let rows: Vec<SiteRow> = sqlx::query_as(concat!(
            "SELECT ",
            site_columns!(),
            " FROM sites s WHERE s.lat BETWEEN $1 AND $2 AND s.lon BETWEEN $3 AND $4"
        ))
        .bind(min.lat())
        .bind(max.lat())
        .bind(min.lon())
        .bind(max.lon())
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn save_site(&self, site: &Site) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        upsert_site(&mut tx, site).await?;
        tx.commit().await.map_err(map_error)
    }

    async fn register(&self, site: SiteId, person: PersonId, at: DateTime<Utc>) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(map_error)?;
        insert_registration(&mut conn, site, person, at).await
    }

    async fn is_registered(&self, site: SiteId, person: PersonId) -> Result<bool> {
        let found: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM site_registrations WHERE site_id = $1 AND person_id = $2")
                .bind(uuid(site))
                .bind(uuid(person))
                .fetch_optional(&self.pool)
                .await
                .map_err(map_error)?;
        Ok(found.is_some())
    }

    async fn list_floors(&self, site: SiteId) -> Result<Vec<Floor>> {
        let rows: Vec<FloorRow> = sqlx::query_as(concat!(
            "SELECT ",
            floor_columns!(),
            " FROM floors f WHERE f.site_id = $1 ORDER BY f.level, f.name_en"
        ))
        .bind(uuid(site))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn get_floor(&self, id: FloorId) -> Result<Floor> {
        let row: FloorRow = sqlx::query_as(concat!("SELECT ", floor_columns!(), " FROM floors f WHERE f.id = $1"))
            .bind(uuid(id))
            .fetch_one(&self.pool)
            .await
            .map_err(map_error)?;
        row.try_into()
    }

    async fn save_floor(&self, floor: &Floor) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(map_error)?;
        upsert_floor(&mut conn, floor).await
    }

    async fn list_spaces(&self, site: SiteId) -> Result<Vec<Space>> {
        let rows: Vec<SpaceRow> = sqlx::query_as(concat!(
            "SELECT ",
            space_columns!(),
            " FROM spaces sp JOIN floors f ON f.id = sp.floor_id WHERE sp.site_id = $1 ORDER BY f.level, sp.name"
        ))
        .bind(uuid(site))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn get_space(&self, id: SpaceId) -> Result<Space> {
        let row: SpaceRow = sqlx::query_as(concat!("SELECT ", space_columns!(), " FROM spaces sp WHERE sp.id = $1"))
            .bind(uuid(id))
            .fetch_one(&self.pool)
            .await
            .map_err(map_error)?;
        row.try_into()
    }

    async fn save_space(&self, space: &Space) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(map_error)?;
        upsert_space(&mut conn, space).await
    }

    async fn network_version(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT version FROM network_version WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(map_error)
    }
}

pub(super) async fn insert_registration(
    conn: &mut PgConnection,
    site: SiteId,
    person: PersonId,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO site_registrations (site_id, person_id, accepted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(uuid(site))
    .bind(uuid(person))
    .bind(at)
    .execute(conn)
    .await
    .map(drop)
    .map_err(map_error)
}

pub(super) async fn upsert_site(conn: &mut PgConnection, s: &Site) -> Result<()> {
    let hours = serde_json::to_string(&s.opening_hours).map_err(|e| StoreError::Internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO sites (id, code, kind, organisation_id, name_fi, name_sv, name_en, address, municipality, \
         lat, lon, time_zone, opening_hours, closed_on_holidays, access_who, registration_required, \
         approval_required, price_minor, price_currency, booking_horizon_days, terms_fi, terms_sv, terms_en, \
         updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17, $18, $19, $20, \
         $21, $22, $23, now()) \
         ON CONFLICT (id) DO UPDATE SET code = excluded.code, kind = excluded.kind, \
         organisation_id = excluded.organisation_id, name_fi = excluded.name_fi, name_sv = excluded.name_sv, \
         name_en = excluded.name_en, address = excluded.address, municipality = excluded.municipality, \
         lat = excluded.lat, lon = excluded.lon, time_zone = excluded.time_zone, \
         opening_hours = excluded.opening_hours, closed_on_holidays = excluded.closed_on_holidays, \
         access_who = excluded.access_who, registration_required = excluded.registration_required, \
         approval_required = excluded.approval_required, price_minor = excluded.price_minor, \
         price_currency = excluded.price_currency, booking_horizon_days = excluded.booking_horizon_days, \
         terms_fi = excluded.terms_fi, terms_sv = excluded.terms_sv, terms_en = excluded.terms_en, \
         updated_at = excluded.updated_at",
    )
    .bind(uuid(s.id))
    .bind(s.code.as_str())
    .bind(s.kind.key())
    .bind(uuid(s.organisation_id))
    .bind(&s.name.fi)
    .bind(&s.name.sv)
    .bind(&s.name.en)
    .bind(&s.address)
    .bind(s.municipality.to_string())
    .bind(s.coordinates.lat())
    .bind(s.coordinates.lon())
    .bind(s.time_zone.name())
    .bind(hours)
    .bind(s.closed_on_holidays)
    .bind(s.access.who.key())
    .bind(s.access.registration_required)
    .bind(s.access.approval_required)
    .bind(s.price_per_seat_day.map(|p| p.amount_minor))
    .bind(s.price_per_seat_day.map(|p| p.currency.code()))
    .bind(i32::from(s.booking_horizon_days))
    .bind(&s.access.terms.fi)
    .bind(&s.access.terms.sv)
    .bind(&s.access.terms.en)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    sqlx::query("DELETE FROM site_access WHERE site_id = $1")
        .bind(uuid(s.id))
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    let organisations: Vec<Uuid> = s.access.organisations.iter().copied().map(uuid).collect();
    sqlx::query(
        "INSERT INTO site_access (site_id, organisation_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING",
    )
    .bind(uuid(s.id))
    .bind(organisations)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(super) async fn upsert_floor(conn: &mut PgConnection, f: &Floor) -> Result<()> {
    let updated = sqlx::query(
        "INSERT INTO floors (id, site_id, name_fi, name_sv, name_en, level, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, now()) \
         ON CONFLICT (id) DO UPDATE SET name_fi = excluded.name_fi, name_sv = excluded.name_sv, \
         name_en = excluded.name_en, level = excluded.level, updated_at = excluded.updated_at \
         WHERE floors.site_id = excluded.site_id",
    )
    .bind(uuid(f.id))
    .bind(uuid(f.site_id))
    .bind(&f.name.fi)
    .bind(&f.name.sv)
    .bind(&f.name.en)
    .bind(i32::from(f.level))
    .execute(conn)
    .await
    .map_err(map_error)?;
    // A floor cannot move to another site: the conditional update above then changes nothing.
    if updated.rows_affected() == 0 { Err(StoreError::MissingReference) } else { Ok(()) }
}

pub(super) async fn upsert_space(conn: &mut PgConnection, s: &Space) -> Result<()> {
    let amenities: Vec<&str> = s.amenities.iter().map(|a| Amenity::key(*a)).collect();
    let accessibility: Vec<&str> = s.accessibility.iter().map(|a| AccessibilityFeature::key(*a)).collect();
    let updated = sqlx::query(
        "INSERT INTO spaces (id, site_id, floor_id, kind, name, capacity, amenities, accessibility, bookable, \
         assigned_to, approval_required, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now()) \
         ON CONFLICT (id) DO UPDATE SET floor_id = excluded.floor_id, kind = excluded.kind, name = excluded.name, \
         capacity = excluded.capacity, amenities = excluded.amenities, accessibility = excluded.accessibility, \
         bookable = excluded.bookable, assigned_to = excluded.assigned_to, \
         approval_required = excluded.approval_required, updated_at = excluded.updated_at \
         WHERE spaces.site_id = excluded.site_id",
    )
    .bind(uuid(s.id))
    .bind(uuid(s.site_id))
    .bind(uuid(s.floor_id))
    .bind(s.kind.key())
    .bind(&s.name)
    .bind(i32::from(s.capacity))
    .bind(amenities)
    .bind(accessibility)
    .bind(s.bookable)
    .bind(s.assigned_to.map(uuid))
    .bind(s.approval_required)
    .execute(conn)
    .await
    .map_err(map_error)?;
    if updated.rows_affected() == 0 { Err(StoreError::MissingReference) } else { Ok(()) }
}
