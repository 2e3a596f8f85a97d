//! Organisations (agencies, municipalities, regions, co-working providers) and their units.

use crate::{Country, InvalidValue, LocalizedText, OrganisationId, UnitId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    StateAgency,
    Municipality,
    Region,
    CoworkingProvider,
    Other,
}

impl OrganisationKind {
    pub const fn key(self) -> &'static str {
        match self {
            Self::StateAgency => "state_agency",
            Self::Municipality => "municipality",
            Self::Region => "region",
            Self::CoworkingProvider => "coworking_provider",
            Self::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Result<Self, InvalidValue> {
        Ok(match key.trim() {
            "state_agency" => Self::StateAgency,
            "municipality" => Self::Municipality,
            "region" => Self::Region,
            "coworking_provider" => Self::CoworkingProvider,
            "other" => Self::Other,
            other => {
                return Err(InvalidValue::new("kind", format!("unknown organisation kind `{other}`")));
            }
        })
    }
}

/// An employer or provider in the network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: OrganisationId,
    /// A short unique code chosen by the platform admin, such as a business id; imports refer to
    /// organisations by it.
    pub code: Code,
    pub name: LocalizedText,
    pub kind: OrganisationKind,
    pub country: Country,
}

/// A unit (department, team) of an organisation; units form a tree through `parent_id`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub id: UnitId,
    pub organisation_id: OrganisationId,
    pub parent_id: Option<UnitId>,
    pub name: LocalizedText,
}

/// A short, unique, human-typed identifier: letters, digits and `-_.`, 1-64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, example = "dvv")]
pub struct Code(String);

impl Code {
    pub fn parse(s: &str, field: &'static str) -> Result<Self, InvalidValue> {
        let s = s.trim();
        if s.is_empty() || s.len() > 64 {
            return Err(InvalidValue::new(field, "a code has 1 to 64 characters"));
        }
        if !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
            return Err(InvalidValue::new(field, format!("`{s}` may hold only letters a-z, digits and - _ .")));
        }
        Ok(Self(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s, "code").map_err(|e| serde::de::Error::custom(e.reason))
    }
}

/// Checks that units form a tree: following parents from `unit` never returns to it.
/// `parent_of` gives each unit's parent.
pub fn creates_cycle(unit: UnitId, new_parent: Option<UnitId>, parent_of: impl Fn(UnitId) -> Option<UnitId>) -> bool {
    let mut cursor = new_parent;
    let mut steps = 0;
    while let Some(current) = cursor {
        if current == unit || steps > 10_000 {
            return true;
        }
        cursor = parent_of(current);
        steps += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn unit(n: u128) -> UnitId {
        UnitId::from_uuid(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn refuses_to_make_a_unit_its_own_ancestor() {
        let parents = HashMap::from([(unit(2), unit(1)), (unit(3), unit(2))]);
        let parent_of = |u| parents.get(&u).copied();
        assert!(creates_cycle(unit(1), Some(unit(3)), parent_of));
        assert!(creates_cycle(unit(1), Some(unit(1)), parent_of));
        assert!(!creates_cycle(unit(3), Some(unit(1)), parent_of));
        assert!(!creates_cycle(unit(1), None, parent_of));
    }

    #[test]
    fn codes_are_case_insensitive_and_plain() {
        assert_eq!(Code::parse(" DVV ", "code").unwrap().as_str(), "dvv");
        assert!(Code::parse("två ord", "code").is_err());
        assert!(Code::parse("", "code").is_err());
    }
}
