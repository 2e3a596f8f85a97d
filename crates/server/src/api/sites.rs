//! Sites and their floors, and registering at a site that asks for it. The network is a shared
//! directory: everyone signed in sees every site; only its owner's admins and its hosts change it.

use axum::extract::State;
use axum::http::StatusCode;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::org::Code;
use hubnet_domain::site::parse_time_zone;
use hubnet_domain::{
    AccessTerms, Coordinates, Floor, FloorId, LocalizedText, MunicipalityCode, OrganisationId, Price, Principal, Site,
    SiteId, SiteKind, WeeklyHours,
};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{PageQuery, require};
use crate::AppState;
use crate::audit::{self, Subject, changed_fields};
use crate::auth::Auth;
use crate::error::{AppError, Json, Path, Query};
use crate::geography;
use hubnet_domain::ids::new_id;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sites, create_site))
        .routes(routes!(get_site, update_site))
        .routes(routes!(register))
        .routes(routes!(list_floors, create_floor))
        .routes(routes!(get_floor, update_floor))
}

/// A site as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    #[schema(value_type = String, example = "helsinki-lab")]
    pub code: Code,
    pub kind: SiteKind,
    /// The owner; for a co-working hub, its provider.
    pub organisation_id: OrganisationId,
    pub name: LocalizedText,
    pub address: String,
    pub municipality: MunicipalityCode,
    /// Defaults to the municipality's centre.
    #[serde(default)]
    pub coordinates: Option<Coordinates>,
    /// IANA zone; defaults to Europe/Helsinki or Europe/Stockholm by country.
    #[serde(default)]
    pub time_zone: Option<String>,
    pub opening_hours: WeeklyHours,
    #[serde(default = "default_true")]
    pub closed_on_holidays: bool,
    #[serde(default = "AccessTerms::owner_only")]
    pub access: AccessTerms,
    #[serde(default)]
    pub price_per_seat_day: Option<Price>,
    #[serde(default = "default_horizon")]
    pub booking_horizon_days: u16,
}

const fn default_true() -> bool {
    true
}

const fn default_horizon() -> u16 {
    Site::DEFAULT_HORIZON_DAYS
}

impl SiteInput {
    async fn into_site(self, state: &AppState, id: SiteId) -> Result<Site, AppError> {
        let municipality = geography::municipality(self.municipality)
            .ok_or_else(|| AppError::invalid("municipality", format!("no municipality {}", self.municipality)))?;
        let time_zone = match self.time_zone.as_deref() {
            Some(name) => parse_time_zone(name)?,
            None => self.municipality.country().default_time_zone(),
        };
        for organisation in &self.access.organisations {
            state
                .store
                .organisations()
                .get_organisation(*organisation)
                .await
                .map_err(|_| AppError::invalid("access.organisations", format!("no organisation {organisation}")))?;
        }
        let mut access = self.access;
        access.organisations = hubnet_domain::space::normalise(access.organisations);
        let site = Site {
            id,
            code: self.code,
            kind: self.kind,
            organisation_id: self.organisation_id,
            name: self.name,
            address: self.address.trim().to_owned(),
            municipality: self.municipality,
            coordinates: self.coordinates.unwrap_or(municipality.centre),
            time_zone,
            opening_hours: self.opening_hours,
            closed_on_holidays: self.closed_on_holidays,
            access,
            price_per_seat_day: self.price_per_seat_day,
            booking_horizon_days: self.booking_horizon_days,
        };
        site.validate()?;
        Ok(site)
    }
}

/// Every site of the network, in id order, a page at a time.
#[utoipa::path(get, path = "/sites", tag = "sites", params(PageQuery),
    responses((status = 200, body = [Site]), (status = 401, body = crate::error::ErrorBody)))]
async fn list_sites(
    State(state): State<AppState>,
    Auth(_): Auth,
    Query(page): Query<PageQuery>,
) -> Result<Json<Vec<Site>>, AppError> {
    Ok(Json(state.store.sites().list_sites(page.page()?).await?))
}

#[utoipa::path(get, path = "/sites/{id}", tag = "sites",
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 200, body = Site), (status = 404, body = crate::error::ErrorBody)))]
async fn get_site(
    State(state): State<AppState>,
    Auth(_): Auth,
    Path(id): Path<SiteId>,
) -> Result<Json<Site>, AppError> {
    Ok(Json(state.store.sites().get_site(id).await?))
}

/// Adds a site (admins of the owning organisation).
#[utoipa::path(post, path = "/sites", tag = "sites", request_body = SiteInput,
    responses((status = 201, body = Site), (status = 403, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_site(
    State(state): State<AppState>,
    Auth(me): Auth,
    Json(input): Json<SiteInput>,
) -> Result<(StatusCode, Json<Site>), AppError> {
    require(me.administers(input.organisation_id))?;
    let site = input.into_site(&state, new_id()).await?;
    state.store.sites().save_site(&site).await?;
    let detail = serde_json::json!({ "code": site.code.as_str() });
    let subject = Subject::new(SubjectKind::Site, site.id);
    audit::record(&state, &me, site.organisation_id, AuditAction::SiteCreated, subject, detail).await?;
    Ok((StatusCode::CREATED, Json(site)))
}

/// Replaces a site's details (its hosts and the owner's admins; only admins of both may hand it
/// to another owner).
#[utoipa::path(put, path = "/sites/{id}", tag = "sites", request_body = SiteInput,
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 200, body = Site), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_site(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<SiteId>,
    Json(input): Json<SiteInput>,
) -> Result<Json<Site>, AppError> {
    let existing = state.store.sites().get_site(id).await?;
    require(me.can_manage_site(&existing))?;
    if input.organisation_id != existing.organisation_id {
        require(me.administers(existing.organisation_id) && me.administers(input.organisation_id))?;
    }
    let site = input.into_site(&state, id).await?;
    state.store.sites().save_site(&site).await?;
    site_updated(&state, &me, &existing, &site).await?;
    Ok(Json(site))
}

/// Records a change of a site for its owner (and, when it changed hands, for the new owner).
pub(crate) async fn site_updated(
    state: &AppState,
    me: &Principal,
    before: &Site,
    after: &Site,
) -> Result<(), AppError> {
    let detail = changed_fields(before, after);
    let subject = Subject::new(SubjectKind::Site, after.id);
    audit::record(state, me, before.organisation_id, AuditAction::SiteUpdated, subject, detail.clone()).await?;
    if after.organisation_id != before.organisation_id {
        audit::record(state, me, after.organisation_id, AuditAction::SiteUpdated, subject, detail).await?;
    }
    Ok(())
}

/// Registers the caller at a site that requires registration: they accept its terms, once.
#[utoipa::path(post, path = "/sites/{id}/registration", tag = "sites",
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<SiteId>,
) -> Result<StatusCode, AppError> {
    let site = state.store.sites().get_site(id).await?;
    if !site.admits(me.organisation_id()) {
        return Err(hubnet_domain::BookingError::SiteNotOpenToYou.into());
    }
    state.store.sites().register(site.id, me.person_id(), state.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A floor as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FloorInput {
    pub name: LocalizedText,
    /// 0 is the entrance level; negative is below ground.
    #[serde(default)]
    pub level: i16,
}

#[utoipa::path(get, path = "/sites/{id}/floors", tag = "sites",
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 200, body = [Floor]), (status = 404, body = crate::error::ErrorBody)))]
async fn list_floors(
    State(state): State<AppState>,
    Auth(_): Auth,
    Path(id): Path<SiteId>,
) -> Result<Json<Vec<Floor>>, AppError> {
    state.store.sites().get_site(id).await?;
    Ok(Json(state.store.sites().list_floors(id).await?))
}

#[utoipa::path(post, path = "/sites/{id}/floors", tag = "sites", request_body = FloorInput,
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 201, body = Floor), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn create_floor(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<SiteId>,
    Json(input): Json<FloorInput>,
) -> Result<(StatusCode, Json<Floor>), AppError> {
    let site = state.store.sites().get_site(id).await?;
    require(me.can_manage_site(&site))?;
    input.name.validate("name")?;
    let floor = Floor { id: new_id(), site_id: site.id, name: input.name, level: input.level };
    state.store.sites().save_floor(&floor).await?;
    let detail = serde_json::json!({ "site_id": site.id });
    let subject = Subject::new(SubjectKind::Floor, floor.id);
    audit::record(&state, &me, site.organisation_id, AuditAction::FloorCreated, subject, detail).await?;
    Ok((StatusCode::CREATED, Json(floor)))
}

#[utoipa::path(get, path = "/floors/{id}", tag = "sites",
    params(("id" = uuid::Uuid, Path, description = "Floor id")),
    responses((status = 200, body = Floor), (status = 404, body = crate::error::ErrorBody)))]
async fn get_floor(
    State(state): State<AppState>,
    Auth(_): Auth,
    Path(id): Path<FloorId>,
) -> Result<Json<Floor>, AppError> {
    Ok(Json(state.store.sites().get_floor(id).await?))
}

#[utoipa::path(put, path = "/floors/{id}", tag = "sites", request_body = FloorInput,
    params(("id" = uuid::Uuid, Path, description = "Floor id")),
    responses((status = 200, body = Floor), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn update_floor(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<FloorId>,
    Json(input): Json<FloorInput>,
) -> Result<Json<Floor>, AppError> {
    let existing = state.store.sites().get_floor(id).await?;
    let site = state.store.sites().get_site(existing.site_id).await?;
    require(me.can_manage_site(&site))?;
    input.name.validate("name")?;
    let floor = Floor { name: input.name, level: input.level, ..existing.clone() };
    state.store.sites().save_floor(&floor).await?;
    let subject = Subject::new(SubjectKind::Floor, floor.id);
    let detail = changed_fields(&existing, &floor);
    audit::record(&state, &me, site.organisation_id, AuditAction::FloorUpdated, subject, detail).await?;
    Ok(Json(floor))
}
