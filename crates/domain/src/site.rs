//! Sites: own offices, shared multi-agency offices, co-working hubs and customer service points,
//! with their hours, holidays and the terms on which others may use them.

use chrono_tz::Tz;

use crate::money::Price;
use crate::text::keyed_enum;
use crate::{Coordinates, InvalidValue, LocalizedText, MunicipalityCode, OrganisationId, SiteId, WeeklyHours};

keyed_enum!(
    /// What kind of place a site is.
    SiteKind, "kind" {
        OwnOffice => "own_office",
        SharedOffice => "shared_office",
        CoworkingHub => "coworking_hub",
        ServicePoint => "service_point",
    }
);

keyed_enum!(
    /// Whose people may book at a site.
    WhoMayBook, "who" {
        OwnerOnly => "owner_only",
        Listed => "listed",
        Network => "network",
    }
);

/// The terms on which a site is shared.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessTerms {
    pub who: WhoMayBook,
    /// With `who = listed`: the organisations besides the owner that may book.
    #[serde(default)]
    pub organisations: Vec<OrganisationId>,
    /// A person must register (accept the site's terms) once before the first booking.
    #[serde(default)]
    pub registration_required: bool,
    /// Bookings wait for a host's approval.
    #[serde(default)]
    pub approval_required: bool,
    /// The terms a person accepts when registering, in fi/sv/en (up to
    /// [`AccessTerms::MAX_TERMS_CHARS`] characters each, line breaks allowed; may be empty).
    /// Registration records that the person accepted the terms, not which text: a changed text
    /// does not ask those registered to accept again.
    #[serde(default)]
    pub terms: LocalizedText,
}

impl AccessTerms {
    /// The longest terms text, per language.
    pub const MAX_TERMS_CHARS: usize = 5000;

    pub const fn owner_only() -> Self {
        Self::open_to(WhoMayBook::OwnerOnly)
    }

    pub const fn network() -> Self {
        Self::open_to(WhoMayBook::Network)
    }

    const fn open_to(who: WhoMayBook) -> Self {
        Self {
            who,
            organisations: Vec::new(),
            registration_required: false,
            approval_required: false,
            terms: LocalizedText { fi: String::new(), sv: String::new(), en: String::new() },
        }
    }
}

/// A site of the network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Site {
    pub id: SiteId,
    /// Unique short code; imports and URLs for people may use it.
    pub code: crate::org::Code,
    pub kind: SiteKind,
    /// The owner; for a co-working hub, its provider.
    pub organisation_id: OrganisationId,
    pub name: LocalizedText,
    pub address: String,
    pub municipality: MunicipalityCode,
    pub coordinates: Coordinates,
    #[schema(value_type = String, example = "Europe/Helsinki")]
    pub time_zone: Tz,
    pub opening_hours: WeeklyHours,
    /// Closed on the public holidays (and de facto closing days) of its municipality's country.
    pub closed_on_holidays: bool,
    pub access: AccessTerms,
    /// What one seat for one day costs the booker's employer (external hubs).
    pub price_per_seat_day: Option<Price>,
    /// How many days ahead bookings open.
    #[schema(minimum = 1, maximum = 730)]
    pub booking_horizon_days: u16,
}

impl Site {
    pub const DEFAULT_HORIZON_DAYS: u16 = 60;

    /// Whether people of `organisation` may book here under the site's terms.
    pub fn admits(&self, organisation: OrganisationId) -> bool {
        organisation == self.organisation_id
            || match self.access.who {
                WhoMayBook::OwnerOnly => false,
                WhoMayBook::Listed => self.access.organisations.contains(&organisation),
                WhoMayBook::Network => true,
            }
    }

    /// Checks the parts of a site that do not depend on other records.
    pub fn validate(&self) -> Result<(), InvalidValue> {
        self.name.validate("name")?;
        if self.address.trim().is_empty() || self.address.chars().count() > 300 {
            return Err(InvalidValue::new("address", "an address has 1 to 300 characters"));
        }
        if !(1..=730).contains(&self.booking_horizon_days) {
            return Err(InvalidValue::new("booking_horizon_days", "between 1 and 730 days"));
        }
        if let Some(price) = self.price_per_seat_day
            && !(0..=10_000_000).contains(&price.amount_minor)
        {
            return Err(InvalidValue::new("price_per_seat_day", "a price is between 0 and 100 000"));
        }
        if self.access.who != WhoMayBook::Listed && !self.access.organisations.is_empty() {
            return Err(InvalidValue::new("access", "organisations are listed only with who = listed"));
        }
        self.access.terms.validate_long("terms", AccessTerms::MAX_TERMS_CHARS)?;
        Ok(())
    }
}

/// Parses an IANA time zone name such as `Europe/Helsinki`.
pub fn parse_time_zone(name: &str) -> Result<Tz, InvalidValue> {
    name.trim().parse::<Tz>().map_err(|_| InvalidValue::new("time_zone", format!("`{name}` is not an IANA time zone")))
}
