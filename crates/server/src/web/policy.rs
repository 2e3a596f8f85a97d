//! The organisation's workplace policy as a page, for its admins: the rules in force in words,
//! every version, and a form that adds a version (the rules as JSON in the documented
//! vocabulary, `docs/policies.md`, starting from the current rules or the regional example).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use hubnet_domain::policy::{JAMTLAND_HARJEDALEN_JSON, OfficeMode, Rule, Scope};
use hubnet_domain::{Language, OrganisationId};
use serde::Deserialize;

use super::find::Choice;
use super::page::{Chrome, Tr, error_message, error_page, render, render_with};
use super::session::WebSession;
use crate::AppState;
use crate::api::policies::{PolicyInput, PolicyVersionView, add_version};
use crate::error::AppError;

pub struct VersionRow {
    pub version: u32,
    pub valid_from: String,
    pub changed_by: String,
    pub changed_at: String,
    pub in_force: bool,
}

#[derive(Template)]
#[template(path = "admin_policy.html")]
struct PolicyPage {
    page: Chrome,
    organisations: Vec<Choice>,
    organisation: String,
    /// The rules in force, each in words.
    rules: Vec<String>,
    in_force: Option<String>,
    versions: Vec<VersionRow>,
    valid_from: String,
    rules_json: String,
    example_link: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct PolicyQuery {
    organisation: Option<String>,
    example: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PolicyForm {
    csrf: String,
    organisation: String,
    valid_from: String,
    rules: String,
}

pub async fn policy_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Query(query): Query<PolicyQuery>,
) -> Response {
    match policy(&state, &session, &query, None).await {
        Ok(page) => render(&page),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

/// Adds a version from the form; a refused one comes back with what was typed and why.
pub async fn save_policy(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Form(form): Form<PolicyForm>,
) -> Response {
    if let Err(error) = session.check_csrf(&form.csrf) {
        return error_page(&headers, Some(&session), &error);
    }
    let result = async {
        let organisation: OrganisationId = form.organisation.parse().map_err(|_| AppError::NotFound)?;
        if !session.principal.administers(organisation) {
            return Err(AppError::NotFound);
        }
        let valid_from = form.valid_from.parse().map_err(|_| AppError::invalid("valid_from", "not a date"))?;
        let rules = serde_json::from_str(&form.rules).map_err(|e| AppError::invalid("rules", e.to_string()))?;
        add_version(&state, &session.principal, organisation, PolicyInput { valid_from, rules }).await?;
        Ok(organisation)
    }
    .await;
    match result {
        Ok(organisation) => {
            Redirect::to(&format!("/admin/policy?organisation={organisation}&notice=saved")).into_response()
        }
        Err(error @ (AppError::NotFound | AppError::AccessDenied)) => error_page(&headers, Some(&session), &error),
        Err(error) => {
            let query = PolicyQuery { organisation: Some(form.organisation.clone()), ..PolicyQuery::default() };
            match policy(&state, &session, &query, Some((&form, &error))).await {
                Ok(page) => render_with(error.status(), &page),
                Err(other) => error_page(&headers, Some(&session), &other),
            }
        }
    }
}

async fn policy(
    state: &AppState,
    session: &WebSession,
    query: &PolicyQuery,
    refused: Option<(&PolicyForm, &AppError)>,
) -> Result<PolicyPage, AppError> {
    let me = &session.principal;
    let language = session.language();
    let t = Tr(language);
    // Another organisation's policy does not exist for this admin (404).
    let (organisations, organisation) = super::admin::pick_organisation(
        state,
        session,
        query.organisation.as_deref(),
        |o| me.administers(o),
        AppError::NotFound,
    )
    .await?;
    let chosen = organisation.id;
    let zone = organisation.country.default_time_zone();
    let today = state.now().with_timezone(&zone).date_naive();
    let versions: Vec<PolicyVersionView> =
        state.store.policy_versions(chosen).await?.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?;
    let in_force = versions.iter().filter(|v| v.valid_from <= today).max_by_key(|v| (v.valid_from, v.version));
    let rules = in_force.map(|v| v.rules.iter().map(|r| describe(r, t, language)).collect()).unwrap_or_default();
    let mut rows = Vec::new();
    for v in &versions {
        let changed_by = match v.changed_by {
            Some(id) => state.store.get_person(id).await.map_or_else(|_| id.to_string(), |p| p.name),
            None => String::new(),
        };
        let local = v.changed_at.with_timezone(&zone);
        rows.push(VersionRow {
            version: v.version,
            valid_from: t.date(v.valid_from),
            changed_by,
            changed_at: format!(
                "{} {}",
                t.date(local.date_naive()),
                t.clock(chrono::Timelike::hour(&local), chrono::Timelike::minute(&local))
            ),
            in_force: in_force.is_some_and(|f| f.version == v.version),
        });
    }
    let (valid_from, rules_json) = match refused {
        Some((form, _)) => (form.valid_from.clone(), form.rules.clone()),
        None if query.example.as_deref() == Some("jamtland") => {
            (today.to_string(), JAMTLAND_HARJEDALEN_JSON.trim().to_owned())
        }
        None => (
            today.to_string(),
            in_force.map_or_else(|| "[]".to_owned(), |v| serde_json::to_string_pretty(&v.rules).unwrap_or_default()),
        ),
    };
    let here = format!("/admin/policy?organisation={chosen}");
    let mut page = Chrome::new(language, "web-policy-title", Some(session), &here, "policy");
    if let Some((_, error)) = refused {
        page = page.error(error_message(t, error));
    } else if query.notice.as_deref() == Some("saved") {
        page = page.success(t.get("web-policy-saved"));
    }
    Ok(PolicyPage {
        page,
        organisations,
        organisation: chosen.to_string(),
        rules,
        in_force: in_force.map(|v| {
            t.args("web-policy-in-force", &[("version", v.version.to_string()), ("from", t.date(v.valid_from))])
        }),
        versions: rows,
        valid_from,
        rules_json,
        example_link: format!("/admin/policy?organisation={chosen}&example=jamtland#new-version"),
    })
}

/// Who a rule is for, in words.
fn scope(scope: &Scope, t: Tr) -> String {
    match scope {
        Scope::Everyone => t.get("web-policy-scope-everyone"),
        Scope::RoleTags(tags) => t.with("web-policy-scope-tags", "tags", &tags.join(", ")),
        Scope::Units(units) => t.with("web-policy-scope-units", "count", &units.len().to_string()),
        Scope::HomeMunicipalities(codes) => {
            let names: Vec<String> = codes.iter().map(ToString::to_string).collect();
            t.with("web-policy-scope-homes", "municipalities", &names.join(", "))
        }
    }
}

fn kinds(kinds: &[hubnet_domain::SiteKind], t: Tr) -> String {
    kinds.iter().map(|k| t.get(&format!("web-site-kind-{}", k.key()))).collect::<Vec<_>>().join(", ")
}

/// A rule in words, in the page's language.
fn describe(rule: &Rule, t: Tr, language: Language) -> String {
    let exceptions =
        |allowed: bool| if allowed { format!(" {}", t.get("web-policy-exceptions")) } else { String::new() };
    match rule {
        Rule::OwnOfficeWithin(r) => {
            let key = match r.mode {
                OfficeMode::Prefer => "web-policy-rule-own-office-prefer",
                OfficeMode::Require => "web-policy-rule-own-office-require",
            };
            let mut text = t.with(key, "km", &r.km.to_string());
            if (r.road_factor - 1.0).abs() > f64::EPSILON {
                let factor = format!("{:.2}", r.road_factor);
                let factor = if language == Language::En { factor } else { factor.replace('.', ",") };
                text = format!("{text} {}", t.with("web-policy-road-factor", "factor", &factor));
            }
            format!("{text} ({}){}", scope(&r.applies_to, t), exceptions(r.exceptions_allowed))
        }
        Rule::SiteKinds(r) => {
            let text = t.with("web-policy-rule-site-kinds", "kinds", &kinds(&r.kinds, t));
            format!("{text} ({}){}", scope(&r.applies_to, t), exceptions(r.exceptions_allowed))
        }
        Rule::HubApproval(r) => {
            let key = if r.required { "web-policy-rule-hub-approval" } else { "web-policy-rule-hub-no-approval" };
            format!("{} ({})", t.get(key), scope(&r.applies_to, t))
        }
        Rule::MonthlyHubDays(r) => {
            let text = t.with("web-policy-rule-hub-days", "days", &r.max_days.to_string());
            format!("{text} ({}){}", scope(&r.applies_to, t), exceptions(r.exceptions_allowed))
        }
        Rule::MonthlyBudget(r) => {
            let amount = format!("{} {}", r.amount_minor / 100, r.currency.code());
            format!("{}{}", t.with("web-policy-rule-budget", "amount", &amount), exceptions(r.exceptions_allowed))
        }
        Rule::TeamDays(r) => {
            let days: Vec<String> = r.weekdays.iter().map(|d| t.get(&format!("web-policy-day-{}", d.key()))).collect();
            t.with("web-policy-rule-team-days", "days", &days.join(", "))
        }
    }
}
