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
    /// Reads one organisation's aggregate follow-up (utilisation and later reports), never
    /// individual people's bookings. Changes nothing.
    Analyst { organisation_id: OrganisationId },
    /// Reads one organisation's people (profiles) and aggregate follow-up, for well-being
    /// follow-up. Changes nothing; every read of someone's profile is in the audit log.
    Hr { organisation_id: OrganisationId },
}

impl Role {
    /// The stored name of the role (its scope is stored beside it).
    pub const fn key(self) -> &'static str {
        match self {
            Self::SiteHost { .. } => "site_host",
            Self::OrgAdmin { .. } => "org_admin",
            Self::PlatformAdmin => "platform_admin",
            Self::Analyst { .. } => "analyst",
            Self::Hr { .. } => "hr",
        }
    }

    /// The organisation the role is scoped to, for the organisation-scoped roles.
    pub const fn organisation(self) -> Option<OrganisationId> {
        match self {
            Self::OrgAdmin { organisation_id } | Self::Analyst { organisation_id } | Self::Hr { organisation_id } => {
                Some(organisation_id)
            }
            Self::SiteHost { .. } | Self::PlatformAdmin => None,
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

    /// Holds the analyst role of `organisation`.
    pub fn is_analyst_of(&self, organisation: OrganisationId) -> bool {
        self.roles.contains(&Role::Analyst { organisation_id: organisation })
    }

    /// Holds the HR role of `organisation`.
    pub fn is_hr_of(&self, organisation: OrganisationId) -> bool {
        self.roles.contains(&Role::Hr { organisation_id: organisation })
    }

    /// May change the site, its floors and its spaces.
    pub fn can_manage_site(&self, site: &Site) -> bool {
        self.administers(site.organisation_id) || self.hosts(site.id)
    }

    /// May see an organisation's internal structure (its units): its members, its admins, and
    /// those who read its follow-up (which is broken down by unit).
    pub fn can_see_inside(&self, organisation: OrganisationId) -> bool {
        self.organisation_id() == organisation || self.can_read_follow_up(organisation)
    }

    /// May read the organisation's aggregate follow-up (utilisation and other reports, counts
    /// only): its admins, analysts and HR.
    pub fn can_read_follow_up(&self, organisation: OrganisationId) -> bool {
        self.administers(organisation) || self.is_analyst_of(organisation) || self.is_hr_of(organisation)
    }

    /// May read the profiles of all the organisation's people by role (members see their
    /// colleagues anyway): its admins and HR. Not analysts.
    pub fn can_read_people(&self, organisation: OrganisationId) -> bool {
        self.administers(organisation) || self.is_hr_of(organisation)
    }

    /// May read the organisation's audit log: its admins.
    pub fn can_read_audit(&self, organisation: OrganisationId) -> bool {
        self.administers(organisation)
    }

    /// May see the person's profile: themself, a colleague in the same organisation, or an admin
    /// or HR of their organisation. People of other organisations stay invisible.
    pub fn can_see_person(&self, person: &Person) -> bool {
        person.id == self.person.id
            || person.organisation_id == self.person.organisation_id
            || self.can_read_people(person.organisation_id)
    }

    /// Reads `person`'s personal data through an admin or HR role rather than as themself: such
    /// reads are written to the audit log.
    pub fn oversees(&self, person: &Person) -> bool {
        person.id != self.person.id && self.can_read_people(person.organisation_id)
    }

    /// May change the person's profile and roles.
    pub fn can_manage_person(&self, person: &Person) -> bool {
        self.administers(person.organisation_id)
    }

    /// May download everything kept about the person: themself, or an admin of their
    /// organisation (answering a request from them). Not HR: an export holds bookings.
    pub fn can_export_person(&self, person: &Person) -> bool {
        person.id == self.person.id || self.administers(person.organisation_id)
    }

    /// May erase the person: an admin of their organisation, never the person themself (they
    /// have their export, and an admin must not erase themself by mistake).
    pub fn can_erase(&self, person: &Person) -> bool {
        person.id != self.person.id && self.administers(person.organisation_id)
    }

    /// May give `person` the role. Organisation roles stay inside the person's own organisation
    /// and need its admin (a platform admin administers every organisation); a site's host role
    /// needs someone who may change the site (`site` is that site, `None` if it does not exist);
    /// only a platform admin makes another.
    pub fn may_grant(&self, role: Role, person: &Person, site: Option<&Site>) -> bool {
        match role {
            Role::PlatformAdmin => self.is_platform_admin(),
            Role::OrgAdmin { organisation_id } | Role::Analyst { organisation_id } | Role::Hr { organisation_id } => {
                organisation_id == person.organisation_id && self.administers(organisation_id)
            }
            Role::SiteHost { .. } => site.is_some_and(|site| self.can_manage_site(site)),
        }
    }

    /// May take the role away from `person` (`site` as for [`Self::may_grant`]; the host role of
    /// a site that no longer exists is the person's organisation's admins' to remove).
    pub fn may_revoke(&self, role: Role, person: &Person, site: Option<&Site>) -> bool {
        match role {
            Role::PlatformAdmin => self.is_platform_admin(),
            Role::OrgAdmin { organisation_id } | Role::Analyst { organisation_id } | Role::Hr { organisation_id } => {
                self.administers(organisation_id)
            }
            Role::SiteHost { .. } => match site {
                Some(site) => self.can_manage_site(site),
                None => self.administers(person.organisation_id),
            },
        }
    }

    /// May book in the name of `person` (their own bookings, or as an admin of their organisation).
    pub fn can_book_for(&self, person: &Person) -> bool {
        person.id == self.person.id || self.administers(person.organisation_id)
    }

    /// May see and cancel a booking: its holder, whoever made it, an admin of the holder's
    /// organisation, or a host of its site. Analysts and HR do not see individual bookings.
    pub fn can_see_booking(&self, holder: &Person, created_by: PersonId, site: SiteId) -> bool {
        holder.id == self.person.id
            || created_by == self.person.id
            || self.administers(holder.organisation_id)
            || self.hosts(site)
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::{Email, Language};

    fn org(n: u128) -> OrganisationId {
        OrganisationId::from_uuid(Uuid::from_u128(n))
    }

    fn person(n: u128, organisation: OrganisationId) -> Person {
        Person {
            id: PersonId::from_uuid(Uuid::from_u128(n)),
            organisation_id: organisation,
            unit_id: None,
            name: format!("p{n}"),
            email: Email::parse(&format!("p{n}@x.example")).unwrap(),
            language: Language::Fi,
            home_municipality: None,
            home: None,
            active: true,
        }
    }

    fn site(n: u128, owner: OrganisationId) -> Site {
        let municipality: crate::MunicipalityCode = "FI-091".parse().unwrap();
        Site {
            id: SiteId::from_uuid(Uuid::from_u128(n)),
            code: crate::org::Code::parse(&format!("s{n}"), "code").unwrap(),
            kind: crate::SiteKind::OwnOffice,
            organisation_id: owner,
            name: crate::LocalizedText::same("s", "name").unwrap(),
            address: "Katu 1".into(),
            municipality,
            coordinates: crate::Coordinates::new(60.0, 25.0).unwrap(),
            time_zone: chrono_tz::Europe::Helsinki,
            opening_hours: crate::WeeklyHours::default(),
            closed_on_holidays: true,
            access: crate::AccessTerms::owner_only(),
            price_per_seat_day: None,
            booking_horizon_days: 60,
        }
    }

    /// What `me` may do with organisation A's records (and one of organisation B's people), by name.
    fn may(me: &Principal, a: OrganisationId, office: &Site, subject: &Person, stranger: &Person) -> Vec<&'static str> {
        let checks = [
            ("follow_up", me.can_read_follow_up(a)),
            ("people", me.can_read_people(a)),
            ("audit", me.can_read_audit(a)),
            ("manage_site", me.can_manage_site(office)),
            ("see_colleague", me.can_see_person(subject)),
            ("see_other_org", me.can_see_person(stranger)),
            ("oversees", me.oversees(subject)),
            ("manage_person", me.can_manage_person(subject)),
            ("book_for", me.can_book_for(subject)),
            ("see_booking", me.can_see_booking(subject, subject.id, office.id)),
            ("export", me.can_export_person(subject)),
            ("erase", me.can_erase(subject)),
        ];
        checks.into_iter().filter(|(_, allowed)| *allowed).map(|(name, _)| name).collect()
    }

    #[test]
    fn each_role_may_do_what_the_roles_table_says_and_no_more() {
        let (a, b) = (org(1), org(2));
        let office = site(10, a);
        let subject = person(100, a);
        let stranger = person(200, b);
        let principal = |roles: Vec<Role>, organisation| Principal { person: person(1000, organisation), roles };
        let everything = [
            "follow_up",
            "people",
            "audit",
            "manage_site",
            "see_colleague",
            "see_other_org",
            "oversees",
            "manage_person",
            "book_for",
            "see_booking",
            "export",
            "erase",
        ];
        let table: [(&str, Principal, &[&str]); 11] = [
            ("member of A", principal(vec![], a), &["see_colleague"]),
            ("member of B", principal(vec![], b), &["see_other_org"]),
            (
                "host of A's office, in B",
                principal(vec![Role::SiteHost { site_id: office.id }], b),
                &["manage_site", "see_other_org", "see_booking"],
            ),
            ("analyst of A", principal(vec![Role::Analyst { organisation_id: a }], a), &["follow_up", "see_colleague"]),
            (
                "HR of A",
                principal(vec![Role::Hr { organisation_id: a }], a),
                &["follow_up", "people", "see_colleague", "oversees"],
            ),
            (
                "HR of A, in B",
                principal(vec![Role::Hr { organisation_id: a }], b),
                &["follow_up", "people", "see_colleague", "see_other_org", "oversees"],
            ),
            ("analyst of B", principal(vec![Role::Analyst { organisation_id: b }], b), &["see_other_org"]),
            ("HR of B", principal(vec![Role::Hr { organisation_id: b }], b), &["see_other_org"]),
            (
                "admin of A",
                principal(vec![Role::OrgAdmin { organisation_id: a }], a),
                &[
                    "follow_up",
                    "people",
                    "audit",
                    "manage_site",
                    "see_colleague",
                    "oversees",
                    "manage_person",
                    "book_for",
                    "see_booking",
                    "export",
                    "erase",
                ],
            ),
            ("admin of B", principal(vec![Role::OrgAdmin { organisation_id: b }], b), &["see_other_org"]),
            ("platform admin", principal(vec![Role::PlatformAdmin], b), &everything),
        ];
        for (who, me, expected) in table {
            let mut expected = expected.to_vec();
            expected.sort_unstable();
            let mut actual = may(&me, a, &office, &subject, &stranger);
            actual.sort_unstable();
            assert_eq!(actual, expected, "{who}");
        }
    }

    #[test]
    fn nobody_oversees_or_erases_themself_but_everyone_exports_themself() {
        let a = org(1);
        let admin = Principal { person: person(1, a), roles: vec![Role::OrgAdmin { organisation_id: a }] };
        let hr = Principal { person: person(2, a), roles: vec![Role::Hr { organisation_id: a }] };
        for me in [&admin, &hr] {
            assert!(!me.oversees(&me.person));
            assert!(!me.can_erase(&me.person));
            assert!(me.can_export_person(&me.person));
            assert!(me.can_see_person(&me.person));
        }
    }

    /// (who, role, to whom, the site of a host role, may grant)
    type Case<'a> = (&'a str, &'a Principal, Role, &'a Person, Option<&'a Site>, bool);

    #[test]
    fn organisation_roles_are_granted_inside_the_persons_own_organisation_only() {
        let (a, b) = (org(1), org(2));
        let office = site(10, a);
        let in_a = person(100, a);
        let in_b = person(200, b);
        let admin_a = Principal { person: person(1, a), roles: vec![Role::OrgAdmin { organisation_id: a }] };
        let platform = Principal { person: person(2, b), roles: vec![Role::PlatformAdmin] };
        let hr_a = Principal { person: person(3, a), roles: vec![Role::Hr { organisation_id: a }] };
        let host = Principal { person: person(4, b), roles: vec![Role::SiteHost { site_id: office.id }] };
        // (who, role, to whom, the site of a host role, may grant)
        let table: [Case<'_>; 16] = [
            ("admin: analyst of A to A", &admin_a, Role::Analyst { organisation_id: a }, &in_a, None, true),
            ("admin: HR of A to A", &admin_a, Role::Hr { organisation_id: a }, &in_a, None, true),
            ("admin: admin of A to A", &admin_a, Role::OrgAdmin { organisation_id: a }, &in_a, None, true),
            ("admin: analyst of A to B", &admin_a, Role::Analyst { organisation_id: a }, &in_b, None, false),
            ("admin: analyst of B to B", &admin_a, Role::Analyst { organisation_id: b }, &in_b, None, false),
            ("admin: HR of B to A", &admin_a, Role::Hr { organisation_id: b }, &in_a, None, false),
            ("admin: platform", &admin_a, Role::PlatformAdmin, &in_a, None, false),
            ("admin: host of own site", &admin_a, Role::SiteHost { site_id: office.id }, &in_a, Some(&office), true),
            ("admin: host of no site", &admin_a, Role::SiteHost { site_id: office.id }, &in_a, None, false),
            ("platform: analyst of B to B", &platform, Role::Analyst { organisation_id: b }, &in_b, None, true),
            ("platform: HR of A to A", &platform, Role::Hr { organisation_id: a }, &in_a, None, true),
            ("platform: HR of A to B", &platform, Role::Hr { organisation_id: a }, &in_b, None, false),
            ("HR: analyst of A to A", &hr_a, Role::Analyst { organisation_id: a }, &in_a, None, false),
            ("HR: HR of A to A", &hr_a, Role::Hr { organisation_id: a }, &in_a, None, false),
            ("host: host of the site", &host, Role::SiteHost { site_id: office.id }, &in_b, Some(&office), true),
            ("host: analyst of B", &host, Role::Analyst { organisation_id: b }, &in_b, None, false),
        ];
        for (case, me, role, to, site, expected) in table {
            assert_eq!(me.may_grant(role, to, site), expected, "{case}");
        }
        assert!(admin_a.may_revoke(Role::Hr { organisation_id: a }, &in_a, None));
        assert!(!admin_a.may_revoke(Role::Hr { organisation_id: b }, &in_b, None));
        assert!(!hr_a.may_revoke(Role::Hr { organisation_id: a }, &in_a, None));
        assert!(admin_a.may_revoke(Role::SiteHost { site_id: office.id }, &in_a, None));
        assert!(!admin_a.may_revoke(Role::PlatformAdmin, &in_a, None));
    }

    #[test]
    fn roles_serialise_with_their_scope() {
        let a = org(1);
        let json = serde_json::to_value(Role::Hr { organisation_id: a }).unwrap();
        assert_eq!(json, serde_json::json!({"role": "hr", "organisation_id": a}));
        let back: Role = serde_json::from_value(serde_json::json!({"role": "analyst", "organisation_id": a})).unwrap();
        assert_eq!(back, Role::Analyst { organisation_id: a });
        assert_eq!(back.key(), "analyst");
        assert_eq!(back.organisation(), Some(a));
        assert_eq!(Role::PlatformAdmin.organisation(), None);
    }
}
