//! An organisation's workplace policy: versions of rules from the documented vocabulary
//! (`docs/policies.md`), read by its people and written by its admins.

use axum::extract::State;
use axum::http::StatusCode;
use hubnet_domain::OrganisationId;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Auth;
use crate::error::{AppError, Json, Path};
use crate::policies::PolicyInput;
use crate::policies::PolicyVersionView;
use crate::policies::PolicyView;
use crate::policies::add_version;
use crate::policies::check_inside;
use crate::policies::policy_of;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_policy, add_policy_version))
}

/// The organisation's policy: the version in force today and every version.
#[utoipa::path(get, path = "/organisations/{id}/policy", tag = "policies",
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 200, body = PolicyView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_policy(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
) -> Result<Json<PolicyView>, AppError> {
    Ok(Json(policy_of(&state, &me, id).await?))
}

/// Adds a version of the organisation's rules (its admins). The rules are checked against the
/// vocabulary; units they name must be the organisation's.
#[utoipa::path(post, path = "/organisations/{id}/policy", tag = "policies", request_body = PolicyInput,
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 201, body = PolicyVersionView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn add_policy_version(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
    Json(input): Json<PolicyInput>,
) -> Result<(StatusCode, Json<PolicyVersionView>), AppError> {
    check_inside(&me, id)?;
    if !me.administers(id) {
        return Err(AppError::AccessDenied);
    }
    let version = add_version(&state, &me, id, input).await?;
    Ok((StatusCode::CREATED, Json(version.try_into()?)))
}
