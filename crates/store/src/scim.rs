//! What SCIM provisioning (RFC 7643/7644) keeps beyond the model: the identity provider's own
//! id for a person or unit (`externalId`), a person's given and family names as the provider
//! sends them, whether the provider has deleted a person, and each organisation's SCIM token.
//!
//! The types here are what the `Store` methods of the SCIM block take and return; the rows are
//! shared by both backends like those of `rows.rs`.

use chrono::{DateTime, Utc};
use hubnet_domain::{Person, PersonId, Unit};

use crate::StoreError;
use crate::rows::{PersonRow, UnitRow, timestamp};

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
