//! [`Sites`](crate::Sites) on SQLite: sites, floors, spaces, registrations and the network version,
//! and the upserts of them that the import shares.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::{Coordinates, Floor, FloorId, PersonId, Site, SiteId, Space, SpaceId};
use sqlx::SqliteConnection;

use super::{SqliteStore, uuid};
use crate::rows::{FloorRow, SiteRow, SpaceRow, convert, join_keys};
use crate::{Page, Result, Sites, StoreError, map_error};

#[async_trait]
impl Sites for SqliteStore {
    async fn list_sites(&self, page: Page<SiteId>) -> Result<Vec<Site>> {
        let rows: Vec<SiteRow> = sqlx::query_as(concat!(
            "SELECT ",
            site_columns!(),
            " FROM sites s WHERE ($1 IS NULL OR s.id > $1) ORDER BY s.id LIMIT $2"
        ))
        .bind(page.after.map(uuid))
        .bind(i64::from(page.limit))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn get_site(&self, id: SiteId) -> Result<Site> {
        let row: SiteRow = sqlx::query_as(concat!("SELECT ", site_columns!(), " FROM sites s WHERE s.id = $1"))
            .bind(uuid(id))
            .fetch_one(&self.readers)
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
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn save_site(&self, site: &Site) -> Result<()> {
        let site = site.clone();
        self.write(false, move |conn| Box::pin(async move { upsert_site(conn, &site).await })).await
    }

    async fn register(&self, site: SiteId, person: PersonId, at: DateTime<Utc>) -> Result<()> {
        self.write(true, move |conn| Box::pin(async move { insert_registration(conn, site, person, at).await })).await
    }

    async fn is_registered(&self, site: SiteId, person: PersonId) -> Result<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM site_registrations WHERE site_id = $1 AND person_id = $2")
                .bind(uuid(site))
                .bind(uuid(person))
                .fetch_optional(&self.readers)
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
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn get_floor(&self, id: FloorId) -> Result<Floor> {
        let row: FloorRow = sqlx::query_as(concat!("SELECT ", floor_columns!(), " FROM floors f WHERE f.id = $1"))
            .bind(uuid(id))
            .fetch_one(&self.readers)
            .await
            .map_err(map_error)?;
        row.try_into()
    }

    async fn save_floor(&self, floor: &Floor) -> Result<()> {
        let floor = floor.clone();
        self.write(true, move |conn| Box::pin(async move { upsert_floor(conn, &floor).await })).await
    }

    async fn list_spaces(&self, site: SiteId) -> Result<Vec<Space>> {
        let rows: Vec<SpaceRow> = sqlx::query_as(concat!(
            "SELECT ",
            space_columns!(),
            " FROM spaces sp JOIN floors f ON f.id = sp.floor_id WHERE sp.site_id = $1 ORDER BY f.level, sp.name"
        ))
        .bind(uuid(site))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn get_space(&self, id: SpaceId) -> Result<Space> {
        let row: SpaceRow = sqlx::query_as(concat!("SELECT ", space_columns!(), " FROM spaces sp WHERE sp.id = $1"))
            .bind(uuid(id))
            .fetch_one(&self.readers)
            .await
            .map_err(map_error)?;
        row.try_into()
    }

    async fn save_space(&self, space: &Space) -> Result<()> {
        let space = space.clone();
        self.write(true, move |conn| Box::pin(async move { upsert_space(conn, &space).await })).await
    }

    async fn network_version(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT version FROM network_version WHERE id = 1")
            .fetch_one(&self.readers)
            .await
            .map_err(map_error)
    }
}

pub(super) async fn insert_registration(
    conn: &mut SqliteConnection,
    site: SiteId,
    person: PersonId,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO site_registrations (site_id, person_id, accepted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(uuid(site))
    .bind(uuid(person))
    .bind(at.timestamp())
    .execute(conn)
    .await
    .map(drop)
    .map_err(map_error)
}

pub(super) async fn upsert_site(conn: &mut SqliteConnection, s: &Site) -> Result<()> {
    let hours = serde_json::to_string(&s.opening_hours).map_err(|e| StoreError::Internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO sites (id, code, kind, organisation_id, name_fi, name_sv, name_en, address, municipality, \
         lat, lon, time_zone, opening_hours, closed_on_holidays, access_who, registration_required, \
         approval_required, price_minor, price_currency, booking_horizon_days, terms_fi, terms_sv, terms_en, \
         updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
         $22, $23, unixepoch()) \
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
    .bind(i64::from(s.booking_horizon_days))
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
    for organisation in &s.access.organisations {
        sqlx::query("INSERT INTO site_access (site_id, organisation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(uuid(s.id))
            .bind(uuid(*organisation))
            .execute(&mut *conn)
            .await
            .map_err(map_error)?;
    }
    Ok(())
}

pub(super) async fn upsert_floor(conn: &mut SqliteConnection, f: &Floor) -> Result<()> {
    let updated = sqlx::query(
        "INSERT INTO floors (id, site_id, name_fi, name_sv, name_en, level, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, unixepoch()) \
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

pub(super) async fn upsert_space(conn: &mut SqliteConnection, s: &Space) -> Result<()> {
    let updated = sqlx::query(
        "INSERT INTO spaces (id, site_id, floor_id, kind, name, capacity, amenities, accessibility, bookable, \
         assigned_to, approval_required, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, unixepoch()) \
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
    .bind(join_keys(&s.amenities, hubnet_domain::Amenity::key))
    .bind(join_keys(&s.accessibility, hubnet_domain::AccessibilityFeature::key))
    .bind(s.bookable)
    .bind(s.assigned_to.map(uuid))
    .bind(s.approval_required)
    .execute(conn)
    .await
    .map_err(map_error)?;
    if updated.rows_affected() == 0 { Err(StoreError::MissingReference) } else { Ok(()) }
}
