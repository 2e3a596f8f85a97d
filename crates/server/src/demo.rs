//! The demo network: a realistic slice of the Finnish and Swedish public sector, built from the
//! geography hubnet ships (real municipalities and their coordinates), with people, roles and six
//! weeks of bookings around today. Deterministic apart from today's date.
//!
//! It holds a Finnish state agency with offices in six cities; the state's shared "Work 2.0 Lab"
//! in Helsinki (open weekdays 07-20, registration required); the City of Heinola; Region
//! Jämtland Härjedalen with two offices in Östersund; a co-working hub in each of the region's
//! eight municipalities, bought per seat-day from a provider; and four Finnish co-working hubs.

use std::collections::{HashMap, HashSet};
use std::fmt;

use anyhow::Context;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use hubnet_domain::booking::{local_instant, opening_hours_on};
use hubnet_domain::money::Currency;
use hubnet_domain::org::Code;
use hubnet_domain::{
    AccessTerms, AccessibilityFeature, Amenity, Booking, BookingStatus, Coordinates, Country, Email, Floor, Language,
    LocalizedText, MunicipalityCode, Organisation, OrganisationKind, Person, PersonId, Price, Role, RoleGrant, Site,
    SiteKind, Space, SpaceKind, TimeOfDay, Unit, WeeklyHours,
};
use hubnet_store::{ImportBatch, Store};
use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};
use uuid::Uuid;

use crate::geography::{self, Municipality};

/// The demo accounts, as printed at start-up.
pub struct Accounts {
    pub seeded: bool,
    pub accounts: Vec<(String, &'static str, String)>,
}

impl fmt::Display for Accounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seeded {
            writeln!(f, "Seeded the demo network (GeoNames geography, CC BY 4.0).")?;
        }
        writeln!(f, "Demo accounts (API tokens issued now; use them as `Authorization: Bearer <token>`):")?;
        for (email, role, token) in &self.accounts {
            writeln!(f, "  {email:<34} {role:<44} {token}")?;
        }
        write!(f, "API docs: /api/docs/")
    }
}

/// The people printed as demo accounts, with what they show, and the key of that text in the
/// sign-in page's demo picker.
const DEMO_ACCOUNTS: [(&str, &str, &str); 6] = [
    ("admin@hubnet.example", "platform admin", "web-demo-role-admin"),
    ("maija.virtanen@vdt.example", "employee, State Digital Office, Helsinki", "web-demo-role-maija"),
    ("anna.lindqvist@regionjh.example", "employee, Region Jämtland Härjedalen, Åre", "web-demo-role-anna"),
    ("ville.heinonen@heinola.example", "organisation admin, City of Heinola", "web-demo-role-ville"),
    ("liisa.laine@toimitilat.example", "site host, Work 2.0 Lab", "web-demo-role-liisa"),
    ("erik.olsson@jamthubs.example", "site host, the eight Jämtland hubs", "web-demo-role-erik"),
];

/// A demo person the sign-in page offers.
#[derive(Debug, Clone)]
pub struct DemoPerson {
    pub email: String,
    pub name: String,
    /// The translation key of what they show.
    pub role_key: &'static str,
}

/// The demo people that exist in the database, in the order they are offered.
pub async fn people(store: &dyn Store) -> anyhow::Result<Vec<DemoPerson>> {
    let mut people = Vec::new();
    for (email, _, role_key) in DEMO_ACCOUNTS {
        if let Ok(person) = store.people().person_by_email(email).await
            && person.active
        {
            people.push(DemoPerson { email: email.to_owned(), name: person.name, role_key });
        }
    }
    Ok(people)
}

/// Seeds the demo network into an empty database, then issues a token for each demo account.
pub async fn seed(store: &dyn Store, now: DateTime<Utc>) -> anyhow::Result<Accounts> {
    let seeded = if store.is_empty().await? {
        let batch = network(now.date_naive()).context("building the demo network")?;
        store.import().import(&batch).await.context("writing the demo network")?;
        tracing::info!(
            sites = batch.sites.len(),
            spaces = batch.spaces.len(),
            people = batch.people.len(),
            bookings = batch.bookings.len(),
            "seeded the demo network"
        );
        true
    } else {
        false
    };
    let mut accounts = Vec::new();
    for (email, role, _) in DEMO_ACCOUNTS {
        let Ok(person) = store.people().person_by_email(email).await else {
            continue;
        };
        let (token, hash) = crate::auth::new_token().map_err(|e| anyhow::anyhow!("{e}"))?;
        store.tokens().create_token(hubnet_domain::ids::new_id(), person.id, &hash, "demo", now).await?;
        accounts.push((email.to_owned(), role, token));
    }
    Ok(Accounts { seeded, accounts })
}

fn id<T: From<Uuid>>(rng: &mut StdRng) -> T {
    // Random (v4-shaped) ids from the seeded generator keep the demo identical run to run.
    T::from(uuid::Builder::from_random_bytes(rng.random()).into_uuid())
}

fn text(fi: &str, sv: &str, en: &str) -> anyhow::Result<LocalizedText> {
    Ok(LocalizedText::new(fi, sv, en, "name")?)
}

/// The terms people accept when they register at the Work 2.0 Lab.
fn lab_terms() -> LocalizedText {
    LocalizedText {
        fi: "Labra on valtion työntekijöiden yhteinen työtila. Varaa vain tarvitsemasi ja peru varaus, jos \
             suunnitelmasi muuttuu.\n\nPidä työpiste siistinä ja puhu puhelimessa puhelinkopeissa. Tapahtumatilan \
             varaukset hyväksyy labran isäntä."
            .into(),
        sv: "Labbet är en gemensam arbetsplats för statligt anställda. Boka bara det du behöver och avboka om \
             dina planer ändras.\n\nHåll arbetsplatsen städad och ta telefonsamtal i telefonbåsen. Bokningar av \
             evenemangslokalen godkänns av labbets värd."
            .into(),
        en: "The lab is a shared workplace for state employees. Book only what you need and cancel if your plans \
             change.\n\nKeep your desk tidy and take phone calls in the phone booths. Bookings of the event space \
             are approved by the lab's host."
            .into(),
    }
}

fn municipality(country: Country, code: &str) -> anyhow::Result<&'static Municipality> {
    let code = MunicipalityCode::new(country, code)?;
    geography::municipality(code).with_context(|| format!("the geography has no municipality {code}"))
}

fn hours(opens: &str, closes: &str) -> anyhow::Result<WeeklyHours> {
    Ok(WeeklyHours::weekdays(opens.parse()?, closes.parse()?)?)
}

const FI_FIRST: [&str; 32] = [
    "Maija", "Anna", "Liisa", "Aino", "Helmi", "Sanna", "Katja", "Elina", "Johanna", "Tiina", "Riikka", "Noora",
    "Laura", "Heidi", "Minna", "Satu", "Mikko", "Juha", "Timo", "Jari", "Ville", "Antti", "Matti", "Pekka", "Janne",
    "Sami", "Tuomas", "Olli", "Eero", "Lauri", "Jukka", "Kalle",
];
const FI_LAST: [&str; 32] = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
    "Lindholm",
    "Grönroos",
];
const SV_FIRST: [&str; 32] = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Elin", "Ingrid", "Malin", "Sofia", "Johanna",
    "Linnea", "Hanna", "Frida", "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Nils", "Jonas", "Mikael", "Olof",
    "Fredrik", "Gustav", "Henrik", "Magnus", "Oskar", "Viktor",
];
const SV_LAST: [&str; 32] = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Olofsson",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Mattsson",
    "Berglund",
    "Fredriksson",
];

/// Folds a name into the letters of an email address (ä -> a, ö -> o, å -> a).
fn ascii(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            'ä' | 'Ä' | 'å' | 'Å' => Some('a'),
            'ö' | 'Ö' => Some('o'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

struct Builder {
    rng: StdRng,
    batch: ImportBatch,
    emails: HashSet<String>,
}

/// A site being built, with what the booking generator needs to know about it.
struct SiteSpec {
    site: Site,
    desks: Vec<usize>,
    rooms: Vec<usize>,
}

impl Builder {
    fn organisation(
        &mut self,
        code: &str,
        name: LocalizedText,
        kind: OrganisationKind,
        country: Country,
    ) -> anyhow::Result<Organisation> {
        let organisation =
            Organisation { id: id(&mut self.rng), code: Code::parse(code, "code")?, name, kind, country };
        self.batch.organisations.push(organisation.clone());
        Ok(organisation)
    }

    fn unit(&mut self, organisation: &Organisation, parent: Option<&Unit>, name: LocalizedText) -> Unit {
        let unit =
            Unit { id: id(&mut self.rng), organisation_id: organisation.id, parent_id: parent.map(|p| p.id), name };
        self.batch.units.push(unit.clone());
        unit
    }

    #[expect(clippy::too_many_arguments, reason = "a site's parts, read best at the call site")]
    fn site(
        &mut self,
        owner: &Organisation,
        code: &str,
        kind: SiteKind,
        name: LocalizedText,
        address: &str,
        home: &Municipality,
        opening_hours: WeeklyHours,
        access: AccessTerms,
        price: Option<Price>,
    ) -> anyhow::Result<SiteSpec> {
        let site = Site {
            id: id(&mut self.rng),
            code: Code::parse(code, "code")?,
            kind,
            organisation_id: owner.id,
            name,
            address: address.to_owned(),
            municipality: home.code,
            coordinates: home.centre,
            time_zone: home.code.country().default_time_zone(),
            opening_hours,
            closed_on_holidays: true,
            access,
            price_per_seat_day: price,
            booking_horizon_days: Site::DEFAULT_HORIZON_DAYS,
        };
        site.validate()?;
        self.batch.sites.push(site.clone());
        Ok(SiteSpec { site, desks: Vec::new(), rooms: Vec::new() })
    }

    /// Adds a floor with `desks` desks and the named rooms.
    fn floor(
        &mut self,
        spec: &mut SiteSpec,
        level: i16,
        desks: usize,
        rooms: &[(&str, SpaceKind, u16)],
    ) -> anyhow::Result<()> {
        let label = level.to_string();
        let floor = Floor {
            id: id(&mut self.rng),
            site_id: spec.site.id,
            name: text(&format!("{label}. kerros"), &format!("Våning {label}"), &format!("Floor {label}"))?,
            level,
        };
        self.batch.floors.push(floor.clone());
        for n in 1..=desks {
            let mut amenities = vec![Amenity::Screen, Amenity::DockingStation];
            if n % 3 == 0 {
                amenities.push(Amenity::HeightAdjustableDesk);
            }
            if n % 5 == 0 {
                amenities.push(Amenity::DualScreens);
            }
            if n % 7 == 1 {
                amenities.push(Amenity::NaturalLight);
            }
            let accessibility = if n % 8 == 1 {
                vec![AccessibilityFeature::WheelchairAccessible, AccessibilityFeature::StepFreeAccess]
            } else {
                vec![]
            };
            self.push_space(spec, &floor, format!("{label}.{n:02}"), SpaceKind::Desk, 1, amenities, accessibility);
        }
        for (name, kind, capacity) in rooms {
            let (amenities, accessibility) = match kind {
                SpaceKind::MeetingRoom => (
                    vec![Amenity::Screen, Amenity::VideoConferencing, Amenity::Whiteboard],
                    vec![AccessibilityFeature::HearingLoop, AccessibilityFeature::StepFreeAccess],
                ),
                SpaceKind::EventSpace => (
                    vec![Amenity::Projector, Amenity::VideoConferencing, Amenity::Kitchenette],
                    vec![
                        AccessibilityFeature::HearingLoop,
                        AccessibilityFeature::WheelchairAccessible,
                        AccessibilityFeature::AccessibleToilet,
                    ],
                ),
                SpaceKind::QuietRoom => (vec![Amenity::SoundProofing], vec![AccessibilityFeature::LowStimulus]),
                SpaceKind::Parking => (vec![Amenity::EvCharging], vec![AccessibilityFeature::AccessibleParking]),
                SpaceKind::Desk => (vec![], vec![]),
            };
            self.push_space(spec, &floor, (*name).to_owned(), *kind, *capacity, amenities, accessibility);
        }
        Ok(())
    }

    #[expect(clippy::too_many_arguments, reason = "a space's parts")]
    fn push_space(
        &mut self,
        spec: &mut SiteSpec,
        floor: &Floor,
        name: String,
        kind: SpaceKind,
        capacity: u16,
        amenities: Vec<Amenity>,
        accessibility: Vec<AccessibilityFeature>,
    ) {
        let index = self.batch.spaces.len();
        self.batch.spaces.push(Space {
            id: id(&mut self.rng),
            site_id: spec.site.id,
            floor_id: floor.id,
            kind,
            name,
            capacity,
            amenities: hubnet_domain::space::normalise(amenities),
            accessibility: hubnet_domain::space::normalise(accessibility),
            bookable: true,
            assigned_to: None,
            approval_required: false,
        });
        match kind {
            SpaceKind::Desk => spec.desks.push(index),
            SpaceKind::MeetingRoom | SpaceKind::QuietRoom => spec.rooms.push(index),
            SpaceKind::EventSpace | SpaceKind::Parking => {}
        }
    }

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

/// Builds the demo network with bookings from three weeks before `today` to three weeks after.
pub fn network(today: NaiveDate) -> anyhow::Result<ImportBatch> {
    let mut b =
        Builder { rng: StdRng::seed_from_u64(20_261_122), batch: ImportBatch::default(), emails: HashSet::new() };
    let fi = |code| municipality(Country::Finland, code);
    let se = |code| municipality(Country::Sweden, code);
    let eur = |euros: i64| Some(Price { amount_minor: euros * 100, currency: Currency::Eur });
    let sek = |kronor: i64| Some(Price { amount_minor: kronor * 100, currency: Currency::Sek });
    let network_access = AccessTerms::network;

    // Organisations.
    let vdt = b.organisation(
        "vdt",
        text("Valtion digitoimisto", "Statens digitalbyrå", "State Digital Office")?,
        OrganisationKind::StateAgency,
        Country::Finland,
    )?;
    let premises = b.organisation(
        "toimitilat",
        text("Valtion toimitilat", "Statens lokaler", "State Premises")?,
        OrganisationKind::StateAgency,
        Country::Finland,
    )?;
    let heinola = b.organisation(
        "heinola",
        text("Heinolan kaupunki", "Heinola stad", "City of Heinola")?,
        OrganisationKind::Municipality,
        Country::Finland,
    )?;
    let region = b.organisation(
        "regionjh",
        text("Jämtlanti-Härjedalenin alue", "Region Jämtland Härjedalen", "Region Jämtland Härjedalen")?,
        OrganisationKind::Region,
        Country::Sweden,
    )?;
    let jamthubs = b.organisation(
        "jamthubs",
        text("Jämtlands hubbar", "Jämtlands hubbar AB", "Jämtland Hubs")?,
        OrganisationKind::CoworkingProvider,
        Country::Sweden,
    )?;
    let yhteistila = b.organisation(
        "yhteistila",
        text("Yhteistila Oy", "Yhteistila Ab", "Yhteistila Ltd")?,
        OrganisationKind::CoworkingProvider,
        Country::Finland,
    )?;

    // Units.
    let service = b.unit(&vdt, None, text("Asiakaspalvelu", "Kundservice", "Customer service")?);
    let development = b.unit(&vdt, None, text("Kehittäminen", "Utveckling", "Development")?);
    let security =
        b.unit(&vdt, Some(&development), text("Tietoturva", "Informationssäkerhet", "Information security")?);
    let administration = b.unit(&vdt, None, text("Hallinto", "Förvaltning", "Administration")?);
    let vdt_units = [service, development, security, administration];
    let region_units = [
        b.unit(&region, None, text("Hälso- ja sjukvård", "Hälso- och sjukvård", "Health care")?),
        b.unit(&region, None, text("Aluekehitys", "Regional utveckling", "Regional development")?),
        b.unit(&region, None, text("Hallinto", "Regionstaben", "Regional staff")?),
    ];
    let heinola_units = [
        b.unit(&heinola, None, text("Kaupunkikehitys", "Stadsutveckling", "Urban development")?),
        b.unit(&heinola, None, text("Sivistyspalvelut", "Bildningstjänster", "Education and culture")?),
    ];

    let rooms_fi: &[(&str, SpaceKind, u16)] = &[
        ("Päijänne", SpaceKind::MeetingRoom, 8),
        ("Saimaa", SpaceKind::MeetingRoom, 4),
        ("Hiljainen 1", SpaceKind::QuietRoom, 1),
    ];
    let rooms_se: &[(&str, SpaceKind, u16)] = &[
        ("Storsjön", SpaceKind::MeetingRoom, 8),
        ("Åreskutan", SpaceKind::MeetingRoom, 4),
        ("Tyst rum", SpaceKind::QuietRoom, 1),
    ];

    // The agency's offices.
    let mut offices = Vec::new();
    for (code, city_fi, city_sv, city_en, address, floors) in [
        ("091", "Helsinki", "Helsingfors", "Helsinki", "Ratapihantie 9, 00520 Helsinki", 3),
        ("837", "Tampere", "Tammerfors", "Tampere", "Hatanpään valtatie 24, 33100 Tampere", 2),
        ("853", "Turku", "Åbo", "Turku", "Linnankatu 3, 20100 Turku", 1),
        ("564", "Oulu", "Uleåborg", "Oulu", "Isokatu 9, 90100 Oulu", 1),
        ("179", "Jyväskylä", "Jyväskylä", "Jyväskylä", "Kauppakatu 19, 40100 Jyväskylä", 1),
        ("297", "Kuopio", "Kuopio", "Kuopio", "Puijonkatu 15, 70100 Kuopio", 1),
    ] {
        let mut spec = b.site(
            &vdt,
            &format!("vdt-{}", ascii(city_fi)),
            SiteKind::OwnOffice,
            text(
                &format!("Valtion digitoimisto, {city_fi}"),
                &format!("Statens digitalbyrå, {city_sv}"),
                &format!("State Digital Office, {city_en}"),
            )?,
            address,
            fi(code)?,
            hours("07:00", "18:00")?,
            AccessTerms::owner_only(),
            None,
        )?;
        for level in 1..=floors {
            b.floor(&mut spec, level, if floors > 1 { 30 } else { 28 }, rooms_fi)?;
        }
        if code == "091" {
            b.floor(
                &mut spec,
                -1,
                0,
                &[("P1", SpaceKind::Parking, 1), ("P2", SpaceKind::Parking, 1), ("P3", SpaceKind::Parking, 1)],
            )?;
        }
        offices.push(spec);
    }

    // The shared Work 2.0 Lab in Helsinki.
    let mut lab = b.site(
        &premises,
        "tyo20-lab",
        SiteKind::SharedOffice,
        text("Työ 2.0 -labra", "Arbete 2.0-labbet", "Work 2.0 Lab")?,
        "Ratapihantie 9, 00520 Helsinki",
        fi("091")?,
        hours("07:00", "20:00")?,
        AccessTerms { registration_required: true, terms: lab_terms(), ..network_access() },
        None,
    )?;
    b.floor(
        &mut lab,
        1,
        40,
        &[
            ("Tapahtumatila", SpaceKind::EventSpace, 80),
            ("Neuvottelu A", SpaceKind::MeetingRoom, 10),
            ("Neuvottelu B", SpaceKind::MeetingRoom, 6),
        ],
    )?;
    b.floor(
        &mut lab,
        2,
        40,
        &[
            ("Neuvottelu C", SpaceKind::MeetingRoom, 8),
            ("Hiljainen tila", SpaceKind::QuietRoom, 1),
            ("Puhelinkoppi", SpaceKind::QuietRoom, 1),
        ],
    )?;
    // An event takes the whole space: the lab's hosts approve each booking of it.
    for space in b.batch.spaces.iter_mut().filter(|s| s.site_id == lab.site.id && s.kind == SpaceKind::EventSpace) {
        space.approval_required = true;
    }

    // The City of Heinola.
    let mut town_hall = b.site(
        &heinola,
        "heinola-kaupungintalo",
        SiteKind::OwnOffice,
        text("Heinolan kaupungintalo", "Heinola stadshus", "Heinola Town Hall")?,
        "Rauhankatu 3, 18100 Heinola",
        fi("111")?,
        hours("08:00", "16:00")?,
        AccessTerms::owner_only(),
        None,
    )?;
    b.floor(
        &mut town_hall,
        1,
        25,
        &[("Jyrängönvirta", SpaceKind::MeetingRoom, 12), ("Kymijoki", SpaceKind::MeetingRoom, 6)],
    )?;
    let mut service_point = b.site(
        &heinola,
        "heinola-asiointipiste",
        SiteKind::ServicePoint,
        text("Heinolan asiointipiste", "Heinola servicepunkt", "Heinola Service Point")?,
        "Kauppakatu 10, 18100 Heinola",
        fi("111")?,
        hours("09:00", "16:00")?,
        network_access(),
        None,
    )?;
    b.floor(
        &mut service_point,
        0,
        4,
        &[("Asiointihuone 1", SpaceKind::MeetingRoom, 3), ("Etäasiointi", SpaceKind::QuietRoom, 1)],
    )?;

    // Region Jämtland Härjedalen's offices in Östersund.
    let ostersund = se("2380")?;
    let mut region_house = b.site(
        &region,
        "regionens-hus",
        SiteKind::OwnOffice,
        text("Regionens hus, Östersund", "Regionens hus, Östersund", "Region House, Östersund")?,
        "Kyrkgatan 12, 831 31 Östersund",
        ostersund,
        hours("07:00", "18:00")?,
        AccessTerms::owner_only(),
        None,
    )?;
    b.floor(&mut region_house, 1, 30, rooms_se)?;
    b.floor(&mut region_house, 2, 30, rooms_se)?;
    let mut hospital = b.site(
        &region,
        "ostersunds-sjukhus-adm",
        SiteKind::OwnOffice,
        text(
            "Östersundin sairaala, hallinto",
            "Östersunds sjukhus, administrationen",
            "Östersund Hospital, administration",
        )?,
        "Lasarettsvägen 1, 831 83 Östersund",
        ostersund,
        hours("07:00", "17:00")?,
        AccessTerms::owner_only(),
        None,
    )?;
    b.floor(&mut hospital, 3, 20, &rooms_se[..2])?;

    // A co-working hub in each of the region's eight municipalities, bought per seat-day.
    let mut region_hubs = Vec::new();
    for (code, place) in [
        ("2326", "Svenstavik"),
        ("2305", "Bräcke"),
        ("2361", "Sveg"),
        ("2309", "Krokom"),
        ("2303", "Hammarstrand"),
        ("2313", "Strömsund"),
        ("2321", "Järpen"),
        ("2380", "Östersund"),
    ] {
        let home = se(code)?;
        let mut hub = b.site(
            &jamthubs,
            &format!("hubb-{}", ascii(place)),
            SiteKind::CoworkingHub,
            text(
                &format!("Yhteistyötila {place}"),
                &format!("Coworkinghubb {place}"),
                &format!("Co-working hub {place}"),
            )?,
            &format!("Storgatan 1, {place}"),
            home,
            hours("08:00", "17:00")?,
            network_access(),
            sek(250),
        )?;
        b.floor(&mut hub, 1, if code == "2380" { 14 } else { 8 }, &[("Mötesrum", SpaceKind::MeetingRoom, 6)])?;
        region_hubs.push(hub);
    }

    // Finnish co-working hubs.
    let mut fi_hubs = Vec::new();
    for (code, city) in [("398", "Lahti"), ("286", "Kouvola"), ("491", "Mikkeli"), ("109", "Hämeenlinna")] {
        let mut hub = b.site(
            &yhteistila,
            &format!("yhteistila-{}", ascii(city)),
            SiteKind::CoworkingHub,
            text(&format!("Yhteistila {city}"), &format!("Yhteistila {city}"), &format!("Yhteistila {city}"))?,
            &format!("Kauppakatu 1, {city}"),
            fi(code)?,
            hours("07:00", "19:00")?,
            network_access(),
            eur(25),
        )?;
        b.floor(&mut hub, 1, 12, &[("Neuvotteluhuone", SpaceKind::MeetingRoom, 6)])?;
        fi_hubs.push(hub);
    }

    // People. The demo accounts come first, with fixed names and homes.
    let helsinki = fi("091")?;
    let mut admin = b.person(&premises, None, "Hubnet", "Admin", helsinki, Language::En, "hubnet.example")?;
    admin.email = Email::parse("admin@hubnet.example")?;
    if let Some(stored) = b.batch.people.iter_mut().find(|p| p.id == admin.id) {
        stored.email = admin.email.clone();
    }
    b.grant(&admin, Role::PlatformAdmin);
    let maija = b.person(&vdt, Some(&vdt_units[1]), "Maija", "Virtanen", fi("049")?, Language::Fi, "vdt.example")?;
    let anna =
        b.person(&region, Some(&region_units[1]), "Anna", "Lindqvist", se("2321")?, Language::Sv, "regionjh.example")?;
    let ville =
        b.person(&heinola, Some(&heinola_units[0]), "Ville", "Heinonen", fi("111")?, Language::Fi, "heinola.example")?;
    b.grant(&ville, Role::OrgAdmin { organisation_id: heinola.id });
    let liisa = b.person(&premises, None, "Liisa", "Laine", helsinki, Language::Fi, "toimitilat.example")?;
    b.grant(&liisa, Role::SiteHost { site_id: lab.site.id });
    b.grant(&liisa, Role::OrgAdmin { organisation_id: premises.id });
    let erik = b.person(&jamthubs, None, "Erik", "Olsson", ostersund, Language::Sv, "jamthubs.example")?;
    b.grant(&erik, Role::OrgAdmin { organisation_id: jamthubs.id });
    for hub in &region_hubs {
        b.grant(&erik, Role::SiteHost { site_id: hub.site.id });
    }
    let aino = b.person(&yhteistila, None, "Aino", "Salonen", fi("398")?, Language::Fi, "yhteistila.example")?;
    b.grant(&aino, Role::OrgAdmin { organisation_id: yhteistila.id });
    for hub in &fi_hubs {
        b.grant(&aino, Role::SiteHost { site_id: hub.site.id });
    }

    // Where each person works: (person, their office, hubs they may also use).
    let mut workers: Vec<(Person, usize)> = vec![(maija.clone(), 0)];
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
            let person = b.person(&vdt, Some(&unit), "", "", home, language, "vdt.example")?;
            if !vdt_admin_done {
                b.grant(&person, Role::OrgAdmin { organisation_id: vdt.id });
                vdt_admin_done = true;
            }
            workers.push((person, office));
        }
    }
    let heinola_people: Vec<Person> = {
        let mut people = vec![ville.clone()];
        for _ in 0..34 {
            let home = b.home_near(town_hall.site.coordinates, 45.0, Country::Finland);
            let unit = heinola_units[b.rng.random_range(0..heinola_units.len())].clone();
            people.push(b.person(&heinola, Some(&unit), "", "", home, Language::Fi, "heinola.example")?);
        }
        people
    };
    let region_people: Vec<Person> = {
        let mut people = vec![anna.clone()];
        let jamtland: Vec<&'static Municipality> = geography::municipalities()
            .iter()
            .filter(|m| m.code.country() == Country::Sweden && m.region_code == "23")
            .collect();
        for n in 0..85 {
            // Half live in Östersund; the rest across the region's other seven municipalities.
            let home = if n % 2 == 0 { ostersund } else { jamtland[b.rng.random_range(0..jamtland.len())] };
            let unit = region_units[b.rng.random_range(0..region_units.len())].clone();
            let person = b.person(&region, Some(&unit), "", "", home, Language::Sv, "regionjh.example")?;
            if n == 0 {
                b.grant(&person, Role::OrgAdmin { organisation_id: region.id });
            }
            people.push(person);
        }
        people
    };

    // A few fixed desks at the agency's head office, for those who need one every day.
    for (n, (person, _)) in workers.iter().filter(|(_, office)| *office == 0).skip(5).take(4).enumerate() {
        let space = &mut b.batch.spaces[offices[0].desks[n]];
        space.bookable = false;
        space.assigned_to = Some(person.id);
    }
    offices[0].desks.drain(..4);

    bookings(
        &mut b,
        today,
        &offices,
        &lab,
        &town_hall,
        &region_house,
        &hospital,
        &region_hubs,
        &fi_hubs,
        &workers,
        &heinola_people,
        &region_people,
    )?;
    Ok(b.batch)
}

/// Which halves of a day a desk is taken.
type Taken = HashMap<(usize, NaiveDate), (bool, bool)>;

#[expect(clippy::too_many_arguments, reason = "the demo's sites and people, named")]
fn bookings(
    b: &mut Builder,
    today: NaiveDate,
    offices: &[SiteSpec],
    lab: &SiteSpec,
    town_hall: &SiteSpec,
    region_house: &SiteSpec,
    hospital: &SiteSpec,
    region_hubs: &[SiteSpec],
    fi_hubs: &[SiteSpec],
    workers: &[(Person, usize)],
    heinola_people: &[Person],
    region_people: &[Person],
) -> anyhow::Result<()> {
    let mut taken: Taken = HashMap::new();
    let mut registered: HashSet<PersonId> = HashSet::new();
    let first = today.checked_sub_days(Days::new(21)).context("date out of range")?;
    for offset in 0..43 {
        let date = first.checked_add_days(Days::new(offset)).context("date out of range")?;
        if date.weekday().num_days_from_monday() >= 5 {
            continue;
        }
        for (person, office) in workers {
            if !b.rng.random_bool(0.4) {
                continue;
            }
            // Now and then the agency's Helsinki people work at the shared lab, and people far
            // from their office at the nearest co-working hub.
            let site = if *office == 0 && b.rng.random_bool(0.15) {
                if registered.insert(person.id) {
                    b.batch.registrations.push((
                        lab.site.id,
                        person.id,
                        DateTime::<Utc>::from_naive_utc_and_offset(first.and_time(chrono::NaiveTime::MIN), Utc),
                    ));
                }
                lab
            } else {
                let home = person.home.unwrap_or(offices[*office].site.coordinates);
                let hub = fi_hubs.iter().min_by(|a, c| {
                    home.distance_km(a.site.coordinates).total_cmp(&home.distance_km(c.site.coordinates))
                });
                match hub {
                    Some(hub)
                        if home.distance_km(hub.site.coordinates) < 25.0
                            && home.distance_km(offices[*office].site.coordinates) > 40.0 =>
                    {
                        hub
                    }
                    _ => &offices[*office],
                }
            };
            book_desk(b, &mut taken, site, person, date, today)?;
        }
        for person in heinola_people {
            if b.rng.random_bool(0.45) {
                book_desk(b, &mut taken, town_hall, person, date, today)?;
            }
        }
        for person in region_people {
            if !b.rng.random_bool(0.4) {
                continue;
            }
            let local_hub = region_hubs.iter().find(|h| Some(h.site.municipality) == person.home_municipality);
            let site = match local_hub {
                Some(hub) if hub.site.municipality.local_code() != "2380" && b.rng.random_bool(0.7) => hub,
                _ if b.rng.random_bool(0.3) => hospital,
                _ => region_house,
            };
            book_desk(b, &mut taken, site, person, date, today)?;
        }
        // Meetings: a few rooms a day at the bigger offices.
        for (site, people) in [
            (&offices[0], workers.iter().map(|(p, _)| p).take(60).collect::<Vec<_>>()),
            (region_house, region_people.iter().collect()),
        ] {
            book_meetings(b, site, &people, date, today)?;
        }
    }
    Ok(())
}

fn book_desk(
    b: &mut Builder,
    taken: &mut Taken,
    site: &SiteSpec,
    person: &Person,
    date: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let Ok(hours) = opening_hours_on(&site.site, date) else {
        return Ok(());
    };
    let roll: f64 = b.rng.random();
    let (morning, afternoon) = if roll < 0.7 {
        (true, true)
    } else if roll < 0.85 {
        (true, false)
    } else {
        (false, true)
    };
    if site.desks.is_empty() {
        return Ok(());
    }
    let start = b.rng.random_range(0..site.desks.len());
    let Some(&desk) = (0..site.desks.len()).map(|i| &site.desks[(start + i) % site.desks.len()]).find(|d| {
        let (m, a) = taken.get(&(**d, date)).copied().unwrap_or_default();
        !(morning && m || afternoon && a)
    }) else {
        return Ok(());
    };
    let entry = taken.entry((desk, date)).or_default();
    entry.0 |= morning;
    entry.1 |= afternoon;
    let from = if morning { hours.opens } else { hours.opens.max(TimeOfDay::NOON) };
    let to = if afternoon { hours.closes } else { hours.closes.min(TimeOfDay::NOON) };
    push_booking(b, site, desk, person, date, today, from, to)
}

fn book_meetings(
    b: &mut Builder,
    site: &SiteSpec,
    people: &[&Person],
    date: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<()> {
    if opening_hours_on(&site.site, date).is_err() || people.is_empty() {
        return Ok(());
    }
    let mut used: HashSet<PersonId> = HashSet::new();
    for &room in &site.rooms {
        if b.batch.spaces[room].kind != SpaceKind::MeetingRoom {
            continue;
        }
        // Two meetings a room, one in the morning and one in the afternoon.
        for start in [9, 13] {
            if !b.rng.random_bool(0.6) {
                continue;
            }
            let person = people[b.rng.random_range(0..people.len())];
            if !used.insert(person.id) {
                continue;
            }
            let length: u16 = b.rng.random_range(1..=2);
            push_booking(
                b,
                site,
                room,
                person,
                date,
                today,
                TimeOfDay::from_hm(start, 0)?,
                TimeOfDay::from_hm(start + length, 0)?,
            )?;
        }
    }
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "one booking's parts")]
fn push_booking(
    b: &mut Builder,
    site: &SiteSpec,
    space: usize,
    person: &Person,
    date: NaiveDate,
    today: NaiveDate,
    from: TimeOfDay,
    to: TimeOfDay,
) -> anyhow::Result<()> {
    let tz = site.site.time_zone;
    let start = local_instant(tz, date, from)?;
    let end = local_instant(tz, date, to)?;
    let created_at = local_instant(tz, date.checked_sub_days(Days::new(3)).unwrap_or(date), TimeOfDay::from_hm(9, 0)?)?;
    let status =
        if date < today && b.rng.random_bool(0.05) { BookingStatus::Cancelled } else { BookingStatus::Confirmed };
    b.batch.bookings.push(Booking {
        id: id(&mut b.rng),
        space_id: b.batch.spaces[space].id,
        site_id: site.site.id,
        person_id: person.id,
        created_by: person.id,
        start,
        end,
        status,
        created_at,
        decision: None,
        awaits_organisation: false,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_network_has_what_the_brief_asks_for() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let batch = network(today).unwrap();
        assert!(batch.sites.len() >= 20, "{} sites", batch.sites.len());
        assert!(batch.spaces.len() >= 500, "{} spaces", batch.spaces.len());
        let admin = batch.people.iter().find(|p| p.email.as_str() == "admin@hubnet.example").unwrap();
        assert!(batch.roles.iter().any(|g| g.person_id == admin.id && g.role == Role::PlatformAdmin));
        let lab = batch.sites.iter().find(|s| s.code.as_str() == "tyo20-lab").unwrap();
        assert!(lab.access.registration_required);
        assert_eq!(lab.opening_hours.on(chrono::Weekday::Mon).unwrap().opens.to_string(), "07:00");
        assert_eq!(lab.municipality.to_string(), "FI-091");
        let hubs: Vec<_> = batch
            .sites
            .iter()
            .filter(|s| s.kind == SiteKind::CoworkingHub && s.municipality.country() == Country::Sweden)
            .collect();
        assert_eq!(hubs.len(), 8);
        assert!(hubs.iter().all(|h| h.price_per_seat_day.is_some()));
        let jamtland: HashSet<_> = hubs.iter().map(|h| h.municipality).collect();
        assert_eq!(jamtland.len(), 8);
        assert!(batch.people.iter().any(|p| { p.home_municipality.is_some_and(|m| m.country() == Country::Sweden) }));
        assert!(batch.people.iter().any(|p| { p.home_municipality.is_some_and(|m| m.country() == Country::Finland) }));
        let past = batch.bookings.iter().filter(|b| b.start.date_naive() < today).count();
        let future = batch.bookings.iter().filter(|b| b.start.date_naive() > today).count();
        assert!(past > 500 && future > 500, "{past} past and {future} future bookings");
    }

    #[test]
    fn demo_bookings_respect_opening_hours_and_never_overlap() {
        let batch = network(NaiveDate::from_ymd_opt(2026, 12, 14).unwrap()).unwrap();
        let sites: HashMap<_, _> = batch.sites.iter().map(|s| (s.id, s)).collect();
        let mut by_space: HashMap<_, Vec<&Booking>> = HashMap::new();
        for booking in batch.bookings.iter().filter(|b| b.status.is_active()) {
            let site = sites[&booking.site_id];
            let date = booking.start.with_timezone(&site.time_zone).date_naive();
            let hours = opening_hours_on(site, date).expect("booked on a day the site is open");
            let from = TimeOfDay::from_naive(booking.start.with_timezone(&site.time_zone).time());
            let to = TimeOfDay::from_naive(booking.end.with_timezone(&site.time_zone).time());
            assert!(hours.contains(from, to), "{from}-{to} outside {hours:?}");
            by_space.entry(booking.space_id).or_default().push(booking);
        }
        for bookings in by_space.values() {
            for (i, a) in bookings.iter().enumerate() {
                for c in &bookings[i + 1..] {
                    assert!(!a.range().overlaps(c.range()), "{a:?} overlaps {c:?}");
                }
            }
        }
        // Christmas Eve 2026 is inside the window and nobody is booked then.
        assert!(!batch.bookings.iter().any(|b| b.start.date_naive() == NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()));
    }

    #[test]
    fn is_the_same_network_every_time_for_the_same_day() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (a, b) = (network(today).unwrap(), network(today).unwrap());
        assert_eq!(a.people, b.people);
        assert_eq!(a.bookings, b.bookings);
    }
}
