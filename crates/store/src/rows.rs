//! Rows as both databases return them, and their conversion into domain types.
//!
//! The two backends select the same shapes (PostgreSQL turns `timestamptz` into epoch seconds
//! and arrays into comma-separated text in its SELECT lists), so one set of row types and one
//! set of conversions serves both, and a value the domain would refuse is caught on the way out.

use chrono::{DateTime, Utc};
use hubnet_domain::money::Currency;
use hubnet_domain::org::Code;
use hubnet_domain::site::parse_time_zone;
use hubnet_domain::space::normalise;
use hubnet_domain::{
    AccessTerms, AccessibilityFeature, Amenity, Booking, BookingStatus, Coordinates, Country, Decision, Email, Floor,
    Language, LocalizedText, Organisation, OrganisationKind, Person, Price, Role, Site, SiteKind, Space, SpaceKind,
    Unit, WhoMayBook,
};
use uuid::Uuid;

use crate::{StoreError, TokenInfo};

/// A stored value the model refuses: the database was changed behind hubnet's back.
fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(format!("stored {what} is invalid: {detail}"))
}

pub fn timestamp(seconds: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| corrupt("timestamp", seconds))
}

fn text(fi: String, sv: String, en: String) -> LocalizedText {
    LocalizedText { fi, sv, en }
}

/// Keys joined by commas, as stored for lists of amenities and accessibility features.
pub fn join_keys<T: Copy>(items: &[T], key: impl Fn(T) -> &'static str) -> String {
    items.iter().map(|i| key(*i)).collect::<Vec<_>>().join(",")
}

fn split_keys<T: Ord>(
    joined: &str,
    parse: impl Fn(&str) -> Result<T, hubnet_domain::InvalidValue>,
) -> Result<Vec<T>, StoreError> {
    let items = joined
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).map_err(|e| corrupt("list", e)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(normalise(items))
}

#[derive(sqlx::FromRow)]
pub struct OrganisationRow {
    id: Uuid,
    code: String,
    name_fi: String,
    name_sv: String,
    name_en: String,
    kind: String,
    country: String,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;

    fn try_from(r: OrganisationRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: r.id.into(),
            code: Code::parse(&r.code, "code").map_err(|e| corrupt("organisation", e))?,
            name: text(r.name_fi, r.name_sv, r.name_en),
            kind: OrganisationKind::from_key(&r.kind).map_err(|e| corrupt("organisation", e))?,
            country: r.country.parse::<Country>().map_err(|e| corrupt("organisation", e))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct UnitRow {
    id: Uuid,
    organisation_id: Uuid,
    parent_id: Option<Uuid>,
    name_fi: String,
    name_sv: String,
    name_en: String,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Self {
        Self {
            id: r.id.into(),
            organisation_id: r.organisation_id.into(),
            parent_id: r.parent_id.map(Into::into),
            name: text(r.name_fi, r.name_sv, r.name_en),
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct PersonRow {
    id: Uuid,
    organisation_id: Uuid,
    unit_id: Option<Uuid>,
    name: String,
    email: String,
    language: String,
    home_municipality: Option<String>,
    home_lat: Option<f64>,
    home_lon: Option<f64>,
    active: bool,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;

    fn try_from(r: PersonRow) -> Result<Self, StoreError> {
        let home = match (r.home_lat, r.home_lon) {
            (Some(lat), Some(lon)) => Some(Coordinates::new(lat, lon).map_err(|e| corrupt("person", e))?),
            _ => None,
        };
        Ok(Self {
            id: r.id.into(),
            organisation_id: r.organisation_id.into(),
            unit_id: r.unit_id.map(Into::into),
            name: r.name,
            email: Email::parse(&r.email).map_err(|e| corrupt("person", e))?,
            language: r.language.parse::<Language>().map_err(|e| corrupt("person", e))?,
            home_municipality: r.home_municipality.map(|m| m.parse()).transpose().map_err(|e| corrupt("person", e))?,
            home,
            active: r.active,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct RoleRow {
    role: String,
    site_id: Option<Uuid>,
    organisation_id: Option<Uuid>,
}

impl TryFrom<RoleRow> for Role {
    type Error = StoreError;

    fn try_from(r: RoleRow) -> Result<Self, StoreError> {
        match (r.role.as_str(), r.site_id, r.organisation_id) {
            ("site_host", Some(site), None) => Ok(Self::SiteHost { site_id: site.into() }),
            ("org_admin", None, Some(org)) => Ok(Self::OrgAdmin { organisation_id: org.into() }),
            ("platform_admin", None, None) => Ok(Self::PlatformAdmin),
            ("analyst", None, Some(org)) => Ok(Self::Analyst { organisation_id: org.into() }),
            ("hr", None, Some(org)) => Ok(Self::Hr { organisation_id: org.into() }),
            (other, _, _) => Err(corrupt("role", other)),
        }
    }
}

/// A person joined with one of their role grants (or none): the rows of one token lookup.
#[derive(sqlx::FromRow)]
pub struct PrincipalRow {
    #[sqlx(flatten)]
    person: PersonRow,
    role: Option<String>,
    role_site_id: Option<Uuid>,
    role_organisation_id: Option<Uuid>,
}

/// The principal from its rows (person columns repeated on each, one role grant per row).
pub fn principal(rows: Vec<PrincipalRow>) -> Result<hubnet_domain::Principal, StoreError> {
    let mut roles = Vec::new();
    let mut person = None;
    for row in rows {
        if let Some(role) = row.role {
            roles.push(Role::try_from(RoleRow {
                role,
                site_id: row.role_site_id,
                organisation_id: row.role_organisation_id,
            })?);
        }
        if person.is_none() {
            person = Some(row.person);
        }
    }
    let person = person.ok_or(StoreError::NotFound)?.try_into()?;
    Ok(hubnet_domain::Principal { person, roles })
}

/// The columns of a role grant: (role, site scope, organisation scope).
pub fn role_columns(role: Role) -> (&'static str, Option<Uuid>, Option<Uuid>) {
    match role {
        Role::SiteHost { site_id } => (role.key(), Some(*site_id.as_uuid()), None),
        Role::OrgAdmin { organisation_id } | Role::Analyst { organisation_id } | Role::Hr { organisation_id } => {
            (role.key(), None, Some(*organisation_id.as_uuid()))
        }
        Role::PlatformAdmin => (role.key(), None, None),
    }
}

#[derive(sqlx::FromRow)]
pub struct SiteRow {
    id: Uuid,
    code: String,
    kind: String,
    organisation_id: Uuid,
    name_fi: String,
    name_sv: String,
    name_en: String,
    address: String,
    municipality: String,
    lat: f64,
    lon: f64,
    time_zone: String,
    opening_hours: String,
    closed_on_holidays: bool,
    access_who: String,
    /// Comma-separated organisation ids (hex or hyphenated), from `site_access`.
    access_organisations: Option<String>,
    registration_required: bool,
    approval_required: bool,
    price_minor: Option<i64>,
    price_currency: Option<String>,
    booking_horizon_days: i32,
    terms_fi: String,
    terms_sv: String,
    terms_en: String,
}

impl TryFrom<SiteRow> for Site {
    type Error = StoreError;

    fn try_from(r: SiteRow) -> Result<Self, StoreError> {
        let bad = |e: &dyn std::fmt::Display| corrupt("site", e.to_string());
        let organisations = r
            .access_organisations
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| Uuid::parse_str(s).map(Into::into).map_err(|e| bad(&e)))
            .collect::<Result<Vec<_>, _>>()?;
        let price_per_seat_day = match (r.price_minor, r.price_currency) {
            (Some(amount_minor), Some(currency)) => {
                Some(Price { amount_minor, currency: Currency::from_code(&currency).map_err(|e| bad(&e))? })
            }
            _ => None,
        };
        Ok(Self {
            id: r.id.into(),
            code: Code::parse(&r.code, "code").map_err(|e| bad(&e))?,
            kind: SiteKind::from_key(&r.kind).map_err(|e| bad(&e))?,
            organisation_id: r.organisation_id.into(),
            name: text(r.name_fi, r.name_sv, r.name_en),
            address: r.address,
            municipality: r.municipality.parse().map_err(|e: hubnet_domain::InvalidValue| bad(&e))?,
            coordinates: Coordinates::new(r.lat, r.lon).map_err(|e| bad(&e))?,
            time_zone: parse_time_zone(&r.time_zone).map_err(|e| bad(&e))?,
            opening_hours: serde_json::from_str(&r.opening_hours).map_err(|e| bad(&e))?,
            closed_on_holidays: r.closed_on_holidays,
            access: AccessTerms {
                who: WhoMayBook::from_key(&r.access_who).map_err(|e| bad(&e))?,
                organisations: normalise(organisations),
                registration_required: r.registration_required,
                approval_required: r.approval_required,
                terms: text(r.terms_fi, r.terms_sv, r.terms_en),
            },
            price_per_seat_day,
            booking_horizon_days: u16::try_from(r.booking_horizon_days).map_err(|e| bad(&e))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct FloorRow {
    id: Uuid,
    site_id: Uuid,
    name_fi: String,
    name_sv: String,
    name_en: String,
    level: i32,
}

impl TryFrom<FloorRow> for Floor {
    type Error = StoreError;

    fn try_from(r: FloorRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: r.id.into(),
            site_id: r.site_id.into(),
            name: text(r.name_fi, r.name_sv, r.name_en),
            level: i16::try_from(r.level).map_err(|e| corrupt("floor", e))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct SpaceRow {
    id: Uuid,
    site_id: Uuid,
    floor_id: Uuid,
    kind: String,
    name: String,
    capacity: i32,
    amenities: String,
    accessibility: String,
    bookable: bool,
    assigned_to: Option<Uuid>,
    approval_required: bool,
}

impl TryFrom<SpaceRow> for Space {
    type Error = StoreError;

    fn try_from(r: SpaceRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: r.id.into(),
            site_id: r.site_id.into(),
            floor_id: r.floor_id.into(),
            kind: SpaceKind::from_key(&r.kind).map_err(|e| corrupt("space", e))?,
            name: r.name,
            capacity: u16::try_from(r.capacity).map_err(|e| corrupt("space", e))?,
            amenities: split_keys(&r.amenities, Amenity::from_key)?,
            accessibility: split_keys(&r.accessibility, AccessibilityFeature::from_key)?,
            bookable: r.bookable,
            assigned_to: r.assigned_to.map(Into::into),
            approval_required: r.approval_required,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct BookingRow {
    id: Uuid,
    space_id: Uuid,
    site_id: Uuid,
    person_id: Uuid,
    created_by: Uuid,
    start_at: i64,
    end_at: i64,
    status: String,
    created_at: i64,
    decided_by: Option<Uuid>,
    decided_at: Option<i64>,
    decline_reason: Option<String>,
    awaits_organisation: bool,
}

impl TryFrom<BookingRow> for Booking {
    type Error = StoreError;

    fn try_from(r: BookingRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: r.id.into(),
            space_id: r.space_id.into(),
            site_id: r.site_id.into(),
            person_id: r.person_id.into(),
            created_by: r.created_by.into(),
            start: timestamp(r.start_at)?,
            end: timestamp(r.end_at)?,
            status: BookingStatus::from_key(&r.status).ok_or_else(|| corrupt("booking", &r.status))?,
            created_at: timestamp(r.created_at)?,
            decision: match (r.decided_by, r.decided_at) {
                (Some(by), Some(at)) => {
                    Some(Decision { decided_by: by.into(), decided_at: timestamp(at)?, reason: r.decline_reason })
                }
                _ => None,
            },
            awaits_organisation: r.awaits_organisation,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct TokenRow {
    id: Uuid,
    person_id: Uuid,
    label: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl TryFrom<TokenRow> for TokenInfo {
    type Error = StoreError;

    fn try_from(r: TokenRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: r.id.into(),
            person_id: r.person_id.into(),
            label: r.label,
            created_at: timestamp(r.created_at)?,
            revoked_at: r.revoked_at.map(timestamp).transpose()?,
        })
    }
}

/// Converts every row, failing on the first the model refuses.
pub fn convert<R, T: TryFrom<R, Error = StoreError>>(rows: Vec<R>) -> Result<Vec<T>, StoreError> {
    rows.into_iter().map(T::try_from).collect()
}

/// The columns of an identity provider, as both databases select them.
pub const IDENTITY_PROVIDER_COLUMNS: &str =
    "id, organisation_id, name, issuer, client_id, client_secret, email_domains";

#[derive(sqlx::FromRow)]
pub struct IdentityProviderRow {
    id: Uuid,
    organisation_id: Uuid,
    name: String,
    issuer: String,
    client_id: String,
    client_secret: Option<String>,
    email_domains: String,
}

impl TryFrom<IdentityProviderRow> for hubnet_domain::sso::IdentityProvider {
    type Error = StoreError;

    fn try_from(r: IdentityProviderRow) -> Result<Self, StoreError> {
        let domains: Vec<String> = r.email_domains.split(' ').map(str::to_owned).collect();
        Ok(Self {
            id: r.id.into(),
            organisation_id: r.organisation_id.into(),
            name: r.name,
            issuer: r.issuer,
            client_id: r.client_id,
            client_secret: r.client_secret,
            email_domains: hubnet_domain::sso::parse_email_domains(&domains)
                .map_err(|e| corrupt("email domains", e))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct PolicyRow {
    organisation_id: Uuid,
    version: i64,
    valid_from: String,
    rules: String,
    changed_by: Option<Uuid>,
    changed_at: i64,
}

/// The columns of a policy version, as both databases select them.
pub const POLICY_COLUMNS: &str = "organisation_id, version, valid_from, rules, changed_by, changed_at";

impl TryFrom<PolicyRow> for crate::PolicyVersion {
    type Error = StoreError;

    fn try_from(r: PolicyRow) -> Result<Self, StoreError> {
        Ok(Self {
            organisation_id: r.organisation_id.into(),
            version: u32::try_from(r.version).map_err(|e| corrupt("policy version", e))?,
            valid_from: r.valid_from.parse().map_err(|e| corrupt("policy date", e))?,
            rules: serde_json::from_str(&r.rules).map_err(|e| corrupt("policy rules", e))?,
            changed_by: r.changed_by.map(Into::into),
            changed_at: timestamp(r.changed_at)?,
        })
    }
}
