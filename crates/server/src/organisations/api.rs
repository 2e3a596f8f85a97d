//! Organisations and their units. The list of organisations is a shared directory (everyone
//! signed in reads it); an organisation's units are for its members and for those who read its
//! follow-up; changes are for its admins (a new organisation, for platform admins).

use axum::extract::State;
use axum::http::StatusCode;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::org::{Code, creates_cycle};
use hubnet_domain::{Country, LocalizedText, Organisation, OrganisationId, OrganisationKind, Unit, UnitId};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::audit::{self, Subject, changed_fields};
use crate::auth::Auth;
use crate::auth::require;
use crate::error::{AppError, Json, Path};
use crate::state::AppState;
use hubnet_domain::ids::new_id;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organisations, create_organisation))
        .routes(routes!(get_organisation, update_organisation))
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit, update_unit))
}

/// An organisation as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    /// Short unique code, such as a business id.
    #[schema(value_type = String, example = "vdt")]
    pub code: Code,
    pub name: LocalizedText,
    pub kind: OrganisationKind,
    pub country: Country,
}

impl OrganisationInput {
    fn into_organisation(self, id: OrganisationId) -> Result<Organisation, AppError> {
        self.name.validate("name")?;
        Ok(Organisation { id, code: self.code, name: self.name, kind: self.kind, country: self.country })
    }
}

/// Every organisation of the network (the network is a shared directory).
#[utoipa::path(get, path = "/organisations", tag = "organisations",
    responses((status = 200, body = [Organisation]), (status = 401, body = crate::error::ErrorBody)))]
async fn list_organisations(State(state): State<AppState>, Auth(_): Auth) -> Result<Json<Vec<Organisation>>, AppError> {
    Ok(Json(state.store.organisations().list_organisations().await?))
}

#[utoipa::path(get, path = "/organisations/{id}", tag = "organisations",
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 200, body = Organisation), (status = 404, body = crate::error::ErrorBody)))]
async fn get_organisation(
    State(state): State<AppState>,
    Auth(_): Auth,
    Path(id): Path<OrganisationId>,
) -> Result<Json<Organisation>, AppError> {
    Ok(Json(state.store.organisations().get_organisation(id).await?))
}

/// Adds an organisation to the network (platform admins).
#[utoipa::path(post, path = "/organisations", tag = "organisations", request_body = OrganisationInput,
    responses((status = 201, body = Organisation), (status = 403, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_organisation(
    State(state): State<AppState>,
    Auth(me): Auth,
    Json(input): Json<OrganisationInput>,
) -> Result<(StatusCode, Json<Organisation>), AppError> {
    require(me.is_platform_admin())?;
    let organisation = input.into_organisation(new_id())?;
    state.store.organisations().save_organisation(&organisation).await?;
    let subject = Subject::new(SubjectKind::Organisation, organisation.id);
    let detail = serde_json::json!({ "code": organisation.code.as_str() });
    audit::record(&state, &me, organisation.id, AuditAction::OrganisationCreated, subject, detail).await?;
    Ok((StatusCode::CREATED, Json(organisation)))
}

/// Replaces an organisation's details (its admins).
#[utoipa::path(put, path = "/organisations/{id}", tag = "organisations", request_body = OrganisationInput,
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 200, body = Organisation), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_organisation(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
    Json(input): Json<OrganisationInput>,
) -> Result<Json<Organisation>, AppError> {
    let existing = state.store.organisations().get_organisation(id).await?;
    require(me.administers(id))?;
    let organisation = input.into_organisation(id)?;
    state.store.organisations().save_organisation(&organisation).await?;
    let detail = changed_fields(&existing, &organisation);
    let subject = Subject::new(SubjectKind::Organisation, id);
    audit::record(&state, &me, id, AuditAction::OrganisationUpdated, subject, detail).await?;
    Ok(Json(organisation))
}

/// A unit as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    pub name: LocalizedText,
    /// The unit above this one, in the same organisation.
    #[serde(default)]
    pub parent_id: Option<UnitId>,
}

async fn check_parent(state: &AppState, unit: &Unit) -> Result<(), AppError> {
    let Some(parent) = unit.parent_id else {
        return Ok(());
    };
    let units = state.store.organisations().list_units(unit.organisation_id).await?;
    if !units.iter().any(|u| u.id == parent) {
        return Err(AppError::invalid("parent_id", "the parent unit is not a unit of this organisation"));
    }
    let parent_of = |id: UnitId| units.iter().find(|u| u.id == id).and_then(|u| u.parent_id);
    if creates_cycle(unit.id, Some(parent), parent_of) {
        return Err(AppError::invalid("parent_id", "a unit cannot be its own ancestor"));
    }
    Ok(())
}

/// The units of an organisation (its members, admins, analysts and HR).
#[utoipa::path(get, path = "/organisations/{id}/units", tag = "organisations",
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 200, body = [Unit]), (status = 404, body = crate::error::ErrorBody)))]
async fn list_units(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
) -> Result<Json<Vec<Unit>>, AppError> {
    if !me.can_see_inside(id) {
        return Err(AppError::NotFound);
    }
    Ok(Json(state.store.organisations().list_units(id).await?))
}

#[utoipa::path(post, path = "/organisations/{id}/units", tag = "organisations", request_body = UnitInput,
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 201, body = Unit), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn create_unit(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
    Json(input): Json<UnitInput>,
) -> Result<(StatusCode, Json<Unit>), AppError> {
    state.store.organisations().get_organisation(id).await?;
    require(me.administers(id))?;
    input.name.validate("name")?;
    let unit = Unit { id: new_id(), organisation_id: id, parent_id: input.parent_id, name: input.name };
    check_parent(&state, &unit).await?;
    state.store.organisations().save_unit(&unit).await?;
    let subject = Subject::new(SubjectKind::Unit, unit.id);
    audit::record(&state, &me, id, AuditAction::UnitCreated, subject, serde_json::json!({})).await?;
    Ok((StatusCode::CREATED, Json(unit)))
}

#[utoipa::path(get, path = "/units/{id}", tag = "organisations",
    params(("id" = uuid::Uuid, Path, description = "Unit id")),
    responses((status = 200, body = Unit), (status = 404, body = crate::error::ErrorBody)))]
async fn get_unit(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<UnitId>,
) -> Result<Json<Unit>, AppError> {
    let unit = state.store.organisations().get_unit(id).await?;
    if !me.can_see_inside(unit.organisation_id) {
        return Err(AppError::NotFound);
    }
    Ok(Json(unit))
}

#[utoipa::path(put, path = "/units/{id}", tag = "organisations", request_body = UnitInput,
    params(("id" = uuid::Uuid, Path, description = "Unit id")),
    responses((status = 200, body = Unit), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_unit(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<UnitId>,
    Json(input): Json<UnitInput>,
) -> Result<Json<Unit>, AppError> {
    let existing = state.store.organisations().get_unit(id).await?;
    if !me.can_see_inside(existing.organisation_id) {
        return Err(AppError::NotFound);
    }
    require(me.administers(existing.organisation_id))?;
    input.name.validate("name")?;
    let unit = Unit { name: input.name, parent_id: input.parent_id, ..existing.clone() };
    check_parent(&state, &unit).await?;
    state.store.organisations().save_unit(&unit).await?;
    let detail = changed_fields(&existing, &unit);
    let subject = Subject::new(SubjectKind::Unit, unit.id);
    audit::record(&state, &me, unit.organisation_id, AuditAction::UnitUpdated, subject, detail).await?;
    Ok(Json(unit))
}
