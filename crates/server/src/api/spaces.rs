//! Spaces: desks, rooms, event spaces and parking on a site's floors.

use axum::extract::State;
use axum::http::StatusCode;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::space::normalise;
use hubnet_domain::{AccessibilityFeature, Amenity, FloorId, PersonId, SiteId, Space, SpaceId, SpaceKind};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::require;
use crate::AppState;
use crate::audit::{self, Subject, changed_fields};
use crate::auth::Auth;
use crate::error::{AppError, Json, Path};
use hubnet_domain::ids::new_id;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_spaces, create_space)).routes(routes!(get_space, update_space))
}

/// A space as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpaceInput {
    pub floor_id: FloorId,
    pub kind: SpaceKind,
    pub name: String,
    /// People it seats (1 for a desk, the default).
    #[serde(default = "one")]
    pub capacity: u16,
    #[serde(default)]
    pub amenities: Vec<Amenity>,
    #[serde(default)]
    pub accessibility: Vec<AccessibilityFeature>,
    /// Whether people may book it; a fixed space belongs to `assigned_to`.
    #[serde(default = "yes")]
    pub bookable: bool,
    #[serde(default)]
    pub assigned_to: Option<PersonId>,
    /// Bookings of this space wait for a host's approval, even where its site does not ask.
    #[serde(default)]
    pub approval_required: bool,
}

const fn one() -> u16 {
    1
}

const fn yes() -> bool {
    true
}

impl SpaceInput {
    /// The space this input describes; `kept` is whom it is assigned to already (an update that
    /// keeps the assignee is not checked again).
    async fn into_space(
        self,
        state: &AppState,
        id: SpaceId,
        site: SiteId,
        kept: Option<hubnet_domain::PersonId>,
    ) -> Result<Space, AppError> {
        let floor = state
            .store
            .sites()
            .get_floor(self.floor_id)
            .await
            .map_err(|_| AppError::invalid("floor_id", "no such floor"))?;
        if floor.site_id != site {
            return Err(AppError::invalid("floor_id", "the floor belongs to another site"));
        }
        if let Some(person) = self.assigned_to.filter(|p| Some(*p) != kept) {
            // Someone who may use the site: active, of an organisation it admits. Unknown people
            // and those the site does not admit get the same answer.
            let site = state.store.sites().get_site(site).await?;
            let fits = match state.store.people().get_person(person).await {
                Ok(p) => p.active && site.admits(p.organisation_id),
                Err(hubnet_store::StoreError::NotFound) => false,
                Err(other) => return Err(other.into()),
            };
            if !fits {
                return Err(AppError::invalid("assigned_to", "no active person who may use this site"));
            }
        }
        let space = Space {
            id,
            site_id: site,
            floor_id: self.floor_id,
            kind: self.kind,
            name: self.name.trim().to_owned(),
            capacity: self.capacity,
            amenities: normalise(self.amenities),
            accessibility: normalise(self.accessibility),
            bookable: self.bookable,
            assigned_to: self.assigned_to,
            approval_required: self.approval_required,
        };
        space.validate()?;
        Ok(space)
    }
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
    require(me.can_manage_site(&site))?;
    let space = input.into_space(&state, new_id(), site.id, None).await?;
    state.store.sites().save_space(&space).await?;
    let detail = serde_json::json!({ "site_id": site.id });
    let subject = Subject::new(SubjectKind::Space, space.id);
    audit::record(&state, &me, site.organisation_id, AuditAction::SpaceCreated, subject, detail).await?;
    Ok((StatusCode::CREATED, Json(space)))
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
    require(me.can_manage_site(&site))?;
    let space = input.into_space(&state, id, site.id, existing.assigned_to).await?;
    state.store.sites().save_space(&space).await?;
    let detail = changed_fields(&existing, &space);
    let subject = Subject::new(SubjectKind::Space, space.id);
    audit::record(&state, &me, site.organisation_id, AuditAction::SpaceUpdated, subject, detail).await?;
    Ok(Json(space))
}
