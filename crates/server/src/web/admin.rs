//! The audit log as a page, for organisation admins (their organisations) and platform admins
//! (any organisation): a table of who did what to which record and when, newest first, with a
//! filter by action and a link to older entries.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use hubnet_domain::audit::AuditAction;
use hubnet_domain::{OrganisationId, PersonId};
use hubnet_store::audit::Actor;
use serde::Deserialize;

use super::find::Choice;
use super::page::{Chrome, Fields, Tr, error_page, field, render};
use super::session::WebSession;
use crate::AppState;
use crate::api::audit::AuditParams;
use crate::error::AppError;

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

/// The organisations an admin page offers (those `allowed`), own organisation first, then by
/// name, as choices; and the one the query asks for (the first by default). Another answers
/// `refused`.
pub(super) async fn pick_organisation(
    state: &AppState,
    session: &WebSession,
    asked: Option<&str>,
    allowed: impl Fn(OrganisationId) -> bool,
    refused: AppError,
) -> Result<(Vec<Choice>, hubnet_domain::Organisation), AppError> {
    let me = &session.principal;
    let language = session.language();
    let mut offered: Vec<_> =
        state.store.organisations().list_organisations().await?.into_iter().filter(|o| allowed(o.id)).collect();
    offered.sort_by_key(|o| (o.id != me.organisation_id(), o.name.get(language).to_owned()));
    let chosen: OrganisationId = match asked.filter(|o| !o.is_empty()) {
        Some(id) => id.parse().map_err(|_| AppError::NotFound)?,
        None => offered.first().map(|o| o.id).ok_or(AppError::AccessDenied)?,
    };
    let choices = offered
        .iter()
        .map(|o| Choice { value: o.id.to_string(), label: o.name.get(language).to_owned(), selected: o.id == chosen })
        .collect();
    let organisation = offered.into_iter().find(|o| o.id == chosen).ok_or(refused)?;
    Ok((choices, organisation))
}

pub async fn audit_page(
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
    let entries = state.store.audit().list_audit(&store_query).await?;

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

/// The organisation an admin page's posted form is for, once its CSRF secret holds and the
/// session's person administers it; another organisation's is not found (404).
pub(super) fn administered(session: &WebSession, fields: &Fields) -> Result<OrganisationId, AppError> {
    session.check_csrf(field(fields, "csrf").unwrap_or_default())?;
    let organisation: OrganisationId =
        field(fields, "organisation").unwrap_or_default().parse().map_err(|_| AppError::NotFound)?;
    if !session.principal.administers(organisation) {
        return Err(AppError::NotFound);
    }
    Ok(organisation)
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
