//! Who may do what: roles and the checks every request makes.
//!
//! A [`Principal`] is the signed-in person with their roles, however they signed in (API token
//! today, single sign-on later). Every check is a pure function of it and the record at hand.

use crate::{OrganisationId, Person, PersonId, Site, SiteId};

/// A role a person holds. Everyone is a member of their own organisation; the others are granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// Runs one site: hours, spaces, who is expected today.
    SiteHost { site_id: SiteId },
    /// Manages one organisation's people, units, sites and policies.
    OrgAdmin { organisation_id: OrganisationId },
    /// Runs the whole installation.
    PlatformAdmin,
}

impl Role {
    /// The stored name of the role (its scope is stored beside it).
    pub const fn key(self) -> &'static str {
        match self {
            Self::SiteHost { .. } => "site_host",
            Self::OrgAdmin { .. } => "org_admin",
            Self::PlatformAdmin => "platform_admin",
        }
    }
}

/// A role granted to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RoleGrant {
    pub person_id: PersonId,
    pub role: Role,
}

/// The person making a request, with their roles.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub person: Person,
    pub roles: Vec<Role>,
}

impl Principal {
    pub const fn person_id(&self) -> PersonId {
        self.person.id
    }

    pub const fn organisation_id(&self) -> OrganisationId {
        self.person.organisation_id
    }

    pub fn is_platform_admin(&self) -> bool {
        self.roles.contains(&Role::PlatformAdmin)
    }

    /// Administers `organisation` (or everything).
    pub fn administers(&self, organisation: OrganisationId) -> bool {
        self.is_platform_admin() || self.roles.contains(&Role::OrgAdmin { organisation_id: organisation })
    }

    pub fn hosts(&self, site: SiteId) -> bool {
        self.roles.contains(&Role::SiteHost { site_id: site })
    }

    /// May change the site, its floors and its spaces.
    pub fn can_manage_site(&self, site: &Site) -> bool {
        self.administers(site.organisation_id) || self.hosts(site.id)
    }

    /// May see the person's profile: themself, a colleague in the same organisation, or an admin
    /// of their organisation. People of other organisations stay invisible.
    pub fn can_see_person(&self, person: &Person) -> bool {
        person.id == self.person.id
            || person.organisation_id == self.person.organisation_id
            || self.administers(person.organisation_id)
    }

    /// May change the person's profile and roles.
    pub fn can_manage_person(&self, person: &Person) -> bool {
        self.administers(person.organisation_id)
    }

    /// May book in the name of `person` (their own bookings, or as an admin of their organisation).
    pub fn can_book_for(&self, person: &Person) -> bool {
        person.id == self.person.id || self.administers(person.organisation_id)
    }

    /// May see and cancel a booking: its holder, whoever made it, an admin of the holder's
    /// organisation, or a host of its site.
    pub fn can_see_booking(&self, holder: &Person, created_by: PersonId, site: SiteId) -> bool {
        holder.id == self.person.id
            || created_by == self.person.id
            || self.administers(holder.organisation_id)
            || self.hosts(site)
    }
}
