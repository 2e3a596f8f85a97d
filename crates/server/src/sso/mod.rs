//! Single sign-on through each organisation's own OpenID Connect provider (Microsoft Entra ID and
//! any certified provider).
//!
//! Here: the use cases on an organisation's identity providers (list, add, replace, remove: its
//! admins only; every change checked and audited alike), which the JSON API (`api.rs`) and the
//! admin page `/admin/sso` (`pages.rs`) both call. `flow.rs` is the sign-in itself (the
//! authorization code flow with PKCE), `discovery.rs` the providers' discovery documents and keys.

pub mod api;
pub mod discovery;
pub mod error;
pub mod flow;
pub mod pages;
use crate::audit;
use crate::audit::Subject;
use crate::audit::changed_fields;
use crate::error::AppError;
use crate::sso::flow::redirect_uri;
use crate::state::AppState;
use axum::http::HeaderMap;
use hubnet_domain::IdentityProviderId;
use hubnet_domain::OrganisationId;
use hubnet_domain::Principal;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::ids::new_id;
use hubnet_domain::sso::IdentityProvider;
use hubnet_domain::sso::{parse_email_domains, parse_issuer};
use serde::Deserialize;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

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

/// The organisation's providers, as shown.
pub async fn list(
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
pub async fn add(
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
pub async fn replace(
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
pub async fn remove(state: &AppState, me: &Principal, id: IdentityProviderId) -> Result<IdentityProvider, AppError> {
    let old = state.store.sso().get_identity_provider(id).await?;
    check(me, old.organisation_id)?;
    state.store.sso().delete_identity_provider(id).await?;
    let subject = Subject::new(SubjectKind::IdentityProvider, id);
    let detail = json!({ "issuer": old.issuer });
    audit::record(state, me, old.organisation_id, AuditAction::IdentityProviderDeleted, subject, detail).await?;
    Ok(old)
}

/// The organisations' providers offered on the sign-in page, by name.
pub async fn providers(state: &AppState) -> Vec<IdentityProvider> {
    state.store.sso().list_identity_providers(None).await.unwrap_or_else(|error| {
        tracing::warn!(%error, "listing identity providers for the sign-in page");
        Vec::new()
    })
}
