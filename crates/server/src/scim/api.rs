//! An organisation's SCIM token: the secret its identity provider provisions people and units
//! with at `/scim/v2` (see `crate::scim`). Organisation admins make it (shown once; a new one
//! replaces the old at once) and revoke it.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use hubnet_domain::OrganisationId;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::audit;
use crate::auth::require;
use crate::auth::{Auth, SCIM_TOKEN_PREFIX, new_token_with_prefix};
use crate::error::{AppError, Json, Path};
use crate::state::AppState;
use hubnet_domain::audit::{AuditAction, SubjectKind};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_scim_token, revoke_scim_token))
}

/// A new SCIM token. The token is shown only in this answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScimToken {
    /// The secret to give the identity provider (Entra ID: "Secret Token").
    #[schema(example = "hnscim_3q2-7w...")]
    pub token: String,
    /// The path of the SCIM service on this server (Entra ID: "Tenant URL" is
    /// `https://<host>/scim/v2`).
    #[schema(example = "/scim/v2")]
    pub scim_path: &'static str,
    pub created_at: DateTime<Utc>,
}

/// Makes the organisation's SCIM token, replacing any earlier one (its admins).
#[utoipa::path(post, path = "/organisations/{id}/scim-token", tag = "organisations",
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 201, body = ScimToken), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn create_scim_token(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
) -> Result<(StatusCode, Json<ScimToken>), AppError> {
    state.store.organisations().get_organisation(id).await?;
    require(me.administers(id))?;
    let (token, hash) = new_token_with_prefix(SCIM_TOKEN_PREFIX)?;
    let created_at = state.now();
    state.store.scim().set_scim_token(id, &hash, created_at).await?;
    let subject = audit::Subject::new(SubjectKind::Organisation, id);
    audit::record(&state, &me, id, AuditAction::ScimTokenCreated, subject, serde_json::json!({})).await?;
    Ok((StatusCode::CREATED, Json(ScimToken { token, scim_path: crate::scim::BASE, created_at })))
}

/// Revokes the organisation's SCIM token: provisioning stops until a new one is made.
#[utoipa::path(delete, path = "/organisations/{id}/scim-token", tag = "organisations",
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn revoke_scim_token(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
) -> Result<StatusCode, AppError> {
    state.store.organisations().get_organisation(id).await?;
    require(me.administers(id))?;
    state.store.scim().delete_scim_token(id).await?;
    let subject = audit::Subject::new(SubjectKind::Organisation, id);
    audit::record(&state, &me, id, AuditAction::ScimTokenRevoked, subject, serde_json::json!({})).await?;
    Ok(StatusCode::NO_CONTENT)
}
