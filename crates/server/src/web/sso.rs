//! Single sign-on through an organisation's own OpenID Connect provider: the authorization code
//! flow with PKCE (RFC 7636), as Microsoft Entra ID and any certified provider speak it.
//!
//! `/sign-in/sso/{provider}` sends the browser to the provider with a fresh state, nonce and PKCE
//! challenge. They are kept in a short-lived cookie of this browser, not in the database: every
//! server of a cluster can finish a sign-in another began, and an abandoned one leaves nothing.
//! `/sign-in/sso/callback` checks the state against that cookie (so nobody can finish a sign-in
//! in somebody else's browser), exchanges the code with the PKCE verifier and the client secret,
//! verifies the ID token (signature against the provider's published keys, issuer, audience,
//! expiry, nonce), checks the address against the provider's domains, and signs in the person
//! the store finds or creates for (issuer, `oid` or `sub`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hubnet_domain::sso::{Claims, IdentityProvider};
use hubnet_domain::{IdentityProviderId, PersonId};
use hubnet_store::{SsoSignIn, StoreError};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse,
};
use serde::{Deserialize, Serialize};

use super::page::{error_page, language};
use super::session::{self, cookie, safe_next, set_cookie};
use crate::AppState;
use crate::audit;
use crate::error::AppError;
use hubnet_domain::audit::{AuditAction, SubjectKind};

/// The cookie that carries a sign-in under way from its start to the provider's answer.
const FLOW_COOKIE: &str = "hubnet_sso";
/// How long a person may take at their provider.
const FLOW_SECONDS: i64 = 600;
/// How long a provider's discovery document and keys are kept before they are fetched again.
const DISCOVERY_TTL: Duration = Duration::from_mins(10);
/// The callback every provider is registered with, under hubnet's public address.
pub const CALLBACK_PATH: &str = "/sign-in/sso/callback";

/// Entra ID's claims beyond the standard ones: the tenant, the person's object id, and their
/// preferred language (the optional claim `xms_pl`, read when there is no `locale`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntraClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    xms_pl: Option<String>,
}

impl AdditionalClaims for EntraClaims {}

type IdTokenFields = openidconnect::IdTokenFields<
    EntraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type TokenResponse = StandardTokenResponse<IdTokenFields, CoreTokenType>;
type OidcClient = openidconnect::Client<
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
    http: Http,
    documents: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl Default for Discovery {
    fn default() -> Self {
        crate::install_tls();
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
    async fn metadata(&self, issuer: &str) -> Result<CoreProviderMetadata, AppError> {
        if let Some((at, document)) = self.lock().get(issuer)
            && at.elapsed() < DISCOVERY_TTL
        {
            return Ok(document.clone());
        }
        let url = IssuerUrl::new(issuer.to_owned()).map_err(|e| AppError::SsoProvider(format!("issuer: {e}")))?;
        let document = CoreProviderMetadata::discover_async(url, &self.http)
            .await
            .map_err(|e| AppError::SsoProvider(format!("discovery at {issuer}: {}", error_chain(&e))))?;
        self.lock().insert(issuer.to_owned(), (Instant::now(), document.clone()));
        Ok(document)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, CoreProviderMetadata)>> {
        self.documents.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn client(&self, provider: &IdentityProvider, redirect: &str) -> Result<OidcClient, AppError> {
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
struct Http(reqwest::Client);

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
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What the flow cookie holds between the start and the provider's answer.
#[derive(Debug, Serialize, Deserialize)]
struct Flow {
    provider: IdentityProviderId,
    state: String,
    nonce: String,
    verifier: String,
    next: String,
    /// Unix seconds after which the answer is refused.
    until: i64,
}

impl Flow {
    fn encode(&self) -> Result<String, AppError> {
        serde_json::to_vec(self)
            .map(|json| URL_SAFE_NO_PAD.encode(json))
            .map_err(|e| AppError::Internal(format!("encoding the sign-in flow: {e}")))
    }

    fn decode(value: &str) -> Option<Self> {
        let json = URL_SAFE_NO_PAD.decode(value).ok()?;
        serde_json::from_slice(&json).ok()
    }
}

/// The address providers send people back to: register it at the provider.
pub fn redirect_uri(state: &AppState, headers: &HeaderMap) -> String {
    public_url(state, headers) + CALLBACK_PATH
}

/// hubnet's address as people reach it: the configured `public_url`, else this request's host.
fn public_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.clone();
    }
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// `GET /sign-in/sso/{provider}`: off to the organisation's provider.
pub async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(provider): Path<IdentityProviderId>,
    Query(query): Query<StartQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref().unwrap_or("/week")).to_owned();
    begin(&state, &headers, provider, next).await.unwrap_or_else(|error| error_page(&headers, None, &error))
}

async fn begin(
    state: &AppState,
    headers: &HeaderMap,
    id: IdentityProviderId,
    next: String,
) -> Result<Response, AppError> {
    let provider = state.store.sso().get_identity_provider(id).await?;
    let client = state.sso.client(&provider, &redirect_uri(state, headers)).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let flow = Flow {
        provider: id,
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        next,
        until: state.now().timestamp() + FLOW_SECONDS,
    };
    let mut response = Redirect::to(url.as_str()).into_response();
    set_cookie(&mut response, headers, &format!("{FLOW_COOKIE}={}; Max-Age={FLOW_SECONDS}", flow.encode()?));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /sign-in/sso/callback`: the provider's answer.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let mut response = finish(&state, &headers, query).await.unwrap_or_else(|error| error_page(&headers, None, &error));
    // The flow is over either way: its secrets must not be used twice.
    set_cookie(&mut response, &headers, &format!("{FLOW_COOKIE}=; Max-Age=0"));
    response
}

async fn finish(state: &AppState, headers: &HeaderMap, query: CallbackQuery) -> Result<Response, AppError> {
    let flow = cookie(headers, FLOW_COOKIE).and_then(Flow::decode).ok_or(AppError::SsoExpired)?;
    if query.state.as_deref() != Some(flow.state.as_str()) || state.now().timestamp() > flow.until {
        return Err(AppError::SsoExpired);
    }
    if let Some(error) = query.error {
        tracing::info!(%error, description = ?query.error_description, "the identity provider did not sign the person in");
        return Err(AppError::SsoCancelled);
    }
    let code = query.code.ok_or(AppError::SsoExpired)?;
    let provider = state.store.sso().get_identity_provider(flow.provider).await?;
    let client = state.sso.client(&provider, &redirect_uri(state, headers)).await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| AppError::SsoProvider(format!("no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier))
        .request_async(&state.sso.http)
        .await
        .map_err(|e| AppError::SsoProvider(format!("code exchange at {}: {}", provider.issuer, error_chain(&e))))?;
    let id_token = tokens.extra_fields().id_token().ok_or_else(|| AppError::SsoProvider("no ID token".into()))?;
    let verified = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(flow.nonce))
        .map_err(|e| AppError::SsoProvider(format!("ID token from {}: {}", provider.issuer, error_chain(&e))))?;
    let extra = verified.additional_claims();
    let claims = Claims {
        subject: verified.subject().to_string(),
        object_id: extra.oid.clone(),
        tenant_id: extra.tid.clone(),
        email: verified.email().map(|e| e.to_string()),
        preferred_username: verified.preferred_username().map(|u| u.to_string()),
        name: verified.name().and_then(|n| n.get(None)).map(|n| n.to_string()),
        given_name: verified.given_name().and_then(|n| n.get(None)).map(|n| n.to_string()),
        family_name: verified.family_name().and_then(|n| n.get(None)).map(|n| n.to_string()),
        locale: verified.locale().map(ToString::to_string).or_else(|| extra.xms_pl.clone()),
    };
    let assertion = claims.assert_for(&provider).map_err(AppError::SsoRefused)?;
    let sign_in = SsoSignIn {
        organisation_id: provider.organisation_id,
        issuer: provider.issuer.clone(),
        assertion,
        new_person: PersonId::from_uuid(uuid::Uuid::now_v7()),
        fallback_language: language(headers, None),
        at: state.now(),
    };
    let outcome = match state.store.sso().sso_person(&sign_in).await {
        Ok(outcome) => outcome,
        Err(StoreError::Duplicate(_)) => return Err(AppError::SsoAccountTaken),
        Err(other) => return Err(other.into()),
    };
    if !state.store.people().get_person(outcome.person_id).await?.active {
        return Err(AppError::AccountDeactivated);
    }
    if outcome.created {
        let subject = audit::Subject::new(SubjectKind::Person, outcome.person_id);
        let detail = serde_json::json!({ "identity_provider": provider.id });
        let organisation = provider.organisation_id;
        audit::record_by(state, audit::SINGLE_SIGN_ON, organisation, AuditAction::PersonCreated, subject, detail)
            .await?;
    }
    tracing::info!(person = %outcome.person_id, created = outcome.created, issuer = %provider.issuer, "signed in through single sign-on");
    session::start(state, headers, outcome.person_id, &flow.next).await
}

/// The organisations' providers offered on the sign-in page, by name.
pub async fn providers(state: &AppState) -> Vec<IdentityProvider> {
    state.store.sso().list_identity_providers(None).await.unwrap_or_else(|error| {
        tracing::warn!(%error, "listing identity providers for the sign-in page");
        Vec::new()
    })
}
