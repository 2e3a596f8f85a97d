//! Identity providers' discovery documents and signing keys, fetched on first use and kept for ten
//! minutes per issuer, and the OpenID Connect client made from them, over hubnet's own HTTP client
//! (no redirects followed, 10 s timeout).

use crate::error::AppError;
use crate::sso::error::SsoError;
use hubnet_domain::sso::IdentityProvider;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, ClientId, ClientSecret, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IssuerUrl, RedirectUrl, StandardErrorResponse, StandardTokenResponse,
};
use serde::Deserialize;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use std::time::Instant;

/// How long a provider's discovery document and keys are kept before they are fetched again.
const DISCOVERY_TTL: Duration = Duration::from_mins(10);

/// Entra ID's claims beyond the standard ones: the tenant, the person's object id, and their
/// preferred language (the optional claim `xms_pl`, read when there is no `locale`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct EntraClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) tid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) oid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) xms_pl: Option<String>,
}

impl AdditionalClaims for EntraClaims {}

pub(super) type IdTokenFields = openidconnect::IdTokenFields<
    EntraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

pub(super) type TokenResponse = StandardTokenResponse<IdTokenFields, CoreTokenType>;

pub(super) type OidcClient = openidconnect::Client<
    EntraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Providers' discovery documents (with their signing keys), fetched on first use.
pub struct Discovery {
    pub(super) http: Http,
    documents: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl Default for Discovery {
    fn default() -> Self {
        crate::tls::install();
        // Never follow redirects: a provider that answers with one is misconfigured, and following
        // it could make hubnet fetch addresses an attacker chose.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_else(|error| {
                tracing::error!(%error, "no HTTP client for single sign-on");
                reqwest::Client::new()
            });
        Self { http: Http(http), documents: Mutex::new(HashMap::new()) }
    }
}

impl Discovery {
    /// The provider's discovery document: from memory when fresh, else fetched (and checked
    /// to name exactly the configured issuer).
    pub(super) async fn metadata(&self, issuer: &str) -> Result<CoreProviderMetadata, AppError> {
        if let Some((at, document)) = self.lock().get(issuer)
            && at.elapsed() < DISCOVERY_TTL
        {
            return Ok(document.clone());
        }
        let url = IssuerUrl::new(issuer.to_owned())
            .map_err(|e| AppError::from(SsoError::Provider(format!("issuer: {e}"))))?;
        let document = CoreProviderMetadata::discover_async(url, &self.http)
            .await
            .map_err(|e| AppError::from(SsoError::Provider(format!("discovery at {issuer}: {}", error_chain(&e)))))?;
        self.lock().insert(issuer.to_owned(), (Instant::now(), document.clone()));
        Ok(document)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, CoreProviderMetadata)>> {
        self.documents.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) async fn client(&self, provider: &IdentityProvider, redirect: &str) -> Result<OidcClient, AppError> {
        let metadata = self.metadata(&provider.issuer).await?;
        let redirect = RedirectUrl::new(redirect.to_owned()).map_err(|e| AppError::Internal(format!("{e}")))?;
        Ok(OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(provider.client_id.clone()),
            provider.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }
}

/// hubnet's own HTTP client as the OpenID Connect library's: its `reqwest` feature would pull in a
/// second version of reqwest.
pub(super) struct Http(reqwest::Client);

impl<'c> openidconnect::AsyncHttpClient<'c> for Http {
    type Error = reqwest::Error;
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<openidconnect::HttpResponse, reqwest::Error>> + Send + 'c>>;

    fn call(&'c self, request: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response =
                self.0.request(parts.method, parts.uri.to_string()).headers(parts.headers).body(body).send().await?;
            let mut answer = openidconnect::http::Response::builder().status(response.status());
            if let Some(headers) = answer.headers_mut() {
                headers.extend(response.headers().iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            let body = response.bytes().await?.to_vec();
            Ok(answer.body(body).unwrap_or_default())
        })
    }
}

/// The full chain of an error, for the log: the OpenID library nests its causes.
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
