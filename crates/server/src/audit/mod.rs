//! The audit log: writing it (administrative changes made through the API and the pages, and every
//! read of another person's personal data by an admin or HR), and reading an organisation's log,
//! which the API (`api.rs`) and the audit page (`pages.rs`) both do through [`log_page`].
//!
//! An entry is written right after the change has succeeded (the store methods that make the
//! changes are use-case sized and do not take an entry), except for an erasure, whose entry is
//! written in the erasure's own transaction. If writing an entry fails, the request fails with a
//! server error and the failure is logged, so a change never goes unrecorded silently.
//! Entries hold ids, field names, counts and roles: never a secret, a name, an address or a home.

use crate::input::limit;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::{OrganisationId, Person, Principal};
use hubnet_store::audit::{Actor, AuditEntry, AuditQuery};
use serde::Serialize;
use serde_json::{Value, json};

pub mod api;
pub mod pages;

use crate::error::AppError;
use crate::state::AppState;
use hubnet_domain::ids::new_id;
use serde::Deserialize;
use utoipa::IntoParams;

/// What an entry is about.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: Option<uuid::Uuid>,
}

impl Subject {
    pub fn new(kind: SubjectKind, id: impl Into<uuid::Uuid>) -> Self {
        Self { kind, id: Some(id.into()) }
    }
}

/// An entry by `me`, now.
pub fn entry(
    state: &AppState,
    me: &Principal,
    organisation: OrganisationId,
    action: AuditAction,
    subject: Subject,
    detail: Value,
) -> AuditEntry {
    AuditEntry {
        id: new_id(),
        organisation_id: organisation,
        at: state.now(),
        actor: Actor::Person(me.person_id()),
        action,
        subject_kind: subject.kind,
        subject_id: subject.id,
        detail,
    }
}

/// Writes an entry by `me`.
pub async fn record(
    state: &AppState,
    me: &Principal,
    organisation: OrganisationId,
    action: AuditAction,
    subject: Subject,
    detail: Value,
) -> Result<(), AppError> {
    write(state, &entry(state, me, organisation, action, subject, detail)).await
}

/// The label of entries made by an identity provider's SCIM client.
pub const SCIM: &str = "SCIM provisioning";
/// The label of entries made when a first single sign-on creates a person.
pub const SINGLE_SIGN_ON: &str = "single sign-on";

/// Writes an entry made by something that is not a person (SCIM, single sign-on), now.
pub async fn record_by(
    state: &AppState,
    label: &str,
    organisation: OrganisationId,
    action: AuditAction,
    subject: Subject,
    detail: Value,
) -> Result<(), AppError> {
    let entry = AuditEntry {
        id: new_id(),
        organisation_id: organisation,
        at: state.now(),
        actor: Actor::Label(label.to_owned()),
        action,
        subject_kind: subject.kind,
        subject_id: subject.id,
        detail,
    };
    write(state, &entry).await
}

/// The label of entries made through the `hubnet` command (import, tokens, passwords).
pub const COMMAND_LINE: &str = "command line";

/// An entry made through the `hubnet` command, now.
pub fn by_command_line(
    organisation: OrganisationId,
    action: AuditAction,
    subject: Subject,
    detail: Value,
) -> AuditEntry {
    AuditEntry {
        id: new_id(),
        organisation_id: organisation,
        at: chrono::Utc::now(),
        actor: Actor::Label(COMMAND_LINE.to_owned()),
        action,
        subject_kind: subject.kind,
        subject_id: subject.id,
        detail,
    }
}

/// Writes an entry; a failure is logged with what could not be recorded.
pub async fn write(state: &AppState, entry: &AuditEntry) -> Result<(), AppError> {
    state.store.audit().append_audit(entry).await.map_err(|error| {
        tracing::error!(%error, action = %entry.action, organisation = %entry.organisation_id, "audit entry not written");
        AppError::from(error)
    })
}

/// Records that `me` read `what` of `person`'s personal data, when they read it as an admin or
/// HR (`Principal::oversees`); one's own data and a colleague's profile read as a colleague are
/// not recorded.
pub async fn viewed(state: &AppState, me: &Principal, person: &Person, what: &str) -> Result<(), AppError> {
    if !me.oversees(person) {
        return Ok(());
    }
    record(
        state,
        me,
        person.organisation_id,
        AuditAction::PersonViewed,
        Subject::new(SubjectKind::Person, person.id),
        json!({ "read": what }),
    )
    .await
}

/// The top-level fields whose values differ between two versions of a record: what an update
/// changed, by name only (values may be personal data, which must not outlive an erasure here).
pub fn changed_fields(before: &impl Serialize, after: &impl Serialize) -> Value {
    let (Ok(Value::Object(before)), Ok(Value::Object(after))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return json!({ "changed": [] });
    };
    let mut changed: Vec<&String> =
        after.iter().filter(|(key, value)| before.get(*key) != Some(*value)).map(|(key, _)| key).collect();
    changed.extend(before.keys().filter(|key| !after.contains_key(*key)));
    changed.sort();
    changed.dedup();
    json!({ "changed": changed })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Only entries of this action, such as `person.viewed`.
    action: Option<String>,
    /// Continue after this entry (the last one of the previous page): older entries.
    after: Option<String>,
    /// At most this many (1-1000, default 100).
    limit: Option<u32>,
}

impl AuditParams {
    /// A page of `limit` entries, as the audit page asks for them.
    pub const fn page(action: Option<String>, after: Option<String>, limit: u32) -> Self {
        Self { action, after, limit: Some(limit) }
    }

    /// The store's query for `organisation`.
    pub fn query(&self, organisation: OrganisationId) -> Result<AuditQuery, AppError> {
        Ok(AuditQuery {
            organisation,
            action: self.action.as_deref().filter(|a| !a.is_empty()).map(AuditAction::from_key).transpose()?,
            after: self
                .after
                .as_deref()
                .filter(|a| !a.is_empty())
                .map(|a| a.parse().map_err(|_| AppError::invalid("after", "not an id")))
                .transpose()?,
            limit: limit(self.limit, 100, 1000, "limit")?,
        })
    }
}

/// A page of an organisation's audit log, newest first, for its admins and platform admins
/// (`Principal::can_read_audit`): an unknown organisation is not found (404), another's log is
/// refused (403).
pub async fn log_page(
    state: &AppState,
    me: &Principal,
    organisation: OrganisationId,
    params: &AuditParams,
) -> Result<Vec<AuditEntry>, AppError> {
    state.store.organisations().get_organisation(organisation).await?;
    crate::auth::require(me.can_read_audit(organisation))?;
    Ok(state.store.audit().list_audit(&params.query(organisation)?).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_changed_fields_and_not_their_values() {
        let before = json!({"name": "Anna", "email": "anna@x.fi", "active": true, "unit": "a"});
        let after = json!({"name": "Anna B", "email": "anna@x.fi", "active": false, "home": "FI-091"});
        let detail = changed_fields(&before, &after);
        assert_eq!(detail, json!({"changed": ["active", "home", "name", "unit"]}));
        assert!(!detail.to_string().contains("Anna"));
        assert_eq!(changed_fields(&before, &before), json!({"changed": []}));
    }
}
