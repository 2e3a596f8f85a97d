//! The organisation's workplace policy as a page, for its admins: the rules in force in words,
//! every version, and a form that adds a version rule by rule (`policy_draft`), starting from the
//! rules in force or the regional example. The same rules as JSON in the documented vocabulary
//! (`docs/policies.md`) stay one click away for those who know it.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hubnet_domain::policy::{JAMTLAND_HARJEDALEN_JSON, OfficeMode, Rule, RuleKind, Scope, jamtland_harjedalen_rules};
use hubnet_domain::{Country, Language, OrganisationId};
use serde::Deserialize;

use super::draft::{Draft, DraftRule, RuleView, kind_name, rule_field_label, views};
use super::{PolicyInput, PolicyView, add_version};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::page::{Choice, Chrome, Tr, error_message, error_page};
use crate::web::page::{Fields, field};
use crate::web::session::WebSession;

/// The page, merged into [`crate::web::router`].
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/policy", get(policy_page).post(save_policy))
}

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
    valid_from_invalid: bool,
    /// The new version's rules, as the form shows them.
    draft: Vec<RuleView>,
    /// The kinds of rule one may add.
    kinds: Vec<Choice>,
    json: JsonForm,
    example_link: String,
}

/// The same rules as JSON text, in a form of its own.
struct JsonForm {
    valid_from: String,
    rules: String,
    /// It was sent and refused: it is shown open, with what was typed.
    open: bool,
    valid_from_invalid: bool,
    rules_invalid: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct PolicyQuery {
    organisation: Option<String>,
    example: Option<String>,
    notice: Option<String>,
}

/// What the admin sent, when the page comes back to them.
enum Typed {
    /// Nothing yet: the forms start from the rules in force, or from the example.
    Nothing,
    /// The form of rules, after adding or removing a rule, or a refused save.
    Rules { valid_from: String, draft: Draft },
    /// The JSON form, after a refused save.
    Json { valid_from: String, rules: String },
}

async fn policy_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Query(query): Query<PolicyQuery>,
) -> Response {
    answer(&state, &headers, &session, &query, Typed::Nothing, None).await
}

/// The form of rules adds or removes a rule (saving nothing) or saves them as a new version;
/// the JSON form, told apart by its `rules` field, saves its text. A refused version comes back
/// with what was typed and why.
async fn save_policy(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Form(fields): Form<Fields>,
) -> Response {
    let organisation = match crate::web::admin::administered(&session, &fields) {
        Ok(organisation) => organisation,
        Err(error) => return error_page(&headers, Some(&session), &error),
    };
    let query = PolicyQuery { organisation: Some(organisation.to_string()), ..PolicyQuery::default() };
    let valid_from = field(&fields, "valid_from").unwrap_or_default().to_owned();
    let (typed, result) = if let Some(rules) = field(&fields, "rules") {
        let parsed = serde_json::from_str(rules).map_err(|e| AppError::invalid("rules", e.to_string()));
        let result = save(&state, &session, organisation, &valid_from, parsed).await;
        (Typed::Json { valid_from, rules: rules.to_owned() }, result)
    } else {
        let mut draft = Draft::read(&fields);
        if edit(&mut draft, &fields) {
            return answer(&state, &headers, &session, &query, Typed::Rules { valid_from, draft }, None).await;
        }
        let result = save(&state, &session, organisation, &valid_from, draft.to_rules()).await;
        (Typed::Rules { valid_from, draft }, result)
    };
    match result {
        Ok(()) => Redirect::to(&format!("/admin/policy?organisation={organisation}&notice=saved")).into_response(),
        Err(error @ (AppError::NotFound | AppError::AccessDenied)) => error_page(&headers, Some(&session), &error),
        Err(error) => answer(&state, &headers, &session, &query, typed, Some(&error)).await,
    }
}

/// Adds or removes a rule of the draft when the form asked for that; false when it asked to save.
fn edit(draft: &mut Draft, fields: &Fields) -> bool {
    if let Some(index) = field(fields, "remove") {
        if let Ok(index) = index.parse::<usize>()
            && index < draft.rules.len()
        {
            draft.rules.remove(index);
        }
        return true;
    }
    if field(fields, "add").is_some() {
        // A draft never grows past what a policy may hold (and what the form reads back).
        if let Ok(kind) = RuleKind::from_key(field(fields, "new_rule").unwrap_or_default())
            && draft.rules.len() < hubnet_domain::policy::MAX_RULES
        {
            draft.rules.push(DraftRule::new(kind));
        }
        return true;
    }
    false
}

async fn save(
    state: &AppState,
    session: &WebSession,
    organisation: OrganisationId,
    valid_from: &str,
    rules: Result<Vec<Rule>, AppError>,
) -> Result<(), AppError> {
    let valid_from = valid_from.parse().map_err(|_| AppError::invalid("valid_from", "not a date"))?;
    add_version(state, &session.principal, organisation, PolicyInput { valid_from, rules: rules? }).await?;
    Ok(())
}

/// The page, with what was typed and a refusal when there is one (then with its status, 422).
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    session: &WebSession,
    query: &PolicyQuery,
    typed: Typed,
    error: Option<&AppError>,
) -> Response {
    crate::web::page::form_answer(headers, session, policy(state, session, query, typed, error).await, error)
}

async fn policy(
    state: &AppState,
    session: &WebSession,
    query: &PolicyQuery,
    typed: Typed,
    error: Option<&AppError>,
) -> Result<PolicyPage, AppError> {
    let me = &session.principal;
    let language = session.language();
    let t = Tr(language);
    // Another organisation's policy does not exist for this admin (404).
    let (organisations, organisation) = crate::web::admin::pick_organisation(
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
    let PolicyView { in_force, versions } = super::policy_of(state, me, chosen).await?;
    let in_force = in_force.as_ref();
    let rules = in_force.map(|v| v.rules.iter().map(|r| describe(r, t, language)).collect()).unwrap_or_default();
    let mut rows = Vec::new();
    for v in &versions {
        let changed_by = match v.changed_by {
            Some(id) => state.store.people().get_person(id).await.map_or_else(|_| id.to_string(), |p| p.name),
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
    let example = query.example.as_deref() == Some("jamtland") && matches!(typed, Typed::Nothing);
    let starting_rules =
        if example { jamtland_harjedalen_rules() } else { in_force.map(|v| v.rules.clone()).unwrap_or_default() };
    let starting_json = if example {
        JAMTLAND_HARJEDALEN_JSON.trim().to_owned()
    } else {
        serde_json::to_string_pretty(&starting_rules).unwrap_or_default()
    };
    let json_open = matches!(typed, Typed::Json { .. });
    let (valid_from, draft, json_valid_from, rules_json) = match typed {
        Typed::Nothing => (today.to_string(), Draft::from_rules(&starting_rules), today.to_string(), starting_json),
        Typed::Rules { valid_from, draft } => (valid_from, draft, today.to_string(), starting_json),
        Typed::Json { valid_from, rules } => (today.to_string(), Draft::from_rules(&starting_rules), valid_from, rules),
    };
    let mut units = state.store.organisations().list_units(chosen).await?;
    units.sort_by(|a, b| a.name.get(language).cmp(b.name.get(language)));
    let currency = match organisation.country {
        Country::Finland => "EUR",
        Country::Sweden => "SEK",
    };
    let invalid = match error {
        Some(AppError::InvalidInput { field, .. }) => Some(field.as_str()),
        _ => None,
    };
    let draft = views(&draft, t, &units, currency, invalid.filter(|_| !json_open));
    let here = format!("/admin/policy?organisation={chosen}");
    let mut page = Chrome::new(language, "web-policy-title", Some(session), &here, "policy");
    if let Some(error) = error {
        page = page.error(message(t, error));
    } else if query.notice.as_deref() == Some("saved") {
        page = page.success(t.get("web-policy-saved"));
    }
    let valid_from_invalid = invalid == Some("valid_from");
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
        valid_from_invalid: valid_from_invalid && !json_open,
        draft,
        kinds: RuleKind::ALL
            .iter()
            .map(|k| Choice { value: k.key().to_owned(), label: kind_name(t, *k), selected: false })
            .collect(),
        json: JsonForm {
            valid_from: json_valid_from,
            rules: rules_json,
            open: json_open,
            valid_from_invalid: valid_from_invalid && json_open,
            rules_invalid: json_open && invalid.is_some_and(|f| f.starts_with("rules")),
        },
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

/// What a refusal says on this page: a rule's field is named as the form labels it ("Sääntö 3:
/// Päiviä kuukaudessa enintään"), any other as every page names it.
fn message(t: Tr, error: &AppError) -> String {
    match error {
        AppError::InvalidInput { field, .. } => match rule_field_label(t, field) {
            Some(label) => t.with("invalid_input", "field", &label),
            None => error_message(t, error),
        },
        other => error_message(t, other),
    }
}
