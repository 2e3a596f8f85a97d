//! Who is using the pages: a session cookie, the CSRF secret its forms carry, and signing in
//! and out (a local account's email and password, or in demo mode a demo person).
//!
//! The cookie holds 32 random bytes; the database keeps only their SHA-256, as for API tokens.
//! It is `HttpOnly` and `SameSite=Lax`, and `Secure` when the request came over TLS (directly
//! or, behind a proxy, as `X-Forwarded-Proto: https`). Every form that changes something sends
//! the session's CSRF secret back; the sign-in form, which has no session yet, sends back the
//! secret of a short-lived cookie instead (a double-submit cookie).

use std::fmt::Write as _;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use hubnet_domain::access::Principal;
use hubnet_domain::{Language, PersonId};
use hubnet_store::{NewSession, StoreError};
use rand::TryRng as _;

use crate::auth::hash_token;
use crate::error::AppError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hubnet_session";
/// The sign-in form's double-submit cookie.
pub const SIGN_IN_COOKIE: &str = "hubnet_sign_in";
/// The language chosen before signing in.
pub const LANGUAGE_COOKIE: &str = "hubnet_lang";
/// How long a session lasts after signing in.
pub const SESSION_HOURS: i64 = 12;

/// A signed-in person, with the secret their forms must send back.
#[derive(Debug, Clone)]
pub struct WebSession {
    pub principal: Principal,
    pub csrf: String,
    token_hash: [u8; 32],
}

impl WebSession {
    pub fn language(&self) -> Language {
        self.principal.person.language
    }

    pub fn person_id(&self) -> PersonId {
        self.principal.person_id()
    }

    /// Refuses a form whose CSRF field is not this session's secret.
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if constant_time_eq(sent.as_bytes(), self.csrf.as_bytes()) { Ok(()) } else { Err(AppError::AccessDenied) }
    }
}

/// Pages that need a signed-in person send anyone else to the sign-in page, and back after
/// (to the page, not to a form's target, which only takes POSTs).
pub struct SignInFirst {
    next: String,
    /// Asked by htmx: tell it to load the sign-in page as a whole page.
    htmx: bool,
}

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let to = format!("/sign-in?next={}", urlencode(&self.next));
        if self.htmx {
            return htmx_redirect(&to);
        }
        Redirect::to(&to).into_response()
    }
}

/// An answer that makes htmx load `to` as a whole page.
pub fn htmx_redirect(to: &str) -> Response {
    let mut response = axum::http::StatusCode::OK.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert("hx-redirect", value);
    }
    response
}

/// Whether htmx sent the request.
pub fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

impl FromRequestParts<AppState> for WebSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let next = if parts.method == axum::http::Method::GET {
            parts.uri.path_and_query().map_or("/week", |p| p.as_str()).to_owned()
        } else {
            "/week".to_owned()
        };
        match current(&parts.headers, state).await {
            Ok(Some(session)) => Ok(session),
            Ok(None) => Err(SignInFirst { next, htmx: is_htmx(&parts.headers) }.into_response()),
            Err(error) => Err(super::error_page(&parts.headers, None, &error)),
        }
    }
}

/// The session of the request's cookie, if it is valid.
pub async fn current(headers: &HeaderMap, state: &AppState) -> Result<Option<WebSession>, AppError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else { return Ok(None) };
    if token.len() > 100 {
        return Ok(None);
    }
    let token_hash = hash_token(token);
    let info = match state.store.sign_in().session(&token_hash, state.now()).await {
        Ok(info) => info,
        Err(StoreError::NotFound) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let principal = match state.store.people().principal_of(info.person_id).await {
        Ok(principal) => principal,
        Err(StoreError::NotFound) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    Ok(Some(WebSession { principal, csrf: info.csrf_token, token_hash }))
}

/// Starts a session for `person` and answers with its cookie and a redirect to `next`.
pub async fn start(state: &AppState, headers: &HeaderMap, person: PersonId, next: &str) -> Result<Response, AppError> {
    // Signing in again, perhaps as someone else: the old session ends.
    if let Some(old) = cookie(headers, SESSION_COOKIE) {
        state.store.sign_in().end_session(&hash_token(old)).await?;
    }
    let token = random_secret()?;
    let now: DateTime<Utc> = state.now();
    state
        .store
        .sign_in()
        .create_session(&NewSession {
            token_hash: hash_token(&token),
            person_id: person,
            csrf_token: random_secret()?,
            created_at: now,
            expires_at: now + Duration::hours(SESSION_HOURS),
        })
        .await?;
    let mut response = Redirect::to(safe_next(next)).into_response();
    let max_age = SESSION_HOURS * 3600;
    set_cookie(&mut response, headers, &format!("{SESSION_COOKIE}={token}; Max-Age={max_age}"));
    set_cookie(&mut response, headers, &format!("{SIGN_IN_COOKIE}=; Max-Age=0"));
    Ok(response)
}

/// Ends the session and clears its cookie.
pub async fn end(state: &AppState, headers: &HeaderMap, session: &WebSession) -> Result<Response, AppError> {
    state.store.sign_in().end_session(&session.token_hash).await?;
    let mut response = Redirect::to("/sign-in").into_response();
    set_cookie(&mut response, headers, &format!("{SESSION_COOKIE}=; Max-Age=0"));
    Ok(response)
}

/// The password hash to store for a new password (argon2id, a random salt).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
}

/// Whether `password` matches the stored hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A hash of a password nobody has, checked when an email has no account, so that an unknown
/// email takes as long to refuse as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not anybody's password").unwrap_or_default())
}

/// 32 random bytes, base64url.
pub fn random_secret() -> Result<String, AppError> {
    let mut secret = [0u8; 32];
    rand::rngs::SysRng
        .try_fill_bytes(&mut secret)
        .map_err(|e| AppError::Internal(format!("the system random number generator failed: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(secret))
}

/// A cookie's value from the request.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// Adds a `Set-Cookie` for the whole site with hubnet's attributes.
pub fn set_cookie(response: &mut Response, request: &HeaderMap, cookie: &str) {
    let secure = request
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
    let value = format!("{cookie}; Path=/; HttpOnly; SameSite=Lax{}", if secure { "; Secure" } else { "" });
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Only a path on this site may follow signing in, never another site.
pub fn safe_next(next: &str) -> &str {
    // Browsers drop tabs and line breaks and read "\\" as "/": "/\t/evil.example" is "//evil.example".
    let local = next.starts_with('/')
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && !next[1..].trim_start_matches(|c: char| c.is_whitespace()).starts_with('/');
    if local { next } else { "/week" }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Percent-encodes a value for a query string.
pub fn urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("not anybody's password", &hash));
        assert!(verify_password("not anybody's password", dummy_hash()));
    }

    #[test]
    fn reads_cookies_from_one_or_several_headers() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; hubnet_session=abc"));
        headers.append(header::COOKIE, HeaderValue::from_static("hubnet_lang=sv"));
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, LANGUAGE_COOKIE), Some("sv"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn only_local_paths_may_follow_signing_in() {
        assert_eq!(safe_next("/find?date=2026-12-01"), "/find?date=2026-12-01");
        assert_eq!(safe_next("//evil.example/"), "/week");
        assert_eq!(safe_next("https://evil.example/"), "/week");
        assert_eq!(safe_next("/\\evil.example"), "/week");
        assert_eq!(safe_next("/\t/evil.example"), "/week");
        assert_eq!(safe_next("/\n/evil.example"), "/week");
        assert_eq!(safe_next("/week\\..\\x"), "/week");
        assert_eq!(safe_next("/ /evil.example"), "/week");
        assert_eq!(safe_next("/sites/1?date=2026-12-01"), "/sites/1?date=2026-12-01");
    }

    #[test]
    fn compares_secrets_in_full() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
