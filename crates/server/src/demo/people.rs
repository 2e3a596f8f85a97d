//! The demo's people: the six demo accounts with their fixed names and roles, then the people who
//! work at the agency's offices, the City of Heinola and the region, with generated names, a home
//! municipality near their office, a unit and a language; and the few fixed desks at the agency's
//! head office.

use hubnet_domain::{Coordinates, Country, Email, Language, Organisation, Person, Role, RoleGrant, Unit};
use rand::RngExt as _;

use crate::geography::{self, Municipality};

use super::names::{FI_FIRST, FI_LAST, SV_FIRST, SV_LAST, ascii};
use super::network::{Organisations, SiteSpec, Sites};
use super::{Builder, fi, id, se};

/// The demo's people, by where they work.
pub(super) struct People {
    /// The agency's people, each with the index of their office in `Sites::offices`; Maija first.
    pub(super) workers: Vec<(Person, usize)>,
    /// The City of Heinola's people; Ville first.
    pub(super) heinola: Vec<Person>,
    /// Region Jämtland Härjedalen's people; Anna first.
    pub(super) region: Vec<Person>,
}

/// Everybody, in the order their ids and names are drawn: the demo accounts first, then the
/// agency's, Heinola's and the region's people.
pub(super) fn people(b: &mut Builder, organisations: &Organisations, sites: &Sites) -> anyhow::Result<People> {
    let (maija, anna, ville) = demo_accounts(b, organisations, sites)?;
    let workers = agency_people(b, organisations, &sites.offices, maija)?;
    let heinola = heinola_people(b, organisations, &sites.town_hall, ville)?;
    let region = region_people(b, organisations, anna)?;
    Ok(People { workers, heinola, region })
}

/// The people printed as demo accounts, with fixed names, homes and roles. Returns the three who
/// also work at an office (Maija, Anna and Ville), to be counted among its people.
fn demo_accounts(
    b: &mut Builder,
    organisations: &Organisations,
    sites: &Sites,
) -> anyhow::Result<(Person, Person, Person)> {
    let Organisations { vdt, premises, heinola, region, jamthubs, yhteistila, vdt_units, region_units, heinola_units } =
        organisations;
    let helsinki = fi("091")?;
    let ostersund = se("2380")?;
    let mut admin = b.person(premises, None, "Hubnet", "Admin", helsinki, Language::En, "hubnet.example")?;
    admin.email = Email::parse("admin@hubnet.example")?;
    if let Some(stored) = b.batch.people.iter_mut().find(|p| p.id == admin.id) {
        stored.email = admin.email.clone();
    }
    b.grant(&admin, Role::PlatformAdmin);
    let maija = b.person(vdt, Some(&vdt_units[1]), "Maija", "Virtanen", fi("049")?, Language::Fi, "vdt.example")?;
    let anna =
        b.person(region, Some(&region_units[1]), "Anna", "Lindqvist", se("2321")?, Language::Sv, "regionjh.example")?;
    let ville =
        b.person(heinola, Some(&heinola_units[0]), "Ville", "Heinonen", fi("111")?, Language::Fi, "heinola.example")?;
    b.grant(&ville, Role::OrgAdmin { organisation_id: heinola.id });
    let liisa = b.person(premises, None, "Liisa", "Laine", helsinki, Language::Fi, "toimitilat.example")?;
    b.grant(&liisa, Role::SiteHost { site_id: sites.lab.site.id });
    b.grant(&liisa, Role::OrgAdmin { organisation_id: premises.id });
    let erik = b.person(jamthubs, None, "Erik", "Olsson", ostersund, Language::Sv, "jamthubs.example")?;
    b.grant(&erik, Role::OrgAdmin { organisation_id: jamthubs.id });
    for hub in &sites.region_hubs {
        b.grant(&erik, Role::SiteHost { site_id: hub.site.id });
    }
    let aino = b.person(yhteistila, None, "Aino", "Salonen", fi("398")?, Language::Fi, "yhteistila.example")?;
    b.grant(&aino, Role::OrgAdmin { organisation_id: yhteistila.id });
    for hub in &sites.fi_hubs {
        b.grant(&aino, Role::SiteHost { site_id: hub.site.id });
    }
    Ok((maija, anna, ville))
}

/// The agency's people, spread over its offices, each living near their office.
fn agency_people(
    b: &mut Builder,
    organisations: &Organisations,
    offices: &[SiteSpec],
    maija: Person,
) -> anyhow::Result<Vec<(Person, usize)>> {
    let Organisations { vdt, vdt_units, .. } = organisations;
    let mut workers: Vec<(Person, usize)> = vec![(maija, 0)];
    let mut vdt_admin_done = false;
    for (office, count) in [(0, 60), (1, 30), (2, 16), (3, 14), (4, 14), (5, 14)] {
        let centre = offices[office].site.coordinates;
        for _ in 0..count {
            let home = b.home_near(centre, 60.0, Country::Finland);
            let language = if b.rng.random_bool(0.06) {
                Language::Sv
            } else if b.rng.random_bool(0.02) {
                Language::En
            } else {
                Language::Fi
            };
            let unit_index = b.rng.random_range(0..vdt_units.len());
            let unit = vdt_units[unit_index].clone();
            let person = b.person(vdt, Some(&unit), "", "", home, language, "vdt.example")?;
            if !vdt_admin_done {
                b.grant(&person, Role::OrgAdmin { organisation_id: vdt.id });
                vdt_admin_done = true;
            }
            workers.push((person, office));
        }
    }
    Ok(workers)
}

/// The City of Heinola's people, living near the town hall.
fn heinola_people(
    b: &mut Builder,
    organisations: &Organisations,
    town_hall: &SiteSpec,
    ville: Person,
) -> anyhow::Result<Vec<Person>> {
    let Organisations { heinola, heinola_units, .. } = organisations;
    let mut people = vec![ville];
    for _ in 0..34 {
        let home = b.home_near(town_hall.site.coordinates, 45.0, Country::Finland);
        let unit = heinola_units[b.rng.random_range(0..heinola_units.len())].clone();
        people.push(b.person(heinola, Some(&unit), "", "", home, Language::Fi, "heinola.example")?);
    }
    Ok(people)
}

/// Region Jämtland Härjedalen's people, across the region's municipalities.
fn region_people(b: &mut Builder, organisations: &Organisations, anna: Person) -> anyhow::Result<Vec<Person>> {
    let Organisations { region, region_units, .. } = organisations;
    let ostersund = se("2380")?;
    let mut people = vec![anna];
    let jamtland: Vec<&'static Municipality> = geography::municipalities()
        .iter()
        .filter(|m| m.code.country() == Country::Sweden && m.region_code == "23")
        .collect();
    for n in 0..85 {
        // Half live in Östersund; the rest across the region's other seven municipalities.
        let home = if n % 2 == 0 { ostersund } else { jamtland[b.rng.random_range(0..jamtland.len())] };
        let unit = region_units[b.rng.random_range(0..region_units.len())].clone();
        let person = b.person(region, Some(&unit), "", "", home, Language::Sv, "regionjh.example")?;
        if n == 0 {
            b.grant(&person, Role::OrgAdmin { organisation_id: region.id });
        }
        people.push(person);
    }
    Ok(people)
}

/// A few fixed desks at the agency's head office, for those who need one every day. They are
/// taken out of the desks the booking generator picks from.
pub(super) fn fixed_desks(b: &mut Builder, people: &People, sites: &mut Sites) {
    let offices = &mut sites.offices;
    for (n, (person, _)) in people.workers.iter().filter(|(_, office)| *office == 0).skip(5).take(4).enumerate() {
        let space = &mut b.batch.spaces[offices[0].desks[n]];
        space.bookable = false;
        space.assigned_to = Some(person.id);
    }
    offices[0].desks.drain(..4);
}

impl Builder {
    /// A person with a given name, or a generated one (`first`/`last` empty).
    #[expect(clippy::too_many_arguments, reason = "a person's parts")]
    fn person(
        &mut self,
        organisation: &Organisation,
        unit: Option<&Unit>,
        first: &str,
        last: &str,
        home: &Municipality,
        language: Language,
        domain: &str,
    ) -> anyhow::Result<Person> {
        let swedish = home.code.country() == Country::Sweden || language == Language::Sv;
        let (first, last) = if first.is_empty() {
            let (firsts, lasts) = if swedish { (&SV_FIRST, &SV_LAST) } else { (&FI_FIRST, &FI_LAST) };
            (firsts[self.rng.random_range(0..firsts.len())], lasts[self.rng.random_range(0..lasts.len())])
        } else {
            (first, last)
        };
        let base = format!("{}.{}", ascii(first), ascii(last));
        let mut local = base.clone();
        let mut n = 2;
        while self.emails.contains(&format!("{local}@{domain}")) {
            local = format!("{base}{n}");
            n += 1;
        }
        let email = format!("{local}@{domain}");
        self.emails.insert(email.clone());
        let person = Person {
            id: id(&mut self.rng),
            organisation_id: organisation.id,
            unit_id: unit.map(|u| u.id),
            name: format!("{first} {last}"),
            email: Email::parse(&email)?,
            language,
            home_municipality: Some(home.code),
            home: Some(home.centre),
            active: true,
        };
        self.batch.people.push(person.clone());
        Ok(person)
    }

    fn grant(&mut self, person: &Person, role: Role) {
        self.batch.roles.push(RoleGrant { person_id: person.id, role });
    }

    /// A municipality within `radius_km` of `centre`, weighted by population: where people who
    /// work at an office there live.
    fn home_near(&mut self, centre: Coordinates, radius_km: f64, country: Country) -> &'static Municipality {
        let nearby: Vec<&'static Municipality> = geography::municipalities()
            .iter()
            .filter(|m| m.code.country() == country && m.centre.distance_km(centre) <= radius_km)
            .collect();
        // Big towns dominate, but not entirely: square roots of population as weights.
        let weights: Vec<f64> = nearby.iter().map(|m| f64::from(m.population.max(100)).sqrt()).collect();
        let total: f64 = weights.iter().sum();
        let mut pick = self.rng.random_range(0.0..total);
        for (m, w) in nearby.iter().zip(&weights) {
            if pick < *w {
                return m;
            }
            pick -= w;
        }
        nearby.last().copied().unwrap_or(&geography::municipalities()[0])
    }
}
