//! The pages without a browser: signing in and out, sessions and their cookies, the CSRF secret
//! on every form, and what one organisation's person may do through them. (The browser suite
//! in `e2e/` drives the same pages in Chromium.)

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use hubnet_server::web::session::hash_password;
use serde_json::Value;

use crate::helpers::{TestApp, Who};

/// A browser's cookie jar around the in-process app.
pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    pub cookies: HashMap<String, String>,
    pub headers: Vec<(&'static str, String)>,
    /// The address the browser connects from, as the server sees its peer.
    pub peer: Option<std::net::SocketAddr>,
}

pub(crate) struct Page {
    pub(crate) status: StatusCode,
    headers_csp: String,
    pub(crate) location: String,
    set_cookies: Vec<String>,
    pub(crate) html: String,
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Self {
        Self { app, cookies: HashMap::new(), headers: vec![("accept-language", "en".into())], peer: None }
    }

    async fn request(&mut self, method: Method, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        let mut request = Request::builder().method(method).uri(path).header(header::ACCEPT, "text/html");
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        if let Some(peer) = self.peer {
            request = request.extension(axum::extract::ConnectInfo(peer));
        }
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(header::COOKIE, jar.join("; "));
        }
        let body = match form {
            Some(fields) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let encoded: Vec<String> =
                    fields.iter().map(|(k, v)| format!("{k}={}", hubnet_server::web::session::urlencode(v))).collect();
                Body::from(encoded.join("&"))
            }
            None => Body::empty(),
        };
        let reply = self.app.send(request.body(body).unwrap()).await;
        let set_cookies: Vec<String> =
            reply.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        for cookie in &set_cookies {
            let (pair, _) = cookie.split_once(';').unwrap_or((cookie, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let html = match reply.body {
            Value::String(s) => s,
            other => other.to_string(),
        };
        let location = reply.headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let headers_csp = reply
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        Page { status: reply.status, headers_csp, location, set_cookies, html }
    }

    pub(crate) async fn get(&mut self, path: &str) -> Page {
        self.request(Method::GET, path, None).await
    }

    pub(crate) async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.request(Method::POST, path, Some(fields)).await
    }

    /// Signs in with a password through the form, as a person would.
    pub(crate) async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/sign-in").await;
        let csrf = hidden(&form.html, "csrf");
        self.post("/sign-in", &[("csrf", &csrf), ("next", "/week"), ("email", email), ("password", password)]).await
    }
}

/// The first non-empty value of a hidden field with this name (the language switch of a page
/// without a session has an empty one).
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.match_indices(&marker)
        .map(|(at, _)| html[at + marker.len()..].split('"').next().unwrap())
        .find(|value| !value.is_empty())
        .unwrap_or_else(|| panic!("no field {name} in {html}"))
        .to_owned()
}

/// The fields a browser sends for the form with this id as the page fills it: inputs with their
/// values (checkboxes only when checked), each select's chosen option, textareas; no buttons.
pub(crate) fn form_fields(html: &str, id: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("<form id=\"{id}\"")).unwrap_or_else(|| panic!("no form {id} in {html}"));
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut fields = Vec::new();
    for (at, _) in form.match_indices('<') {
        let rest = &form[at..];
        let tag = &rest[..=rest.find('>').unwrap()];
        let Some(name) = attribute(tag, "name") else { continue };
        if tag.starts_with("<input") {
            let checkbox = matches!(attribute(tag, "type").as_deref(), Some("checkbox" | "radio"));
            if !checkbox || tag.contains(" checked") {
                fields.push((
                    name,
                    attribute(tag, "value").unwrap_or_else(|| if checkbox { "on".into() } else { String::new() }),
                ));
            }
        } else if tag.starts_with("<select") {
            let options: Vec<&str> = rest[..rest.find("</select>").unwrap()].split("<option").skip(1).collect();
            let chosen =
                options.iter().find(|o| o.split('>').next().unwrap().contains(" selected")).or(options.first());
            if let Some(option) = chosen {
                fields.push((name, attribute(&format!("<option{option}"), "value").unwrap_or_default()));
            }
        } else if tag.starts_with("<textarea") {
            fields.push((name, unescape(&rest[tag.len()..rest.find("</textarea>").unwrap()])));
        }
    }
    fields
}

/// The whole start tag of the element with this id.
pub(crate) fn tag_with_id<'h>(html: &'h str, id: &str) -> &'h str {
    let at = html.find(&format!(" id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    &html[start..=at + html[at..].find('>').unwrap()]
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let at = tag.find(&marker)? + marker.len();
    Some(unescape(tag[at..].split('"').next()?))
}

fn unescape(text: &str) -> String {
    [("&quot;", "\""), ("&#34;", "\""), ("&#x27;", "'"), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
        .iter()
        .fold(text.to_owned(), |text, (entity, char)| text.replace(entity, char))
}

pub(crate) async fn with_password(app: &TestApp, who: &Who, password: &str) {
    app.store
        .sign_in()
        .set_password(who.person.id, &hash_password(password).unwrap(), crate::helpers::now())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.aino, "correct horse battery").await;
    let mut browser = Browser::new(&app);
    let wrong = browser.sign_in(app.net.aino.person.email.as_str(), "correct horse batterY").await;
    let unknown = browser.sign_in("nobody@agency.example", "correct horse battery").await;
    for page in [&wrong, &unknown] {
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.html.contains("The email or password is wrong."));
        assert!(!page.set_cookies.iter().any(|c| c.starts_with("hubnet_session=")));
    }
    // Someone without a password cannot sign in with any.
    let no_account = browser.sign_in(app.net.bjorn.person.email.as_str(), "").await;
    assert_eq!(no_account.status, StatusCode::UNAUTHORIZED);

    let right = browser.sign_in(app.net.aino.person.email.as_str(), "correct horse battery").await;
    assert_eq!((right.status, right.location.as_str()), (StatusCode::SEE_OTHER, "/week"));
    let cookie = right.set_cookies.iter().find(|c| c.starts_with("hubnet_session=")).unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"), "{cookie}");
    let week = browser.get("/week").await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(week.html.contains(&app.net.aino.person.name), "the week is Aino's");
    app.finish().await;
}

#[tokio::test]
async fn the_session_cookie_is_secure_behind_tls() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.aino, "correct horse battery").await;
    let mut browser = Browser::new(&app);
    browser.headers.push(("x-forwarded-proto", "https".into()));
    let signed_in = browser.sign_in(app.net.aino.person.email.as_str(), "correct horse battery").await;
    let cookie = signed_in.set_cookies.iter().find(|c| c.starts_with("hubnet_session=")).unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    app.finish().await;
}

#[tokio::test]
async fn a_sign_in_form_from_elsewhere_is_refused() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.aino, "correct horse battery").await;
    let mut browser = Browser::new(&app);
    // A form posted from another site carries no (or another) sign-in secret.
    let email = app.net.aino.person.email.as_str();
    let forged =
        browser.post("/sign-in", &[("csrf", "guessed"), ("email", email), ("password", "correct horse battery")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!forged.set_cookies.iter().any(|c| c.starts_with("hubnet_session=")));
    app.finish().await;
}

#[tokio::test]
async fn pages_send_people_without_a_session_to_sign_in_and_back() {
    let app = TestApp::sqlite().await;
    let mut browser = Browser::new(&app);
    let week = browser.get("/find?date=2026-11-24").await;
    assert_eq!(week.status, StatusCode::SEE_OTHER);
    assert_eq!(week.location, "/sign-in?next=/find%3Fdate%3D2026-11-24");
    // Not a demo: the demo sign-in does not exist.
    let form = browser.get("/sign-in").await;
    let csrf = hidden(&form.html, "csrf");
    let demo = browser.post("/sign-in/demo", &[("csrf", &csrf), ("email", app.net.aino.person.email.as_str())]).await;
    assert_eq!(demo.status, StatusCode::NOT_FOUND);
    assert!(!demo.set_cookies.iter().any(|c| c.starts_with("hubnet_session=")));
    // Only a path on this site may follow signing in.
    with_password(&app, &app.net.aino, "correct horse battery").await;
    let form = browser.get("/sign-in").await;
    let csrf = hidden(&form.html, "csrf");
    let email = app.net.aino.person.email.as_str();
    let away = browser
        .post(
            "/sign-in",
            &[("csrf", &csrf), ("next", "//evil.example/"), ("email", email), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(away.location, "/week");
    app.finish().await;
}

#[tokio::test]
async fn a_form_without_the_sessions_secret_changes_nothing() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.aino, "correct horse battery").await;
    let booked = app.book_day(&app.net.aino, &app.net.helsinki_desks[0], "2026-11-25").await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let id = booked.body["id"].as_str().unwrap().to_owned();
    let mut browser = Browser::new(&app);
    browser.sign_in(app.net.aino.person.email.as_str(), "correct horse battery").await;
    let week = browser.get("/week").await;
    assert!(week.html.contains(&format!("/bookings/{id}/cancel")), "the booking is on My week");
    let csrf = hidden(&week.html, "csrf");

    let forged = browser.post(&format!("/bookings/{id}/cancel"), &[("csrf", "not-the-secret")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.html.contains("access_denied"), "a page that says why");
    assert_eq!(app.active_bookings(&app.net.helsinki).await.len(), 1, "still booked");

    let cancelled = browser.post(&format!("/bookings/{id}/cancel"), &[("csrf", &csrf)]).await;
    assert_eq!((cancelled.status, cancelled.location.as_str()), (StatusCode::SEE_OTHER, "/week?notice=cancelled"));
    assert!(app.active_bookings(&app.net.helsinki).await.is_empty());
    app.finish().await;
}

#[tokio::test]
async fn a_person_cannot_cancel_or_host_another_organisations_things_through_the_pages() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.aino, "correct horse battery").await;
    let booked = app.book_day(&app.net.bjorn, &app.net.ostersund_desks[0], "2026-11-25").await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let id = booked.body["id"].as_str().unwrap().to_owned();
    let mut browser = Browser::new(&app);
    browser.sign_in(app.net.aino.person.email.as_str(), "correct horse battery").await;
    let csrf = hidden(&browser.get("/week").await.html, "csrf");

    let cancel = browser.post(&format!("/bookings/{id}/cancel"), &[("csrf", &csrf)]).await;
    assert_eq!(cancel.status, StatusCode::NOT_FOUND);
    assert_eq!(app.active_bookings(&app.net.ostersund).await.len(), 1, "Björn's booking stands");

    // The region's office: visible in the directory, not bookable, not hers to edit.
    let site = browser.get(&format!("/sites/{}?date=2026-11-25", app.net.ostersund.id)).await;
    assert_eq!(site.status, StatusCode::OK);
    assert!(site.html.contains("Tämä toimipaikka ei ole avoinna organisaatiollesi."), "in Aino's Finnish");
    assert!(!site.html.contains("action=\"/book\""), "no booking buttons");
    let host = browser.get(&format!("/host/sites/{}", app.net.ostersund.id)).await;
    assert_eq!(host.status, StatusCode::NOT_FOUND);
    let name = app.net.ostersund.name.en.clone();
    let edit = browser
        .post(
            &format!("/host/sites/{}", app.net.ostersund.id),
            &[("csrf", &csrf), ("name_fi", "Hacked"), ("name_sv", "Hacked"), ("name_en", "Hacked")],
        )
        .await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    assert_eq!(app.store.sites().get_site(app.net.ostersund.id).await.unwrap().name.en, name);
    // Booking there through the page is refused by the same rules as the API.
    let desk = app.net.ostersund_desks[1].id.to_string();
    let book = browser
        .post("/book", &[("csrf", &csrf), ("space_id", &desk), ("date", "2026-11-26"), ("period", "full_day")])
        .await;
    assert_eq!(book.status, StatusCode::FORBIDDEN);
    assert!(book.html.contains("site_not_open_to_you"));
    assert_eq!(app.active_bookings(&app.net.ostersund).await.len(), 1);
    app.finish().await;
}

#[tokio::test]
async fn signing_out_ends_the_session_and_the_language_stays_with_the_person() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.aino, "correct horse battery").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(app.net.aino.person.email.as_str(), "correct horse battery").await;
    let csrf = hidden(&browser.get("/week").await.html, "csrf");
    let switched = browser.post("/language", &[("csrf", &csrf), ("lang", "sv"), ("next", "/week")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let week = browser.get("/week").await;
    assert!(week.html.contains("<html lang=\"sv\">") && week.html.contains("Min vecka"));
    assert_eq!(app.store.people().get_person(app.net.aino.person.id).await.unwrap().language.code(), "sv");

    let session = browser.cookies["hubnet_session"].clone();
    let out = browser.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!((out.status, out.location.as_str()), (StatusCode::SEE_OTHER, "/sign-in"));
    // The old cookie, replayed, opens nothing.
    browser.cookies.insert("hubnet_session".into(), session);
    assert_eq!(browser.get("/week").await.status, StatusCode::SEE_OTHER);
    app.finish().await;
}

#[tokio::test]
async fn a_browser_gets_errors_as_pages_and_an_api_client_as_json() {
    let app = TestApp::sqlite().await;
    let mut browser = Browser::new(&app);
    browser.headers = vec![("accept-language", "fi".into())];
    let page = browser.get("/no-such-page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.contains("<html lang=\"fi\">") && page.html.contains("Sivua ei löytynyt"), "{}", page.html);
    let api = browser.get("/api/v1/no-such-thing").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.html.contains("\"code\":\"not_found\""), "{}", api.html);
    app.finish().await;
}

#[tokio::test]
async fn a_host_changes_only_their_own_sites_spaces_and_pages_refuse_framing_and_foreign_scripts() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.lab_host, "correct horse battery").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(app.net.lab_host.person.email.as_str(), "correct horse battery").await;
    let page = browser.get(&format!("/host/sites/{}", app.net.lab.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = hidden(&page.html, "csrf");

    // A desk of the agency's Helsinki office is not the lab host's to rename.
    let desk = &app.net.helsinki_desks[0];
    let rename = browser.post(&format!("/host/spaces/{}", desk.id), &[("csrf", &csrf), ("name", "Mine now")]).await;
    assert_eq!(rename.status, StatusCode::NOT_FOUND);
    assert_eq!(app.store.sites().get_space(desk.id).await.unwrap().name, desk.name);
    // Nor may a space be added to the lab on another site's floor.
    let floor = desk.floor_id.to_string();
    let add = browser
        .post(
            &format!("/host/sites/{}/spaces", app.net.lab.id),
            &[("csrf", &csrf), ("floor_id", &floor), ("name", "Sneaky"), ("kind", "desk"), ("bookable", "on")],
        )
        .await;
    assert_eq!(add.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!app.store.sites().list_spaces(app.net.helsinki.id).await.unwrap().iter().any(|s| s.name == "Sneaky"));
    // Their own lab's desk they may.
    let own = &app.net.lab_desks[0];
    let renamed = browser
        .post(&format!("/host/spaces/{}", own.id), &[("csrf", &csrf), ("name", "Window 1"), ("bookable", "on")])
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.sites().get_space(own.id).await.unwrap().name, "Window 1");

    // Every page forbids framing and scripts from elsewhere.
    let csp = page.headers_csp;
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
    app.finish().await;
}

#[tokio::test]
async fn a_refused_site_form_comes_back_with_what_was_typed_and_why() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.lab_host, "correct horse battery").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(app.net.lab_host.person.email.as_str(), "correct horse battery").await;
    let path = format!("/host/sites/{}", app.net.lab.id);
    let csrf = hidden(&browser.get(&path).await.html, "csrf");
    let mut fields = vec![("csrf", csrf.as_str()), ("name_fi", "Uusi nimi"), ("name_sv", "Nytt namn")];
    // Monday closes before it opens.
    fields.extend([("name_en", "New name"), ("mon_opens", "18:00"), ("mon_closes", "09:00")]);
    let refused = browser.post(&path, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    // In the host's Finnish: the field by its label, and the typed values kept.
    assert!(refused.html.contains("maanantai: Sulkeutuu"), "{}", refused.html);
    assert!(refused.html.contains("value=\"Uusi nimi\"") && refused.html.contains("value=\"18:00\""));
    // Nothing was saved.
    assert_eq!(app.store.sites().get_site(app.net.lab.id).await.unwrap().name, app.net.lab.name);
    app.finish().await;
}

#[tokio::test]
async fn ten_failed_sign_ins_lock_an_email_for_a_while_known_or_not() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.aino, "correct horse battery").await;
    let mut browser = Browser::new(&app);
    let email = app.net.aino.person.email.as_str();
    for _ in 0..10 {
        assert_eq!(browser.sign_in(email, "a wrong guess").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(browser.sign_in("nobody@agency.example", "a wrong guess").await.status, StatusCode::UNAUTHORIZED);
    }
    for who in [email, "nobody@agency.example"] {
        let locked = browser.sign_in(who, "correct horse battery").await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.html.contains("Too many failed sign-ins for this email."), "{}", locked.html);
        assert!(!locked.set_cookies.iter().any(|c| c.starts_with("hubnet_session=")));
    }
    // Another account is not affected.
    with_password(&app, &app.net.bjorn, "another long passphrase").await;
    let other = browser.sign_in(app.net.bjorn.person.email.as_str(), "another long passphrase").await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    app.finish().await;
}

#[tokio::test]
async fn fifty_failed_sign_ins_from_one_address_lock_that_address_whatever_the_emails() {
    let app = TestApp::sqlite().await;
    with_password(&app, &app.net.bjorn, "another long passphrase").await;
    let sprayer: std::net::SocketAddr = "192.0.2.7:40000".parse().unwrap();
    // 49 failures from the address already, each for another account (one password sprayed).
    let now = crate::helpers::now();
    for n in 0..49 {
        let email = format!("person{n}@agency.example");
        app.store
            .sign_in()
            .record_sign_in_failure(&email, Some("192.0.2.7"), now, now - chrono::Duration::days(1))
            .await
            .unwrap();
    }
    let mut browser = Browser::new(&app);
    browser.peer = Some(sprayer);
    assert_eq!(browser.sign_in("person49@agency.example", "Summer2026!").await.status, StatusCode::UNAUTHORIZED);
    // The 51st attempt from there is refused before any password is checked, even the right one.
    let bjorn = app.net.bjorn.person.email.as_str();
    let locked = browser.sign_in(bjorn, "another long passphrase").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", locked.html);
    assert!(locked.html.contains("Too many failed sign-ins from your network."), "{}", locked.html);
    assert!(!locked.set_cookies.iter().any(|c| c.starts_with("hubnet_session=")));
    // From another address, and for an IPv6 host elsewhere, Björn signs in.
    for elsewhere in ["198.51.100.1:40000", "[2001:db8::1]:40000"] {
        let mut other = Browser::new(&app);
        other.peer = Some(elsewhere.parse().unwrap());
        assert_eq!(other.sign_in(bjorn, "another long passphrase").await.status, StatusCode::SEE_OTHER);
    }
    app.finish().await;
}

#[tokio::test]
async fn a_person_downloads_their_own_data_and_only_theirs() {
    let app = TestApp::sqlite().await;
    let mine = app.book_day(&app.net.aino, &app.net.helsinki_desks[0], "2026-11-25").await;
    let cancelled = app.book_day(&app.net.aino, &app.net.helsinki_desks[1], "2026-11-26").await;
    app.delete(&format!("/api/v1/bookings/{}", cancelled.body["id"].as_str().unwrap()), &app.net.aino).await;
    app.book_day(&app.net.bjorn, &app.net.ostersund_desks[0], "2026-11-25").await;

    let export = app.get("/api/v1/me/export", &app.net.aino).await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.body["person"]["email"], app.net.aino.person.email.as_str());
    assert_eq!(export.body["organisation"]["id"], app.net.agency.id.to_string());
    let ids: Vec<&str> =
        export.body["bookings"].as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [mine.body["id"].as_str().unwrap(), cancelled.body["id"].as_str().unwrap()], "hers, cancelled too");
    let tokens = export.body["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 1);
    assert!(!export.body.to_string().contains(&app.net.aino.token), "never a token's secret");

    // The same file from the pages.
    with_password(&app, &app.net.aino, "correct horse battery").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(app.net.aino.person.email.as_str(), "correct horse battery").await;
    let file = browser.get("/me/data").await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.html.contains(mine.body["id"].as_str().unwrap()) && !file.html.contains("bjorn@region.example"));
    app.finish().await;
}

#[tokio::test]
async fn my_home_takes_a_finnish_postal_code_and_a_refused_one_comes_back_as_typed() {
    let app = TestApp::sqlite().await;
    let aino = &app.net.aino;
    with_password(&app, aino, "a long enough password").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(aino.person.email.as_str(), "a long enough password").await;
    let form = browser.get("/me/home").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert!(form.html.contains("<label for=\"postal_code\">Tai Suomessa postinumerosi</label>"), "{}", form.html);
    let csrf = hidden(&form.html, "csrf");

    // The postal code decides, whatever the list says.
    let saved =
        browser.post("/me/home", &[("csrf", &csrf), ("municipality", "FI-111"), ("postal_code", "02100")]).await;
    assert_eq!((saved.status, saved.location.as_str()), (StatusCode::SEE_OTHER, "/me/home?notice=saved"));
    let page = browser.get(&saved.location).await;
    assert!(page.html.contains("Kotikuntasi on tallennettu: Espoo."), "{}", page.html);
    assert!(page.html.contains("<option value=\"FI-049\" selected>Espoo (Suomi)</option>"), "{}", page.html);

    // An unknown code: the page again, with why, the code as typed and the field marked; nothing saved.
    let refused =
        browser.post("/me/home", &[("csrf", &csrf), ("municipality", "FI-049"), ("postal_code", "12345")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(refused.html.contains("Postinumeroa 12345 ei ole olemassa."), "{}", refused.html);
    assert!(refused.html.contains("value=\"12345\" aria-describedby=\"postal_code-hint\" aria-invalid=\"true\""));
    let me = app.get("/api/v1/me", aino).await;
    assert_eq!(me.body["person"]["home_municipality"], "FI-049");

    // Without a postal code the list decides; the empty choice removes the home.
    let removed = browser.post("/me/home", &[("csrf", &csrf), ("municipality", ""), ("postal_code", "")]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(browser.get("/me/home?notice=saved").await.html.contains("Kotikuntasi on poistettu."));
    assert_eq!(app.get("/api/v1/me", aino).await.body["person"]["home_municipality"], serde_json::Value::Null);
    app.finish().await;
}
