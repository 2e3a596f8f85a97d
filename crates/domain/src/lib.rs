//! hubnet's model and its rules.
//!
//! Everything here is pure and synchronous: no I/O, no database, no clock. Time is always an
//! argument (`now`), so every rule can be tested for any day, Midsummer Eve 2027 included.
//! Refusals are typed values carrying a stable code, which the server translates into fi/sv/en.

pub mod access;
pub mod audit;
pub mod booking;
pub mod geo;
pub mod holidays;
pub mod hours;
pub mod ids;
pub mod lang;
pub mod money;
pub mod org;
pub mod person;
pub mod policy;
pub mod site;
pub mod space;
pub mod sso;
pub mod text;
pub mod utilisation;

pub use access::{Principal, Role, RoleGrant};
pub use booking::{Booking, BookingError, BookingStatus, Decision, DeclineReason, Period, TimeRange, Verdict};
pub use geo::{Coordinates, Country, MunicipalityCode};
pub use hours::{DayHours, TimeOfDay, WeeklyHours};
pub use ids::{BookingId, FloorId, IdentityProviderId, OrganisationId, PersonId, SiteId, SpaceId, TokenId, UnitId};
pub use lang::Language;
pub use money::{Currency, Price};
pub use org::{Organisation, OrganisationKind, Unit};
pub use person::{Email, Person};
pub use site::{AccessTerms, Site, SiteKind, WhoMayBook};
pub use space::{AccessibilityFeature, Amenity, Floor, Space, SpaceKind};
pub use text::LocalizedText;

/// A value that failed validation: which field, and the stable code of the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InvalidValue {
    /// The field (as named in the API) that holds the bad value.
    pub field: &'static str,
    /// What is wrong with it, in English, for logs and developers; the API adds translations.
    pub reason: String,
}

impl InvalidValue {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }
}

/// Refuses control characters (NUL, escapes, line breaks) in a one-line text: they cannot be
/// shown, and PostgreSQL refuses NUL outright.
pub fn check_plain_text(text: &str, field: &'static str) -> Result<(), InvalidValue> {
    if text.chars().any(char::is_control) {
        return Err(InvalidValue::new(field, "control characters are not allowed"));
    }
    Ok(())
}
