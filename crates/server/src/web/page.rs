//! What every page shares: its language and translations, the header with the menu, the
//! language switch and sign-out, and the notices that follow a change.

use crate::geography::Municipality;
use std::borrow::Cow;

use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike as _, NaiveDate};
use fluent_templates::fluent_bundle::FluentValue;
use hubnet_domain::booking::Period;
use hubnet_domain::{Currency, Language};

use super::assets;
use super::session::{LANGUAGE_COOKIE, WebSession, cookie};
use crate::error::AppError;
use crate::i18n::request_language;
use crate::i18n::{self, Args};

/// Translations in one language, for templates: `{{ t.get("web-nav-week") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Language);

impl Tr {
    pub fn get(&self, key: &str) -> String {
        i18n::text(self.0, key, &Args::new())
    }

    /// A message with one argument.
    pub fn with(&self, key: &str, name: &'static str, value: &(impl ToString + ?Sized)) -> String {
        self.args(key, &[(name, value.to_string())])
    }

    /// A message with text arguments.
    pub fn args(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: Args =
            args.iter().map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone()))).collect();
        i18n::text(self.0, key, &args)
    }

    /// A message with a count, for plurals.
    pub fn count(&self, key: &str, count: usize) -> String {
        let args = Args::from([(Cow::Borrowed("count"), FluentValue::from(count))]);
        i18n::text(self.0, key, &args)
    }

    pub fn date(&self, date: NaiveDate) -> String {
        i18n::date(self.0, date)
    }

    /// "tiistai 24.11.2026", "tisdag 2026-11-24", "Tuesday 24 Nov 2026".
    pub fn day(&self, date: NaiveDate) -> String {
        format!("{} {}", self.weekday(date), self.date(date))
    }

    /// A day as a heading: "Tiistai 24.11.2026".
    pub fn day_heading(&self, date: NaiveDate) -> String {
        let day = self.day(date);
        let mut chars = day.chars();
        chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or(day)
    }

    /// A time of day the local way: 8.00 in Finnish, 08:00 in Swedish and English.
    pub fn clock(&self, hour: u32, minute: u32) -> String {
        match self.0 {
            Language::Fi => format!("{hour}.{minute:02}"),
            Language::Sv | Language::En => format!("{hour:02}:{minute:02}"),
        }
    }

    /// A range of local times: "8.00–16.00".
    pub fn times(&self, from: &impl chrono::Timelike, to: &impl chrono::Timelike) -> String {
        self.args(
            "web-time-range",
            &[("from", self.clock(from.hour(), from.minute())), ("to", self.clock(to.hour(), to.minute()))],
        )
    }

    pub fn weekday(&self, date: NaiveDate) -> String {
        self.get(&format!("web-weekday-{}", date.weekday().num_days_from_monday()))
    }
}

/// The signed-in person as the header shows them.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub name: String,
    pub csrf: String,
    pub hosts_sites: bool,
    /// Administers an organisation (or all): the audit log is in the menu.
    pub administers: bool,
}

/// A notice shown at the top of the page.
#[derive(Debug, Clone)]
pub struct Notice {
    pub success: bool,
    pub text: String,
}

/// The frame of every page.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: &'static str,
    pub t: Tr,
    pub title: String,
    pub signed_in: Option<SignedIn>,
    /// This page's path and query, for the language switch to come back to.
    pub here: String,
    /// Which menu entry is this page: "week", "find", "host", "policy", "sso", "audit" or "".
    pub nav: &'static str,
    pub notice: Option<Notice>,
    pub css: [&'static str; 2],
    pub htmx: &'static str,
    pub languages: [(&'static str, &'static str); 3],
}

impl Chrome {
    pub fn new(
        language: Language,
        title_key: &str,
        session: Option<&WebSession>,
        here: &str,
        nav: &'static str,
    ) -> Self {
        let t = Tr(language);
        Self {
            lang: language.code(),
            t,
            title: t.get(title_key),
            signed_in: session.map(|s| SignedIn {
                name: s.principal.person.name.clone(),
                csrf: s.csrf.clone(),
                hosts_sites: s
                    .principal
                    .roles
                    .iter()
                    .any(|r| matches!(r, hubnet_domain::Role::SiteHost { .. } | hubnet_domain::Role::OrgAdmin { .. }))
                    || s.principal.is_platform_admin(),
                administers: s.principal.is_platform_admin()
                    || s.principal.roles.iter().any(|r| matches!(r, hubnet_domain::Role::OrgAdmin { .. })),
            }),
            here: here.to_owned(),
            nav,
            notice: None,
            css: [assets::HDS_BASE_CSS, assets::HDS_COMPONENTS_CSS],
            htmx: assets::HTMX_JS,
            languages: [("fi", "Suomeksi"), ("sv", "På svenska"), ("en", "In English")],
        }
    }

    #[must_use]
    pub fn success(mut self, text: String) -> Self {
        self.notice = Some(Notice { success: true, text });
        self
    }

    #[must_use]
    pub fn error(mut self, text: String) -> Self {
        self.notice = Some(Notice { success: false, text });
        self
    }

    pub fn csrf(&self) -> &str {
        self.signed_in.as_ref().map_or("", |s| s.csrf.as_str())
    }
}

/// The day a search starts on: today, or at a weekend the coming Monday.
pub fn working_day(today: NaiveDate) -> NaiveDate {
    match today.weekday() {
        chrono::Weekday::Sat => today + chrono::Duration::days(2),
        chrono::Weekday::Sun => today + chrono::Duration::days(1),
        _ => today,
    }
}

/// The date a page asks about: the one given, or [`working_day`] from `today`.
pub fn chosen_date(given: Option<&str>, today: NaiveDate) -> Result<NaiveDate, AppError> {
    match given.filter(|d| !d.is_empty()) {
        None => Ok(working_day(today)),
        Some(d) => d
            .parse::<NaiveDate>()
            .ok()
            .filter(|d| hubnet_domain::booking::is_plausible_date(*d))
            .ok_or_else(|| AppError::invalid("date", "not a date like 2026-11-24")),
    }
}

/// The part of the day a page asks about; the whole day unless another is named.
pub fn chosen_period(given: Option<&str>) -> Period {
    match given {
        Some("morning") => Period::Morning,
        Some("afternoon") => Period::Afternoon,
        _ => Period::FullDay,
    }
}

/// A period's key in forms and translations (`web-period-<key>`).
pub const fn period_key(period: Period) -> &'static str {
    match period {
        Period::FullDay => "full_day",
        Period::Morning => "morning",
        Period::Afternoon => "afternoon",
    }
}

/// The language of a page: the signed-in person's, else the one chosen on the sign-in page,
/// else the browser's, else English.
pub fn language(headers: &HeaderMap, session: Option<&WebSession>) -> Language {
    session.map_or_else(
        || cookie(headers, LANGUAGE_COOKIE).and_then(|c| c.parse().ok()).unwrap_or_else(|| request_language(headers)),
        WebSession::language,
    )
}

/// Renders a template as an HTML response.
pub fn render(template: &impl Template) -> Response {
    render_with(StatusCode::OK, template)
}

pub fn render_with(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (
            status,
            [
                (axum::http::header::CACHE_CONTROL, "no-store"),
                // Scripts only from hubnet itself; no page inside another site's frame.
                (
                    axum::http::header::CONTENT_SECURITY_POLICY,
                    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
                ),
                (axum::http::header::X_FRAME_OPTIONS, "DENY"),
                (axum::http::header::REFERRER_POLICY, "same-origin"),
            ],
            Html(html),
        )
            .into_response(),
        Err(error) => AppError::Internal(format!("rendering a page: {error}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Chrome,
    message: String,
    code: &'static str,
    /// Where to go to put it right, when there is such a place: (address, link text).
    remedy: Option<(String, String)>,
}

/// An error page without a session: for requests that reached no page handler.
pub fn bare_error_page(language: Language, status: StatusCode, code: &'static str, message: String) -> Response {
    let title = if status == StatusCode::NOT_FOUND { "web-not-found-title" } else { "web-error-title" };
    let page = Chrome::new(language, title, None, "/week", "");
    render_with(status, &ErrorPage { page, message, code, remedy: None })
}

/// What an error says on a page: the API's message, with a field named as its form names it.
pub fn error_message(t: Tr, error: &AppError) -> String {
    match error {
        AppError::InvalidInput { field, .. } => t.with("invalid_input", "field", &field_label(t, field)),
        other => other.message(t.0),
    }
}

/// A form field as its label reads: `date` is "Päivä", `mon_closes` is "maanantai: Sulkeutuu".
pub fn field_label(t: Tr, field: &str) -> String {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    if let Some((day, part)) = field.split_once('_')
        && let Some(n) = DAYS.iter().position(|d| *d == day)
    {
        return format!("{}: {}", t.get(&format!("web-weekday-{n}")), field_label(t, part));
    }
    let key = match field {
        "date" => "web-find-date",
        "period" => "web-find-period",
        "kind" => "web-find-kind",
        "amenity" | "amenities" => "web-amenities",
        "municipality" => "web-find-municipality",
        "site" => "web-find-site",
        "radius" => "web-find-radius",
        "name" => "web-space",
        "name_fi" => "web-host-name-fi",
        "name_sv" => "web-host-name-sv",
        "name_en" => "web-host-name-en",
        "floor_id" | "floor_name" => "web-host-floor",
        "level" => "web-host-level",
        "opens" => "web-host-opens",
        "closes" => "web-host-closes",
        "who" => "web-host-who",
        "lang" => "web-language",
        "terms" => "web-site-terms",
        "reason" => "web-host-reason",
        "email" => "web-email",
        "valid_from" => "web-policy-valid-from",
        "rules" => "web-policy-rules-json",
        _ => "web-field-other",
    };
    t.get(key)
}

/// An error as a page in the person's language: what went wrong in plain words, and the way back.
pub fn error_page(headers: &HeaderMap, session: Option<&WebSession>, error: &AppError) -> Response {
    let language = language(headers, session);
    let t = Tr(language);
    let title = if matches!(error, AppError::NotFound) { "web-not-found-title" } else { "web-error-title" };
    let page = Chrome::new(language, title, session, "/week", "");
    let status = error.status();
    if status.is_server_error() {
        tracing::error!(%error, code = error.code(), "page failed");
    }
    // A booking refused for want of registration leads to the site's terms.
    let remedy = match error.problem() {
        Some(hubnet_domain::BookingError::RegistrationRequired { site_id }) => {
            Some((format!("/sites/{site_id}#terms-heading"), t.get("web-site-read-terms")))
        }
        _ => None,
    };
    let template = ErrorPage { page, message: error_message(t, error), code: error.code(), remedy };
    render_with(status, &template)
}

/// A form page as built, with the refusal's status when there is one (422 for a refused form);
/// the error page when the page itself cannot be built.
pub fn form_answer(
    headers: &HeaderMap,
    session: &WebSession,
    page: Result<impl Template, AppError>,
    refusal: Option<&AppError>,
) -> Response {
    match page {
        Ok(page) => render_with(refusal.map_or(StatusCode::OK, AppError::status), &page),
        Err(other) => error_page(headers, Some(session), &other),
    }
}

/// A posted form as its name-value pairs, in order (checkboxes of one name may repeat).
pub type Fields = Vec<(String, String)>;

/// The first value posted under `name`.
pub fn field<'f>(fields: &'f Fields, name: &str) -> Option<&'f str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Whether a checkbox `name` was ticked (posted at all).
pub fn checked(fields: &Fields, name: &str) -> bool {
    fields.iter().any(|(k, _)| k == name)
}

/// A choice in a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn municipality_name(m: &Municipality, language: Language) -> &str {
    if language == Language::Sv && !m.name_sv.is_empty() { &m.name_sv } else { m.name() }
}

pub fn price(price: Option<hubnet_domain::Price>, t: Tr) -> String {
    match price {
        None => t.get("web-find-free-of-charge"),
        Some(price) => {
            let amount = format!("{}.{:02}", price.amount_minor / 100, price.amount_minor % 100);
            let amount = if t.0 == Language::En { amount } else { amount.replace('.', ",") };
            let currency = match price.currency {
                Currency::Eur => "€",
                Currency::Sek => "kr",
            };
            t.with("web-find-price", "price", &format!("{amount} {currency}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key a template names (`t.get("..")`, `t.with("..", ..)`) exists in fi, sv and en.
    #[test]
    fn every_key_the_templates_use_is_translated() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut keys = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for call in ["t.get(\"", "t.with(\""] {
                for (at, _) in text.match_indices(call) {
                    keys.push(text[at + call.len()..].split('"').next().unwrap().to_owned());
                }
            }
        }
        assert!(keys.len() > 50, "found only {} keys", keys.len());
        // Every argument any message takes, so that a message with arguments resolves too.
        let names = [
            "name", "place", "floor", "day", "date", "km", "price", "free", "total", "space", "site", "reason",
            "domains", "person",
        ];
        let args: Args = names.iter().map(|n| (Cow::Borrowed(*n), FluentValue::from("x"))).collect();
        for key in &keys {
            for language in Language::ALL {
                assert!(i18n::try_text(language, key, &args).is_some(), "{key} has no {language} text");
            }
        }
    }

    #[test]
    fn names_form_fields_as_their_labels_read() {
        let fi = Tr(Language::Fi);
        assert_eq!(field_label(fi, "mon_closes"), "maanantai: Sulkeutuu");
        assert_eq!(field_label(fi, "radius"), "Enintään (km)");
        assert_eq!(field_label(Tr(Language::Sv), "name_en"), "Namn på engelska");
        assert_eq!(field_label(Tr(Language::En), "something_internal"), "a field of the form");
    }

    #[test]
    fn a_search_at_a_weekend_starts_on_monday() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(working_day(day(21)), day(23));
        assert_eq!(working_day(day(22)), day(23));
        assert_eq!(working_day(day(24)), day(24));
    }
}
