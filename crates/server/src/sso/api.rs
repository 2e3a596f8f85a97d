//! The identity providers an organisation signs its people in with (its admins only).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hubnet_domain::{IdentityProviderId, OrganisationId};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{ProviderInput, ProviderView, add, list, remove, replace};
use crate::auth::Auth;
use crate::error::{AppError, Json, Path};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_providers, create_provider))
        .routes(routes!(update_provider, delete_provider))
}

/// The organisation's identity providers (its admins).
#[utoipa::path(get, path = "/organisations/{id}/identity-providers", tag = "single sign-on",
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 200, body = [ProviderView]), (status = 404, body = crate::error::ErrorBody)))]
async fn list_providers(
    State(state): State<AppState>,
    headers: HeaderMap,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
) -> Result<Json<Vec<ProviderView>>, AppError> {
    Ok(Json(list(&state, &me, id, &headers).await?))
}

/// Adds an identity provider to the organisation (its admins).
#[utoipa::path(post, path = "/organisations/{id}/identity-providers", tag = "single sign-on",
    request_body = ProviderInput,
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 201, body = ProviderView), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_provider(
    State(state): State<AppState>,
    headers: HeaderMap,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
    Json(input): Json<ProviderInput>,
) -> Result<(StatusCode, Json<ProviderView>), AppError> {
    Ok((StatusCode::CREATED, Json(add(&state, &me, id, input, &headers).await?)))
}

/// Replaces an identity provider (admins of its organisation).
#[utoipa::path(put, path = "/identity-providers/{id}", tag = "single sign-on", request_body = ProviderInput,
    params(("id" = uuid::Uuid, Path, description = "Identity provider id")),
    responses((status = 200, body = ProviderView), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_provider(
    State(state): State<AppState>,
    headers: HeaderMap,
    Auth(me): Auth,
    Path(id): Path<IdentityProviderId>,
    Json(input): Json<ProviderInput>,
) -> Result<Json<ProviderView>, AppError> {
    Ok(Json(replace(&state, &me, id, input, &headers).await?))
}

/// Removes an identity provider (admins of its organisation). Its people keep their accounts
/// and bookings; they sign in again once a provider with the same issuer is added back.
#[utoipa::path(delete, path = "/identity-providers/{id}", tag = "single sign-on",
    params(("id" = uuid::Uuid, Path, description = "Identity provider id")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_provider(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<IdentityProviderId>,
) -> Result<StatusCode, AppError> {
    remove(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
