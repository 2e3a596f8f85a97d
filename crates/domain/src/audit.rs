//! What the audit log records: the administrative changes and the reads of other people's
//! personal data, each under a stable key (`site.updated`, `person.viewed`).
//!
//! Keys are stable: they are stored, filtered on through the API and translated on the audit
//! page (`web-audit-action-<key with _ for .>`). Add new ones; never rename one.

use crate::InvalidValue;

/// One kind of recorded event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    OrganisationCreated,
    OrganisationUpdated,
    UnitCreated,
    UnitUpdated,
    PersonCreated,
    PersonUpdated,
    RolesReplaced,
    PersonErased,
    /// An admin or HR read someone else's profile, roles, bookings or one of their bookings.
    PersonViewed,
    /// An admin or HR listed an organisation's people.
    PeopleListed,
    /// An admin downloaded everything kept about someone else.
    PersonExported,
    TokenCreated,
    TokenRevoked,
    SiteCreated,
    SiteUpdated,
    FloorCreated,
    FloorUpdated,
    SpaceCreated,
    SpaceUpdated,
    /// Someone booked in another person's name.
    BookingCreated,
    /// Someone cancelled another person's booking.
    BookingCancelled,
    ImportApplied,
    /// A host or the site owner's admin approved a pending booking.
    BookingApproved,
    /// A host or the site owner's admin declined a pending booking.
    BookingDeclined,
    UnitDeleted,
    IdentityProviderCreated,
    IdentityProviderUpdated,
    IdentityProviderDeleted,
    ScimTokenCreated,
    ScimTokenRevoked,
    RoleTagsReplaced,
    PolicyChanged,
}

impl AuditAction {
    pub const ALL: [Self; 32] = [
        Self::OrganisationCreated,
        Self::OrganisationUpdated,
        Self::UnitCreated,
        Self::UnitUpdated,
        Self::PersonCreated,
        Self::PersonUpdated,
        Self::RolesReplaced,
        Self::PersonErased,
        Self::PersonViewed,
        Self::PeopleListed,
        Self::PersonExported,
        Self::TokenCreated,
        Self::TokenRevoked,
        Self::SiteCreated,
        Self::SiteUpdated,
        Self::FloorCreated,
        Self::FloorUpdated,
        Self::SpaceCreated,
        Self::SpaceUpdated,
        Self::BookingCreated,
        Self::BookingCancelled,
        Self::ImportApplied,
        Self::BookingApproved,
        Self::BookingDeclined,
        Self::UnitDeleted,
        Self::IdentityProviderCreated,
        Self::IdentityProviderUpdated,
        Self::IdentityProviderDeleted,
        Self::ScimTokenCreated,
        Self::ScimTokenRevoked,
        Self::RoleTagsReplaced,
        Self::PolicyChanged,
    ];

    /// The stable key, `noun.verb`.
    pub const fn key(self) -> &'static str {
        match self {
            Self::OrganisationCreated => "organisation.created",
            Self::OrganisationUpdated => "organisation.updated",
            Self::UnitCreated => "unit.created",
            Self::UnitUpdated => "unit.updated",
            Self::PersonCreated => "person.created",
            Self::PersonUpdated => "person.updated",
            Self::RolesReplaced => "roles.replaced",
            Self::PersonErased => "person.erased",
            Self::PersonViewed => "person.viewed",
            Self::PeopleListed => "people.listed",
            Self::PersonExported => "person.exported",
            Self::TokenCreated => "token.created",
            Self::TokenRevoked => "token.revoked",
            Self::SiteCreated => "site.created",
            Self::SiteUpdated => "site.updated",
            Self::FloorCreated => "floor.created",
            Self::FloorUpdated => "floor.updated",
            Self::SpaceCreated => "space.created",
            Self::SpaceUpdated => "space.updated",
            Self::BookingCreated => "booking.created",
            Self::BookingCancelled => "booking.cancelled",
            Self::ImportApplied => "import.applied",
            Self::BookingApproved => "booking.approved",
            Self::BookingDeclined => "booking.declined",
            Self::UnitDeleted => "unit.deleted",
            Self::IdentityProviderCreated => "identity_provider.created",
            Self::IdentityProviderUpdated => "identity_provider.updated",
            Self::IdentityProviderDeleted => "identity_provider.deleted",
            Self::ScimTokenCreated => "scim_token.created",
            Self::ScimTokenRevoked => "scim_token.revoked",
            Self::RoleTagsReplaced => "role_tags.replaced",
            Self::PolicyChanged => "policy.changed",
        }
    }

    pub fn from_key(key: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|a| a.key() == key)
            .ok_or_else(|| InvalidValue::new("action", format!("`{key}` is not an audited action")))
    }

    /// Whether the entry records a read of personal data rather than a change.
    pub const fn is_read(self) -> bool {
        matches!(self, Self::PersonViewed | Self::PeopleListed | Self::PersonExported)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// The kind of record an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    Organisation,
    Unit,
    Person,
    Token,
    Site,
    Floor,
    Space,
    Booking,
    IdentityProvider,
}

impl SubjectKind {
    pub const ALL: [Self; 9] = [
        Self::Organisation,
        Self::Unit,
        Self::Person,
        Self::Token,
        Self::Site,
        Self::Floor,
        Self::Space,
        Self::Booking,
        Self::IdentityProvider,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::Unit => "unit",
            Self::Person => "person",
            Self::Token => "token",
            Self::Site => "site",
            Self::Floor => "floor",
            Self::Space => "space",
            Self::Booking => "booking",
            Self::IdentityProvider => "identity_provider",
        }
    }

    pub fn from_key(key: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|k| k.key() == key)
            .ok_or_else(|| InvalidValue::new("subject_kind", format!("`{key}` is not a kind of record")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_distinct_key_that_reads_back() {
        let mut keys = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert!(keys.insert(action.key()), "{action} twice");
            assert_eq!(AuditAction::from_key(action.key()).unwrap(), action);
            let (noun, verb) = action.key().split_once('.').unwrap();
            assert!(noun.chars().chain(verb.chars()).all(|c| c.is_ascii_lowercase() || c == '_'), "{action}");
        }
        assert!(AuditAction::from_key("site.deleted").is_err());
        assert!(AuditAction::PersonViewed.is_read() && !AuditAction::PersonErased.is_read());
    }

    #[test]
    fn every_subject_kind_reads_back() {
        for kind in SubjectKind::ALL {
            assert_eq!(SubjectKind::from_key(kind.key()).unwrap(), kind);
        }
        assert!(SubjectKind::from_key("secret").is_err());
    }
}
