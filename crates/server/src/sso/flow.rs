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

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hubnet_domain::sso::Claims;
use hubnet_domain::{IdentityProviderId, PersonId};
use hubnet_store::{SsoSignIn, StoreError};
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{AuthorizationCode, CsrfToken, Nonce, PkceCodeChallenge, PkceCodeVerifier, Scope};
use serde::{Deserialize, Serialize};

use super::discovery::error_chain;
use crate::audit;
use crate::error::AppError;
use crate::sso::discovery::Discovery;
use crate::sso::error::SsoError;
use crate::state::AppState;
use crate::web::page::{error_page, language};
use crate::web::session::{self, cookie, safe_next, set_cookie};
use hubnet_domain::audit::{AuditAction, SubjectKind};

/// The cookie that carries a sign-in under way from its start to the provider's answer.
const FLOW_COOKIE: &str = "hubnet_sso";
/// How long a person may take at their provider.
const FLOW_SECONDS: i64 = 600;
/// The callback every provider is registered with, under hubnet's public address.
pub const CALLBACK_PATH: &str = "/sign-in/sso/callback";

/// What the flow cookie holds between the start and the provider's answer.
/// The sign-in routes, merged into [`crate::web::router`].
pub fn router() -> Router<AppState> {
    Router::new().route(CALLBACK_PATH, get(callback)).route("/sign-in/sso/{provider}", get(start))
}

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
async fn start(
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
    let client = state.shared::<Discovery>().client(&provider, &redirect_uri(state, headers)).await?;
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
async fn callback(State(state): State<AppState>, headers: HeaderMap, Query(query): Query<CallbackQuery>) -> Response {
    let mut response = finish(&state, &headers, query).await.unwrap_or_else(|error| error_page(&headers, None, &error));
    // The flow is over either way: its secrets must not be used twice.
    set_cookie(&mut response, &headers, &format!("{FLOW_COOKIE}=; Max-Age=0"));
    response
}

async fn finish(state: &AppState, headers: &HeaderMap, query: CallbackQuery) -> Result<Response, AppError> {
    let flow = cookie(headers, FLOW_COOKIE).and_then(Flow::decode).ok_or(SsoError::Expired)?;
    if query.state.as_deref() != Some(flow.state.as_str()) || state.now().timestamp() > flow.until {
        return Err(SsoError::Expired.into());
    }
    if let Some(error) = query.error {
        tracing::info!(%error, description = ?query.error_description, "the identity provider did not sign the person in");
        return Err(SsoError::Cancelled.into());
    }
    let code = query.code.ok_or(SsoError::Expired)?;
    let provider = state.store.sso().get_identity_provider(flow.provider).await?;
    let client = state.shared::<Discovery>().client(&provider, &redirect_uri(state, headers)).await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| AppError::from(SsoError::Provider(format!("no token endpoint: {e}"))))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier))
        .request_async(&state.shared::<Discovery>().http)
        .await
        .map_err(|e| {
            AppError::from(SsoError::Provider(format!("code exchange at {}: {}", provider.issuer, error_chain(&e))))
        })?;
    let id_token =
        tokens.extra_fields().id_token().ok_or_else(|| AppError::from(SsoError::Provider("no ID token".into())))?;
    let verified = id_token.claims(&client.id_token_verifier(), &Nonce::new(flow.nonce)).map_err(|e| {
        AppError::from(SsoError::Provider(format!("ID token from {}: {}", provider.issuer, error_chain(&e))))
    })?;
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
    let assertion = claims.assert_for(&provider).map_err(SsoError::Refused)?;
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
        Err(StoreError::Duplicate(_)) => return Err(SsoError::AccountTaken.into()),
        Err(other) => return Err(other.into()),
    };
    if !state.store.people().get_person(outcome.person_id).await?.active {
        return Err(SsoError::AccountDeactivated.into());
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
