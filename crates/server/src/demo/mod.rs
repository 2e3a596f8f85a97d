//! The demo network: a realistic slice of the Finnish and Swedish public sector, built from the
//! geography hubnet ships (real municipalities and their coordinates), with people, roles and six
//! weeks of bookings around today. Deterministic apart from today's date.
//!
//! It holds a Finnish state agency with offices in six cities; the state's shared "Work 2.0 Lab"
//! in Helsinki (open weekdays 07-20, registration required); the City of Heinola; Region
//! Jämtland Härjedalen with two offices in Östersund; a co-working hub in each of the region's
//! eight municipalities, bought per seat-day from a provider; and four Finnish co-working hubs.
//!
//! This file holds what the rest of the server calls (`seed`, `people`, `network`, the demo
//! accounts) and the order in which the demo is built, one step per capability, each in a file
//! of its own: `network.rs` (organisations, units, sites, floors, spaces and access terms),
//! `people.rs` (the demo accounts and everyone else, their roles, homes and fixed desks) and
//! `bookings.rs` (the weeks of bookings), with `names.rs` holding the names people are drawn from.

use std::collections::HashSet;
use std::fmt;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use hubnet_domain::{Country, LocalizedText, MunicipalityCode, WeeklyHours};
use hubnet_store::{ImportBatch, Store};
use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};
use uuid::Uuid;

use crate::geography::{self, Municipality};
use crate::state::DemoPerson;

mod bookings;
mod names;
mod network;
mod people;

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

/// What every step writes into. Every id, generated name and choice is drawn from the one seeded
/// `rng` in turn, so the order of the steps, and of the draws inside them, is what keeps the demo
/// the same from run to run.
struct Builder {
    rng: StdRng,
    batch: ImportBatch,
    /// The email addresses given so far, so that a second Maija Virtanen gets `maija.virtanen2@`.
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
    bookings::bookings(&mut b, today, &sites, &people)?;
    // The next capability with demo data (presence, procurement, planning, surveys, the citizen
    // service) gets a file of its own, `demo/<capability>.rs`, declared above beside the others,
    // with a step `pub(super) fn <capability>(b: &mut Builder, ..) -> anyhow::Result<()>` taking
    // what it needs from the values here, and one line here calling it. New steps go after the
    // bookings: a step that drew from `b.rng` earlier would change every id, name and booking
    // after it, and the tests and the browser suite know those by name.
    Ok(b.batch)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use hubnet_domain::booking::opening_hours_on;
    use hubnet_domain::{Booking, Role, SiteKind, TimeOfDay};

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
