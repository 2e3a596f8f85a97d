//! What SCIM provisioning (RFC 7643/7644) keeps beyond the model: the identity provider's own
//! id for a person or unit (`externalId`), a person's given and family names as the provider
//! sends them, whether the provider has deleted a person, and each organisation's SCIM token.
//!
//! [`Scim`] is the capability; the types here are what its methods take and return, and the rows
//! are shared by both backends like those of `rows.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::{OrganisationId, Person, PersonId, Unit, UnitId};

use crate::rows::{PersonRow, UnitRow, timestamp};
use crate::{Result, StoreError};

/// A person as the identity provider provisions them.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionedPerson {
    pub person: Person,
    /// The provider's id for the person, unique within the organisation.
    pub external_id: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// When the person's record last changed (set by the store).
    pub updated_at: DateTime<Utc>,
}

/// Which of an organisation's people a SCIM query asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonMatch {
    All,
    /// The person with this email (`userName`), compared in lower case.
    Email(String),
    /// The person with this `externalId`, compared exactly.
    ExternalId(String),
}

/// One page of a SCIM list and how many match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct PeoplePage {
    pub people: Vec<ProvisionedPerson>,
    pub total: u64,
}

/// What provisioning changed besides the person's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProvisionOutcome {
    /// Bookings of an inactive person that had not started yet, now cancelled.
    pub cancelled_bookings: u64,
}

/// A unit as the identity provider sees it: a group of people.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionedUnit {
    pub unit: Unit,
    pub external_id: Option<String>,
    /// The people in the unit (inactive ones too, not those the provider deleted), by name.
    pub members: Vec<Member>,
    pub updated_at: DateTime<Utc>,
}

/// A person in a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: PersonId,
    pub name: String,
}

/// How a unit's members change. A person is in at most one unit: adding them to one takes them
/// out of the one they were in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Members {
    Keep,
    /// Exactly these people, no one else.
    Replace(Vec<PersonId>),
    /// These join (`add`) and these leave (`remove`; someone not in the unit is ignored).
    Change {
        add: Vec<PersonId>,
        remove: Vec<PersonId>,
    },
}

/// SCIM provisioning: an identity provider keeps an organisation's people and units, with a
/// token of the organisation's own.
#[async_trait]
pub trait Scim: Send + Sync {
    /// Sets the organisation's SCIM token (by its SHA-256), replacing any earlier one.
    async fn set_scim_token(&self, organisation: OrganisationId, hash: &[u8; 32], at: DateTime<Utc>) -> Result<()>;
    /// Removes the organisation's SCIM token ([`StoreError::NotFound`] when it has none).
    async fn delete_scim_token(&self, organisation: OrganisationId) -> Result<()>;
    /// The organisation whose SCIM token has this hash.
    async fn scim_organisation(&self, hash: &[u8; 32]) -> Result<OrganisationId>;
    /// The organisation's people that SCIM shows (not those it deleted) matching `filter`, in id
    /// order, skipping `offset` and at most `limit`, with how many match in all.
    async fn scim_people(
        &self,
        organisation: OrganisationId,
        filter: &PersonMatch,
        offset: u64,
        limit: u32,
    ) -> Result<PeoplePage>;
    /// One of the organisation's people that SCIM shows; [`StoreError::NotFound`] for anyone
    /// else, whoever else they are.
    async fn scim_person(&self, organisation: OrganisationId, id: PersonId) -> Result<ProvisionedPerson>;
    /// Adds a provisioned person. A person of the same organisation with the same email whom
    /// SCIM deleted comes back (same id, bookings history kept); any other holder of the email
    /// is a [`StoreError::Duplicate`]. Answers the person as stored.
    async fn create_scim_person(&self, person: &ProvisionedPerson, at: DateTime<Utc>) -> Result<ProvisionedPerson>;
    /// Replaces a provisioned person's record ([`StoreError::NotFound`] unless SCIM shows them in
    /// their organisation). An inactive person is signed out everywhere in the same
    /// transaction: sessions ended, API tokens revoked, bookings that start at or after `at`
    /// cancelled.
    async fn update_scim_person(&self, person: &ProvisionedPerson, at: DateTime<Utc>) -> Result<ProvisionOutcome>;
    /// Deactivates a person as [`Scim::update_scim_person`] does, takes them out of their unit
    /// and hides them from SCIM, in one transaction.
    async fn delete_scim_person(
        &self,
        organisation: OrganisationId,
        id: PersonId,
        at: DateTime<Utc>,
    ) -> Result<ProvisionOutcome>;
    /// The organisation's units with their members, by name.
    async fn scim_units(&self, organisation: OrganisationId) -> Result<Vec<ProvisionedUnit>>;
    /// One of the organisation's units with its members; [`StoreError::NotFound`] for any other.
    async fn scim_unit(&self, organisation: OrganisationId, id: UnitId) -> Result<ProvisionedUnit>;
    /// Inserts or updates a unit with its external id and changes its members, in one
    /// transaction. Members must be people of the unit's organisation whom SCIM shows
    /// ([`StoreError::MissingReference`] otherwise); a unit of another organisation with this id
    /// is [`StoreError::NotFound`].
    async fn save_scim_unit(&self, unit: &Unit, external_id: Option<&str>, members: &Members) -> Result<()>;
    /// Removes a unit: its people belong to no unit, its child units move up to its parent.
    async fn delete_scim_unit(&self, organisation: OrganisationId, id: UnitId) -> Result<()>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct ProvisionedPersonRow {
    #[sqlx(flatten)]
    person: PersonRow,
    external_id: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    updated_at: i64,
}

impl TryFrom<ProvisionedPersonRow> for ProvisionedPerson {
    type Error = StoreError;

    fn try_from(r: ProvisionedPersonRow) -> Result<Self, StoreError> {
        Ok(Self {
            person: r.person.try_into()?,
            external_id: r.external_id,
            given_name: r.given_name,
            family_name: r.family_name,
            updated_at: timestamp(r.updated_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ProvisionedUnitRow {
    #[sqlx(flatten)]
    unit: UnitRow,
    external_id: Option<String>,
    updated_at: i64,
}

/// Units with their members, from unit rows and (unit, person, name) rows.
pub(crate) fn units_with_members(
    units: Vec<ProvisionedUnitRow>,
    members: Vec<(uuid::Uuid, uuid::Uuid, String)>,
) -> Result<Vec<ProvisionedUnit>, StoreError> {
    let mut by_unit: std::collections::HashMap<uuid::Uuid, Vec<Member>> = std::collections::HashMap::new();
    for (unit, person, name) in members {
        by_unit.entry(unit).or_default().push(Member { id: person.into(), name });
    }
    units
        .into_iter()
        .map(|row| {
            let unit = Unit::from(row.unit);
            let mut members = by_unit.remove(unit.id.as_uuid()).unwrap_or_default();
            members.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            Ok(ProvisionedUnit { unit, external_id: row.external_id, members, updated_at: timestamp(row.updated_at)? })
        })
        .collect()
}

/// The people a change of members names, for checking them against the organisation.
pub(crate) fn joining(members: &Members) -> &[PersonId] {
    match members {
        Members::Keep => &[],
        Members::Replace(people) | Members::Change { add: people, .. } => people,
    }
}
