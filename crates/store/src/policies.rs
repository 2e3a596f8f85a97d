//! Policies: each organisation's booking policy, kept as numbered versions that each take effect
//! on a date, and the role tags its people carry for the policy's rules.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use hubnet_domain::{OrganisationId, PersonId};

use crate::Result;

/// A policy version to add: its rules as the domain writes them (a JSON array).
#[derive(Debug, Clone, PartialEq)]
pub struct NewPolicyVersion {
    pub organisation_id: OrganisationId,
    pub valid_from: NaiveDate,
    pub rules: serde_json::Value,
    pub changed_by: Option<PersonId>,
    pub changed_at: DateTime<Utc>,
}

/// A stored policy version.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyVersion {
    pub organisation_id: OrganisationId,
    pub version: u32,
    pub valid_from: NaiveDate,
    pub rules: serde_json::Value,
    pub changed_by: Option<PersonId>,
    pub changed_at: DateTime<Utc>,
}

/// Each organisation's policy versions and its people's role tags.
#[async_trait]
pub trait Policies: Send + Sync {
    /// Adds the organisation's next policy version (numbered from 1) and answers it.
    /// `Duplicate("version")` when another version was added at the same moment.
    async fn add_policy_version(&self, policy: &NewPolicyVersion) -> Result<PolicyVersion>;
    /// The organisation's policy versions, newest first.
    async fn policy_versions(&self, organisation: OrganisationId) -> Result<Vec<PolicyVersion>>;
    /// The version in force on `date`: the latest `valid_from` not after it (of those, the
    /// highest version), if any.
    async fn policy_in_force(&self, organisation: OrganisationId, date: NaiveDate) -> Result<Option<PolicyVersion>>;
    /// A person's role tags, sorted.
    async fn role_tags(&self, person: PersonId) -> Result<Vec<String>>;
    /// Replaces a person's role tags.
    async fn set_role_tags(&self, person: PersonId, tags: &[String]) -> Result<()>;
}
