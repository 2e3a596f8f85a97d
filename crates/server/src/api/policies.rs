//! An organisation's workplace policy: versions of rules from the documented vocabulary
//! (`docs/policies.md`), read by its people and written by its admins.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::policy::{Rule, Scope, parse_rules};
use hubnet_domain::{OrganisationId, PersonId, Principal};
use hubnet_store::{NewPolicyVersion, PolicyVersion};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::audit::{self, Subject};
use crate::auth::Auth;
use crate::error::{AppError, Json, Path};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_policy, add_policy_version))
}

/// A version of the rules.
#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyView {
    /// The version in force today, if any.
    pub in_force: Option<PolicyVersionView>,
    /// Every version, newest first.
    pub versions: Vec<PolicyVersionView>,
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
fn check_inside(me: &Principal, organisation: OrganisationId) -> Result<(), AppError> {
    if me.organisation_id() == organisation || me.administers(organisation) { Ok(()) } else { Err(AppError::NotFound) }
}

/// The organisation's policy: the version in force today and every version.
#[utoipa::path(get, path = "/organisations/{id}/policy", tag = "policies",
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 200, body = PolicyView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_policy(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
) -> Result<Json<PolicyView>, AppError> {
    check_inside(&me, id)?;
    let organisation = state.store.organisations().get_organisation(id).await?;
    let today = state.now().with_timezone(&organisation.country.default_time_zone()).date_naive();
    let in_force = state.store.policies().policy_in_force(id, today).await?.map(TryInto::try_into).transpose()?;
    let versions = state
        .store
        .policies()
        .policy_versions(id)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect::<Result<_, _>>()?;
    Ok(Json(PolicyView { in_force, versions }))
}

/// Adds a version of the organisation's rules (its admins). The rules are checked against the
/// vocabulary; units they name must be the organisation's.
#[utoipa::path(post, path = "/organisations/{id}/policy", tag = "policies", request_body = PolicyInput,
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses((status = 201, body = PolicyVersionView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn add_policy_version(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
    Json(input): Json<PolicyInput>,
) -> Result<(StatusCode, Json<PolicyVersionView>), AppError> {
    check_inside(&me, id)?;
    if !me.administers(id) {
        return Err(AppError::AccessDenied);
    }
    let version = add_version(&state, &me, id, input).await?;
    Ok((StatusCode::CREATED, Json(version.try_into()?)))
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
