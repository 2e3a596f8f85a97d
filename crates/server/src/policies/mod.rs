//! An organisation's workplace policy: versions of rules from the documented vocabulary
//! (`docs/policies.md`), read by its people and written by its admins, and applied to its people's
//! bookings and recommendations.
//!
//! Here: the use cases the JSON API (`api.rs`) and the admin page `/admin/policy` (`pages.rs`,
//! with the rule-by-rule form in `draft.rs`) share: reading the versions, adding one. `load.rs`
//! loads what a person's rules need on a date and gives the domain's verdict, for bookings and
//! recommendations.

pub mod api;
pub mod draft;
pub mod error;
pub mod load;
pub mod pages;
use crate::audit::{self, Subject};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::policy::{Rule, Scope, parse_rules};
use hubnet_domain::{OrganisationId, PersonId, Principal};
use hubnet_store::{NewPolicyVersion, PolicyVersion};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// A version of the rules.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyVersionView {
    pub version: u32,
    /// The first day the version applies.
    pub valid_from: NaiveDate,
    pub rules: Vec<Rule>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub changed_by: Option<PersonId>,
    pub changed_at: DateTime<Utc>,
}

impl TryFrom<PolicyVersion> for PolicyVersionView {
    type Error = AppError;

    fn try_from(v: PolicyVersion) -> Result<Self, AppError> {
        Ok(Self {
            version: v.version,
            valid_from: v.valid_from,
            rules: serde_json::from_value(v.rules)
                .map_err(|e| AppError::Internal(format!("stored policy rules do not parse: {e}")))?,
            changed_by: v.changed_by,
            changed_at: v.changed_at,
        })
    }
}

/// A new version of the rules.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    /// The first day it applies (today or later; a correction of the past is a new version).
    pub valid_from: NaiveDate,
    pub rules: Vec<Rule>,
}

/// Only the organisation's own people and admins see its policy; to anyone else it does not exist.
pub fn check_inside(me: &Principal, organisation: OrganisationId) -> Result<(), AppError> {
    if me.organisation_id() == organisation || me.administers(organisation) { Ok(()) } else { Err(AppError::NotFound) }
}

/// Checks and stores a new version, and records it in the audit log: for the API and the page.
pub async fn add_version(
    state: &AppState,
    me: &Principal,
    organisation_id: OrganisationId,
    input: PolicyInput,
) -> Result<PolicyVersion, AppError> {
    let organisation = state.store.organisations().get_organisation(organisation_id).await?;
    let today = state.now().with_timezone(&organisation.country.default_time_zone()).date_naive();
    if input.valid_from < today {
        return Err(AppError::invalid("valid_from", "a new version applies from today or later"));
    }
    let rules = parse_rules(input.rules).map_err(|e| AppError::invalid(e.path, e.reason))?;
    let units: Vec<_> =
        state.store.organisations().list_units(organisation_id).await?.into_iter().map(|u| u.id).collect();
    for (index, rule) in rules.iter().enumerate() {
        let named = match (rule.unit(), rule.scope()) {
            (Some(unit), _) => vec![unit],
            (None, Some(Scope::Units(list))) => list.clone(),
            _ => Vec::new(),
        };
        if let Some(unknown) = named.iter().find(|u| !units.contains(u)) {
            return Err(AppError::invalid(
                format!("rules[{index}]"),
                format!("{unknown} is not a unit of this organisation"),
            ));
        }
    }
    let rule_count = rules.len();
    let stored = state
        .store
        .policies()
        .add_policy_version(&NewPolicyVersion {
            organisation_id,
            valid_from: input.valid_from,
            rules: serde_json::to_value(&rules).map_err(|e| AppError::Internal(e.to_string()))?,
            changed_by: Some(me.person_id()),
            changed_at: state.now(),
        })
        .await?;
    let subject = Subject::new(SubjectKind::Organisation, organisation_id);
    let detail = json!({ "version": stored.version, "valid_from": stored.valid_from, "rules": rule_count });
    audit::record(state, me, organisation_id, AuditAction::PolicyChanged, subject, detail).await?;
    Ok(stored)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyView {
    /// The version in force today, if any.
    pub in_force: Option<PolicyVersionView>,
    /// Every version, newest first.
    pub versions: Vec<PolicyVersionView>,
}

/// The organisation's policy as its people and admins read it (others: 404): every version, newest
/// first, and the one in force today in the organisation's time zone.
pub async fn policy_of(state: &AppState, me: &Principal, organisation: OrganisationId) -> Result<PolicyView, AppError> {
    check_inside(me, organisation)?;
    let organisation = state.store.organisations().get_organisation(organisation).await?;
    let today = state.now().with_timezone(&organisation.country.default_time_zone()).date_naive();
    let versions: Vec<PolicyVersionView> = state
        .store
        .policies()
        .policy_versions(organisation.id)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect::<Result<_, _>>()?;
    // The version in force: the latest `valid_from` not after today, and of those the highest
    // version (as `Store::policy_in_force` chooses).
    let in_force = versions.iter().filter(|v| v.valid_from <= today).max_by_key(|v| (v.valid_from, v.version)).cloned();
    Ok(PolicyView { in_force, versions })
}
