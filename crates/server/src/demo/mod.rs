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
use hubnet_domain::{
    Booking, BookingStatus, Country, LocalizedText, MunicipalityCode, Person, PersonId, SpaceKind, TimeOfDay,
    WeeklyHours,
};
use hubnet_store::{ImportBatch, Store};
use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};
use uuid::Uuid;

use crate::geography::{self, Municipality};

mod names;
mod network;
mod people;

use network::SiteSpec;

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
        if let Ok(person) = store.person_by_email(email).await
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
        store.import(&batch).await.context("writing the demo network")?;
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
        let Ok(person) = store.person_by_email(email).await else {
            continue;
        };
        let (token, hash) = crate::auth::new_token().map_err(|e| anyhow::anyhow!("{e}"))?;
        store.create_token(hubnet_domain::ids::new_id(), person.id, &hash, "demo", now).await?;
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

fn municipality(country: Country, code: &str) -> anyhow::Result<&'static Municipality> {
    let code = MunicipalityCode::new(country, code)?;
    geography::municipality(code).with_context(|| format!("the geography has no municipality {code}"))
}

/// A Finnish municipality by its three-digit code.
fn fi(code: &str) -> anyhow::Result<&'static Municipality> {
    municipality(Country::Finland, code)
}

/// A Swedish municipality by its four-digit code.
fn se(code: &str) -> anyhow::Result<&'static Municipality> {
    municipality(Country::Sweden, code)
}

fn hours(opens: &str, closes: &str) -> anyhow::Result<WeeklyHours> {
    Ok(WeeklyHours::weekdays(opens.parse()?, closes.parse()?)?)
}

struct Builder {
    rng: StdRng,
    batch: ImportBatch,
    emails: HashSet<String>,
}

/// Builds the demo network with bookings from three weeks before `today` to three weeks after.
pub fn network(today: NaiveDate) -> anyhow::Result<ImportBatch> {
    let mut b =
        Builder { rng: StdRng::seed_from_u64(20_261_122), batch: ImportBatch::default(), emails: HashSet::new() };
    let organisations = network::organisations(&mut b)?;
    let mut sites = network::sites(&mut b, &organisations)?;
    let people = people::people(&mut b, &organisations, &sites)?;
    people::fixed_desks(&mut b, &people, &mut sites);
    bookings(
        &mut b,
        today,
        &sites.offices,
        &sites.lab,
        &sites.town_hall,
        &sites.region_house,
        &sites.hospital,
        &sites.region_hubs,
        &sites.fi_hubs,
        &people.workers,
        &people.heinola,
        &people.region,
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
    use hubnet_domain::{Role, SiteKind};

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
