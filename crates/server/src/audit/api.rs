//! The audit log of an organisation, for its admins (and platform admins): who changed what, and
//! who read someone else's personal data. Nobody else reads it, not even its members.

use axum::extract::State;
use chrono::{DateTime, Utc};
use hubnet_domain::OrganisationId;
use hubnet_domain::ids::AuditEntryId;
use hubnet_store::audit::{Actor, AuditEntry};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AuditParams;
use crate::auth::Auth;
use crate::error::{AppError, Json, Path, Query};
use crate::state::AppState;

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
    let entries = super::log_page(&state, &me, id, &params).await?;
    Ok(Json(entries.into_iter().map(AuditEntryView::from).collect()))
}
