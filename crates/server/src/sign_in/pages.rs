//! The start page, the sign-in page (a password, a demo person, or an organisation's identity
//! provider), signing out, and choosing the language.

use askama::Template;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use hubnet_domain::Language;
use hubnet_store::StoreError;
use serde::Deserialize;

use crate::error::AppError;
use crate::state::AppState;
use crate::web::page::{Chrome, Tr, error_page, language, render_with};
use crate::web::session::{
    self, LANGUAGE_COOKIE, SIGN_IN_COOKIE, WebSession, cookie, dummy_hash, random_secret, safe_next, set_cookie,
    verify_password,
};

/// A demo person as the picker shows them.
pub struct DemoChoice {
    pub email: String,
    pub name: String,
    pub role: String,
}

/// The start page, signing in and out, and the language switch.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-in/demo", post(sign_in_demo))
        .route("/sign-out", post(sign_out))
        .route("/language", post(change_language))
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    page: Chrome,
    demo: Vec<DemoChoice>,
    csrf: String,
    next: String,
    email: String,
    /// Organisations' own sign-in services: (link, name).
    providers: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `/`: the week for a signed-in person, the sign-in page for anyone else.
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match session::current(&headers, &state).await {
        Ok(Some(_)) => Redirect::to("/week").into_response(),
        Ok(None) => Redirect::to("/sign-in").into_response(),
        Err(error) => error_page(&headers, None, &error),
    }
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref().unwrap_or("/week")).to_owned();
    match session::current(&headers, &state).await {
        Ok(Some(_)) => return Redirect::to(&next).into_response(),
        Ok(None) => {}
        Err(error) => return error_page(&headers, None, &error),
    }
    sign_in_form(&state, &headers, &next, "", None, StatusCode::OK).await
}

/// The sign-in page, with a fresh double-submit secret unless the browser holds one.
async fn sign_in_form(
    state: &AppState,
    headers: &HeaderMap,
    next: &str,
    email: &str,
    failure: Option<&str>,
    status: StatusCode,
) -> Response {
    let language = language(headers, None);
    let t = Tr(language);
    let (csrf, fresh) = match cookie(headers, SIGN_IN_COOKIE) {
        Some(secret) if secret.len() <= 64 => (secret.to_owned(), false),
        _ => match random_secret() {
            Ok(secret) => (secret, true),
            Err(error) => return error_page(headers, None, &error),
        },
    };
    let here = format!("/sign-in?next={}", session::urlencode(next));
    let mut page = Chrome::new(language, "web-sign-in-title", None, &here, "");
    if let Some(key) = failure {
        page = page.error(t.get(key));
    }
    let demo = state
        .demo_people
        .iter()
        .map(|p| DemoChoice { email: p.email.clone(), name: p.name.clone(), role: t.get(p.role_key) })
        .collect();
    let providers = crate::sso::providers(state)
        .await
        .into_iter()
        .map(|p| (format!("/sign-in/sso/{}?next={}", p.id, session::urlencode(next)), p.name))
        .collect();
    let template =
        SignInPage { page, demo, csrf: csrf.clone(), next: next.to_owned(), email: email.to_owned(), providers };
    let mut response = render_with(status, &template);
    if fresh {
        set_cookie(&mut response, headers, &format!("{SIGN_IN_COOKIE}={csrf}; Max-Age=3600"));
    }
    response
}

/// Whether the form echoes the browser's sign-in secret.
fn sign_in_csrf_ok(headers: &HeaderMap, sent: &str) -> bool {
    cookie(headers, SIGN_IN_COOKIE).is_some_and(|secret| secret == sent)
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    csrf: String,
    next: Option<String>,
    email: String,
    password: String,
}

/// Signs in with a local account. A wrong password and an unknown email get the same answer,
/// after the same work.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let next = safe_next(form.next.as_deref().unwrap_or("/week")).to_owned();
    if !sign_in_csrf_ok(&headers, &form.csrf) {
        return sign_in_form(&state, &headers, &next, &form.email, Some("web-sign-in-expired"), StatusCode::FORBIDDEN)
            .await;
    }
    // Too many failures for this email, or from this address, lately: refused before any
    // password is checked, the same for an account that exists and one that does not.
    let now = state.now();
    let since = now - chrono::Duration::minutes(LOCKOUT_MINUTES);
    let address = client_address(&headers, peer.map(|Extension(ConnectInfo(p))| p), state.config.trust_forwarded_for);
    let locked = match state.store.sign_in().sign_in_failures(&form.email, since).await {
        Ok(failures) if failures >= MAX_FAILURES => Some("web-sign-in-locked"),
        Ok(_) => None,
        Err(error) => return error_page(&headers, None, &error.into()),
    };
    let locked = match (locked, &address) {
        (None, Some(address)) => match state.store.sign_in().sign_in_failures_from(address, since).await {
            Ok(failures) if failures >= MAX_FAILURES_PER_ADDRESS => Some("web-sign-in-locked-address"),
            Ok(_) => None,
            Err(error) => return error_page(&headers, None, &error.into()),
        },
        (locked, _) => locked,
    };
    if let Some(why) = locked {
        return sign_in_form(&state, &headers, &next, &form.email, Some(why), StatusCode::TOO_MANY_REQUESTS).await;
    }
    let account = match state.store.sign_in().local_account(&form.email).await {
        Ok((person, hash)) => Some((person, hash)),
        Err(StoreError::NotFound) => None,
        Err(error) => return error_page(&headers, None, &error.into()),
    };
    let password = form.password;
    let (person, stored) = match &account {
        Some((person, hash)) => (Some(*person), hash.clone()),
        None => (None, dummy_hash().to_owned()),
    };
    // Each check takes about 19 MiB and a core for a moment: at most one per core at a time.
    let matches = match password_checks().acquire().await {
        Ok(_permit) => tokio::task::spawn_blocking(move || verify_password(&password, &stored)).await.unwrap_or(false),
        Err(_) => false,
    };
    if let Some(person) = person.filter(|_| matches) {
        return session::start(&state, &headers, person, &next)
            .await
            .unwrap_or_else(|error| error_page(&headers, None, &error));
    }
    let forget = now - chrono::Duration::days(1);
    if let Err(error) = state.store.sign_in().record_sign_in_failure(&form.email, address.as_deref(), now, forget).await
    {
        return error_page(&headers, None, &error.into());
    }
    sign_in_form(&state, &headers, &next, &form.email, Some("web-sign-in-failed"), StatusCode::UNAUTHORIZED).await
}

/// At most this many failed sign-ins per email in [`LOCKOUT_MINUTES`]; then even the right
/// password waits.
const MAX_FAILURES: u32 = 10;
/// At most this many failed sign-ins from one client address (any emails) in
/// [`LOCKOUT_MINUTES`]: one password tried against many accounts. Generous, since a whole office
/// may share one address.
const MAX_FAILURES_PER_ADDRESS: u32 = 50;
const LOCKOUT_MINUTES: i64 = 15;

/// The address failed sign-ins are counted by: the last `X-Forwarded-For` entry when hubnet is
/// configured to trust its proxy, else the connection's peer. IPv6 addresses count by their /64
/// network, since one host may hold a whole /64; IPv4-mapped ones as IPv4.
pub fn client_address(headers: &HeaderMap, peer: Option<SocketAddr>, trust_forwarded_for: bool) -> Option<String> {
    let forwarded = trust_forwarded_for
        .then(|| {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|s| !s.is_empty())
                .and_then(|s| s.parse::<IpAddr>().ok())
        })
        .flatten();
    let ip = forwarded.or_else(|| peer.map(|p| p.ip()))?;
    Some(match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                v4.to_string()
            } else {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    })
}

/// Password checks under way, at most one per core.
fn password_checks() -> &'static tokio::sync::Semaphore {
    static CHECKS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    CHECKS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
    })
}

#[derive(Debug, Deserialize)]
pub struct DemoForm {
    csrf: String,
    next: Option<String>,
    email: String,
}

/// Signs in as a demo person: only in demo mode, and only as one of the people offered.
pub async fn sign_in_demo(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<DemoForm>) -> Response {
    let next = safe_next(form.next.as_deref().unwrap_or("/week")).to_owned();
    if !sign_in_csrf_ok(&headers, &form.csrf) {
        return sign_in_form(&state, &headers, &next, "", Some("web-sign-in-expired"), StatusCode::FORBIDDEN).await;
    }
    let Some(demo) = state.demo_people.iter().find(|p| p.email == form.email) else {
        return error_page(&headers, None, &AppError::NotFound);
    };
    let result = async {
        let person = state.store.people().person_by_email(&demo.email).await?;
        session::start(&state, &headers, person.id, &next).await
    }
    .await;
    result.unwrap_or_else(|error| error_page(&headers, None, &error))
}

#[derive(Debug, Deserialize)]
pub struct SignOutForm {
    csrf: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Form(form): Form<SignOutForm>,
) -> Response {
    let result = async {
        session.check_csrf(&form.csrf)?;
        session::end(&state, &headers, &session).await
    }
    .await;
    result.unwrap_or_else(|error| error_page(&headers, Some(&session), &error))
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    csrf: String,
    next: Option<String>,
    lang: String,
}

/// Changes the language: the signed-in person's (remembered with them), or before signing in
/// the browser's (in a cookie).
pub async fn change_language(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Response {
    let next = safe_next(form.next.as_deref().unwrap_or("/week")).to_owned();
    let result = async {
        let language: Language = form.lang.parse().map_err(|_| AppError::invalid("lang", "fi, sv or en"))?;
        if let Some(session) = session::current(&headers, &state).await? {
            session.check_csrf(&form.csrf)?;
            state.store.people().set_language(session.person_id(), language).await?;
            Ok(Redirect::to(&next).into_response())
        } else {
            let mut response = Redirect::to(&next).into_response();
            set_cookie(&mut response, &headers, &format!("{LANGUAGE_COOKIE}={}; Max-Age=31536000", language.code()));
            Ok(response)
        }
    }
    .await;
    result.unwrap_or_else(|error: AppError| error_page(&headers, None, &error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_the_peer_or_a_trusted_proxys_last_forwarded_address() {
        let peer: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.append("x-forwarded-for", "203.0.113.9, 198.51.100.4".parse().unwrap());
        headers.append("x-forwarded-for", "192.0.2.7".parse().unwrap());
        // Untrusted: the header is anyone's to write, so only the peer counts.
        assert_eq!(client_address(&headers, Some(peer), false).as_deref(), Some("10.0.0.2"));
        // Behind a trusted proxy: the address it appended last.
        assert_eq!(client_address(&headers, Some(peer), true).as_deref(), Some("192.0.2.7"));
        // A header that is not an address falls back to the peer.
        let mut junk = HeaderMap::new();
        junk.insert("x-forwarded-for", "unknown".parse().unwrap());
        assert_eq!(client_address(&junk, Some(peer), true).as_deref(), Some("10.0.0.2"));
        // IPv6 by its /64, and IPv4 mapped into IPv6 as IPv4.
        let v6: SocketAddr = "[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:1".parse().unwrap();
        assert_eq!(client_address(&HeaderMap::new(), Some(v6), false).as_deref(), Some("2001:db8:1:2::/64"));
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:1".parse().unwrap();
        assert_eq!(client_address(&HeaderMap::new(), Some(mapped), false).as_deref(), Some("192.0.2.1"));
        assert_eq!(client_address(&HeaderMap::new(), None, true), None);
    }
}
