//! Typed identifiers. Each is a UUID (version 7 when hubnet makes it, so new rows sort by time),
//! wrapped so that a `SpaceId` can never be passed where a `SiteId` is expected.
//!
//! [`new_id`] makes one. It reads the clock (a version 7 UUID starts with the time), so the rules never call
//! it: like `now`, a new id is an argument to them, made by the server, the store or the demo.

use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(uuid::Uuid);

        impl $name {
            pub const fn from_uuid(uuid: uuid::Uuid) -> Self {
                Self(uuid)
            }

            pub const fn as_uuid(&self) -> &uuid::Uuid {
                &self.0
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(uuid: uuid::Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// An organisation: agency, municipality, region, co-working provider.
    OrganisationId
);
id_type!(
    /// A unit (department) inside an organisation.
    UnitId
);
id_type!(
    /// A person who may sign in and book.
    PersonId
);
id_type!(
    /// A site: an office, a shared office, a co-working hub or a service point.
    SiteId
);
id_type!(
    /// A floor of a site.
    FloorId
);
id_type!(
    /// A bookable or fixed space on a floor: desk, room, event space, parking.
    SpaceId
);
id_type!(
    /// A booking of one space by one person for one time range.
    BookingId
);
id_type!(
    /// An API token (its id, never its secret).
    TokenId
);
id_type!(
    /// An OpenID Connect identity provider that signs in one organisation's people.
    IdentityProviderId
);
id_type!(
    /// An entry of the audit log.
    AuditEntryId
);

/// A new time-ordered id (a version 7 UUID) of any id type.
pub fn new_id<T: From<uuid::Uuid>>() -> T {
    T::from(uuid::Uuid::now_v7())
}
