//! The identity providers an organisation signs its people in with (its admins only).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hubnet_domain::sso::{IdentityProvider, parse_email_domains, parse_issuer};
use hubnet_domain::{IdentityProviderId, OrganisationId, Principal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::audit::{self, Subject, changed_fields};
use crate::auth::Auth;
use crate::error::{AppError, Json, Path};
use crate::web::sso::redirect_uri;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::ids::new_id;
use serde_json::json;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_providers, create_provider))
        .routes(routes!(update_provider, delete_provider))
}

/// An identity provider as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderInput {
    /// What the sign-in button says.
    #[schema(example = "Valtion tietotekniikka (Entra ID)")]
    pub name: String,
    /// The issuer exactly as the provider's discovery document states it. For Entra ID the
    /// tenant-specific `https://login.microsoftonline.com/{tenant id}/v2.0`.
    #[schema(example = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0")]
    pub issuer: String,
    /// The application (client) id registered at the provider.
    pub client_id: String,
    /// The client secret; on replace, leave it out to keep the stored one.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Only addresses of these domains may sign in through the provider.
    #[schema(example = json!(["vdt.example"]))]
    pub email_domains: Vec<String>,
}

/// An identity provider as shown: never its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderView {
    #[serde(flatten)]
    pub provider: IdentityProvider,
    pub has_client_secret: bool,
    /// The redirect URI to register at the provider.
    pub redirect_uri: String,
}

fn view(provider: IdentityProvider, headers: &HeaderMap, state: &AppState) -> ProviderView {
    ProviderView {
        has_client_secret: provider.client_secret.is_some(),
        redirect_uri: redirect_uri(state, headers),
        provider,
    }
}

impl ProviderInput {
    fn into_provider(
        self,
        id: IdentityProviderId,
        organisation_id: OrganisationId,
        old_secret: Option<String>,
    ) -> Result<IdentityProvider, AppError> {
        let name = hubnet_domain::text::parse_name(&self.name, "name")?;
        let client_id = self.client_id.trim().to_owned();
        if client_id.is_empty() || client_id.len() > 200 || client_id.chars().any(char::is_control) {
            return Err(AppError::invalid("client_id", "1 to 200 characters, no control characters"));
        }
        let client_secret = match self.client_secret {
            Some(secret) if secret.is_empty() || secret.len() > 500 => {
                return Err(AppError::invalid("client_secret", "1 to 500 characters"));
            }
            Some(secret) => Some(secret),
            None => old_secret,
        };
        Ok(IdentityProvider {
            id,
            organisation_id,
            name,
            issuer: parse_issuer(&self.issuer)?,
            client_id,
            client_secret,
            email_domains: parse_email_domains(&self.email_domains)?,
        })
    }
}

/// An organisation's providers are its admins' business: others get 404, as if there were none.
fn check(me: &Principal, organisation: OrganisationId) -> Result<(), AppError> {
    if me.administers(organisation) { Ok(()) } else { Err(AppError::NotFound) }
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

// What the handlers above do, shared with the page (`/admin/sso`) so that both check, validate
// and audit alike.

/// The organisation's providers, as shown.
pub(crate) async fn list(
    state: &AppState,
    me: &Principal,
    organisation: OrganisationId,
    headers: &HeaderMap,
) -> Result<Vec<ProviderView>, AppError> {
    check(me, organisation)?;
    let providers = state.store.sso().list_identity_providers(Some(organisation)).await?;
    Ok(providers.into_iter().map(|p| view(p, headers, state)).collect())
}

/// Checks and stores a new provider of the organisation, and records it in the audit log.
pub(crate) async fn add(
    state: &AppState,
    me: &Principal,
    organisation: OrganisationId,
    input: ProviderInput,
    headers: &HeaderMap,
) -> Result<ProviderView, AppError> {
    check(me, organisation)?;
    state.store.organisations().get_organisation(organisation).await?;
    let provider = input.into_provider(new_id(), organisation, None)?;
    state.store.sso().save_identity_provider(&provider).await?;
    let subject = Subject::new(SubjectKind::IdentityProvider, provider.id);
    audit::record(state, me, organisation, AuditAction::IdentityProviderCreated, subject, json!({})).await?;
    Ok(view(provider, headers, state))
}

/// Checks and stores a provider in place of the one it replaces (without a secret, the stored one
/// stays), and records which fields changed in the audit log.
pub(crate) async fn replace(
    state: &AppState,
    me: &Principal,
    id: IdentityProviderId,
    input: ProviderInput,
    headers: &HeaderMap,
) -> Result<ProviderView, AppError> {
    let old = state.store.sso().get_identity_provider(id).await?;
    check(me, old.organisation_id)?;
    let secret_changed = input.client_secret.as_ref().is_some_and(|new| old.client_secret.as_ref() != Some(new));
    let provider = input.into_provider(id, old.organisation_id, old.client_secret.clone())?;
    state.store.sso().save_identity_provider(&provider).await?;
    // Field names only; the secret is never written, only whether it changed.
    let mut detail = changed_fields(&old, &provider);
    detail["client_secret_changed"] = json!(secret_changed);
    let subject = Subject::new(SubjectKind::IdentityProvider, id);
    audit::record(state, me, old.organisation_id, AuditAction::IdentityProviderUpdated, subject, detail).await?;
    Ok(view(provider, headers, state))
}

/// Removes a provider and records it in the audit log; answers the provider as it was.
pub(crate) async fn remove(
    state: &AppState,
    me: &Principal,
    id: IdentityProviderId,
) -> Result<IdentityProvider, AppError> {
    let old = state.store.sso().get_identity_provider(id).await?;
    check(me, old.organisation_id)?;
    state.store.sso().delete_identity_provider(id).await?;
    let subject = Subject::new(SubjectKind::IdentityProvider, id);
    let detail = json!({ "issuer": old.issuer });
    audit::record(state, me, old.organisation_id, AuditAction::IdentityProviderDeleted, subject, detail).await?;
    Ok(old)
}
