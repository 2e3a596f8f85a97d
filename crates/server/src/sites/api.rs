//! Sites, floors and spaces as JSON, and registering at a site (`crate::sites` says who may do
//! what).

use axum::extract::State;
use axum::http::StatusCode;
use hubnet_domain::{Floor, FloorId, Site, SiteId};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    FloorInput, SiteInput, SpaceInput, add_floor, add_space, change_floor, change_space, check_change, save_site,
};
use crate::auth::Auth;
use crate::error::{AppError, Json, Path, Query};
use crate::input::PageQuery;
use crate::state::AppState;
use hubnet_domain::{Space, SpaceId};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sites, create_site))
        .routes(routes!(get_site, update_site))
        .routes(routes!(register))
        .routes(routes!(list_floors, create_floor))
        .routes(routes!(get_floor, update_floor))
        .routes(routes!(list_spaces, create_space))
        .routes(routes!(get_space, update_space))
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
    Ok((StatusCode::CREATED, Json(super::create_site(&state, &me, input).await?)))
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
    // Refused before the input is looked into.
    check_change(&me, &existing, input.organisation_id)?;
    let site = input.into_site(&state, id).await?;
    Ok(Json(save_site(&state, &me, &existing, site).await?))
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
    super::register(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT)
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
    Ok((StatusCode::CREATED, Json(add_floor(&state, &me, &site, input.name, input.level).await?)))
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
    Ok(Json(change_floor(&state, &me, &site, &existing, input).await?))
}

#[utoipa::path(get, path = "/sites/{id}/spaces", tag = "sites",
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 200, body = [Space]), (status = 404, body = crate::error::ErrorBody)))]
async fn list_spaces(
    State(state): State<AppState>,
    Auth(_): Auth,
    Path(id): Path<SiteId>,
) -> Result<Json<Vec<Space>>, AppError> {
    state.store.sites().get_site(id).await?;
    Ok(Json(state.store.sites().list_spaces(id).await?))
}

#[utoipa::path(post, path = "/sites/{id}/spaces", tag = "sites", request_body = SpaceInput,
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 201, body = Space), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn create_space(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<SiteId>,
    Json(input): Json<SpaceInput>,
) -> Result<(StatusCode, Json<Space>), AppError> {
    let site = state.store.sites().get_site(id).await?;
    Ok((StatusCode::CREATED, Json(add_space(&state, &me, &site, input).await?)))
}

#[utoipa::path(get, path = "/spaces/{id}", tag = "sites",
    params(("id" = uuid::Uuid, Path, description = "Space id")),
    responses((status = 200, body = Space), (status = 404, body = crate::error::ErrorBody)))]
async fn get_space(
    State(state): State<AppState>,
    Auth(_): Auth,
    Path(id): Path<SpaceId>,
) -> Result<Json<Space>, AppError> {
    Ok(Json(state.store.sites().get_space(id).await?))
}

#[utoipa::path(put, path = "/spaces/{id}", tag = "sites", request_body = SpaceInput,
    params(("id" = uuid::Uuid, Path, description = "Space id")),
    responses((status = 200, body = Space), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_space(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<SpaceId>,
    Json(input): Json<SpaceInput>,
) -> Result<Json<Space>, AppError> {
    let existing = state.store.sites().get_space(id).await?;
    let site = state.store.sites().get_site(existing.site_id).await?;
    Ok(Json(change_space(&state, &me, &site, &existing, input).await?))
}
