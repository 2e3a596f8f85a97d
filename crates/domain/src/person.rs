//! People: employees who plan, book and meet.

use crate::{Coordinates, InvalidValue, Language, MunicipalityCode, OrganisationId, PersonId, UnitId};

/// An email address, trimmed and lower-cased so that one person has one address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = Email, example = "maija.virtanen@dvv.example")]
pub struct Email(String);

impl Email {
    /// Accepts the addresses people actually have: one `@`, a non-empty local part, a domain with
    /// a dot, no spaces, at most 254 characters. Full RFC 5322 syntax is not the point here; the
    /// identity provider is the authority on addresses.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let s = s.trim();
        let bad = || InvalidValue::new("email", format!("`{s}` is not an email address"));
        if s.len() > 254 || s.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(bad());
        }
        Ok(Self(s.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, d)| d)
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(|e| serde::de::Error::custom(e.reason))
    }
}

/// A person. Home is a municipality, optionally with a point the API rounds to about a kilometre:
/// never a street address. Enough to say which places are near, no more.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: PersonId,
    pub organisation_id: OrganisationId,
    pub unit_id: Option<UnitId>,
    pub name: String,
    pub email: Email,
    pub language: Language,
    pub home_municipality: Option<MunicipalityCode>,
    /// Where "near home" is measured from: the home municipality's centre unless given.
    pub home: Option<Coordinates>,
    /// A deactivated person can no longer sign in or book; their history stays.
    pub active: bool,
}

/// The longest role tag, in characters.
pub const MAX_ROLE_TAG_CHARS: usize = 60;

/// A role tag as rules compare it: trimmed, inner whitespace single spaces, lower case, so that
/// "Cross-sector  Coordinator" and "cross-sector coordinator" are one tag.
pub fn normalise_tag(tag: &str) -> String {
    tag.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Parses a role tag typed by a person or sent by an identity provider.
pub fn parse_role_tag(tag: &str) -> Result<String, InvalidValue> {
    let tag = normalise_tag(tag);
    if tag.is_empty() || tag.chars().count() > MAX_ROLE_TAG_CHARS {
        return Err(InvalidValue::new("role_tags", format!("a role tag has 1 to {MAX_ROLE_TAG_CHARS} characters")));
    }
    crate::check_plain_text(&tag, "role_tags")?;
    Ok(tag)
}

/// Checks and normalises a person's role tags (such as "cross-sector coordinator", which policies
/// refer to): each trimmed, inner spaces collapsed, lower-cased, 1-60 characters of plain text;
/// at most 20; duplicates dropped; sorted.
pub fn parse_role_tags(tags: &[String]) -> Result<Vec<String>, InvalidValue> {
    let mut out = tags.iter().map(|tag| parse_role_tag(tag)).collect::<Result<Vec<_>, _>>()?;
    out.sort();
    out.dedup();
    if out.len() > 20 {
        return Err(InvalidValue::new("role_tags", "at most 20 role tags"));
    }
    Ok(out)
}

/// The name an erased person's record keeps: neutral, the same in every language's pages.
pub const ERASED_NAME: &str = "–";

/// The address an erased person's record keeps: unique (addresses are), and undeliverable (the
/// `.invalid` top-level domain is reserved never to exist, RFC 2606).
pub fn erased_email(id: PersonId) -> Email {
    Email(format!("erased-{id}@erased.invalid"))
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_them() {
        let email = Email::parse(" Anna.Lindqvist@Regionjh.SE ").unwrap();
        assert_eq!(email.as_str(), "anna.lindqvist@regionjh.se");
        assert_eq!(email.domain(), "regionjh.se");
    }

    #[test]
    fn an_erased_persons_address_is_unique_undeliverable_and_valid() {
        let id = crate::PersonId::from_uuid(uuid::Uuid::from_u128(7));
        let email = super::erased_email(id);
        assert_eq!(Email::parse(email.as_str()).unwrap(), email);
        assert_eq!(email.domain(), "erased.invalid");
        assert_ne!(email, super::erased_email(crate::PersonId::from_uuid(uuid::Uuid::from_u128(8))));
        assert!(crate::text::parse_name(super::ERASED_NAME, "name").is_ok());
    }

    #[test]
    fn refuses_what_cannot_be_an_address() {
        for bad in ["", "anna", "anna@", "@x.fi", "a b@x.fi", "a@x", "a@@x.fi", "a@.fi", "a@x..fi"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
