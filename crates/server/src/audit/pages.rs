//! The audit log as a page, for organisation admins (their organisations) and platform admins
//! (any organisation): a table of who did what to which record and when, newest first, with a
//! filter by action and a link to older entries.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use hubnet_domain::PersonId;
use hubnet_domain::audit::AuditAction;
use hubnet_store::audit::Actor;
use serde::Deserialize;

use super::AuditParams;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::admin::pick_organisation;
use crate::web::page::{Choice, Chrome, Tr, error_page, render};
use crate::web::session::WebSession;

/// Entries on one page.
const PAGE: u32 = 50;

pub struct AuditRow {
    pub time: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    page: Chrome,
    organisations: Vec<Choice>,
    actions: Vec<Choice>,
    rows: Vec<AuditRow>,
    /// The link to the next (older) page, when there may be one.
    older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditPageQuery {
    organisation: Option<String>,
    action: Option<String>,
    after: Option<String>,
}

/// An action's name on the page: `web-audit-action-site-updated`.
fn action_label(t: Tr, action: AuditAction) -> String {
    t.get(&format!("web-audit-action-{}", action.key().replace('.', "-")))
}

/// An entry's detail as plain text rather than JSON: `changed: access, name; site_id: …`, an
/// object inside a list in brackets.
fn detail_text(detail: &serde_json::Value) -> String {
    use serde_json::Value;
    match detail {
        Value::Object(fields) => {
            fields.iter().map(|(key, value)| format!("{key}: {}", detail_text(value))).collect::<Vec<_>>().join("; ")
        }
        Value::Array(items) => items
            .iter()
            .map(|item| if item.is_object() { format!("({})", detail_text(item)) } else { detail_text(item) })
            .collect::<Vec<_>>()
            .join(", "),
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        Value::Bool(_) | Value::Number(_) => detail.to_string(),
    }
}

/// The audit page, merged into [`crate::web::router`].
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(audit_page))
}

async fn audit_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Query(query): Query<AuditPageQuery>,
) -> Response {
    match audit(&state, &session, &query).await {
        Ok(page) => render(&page),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

async fn audit(state: &AppState, session: &WebSession, query: &AuditPageQuery) -> Result<AuditPage, AppError> {
    let me = &session.principal;
    let language = session.language();
    let t = Tr(language);
    // The organisations whose log this person reads; another's log is refused (403).
    let (organisations, organisation) = pick_organisation(
        state,
        session,
        query.organisation.as_deref(),
        |o| me.can_read_audit(o),
        AppError::AccessDenied,
    )
    .await?;
    let chosen = organisation.id;
    let params = AuditParams::page(query.action.clone(), query.after.clone(), PAGE);
    let store_query = params.query(chosen)?;
    let entries = super::log_page(state, me, chosen, &params).await?;

    let zone = organisation.country.default_time_zone();
    let mut names: HashMap<PersonId, String> = HashMap::new();
    let mut rows = Vec::with_capacity(entries.len());
    for entry in &entries {
        let actor = match &entry.actor {
            Actor::Person(id) => {
                if !names.contains_key(id) {
                    // Someone of another organisation (a host deciding this organisation's
                    // person's booking) is named by their organisation only, as on host pages.
                    let name = match state.store.people().get_person(*id).await {
                        Ok(p) if p.organisation_id == chosen => p.name,
                        Ok(p) => match state.store.organisations().get_organisation(p.organisation_id).await {
                            Ok(o) => t.with("web-audit-someone-of", "organisation", o.name.get(language)),
                            Err(_) => id.to_string(),
                        },
                        Err(_) => id.to_string(),
                    };
                    names.insert(*id, name);
                }
                names[id].clone()
            }
            Actor::Label(label) if label == crate::audit::COMMAND_LINE => t.get("web-audit-command-line"),
            Actor::Label(label) if label == crate::audit::SCIM => t.get("web-audit-scim"),
            Actor::Label(label) if label == crate::audit::SINGLE_SIGN_ON => t.get("web-audit-single-sign-on"),
            Actor::Label(label) => label.clone(),
        };
        let local = entry.at.with_timezone(&zone);
        let subject_kind = t.get(&format!("web-audit-subject-{}", entry.subject_kind.key()));
        rows.push(AuditRow {
            time: format!(
                "{} {}",
                t.date(local.date_naive()),
                t.clock(chrono::Timelike::hour(&local), chrono::Timelike::minute(&local))
            ),
            actor,
            action: action_label(t, entry.action),
            subject: entry.subject_id.map_or_else(|| subject_kind.clone(), |id| format!("{subject_kind} {id}")),
            detail: detail_text(&entry.detail),
        });
    }
    let older = (entries.len() == PAGE as usize).then(|| entries.last()).flatten().map(|last| {
        let action = store_query.action.map_or("", AuditAction::key);
        format!("/admin/audit?organisation={chosen}&action={action}&after={}", last.id)
    });
    let mut page = Chrome::new(language, "web-audit-title", Some(session), "/admin/audit", "audit");
    page.here = format!("/admin/audit?organisation={chosen}");
    Ok(AuditPage {
        page,
        organisations,
        actions: AuditAction::ALL
            .iter()
            .map(|a| Choice {
                value: a.key().to_owned(),
                label: action_label(t, *a),
                selected: store_query.action == Some(*a),
            })
            .collect(),
        rows,
        older,
    })
}

#[cfg(test)]
mod tests {
    use hubnet_domain::Language;
    use hubnet_domain::audit::SubjectKind;

    use super::*;
    use crate::i18n::{self, Args};

    #[test]
    fn a_detail_reads_as_text_not_json() {
        use serde_json::json;
        assert_eq!(detail_text(&json!({"changed": ["access", "name"]})), "changed: access, name");
        assert_eq!(detail_text(&json!({"count": 3, "site_id": "s1"})), "count: 3; site_id: s1");
        assert_eq!(
            detail_text(&json!({"added": [{"role": "host", "site_id": "s1"}], "removed": []})),
            "added: (role: host; site_id: s1); removed: "
        );
        assert_eq!(detail_text(&json!({})), "");
    }

    #[test]
    fn every_action_and_kind_of_record_has_a_name_in_every_language() {
        for language in Language::ALL {
            for action in AuditAction::ALL {
                let key = format!("web-audit-action-{}", action.key().replace('.', "-"));
                assert!(i18n::try_text(language, &key, &Args::new()).is_some(), "{key} has no {language} text");
            }
            for kind in SubjectKind::ALL {
                let key = format!("web-audit-subject-{}", kind.key());
                assert!(i18n::try_text(language, &key, &Args::new()).is_some(), "{key} has no {language} text");
            }
        }
    }
}
