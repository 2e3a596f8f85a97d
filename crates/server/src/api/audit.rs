//! The audit log of an organisation, for its admins (and platform admins): who changed what, and
//! who read someone else's personal data. Nobody else reads it, not even its members.

use axum::extract::State;
use chrono::{DateTime, Utc};
use hubnet_domain::OrganisationId;
use hubnet_domain::audit::AuditAction;
use hubnet_domain::ids::AuditEntryId;
use hubnet_store::audit::{Actor, AuditEntry, AuditQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{limit, require};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{AppError, Json, Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// One entry of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: AuditEntryId,
    /// Whose records were touched or read.
    pub organisation_id: OrganisationId,
    pub at: DateTime<Utc>,
    /// The person who did it; absent when it was not a person (see `actor_label`).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub actor_id: Option<hubnet_domain::PersonId>,
    /// What did it when it was not a person, such as `command line`.
    pub actor_label: Option<String>,
    /// A stable key such as `site.updated`, `roles.replaced`, `person.viewed`, `person.erased`.
    #[schema(example = "site.updated")]
    pub action: &'static str,
    /// The kind of record: organisation, unit, person, token, site, floor, space, booking or `identity_provider`.
    pub subject_kind: &'static str,
    pub subject_id: Option<uuid::Uuid>,
    /// What changed (field names, roles, counts): never values of personal data or secrets.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        let (actor_id, actor_label) = match e.actor {
            Actor::Person(id) => (Some(id), None),
            Actor::Label(label) => (None, Some(label)),
        };
        Self {
            id: e.id,
            organisation_id: e.organisation_id,
            at: e.at,
            actor_id,
            actor_label,
            action: e.action.key(),
            subject_kind: e.subject_kind.key(),
            subject_id: e.subject_id,
            detail: e.detail,
        }
    }
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

/// An organisation's audit log, newest first, a page at a time (its admins and platform admins).
#[utoipa::path(get, path = "/organisations/{id}/audit", tag = "audit", params(
        ("id" = uuid::Uuid, Path, description = "Organisation id"), AuditParams),
    responses((status = 200, body = [AuditEntryView]), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn list_audit(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<OrganisationId>,
    Query(params): Query<AuditParams>,
) -> Result<Json<Vec<AuditEntryView>>, AppError> {
    state.store.organisations().get_organisation(id).await?;
    require(me.can_read_audit(id))?;
    let entries = state.store.audit().list_audit(&params.query(id)?).await?;
    Ok(Json(entries.into_iter().map(AuditEntryView::from).collect()))
}
