//! The national benchmark data set: a reproducible synthetic network across Finland and Sweden,
//! built on the shipped geography, with a year of bookings.
//!
//! At scale 1: 300 organisations, 1,000 sites, 100,000 spaces, 250,000 people and about 22
//! million bookings from 335 days back to 29 days ahead. Organisation sizes follow a Zipf-like
//! curve (the largest has 46 sites and 11,500 people, like a large agency), sites sit in
//! municipalities weighted by population. Each site has two floors of 50 spaces (41 desks, 4
//! quiet rooms, 4 meeting rooms, an event space or a parking place) and 250 people whose home
//! office it is. Every open day, 70% of its desks are booked (a fifth of them mornings only),
//! each meeting room three times and each quiet room once, by different people, so that the
//! data obeys the database's overlap rules by construction (PostgreSQL checks this when it adds
//! its constraints back after the load).

use std::time::Instant;

use anyhow::{Context as _, bail};
use chrono::{DateTime, Days, NaiveDate, Utc};
use hubnet_domain::booking::{local_instant, opening_hours_on};
use hubnet_domain::money::Currency;
use hubnet_domain::org::Code;
use hubnet_domain::{
    AccessTerms, Amenity, Booking, BookingStatus, Coordinates, Country, Email, Floor, Language, LocalizedText,
    Organisation, OrganisationKind, Person, Price, Site, SiteKind, Space, SpaceKind, TimeOfDay, WeeklyHours,
};
use hubnet_store::bulk::{BulkBooking, BulkChunk, load_bookings};
use hubnet_store::{ImportBatch, StoreOptions};
use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::geography::{self, Municipality};

/// The full national data set's size; `--scale` multiplies sites, organisations and people.
pub const SITES: f64 = 1000.0;
pub const ORGANISATIONS: f64 = 300.0;
pub const PEOPLE_PER_SITE: usize = 250;
pub const SPACES_PER_FLOOR: usize = 50;
const DESKS_PER_FLOOR: usize = 41;
/// Days of bookings before today, and after.
pub const DAYS_BACK: u64 = 335;
pub const DAYS_AHEAD: u64 = 29;
/// The sites' booking horizon: far enough for the load generator to book beyond the data.
pub const HORIZON_DAYS: u16 = 365;
/// The sites' opening hours.
pub const OPENING_HOURS: &str = "mon-fri 07:00-20:00";

/// How big a data set to build.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub sites: usize,
    pub organisations: usize,
}

impl Size {
    pub fn scaled(scale: f64) -> anyhow::Result<Self> {
        if !(scale > 0.0 && scale <= 10.0) {
            bail!("--scale must be above 0 and at most 10");
        }
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "checked range above")]
        let sites = ((SITES * scale).round() as usize).max(2);
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "checked range above")]
        let organisations = ((ORGANISATIONS * scale).round() as usize).clamp(2, sites);
        Ok(Self { sites, organisations })
    }
}

/// The ids of the things the data set made, in the order made.
pub struct Summary {
    pub organisations: usize,
    pub sites: usize,
    pub spaces: usize,
    pub people: usize,
    pub bookings: u64,
    pub network_seconds: f64,
    pub bookings_seconds: f64,
}

/// Builds the data set into the empty database at `url`.
pub async fn build(url: &str, size: Size, seed: u64, today: NaiveDate) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let network = network(size, seed)?;
    let store = hubnet_store::connect(url, &StoreOptions { sqlite_durable: false, max_connections: 2 }).await?;
    if !store.is_empty().await? {
        store.close().await;
        bail!("bench-data builds into an empty database; this one already holds a network");
    }
    let batch = ImportBatch {
        organisations: network.organisations.clone(),
        people: network.sites.iter().flat_map(|s| s.people.clone()).collect(),
        sites: network.sites.iter().map(|s| s.site.clone()).collect(),
        floors: network.sites.iter().flat_map(|s| s.floors.clone()).collect(),
        spaces: network.sites.iter().flat_map(|s| s.spaces.clone()).collect(),
        ..ImportBatch::default()
    };
    store.import().import(&batch).await.context("writing the network")?;
    store.close().await;
    let network_seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "network: {} organisations, {} sites, {} spaces, {} people in {network_seconds:.1} s",
        batch.organisations.len(),
        batch.sites.len(),
        batch.spaces.len(),
        batch.people.len()
    );

    let started = Instant::now();
    let (chunks_out, chunks_in) = mpsc::channel(4);
    let generator = tokio::task::spawn_blocking(move || generate_bookings(&network.sites, seed, today, &chunks_out));
    let loaded = load_bookings(url, chunks_in).await.context("loading the bookings")?;
    let generated = generator.await.context("the booking generator stopped")??;
    if generated != loaded {
        bail!("generated {generated} bookings but loaded {loaded}");
    }
    let bookings_seconds = started.elapsed().as_secs_f64();
    Ok(Summary {
        organisations: batch.organisations.len(),
        sites: batch.sites.len(),
        spaces: batch.spaces.len(),
        people: batch.people.len(),
        bookings: loaded,
        network_seconds,
        bookings_seconds,
    })
}

struct Network {
    organisations: Vec<Organisation>,
    sites: Vec<SiteData>,
}

struct SiteData {
    site: Site,
    floors: Vec<Floor>,
    spaces: Vec<Space>,
    people: Vec<Person>,
}

fn id<T: From<Uuid>>(rng: &mut StdRng) -> T {
    T::from(uuid::Builder::from_random_bytes(rng.random()).into_uuid())
}

/// How many sites each organisation owns: one each, and the rest by a Zipf-like weight
/// (exponent 0.7), largest first.
pub fn sites_per_organisation(size: Size) -> Vec<usize> {
    let weights: Vec<f64> =
        (1..=size.organisations).map(|rank| f64::from(u32::try_from(rank).unwrap_or(u32::MAX)).powf(-0.7)).collect();
    let total: f64 = weights.iter().sum();
    let spare = size.sites - size.organisations;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "small counts"
    )]
    let mut counts: Vec<usize> = weights.iter().map(|w| 1 + (w / total * spare as f64).floor() as usize).collect();
    // What rounding left over goes to the largest, one each.
    let mut left = size.sites - counts.iter().sum::<usize>();
    let mut i = 0;
    let len = counts.len();
    while left > 0 {
        counts[i % len] += 1;
        left -= 1;
        i += 1;
    }
    counts
}

/// A municipality of `country`, chosen with probability proportional to its population.
fn pick_municipality<'a>(rng: &mut StdRng, pool: &'a [(&'a Municipality, u64)], total: u64) -> &'a Municipality {
    let mut ticket = rng.random_range(0..total);
    for (municipality, population) in pool {
        if ticket < *population {
            return municipality;
        }
        ticket -= population;
    }
    pool[pool.len() - 1].0
}

/// A country, its municipalities weighted by population, and their total.
type Pool<'a> = (Country, Vec<(&'a Municipality, u64)>, u64);

fn network(size: Size, seed: u64) -> anyhow::Result<Network> {
    let mut rng = StdRng::seed_from_u64(seed);
    let pools: Vec<Pool> = [Country::Finland, Country::Sweden]
        .into_iter()
        .map(|country| {
            let pool: Vec<(&Municipality, u64)> = geography::municipalities()
                .iter()
                .filter(|m| m.code.country() == country)
                .map(|m| (m, u64::from(m.population.max(1))))
                .collect();
            let total = pool.iter().map(|(_, p)| p).sum();
            (country, pool, total)
        })
        .collect();
    let hours: WeeklyHours = OPENING_HOURS.parse().context("the bench opening hours")?;

    let mut organisations = Vec::with_capacity(size.organisations);
    let mut sites = Vec::with_capacity(size.sites);
    let mut person_number = 0usize;
    for (rank, site_count) in sites_per_organisation(size).into_iter().enumerate() {
        let (country, pool, total) = &pools[rank % 2];
        let kind = match rank % 10 {
            0..=4 => OrganisationKind::StateAgency,
            5..=7 => OrganisationKind::Municipality,
            8 => OrganisationKind::Region,
            _ => OrganisationKind::CoworkingProvider,
        };
        let number = rank + 1;
        let organisation = Organisation {
            id: id(&mut rng),
            code: Code::parse(&format!("BENCH-{number:03}"), "code")?,
            name: LocalizedText::new(
                &format!("Vertailuorganisaatio {number}"),
                &format!("Jämförelseorganisation {number}"),
                &format!("Benchmark organisation {number}"),
                "name",
            )?,
            kind,
            country: *country,
        };
        // A municipality keeps its sites at home; the others spread across the country.
        let home = pick_municipality(&mut rng, pool, *total);
        for n in 1..=site_count {
            let place =
                if kind == OrganisationKind::Municipality { home } else { pick_municipality(&mut rng, pool, *total) };
            let data = site(&mut rng, &organisation, number, n, place, &hours, &mut person_number)?;
            sites.push(data);
        }
        organisations.push(organisation);
    }
    Ok(Network { organisations, sites })
}

fn site(
    rng: &mut StdRng,
    owner: &Organisation,
    organisation_number: usize,
    n: usize,
    place: &Municipality,
    hours: &WeeklyHours,
    person_number: &mut usize,
) -> anyhow::Result<SiteData> {
    // Within some 3 km of the municipality's centre.
    let jitter = |rng: &mut StdRng| rng.random_range(-0.03..0.03);
    let coordinates = Coordinates::new(place.centre.lat() + jitter(rng), place.centre.lon() + jitter(rng) * 2.0)?;
    let (kind, access, price) = match rng.random_range(0..10) {
        0..=5 => (SiteKind::OwnOffice, AccessTerms::owner_only(), None),
        6 | 7 => (SiteKind::SharedOffice, AccessTerms::network(), None),
        8 => {
            let currency = if owner.country == Country::Finland { Currency::Eur } else { Currency::Sek };
            let amount_minor = if currency == Currency::Eur { 2500 } else { 29_000 };
            (SiteKind::CoworkingHub, AccessTerms::network(), Some(Price { amount_minor, currency }))
        }
        _ => (SiteKind::ServicePoint, AccessTerms::owner_only(), None),
    };
    let name = place.name();
    let site = Site {
        id: id(rng),
        code: Code::parse(&format!("B{organisation_number:03}-{n:03}"), "code")?,
        kind,
        organisation_id: owner.id,
        name: LocalizedText::new(
            &format!("{name}, toimipaikka {organisation_number}/{n}"),
            &format!("{name}, kontor {organisation_number}/{n}"),
            &format!("{name}, office {organisation_number}/{n}"),
            "name",
        )?,
        address: format!("Testikatu {n}, {name}"),
        municipality: place.code,
        coordinates,
        time_zone: owner.country.default_time_zone(),
        opening_hours: hours.clone(),
        closed_on_holidays: true,
        access,
        price_per_seat_day: price,
        booking_horizon_days: HORIZON_DAYS,
    };
    site.validate()?;

    let mut floors = Vec::with_capacity(2);
    let mut spaces = Vec::with_capacity(2 * SPACES_PER_FLOOR);
    for level in 1..=2i16 {
        let floor = Floor {
            id: id(rng),
            site_id: site.id,
            name: LocalizedText::new(
                &format!("{level}. kerros"),
                &format!("Våning {level}"),
                &format!("Floor {level}"),
                "name",
            )?,
            level,
        };
        for i in 0..SPACES_PER_FLOOR {
            let (kind, name, capacity) = match i {
                0..DESKS_PER_FLOOR => (SpaceKind::Desk, format!("{level}{:02}", i + 1), 1),
                41..45 => (SpaceKind::QuietRoom, format!("Q{level}{}", i - 40), 1),
                45..49 => (SpaceKind::MeetingRoom, format!("M{level}{}", i - 44), 8),
                _ if level == 1 => (SpaceKind::EventSpace, "Sali".to_owned(), 40),
                _ => (SpaceKind::Parking, "P1".to_owned(), 1),
            };
            let amenities = if kind == SpaceKind::Desk {
                let mut list = vec![Amenity::Screen, Amenity::DockingStation];
                if i % 3 == 0 {
                    list.push(Amenity::HeightAdjustableDesk);
                }
                list
            } else {
                Vec::new()
            };
            spaces.push(Space {
                id: id(rng),
                site_id: site.id,
                floor_id: floor.id,
                kind,
                name,
                capacity,
                amenities: hubnet_domain::space::normalise(amenities),
                accessibility: Vec::new(),
                bookable: true,
                assigned_to: None,
                approval_required: false,
            });
        }
        floors.push(floor);
    }

    let language = if owner.country == Country::Finland { Language::Fi } else { Language::Sv };
    let mut people = Vec::with_capacity(PEOPLE_PER_SITE);
    for _ in 0..PEOPLE_PER_SITE {
        *person_number += 1;
        let number = *person_number;
        let home = Coordinates::new(coordinates.lat() + jitter(rng) * 5.0, coordinates.lon() + jitter(rng) * 10.0)?;
        people.push(Person {
            id: id(rng),
            organisation_id: owner.id,
            unit_id: None,
            name: format!("Person {number}"),
            email: Email::parse(&format!("p{number}@{}.bench.example", owner.code.as_str().to_lowercase()))?,
            language,
            home_municipality: Some(place.code),
            home: Some(home),
            active: true,
        });
    }
    Ok(SiteData { site, floors, spaces, people })
}

/// Bookings per chunk sent to the loader.
const CHUNK: usize = 16_384;

/// Generates every booking, site by site and day by day, and sends them in chunks.
fn generate_bookings(
    sites: &[SiteData],
    seed: u64,
    today: NaiveDate,
    out: &mpsc::Sender<BulkChunk>,
) -> anyhow::Result<u64> {
    let first = today - Days::new(DAYS_BACK);
    let days: Vec<NaiveDate> = first.iter_days().take(usize::try_from(DAYS_BACK + DAYS_AHEAD + 1)?).collect();
    let now = today.and_hms_opt(12, 0, 0).context("noon")?.and_utc();
    let midnight = today.and_hms_opt(0, 0, 0).context("midnight")?.and_utc();
    // Time-ordered ids (UUIDv7 layout) keep the primary key's inserts at its end.
    let mut clock_ms: u64 =
        u64::try_from(first.and_hms_opt(0, 0, 0).context("midnight")?.and_utc().timestamp_millis())?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_b00c);
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut count = 0u64;
    let at = |site: &Site, date: NaiveDate, h: u16| -> anyhow::Result<DateTime<Utc>> {
        Ok(local_instant(site.time_zone, date, TimeOfDay::from_hm(h, 0)?)?)
    };
    for data in sites {
        let site = &data.site;
        let desks: Vec<&Space> = data.spaces.iter().filter(|s| s.kind == SpaceKind::Desk).collect();
        let meeting: Vec<&Space> = data.spaces.iter().filter(|s| s.kind == SpaceKind::MeetingRoom).collect();
        let quiet: Vec<&Space> = data.spaces.iter().filter(|s| s.kind == SpaceKind::QuietRoom).collect();
        let booked_desks = desks.len() * 7 / 10;
        let people = &data.people;
        for (day_index, &date) in days.iter().enumerate() {
            if opening_hours_on(site, date).is_err() {
                continue;
            }
            let mut plan: Vec<(&Space, u16, u16, usize)> = Vec::with_capacity(booked_desks + 16);
            let desk_offset = rng.random_range(0..desks.len());
            for j in 0..booked_desks {
                let desk = desks[(desk_offset + j) % desks.len()];
                let end = if j % 5 == 0 { 12 } else { 16 };
                plan.push((desk, 8, end, day_index * booked_desks + j));
            }
            for (j, room) in meeting.iter().enumerate() {
                for (k, (start, end)) in [(9, 10), (11, 12), (13, 15)].into_iter().enumerate() {
                    plan.push((room, start, end, day_index * 24 + j * 3 + k + 101));
                }
            }
            for (j, room) in quiet.iter().enumerate() {
                plan.push((room, 10, 12, day_index * 8 + j + 53));
            }
            for (space, start, end, who) in plan {
                let (person, organisation) = {
                    let person = &people[who % people.len()];
                    (person.id, person.organisation_id)
                };
                let start = at(site, date, start)?;
                let end = at(site, date, end)?;
                // Made before today began: a benchmark run removes what was made since it started.
                let created_at = (start - chrono::Duration::hours(rng.random_range(2..24 * 21)))
                    .min(midnight - chrono::Duration::minutes(rng.random_range(1..60 * 24 * 7)));
                let roll = rng.random_range(0..100);
                let (status, updated_at) = if start > now {
                    if roll < 7 {
                        (BookingStatus::Cancelled, created_at + chrono::Duration::hours(1))
                    } else {
                        (BookingStatus::Confirmed, created_at)
                    }
                } else {
                    match roll {
                        0..8 => (BookingStatus::Cancelled, created_at + chrono::Duration::hours(1)),
                        8..13 => (BookingStatus::ReleasedNoShow, start + chrono::Duration::minutes(30)),
                        13..40 => (BookingStatus::CheckedIn, start + chrono::Duration::minutes(5)),
                        _ => (BookingStatus::Confirmed, created_at),
                    }
                };
                clock_ms += 1;
                let id = uuid::Builder::from_unix_timestamp_millis(clock_ms, &rng.random()).into_uuid();
                chunk.push(BulkBooking {
                    organisation_id: organisation,
                    booking: Booking {
                        id: id.into(),
                        space_id: space.id,
                        site_id: site.id,
                        person_id: person,
                        created_by: person,
                        start,
                        end,
                        status,
                        created_at,
                        decision: None,
                        awaits_organisation: false,
                    },
                    kind: space.kind,
                    updated_at,
                });
                count += 1;
                if chunk.len() == CHUNK {
                    out.blocking_send(BulkChunk::Rows(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))))
                        .map_err(|_| anyhow::anyhow!("the loader stopped"))?;
                }
            }
        }
    }
    if !chunk.is_empty() {
        out.blocking_send(BulkChunk::Rows(chunk)).map_err(|_| anyhow::anyhow!("the loader stopped"))?;
    }
    out.blocking_send(BulkChunk::End).map_err(|_| anyhow::anyhow!("the loader stopped"))?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::{Size, sites_per_organisation};

    #[test]
    fn the_national_size_shares_1000_sites_among_300_organisations_largest_first() {
        let size = Size::scaled(1.0).unwrap();
        assert_eq!((size.sites, size.organisations), (1000, 300));
        let counts = sites_per_organisation(size);
        assert_eq!(counts.len(), 300);
        assert_eq!(counts.iter().sum::<usize>(), 1000);
        assert!(counts.iter().all(|&c| c >= 1));
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
        assert_eq!(counts[0], 46, "the largest, like a big agency: 46 sites, 11,500 people");
    }

    #[test]
    fn scales_down_and_refuses_nonsense() {
        let tenth = Size::scaled(0.1).unwrap();
        assert_eq!((tenth.sites, tenth.organisations), (100, 30));
        assert_eq!(sites_per_organisation(tenth).iter().sum::<usize>(), 100);
        let tiny = Size::scaled(0.001).unwrap();
        assert_eq!((tiny.sites, tiny.organisations), (2, 2));
        assert!(Size::scaled(0.0).is_err());
        assert!(Size::scaled(f64::NAN).is_err());
        assert!(Size::scaled(11.0).is_err());
    }
}
