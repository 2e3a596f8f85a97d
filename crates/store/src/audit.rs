//! The audit log (append-only) and the erasure of a person, which is written to it in the same
//! transaction: the [`Audit`] capability, the log's records and what an erasure reports.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::ids::AuditEntryId;
use hubnet_domain::{OrganisationId, PersonId};
use uuid::Uuid;

use crate::rows::timestamp;
use crate::{Result, StoreError};

/// Who did it: a person, or (for the command line and other non-people) a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Person(PersonId),
    Label(String),
}

/// One entry of the audit log. `detail` is a small JSON object saying what changed (field names,
/// counts, roles): never a secret, and never a person's name, address or home.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: AuditEntryId,
    /// The organisation whose records were touched or read: whose admins read the entry.
    pub organisation_id: OrganisationId,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub action: AuditAction,
    pub subject_kind: SubjectKind,
    pub subject_id: Option<Uuid>,
    pub detail: serde_json::Value,
}

impl AuditEntry {
    pub(crate) fn detail_text(&self) -> Result<String, StoreError> {
        if !self.detail.is_object() {
            return Err(hubnet_domain::InvalidValue::new("detail", "an audit entry's detail is a JSON object").into());
        }
        serde_json::to_string(&self.detail).map_err(|e| StoreError::Internal(e.to_string()))
    }

    pub(crate) fn actor_columns(&self) -> (Option<Uuid>, Option<&str>) {
        match &self.actor {
            Actor::Person(id) => (Some((*id).into()), None),
            Actor::Label(label) => (None, Some(label.as_str())),
        }
    }
}

/// Which entries of one organisation's log to list: newest first, continuing after the last
/// entry of the previous page (so older than it), optionally of one action only.
#[derive(Debug, Clone, Copy)]
pub struct AuditQuery {
    pub organisation: OrganisationId,
    pub action: Option<AuditAction>,
    pub after: Option<AuditEntryId>,
    pub limit: u32,
}

/// What an erasure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    Erased(ErasureReport),
    /// The person had been erased before: nothing was changed or recorded.
    AlreadyErased,
}

/// The counts of an erasure, also written into its audit entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct ErasureReport {
    /// Bookings that had not started, now cancelled.
    pub cancelled_bookings: u64,
    /// Bookings kept (anonymous now) for the statistics.
    pub kept_bookings: u64,
    pub tokens_deleted: u64,
    pub sessions_ended: u64,
}

impl ErasureReport {
    /// The entry with the counts added to its detail.
    pub(crate) fn into_detail(self, entry: &AuditEntry) -> AuditEntry {
        let mut entry = entry.clone();
        if let (Some(detail), Ok(serde_json::Value::Object(counts))) =
            (entry.detail.as_object_mut(), serde_json::to_value(self))
        {
            detail.extend(counts);
        }
        entry
    }
}

/// The audit log, and erasure, which writes its own entry.
#[async_trait]
pub trait Audit: Send + Sync {
    /// Appends an entry to the audit log (which is append-only: no method changes or removes one).
    async fn append_audit(&self, entry: &AuditEntry) -> Result<()>;
    /// One organisation's audit log, newest first, a page at a time.
    async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>>;
    /// When the person was erased, if they were.
    async fn erased_at(&self, person: PersonId) -> Result<Option<DateTime<Utc>>>;
    /// Erases a person, in one transaction with the audit entry `audit` (whose detail gains the
    /// counts of [`ErasureReport`]): placeholder name and address, no home, inactive, no
    /// roles, sessions, API tokens, password, sign-in failures, registrations or fixed desk;
    /// bookings not yet started at `at` cancelled; the others kept as they are, so statistics
    /// stay the same. A person erased before is left alone ([`Erasure::AlreadyErased`]).
    async fn erase_person(&self, person: PersonId, at: DateTime<Utc>, audit: &AuditEntry) -> Result<Erasure>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: Uuid,
    organisation_id: Uuid,
    at: i64,
    actor_id: Option<Uuid>,
    actor_label: Option<String>,
    action: String,
    subject_kind: String,
    subject_id: Option<Uuid>,
    detail: String,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;

    fn try_from(r: AuditRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str, e: &dyn std::fmt::Display| StoreError::Internal(format!("stored {what}: {e}"));
        Ok(Self {
            id: r.id.into(),
            organisation_id: r.organisation_id.into(),
            at: timestamp(r.at)?,
            actor: match (r.actor_id, r.actor_label) {
                (Some(id), _) => Actor::Person(id.into()),
                (None, Some(label)) => Actor::Label(label),
                (None, None) => return Err(corrupt("audit actor", &"none")),
            },
            action: AuditAction::from_key(&r.action).map_err(|e| corrupt("audit action", &e))?,
            subject_kind: SubjectKind::from_key(&r.subject_kind).map_err(|e| corrupt("audit subject", &e))?,
            subject_id: r.subject_id,
            detail: serde_json::from_str(&r.detail).map_err(|e| corrupt("audit detail", &e))?,
        })
    }
}
