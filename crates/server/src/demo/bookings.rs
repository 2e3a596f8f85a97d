//! The demo's bookings: six weeks of them around today. On each working day people book a desk,
//! mostly at their own office, now and then at the shared lab (registering there on first use) or
//! at a co-working hub near home; and the bigger offices' meeting rooms are booked for an hour or
//! two. Nothing overlaps and everything is within opening hours; a few past bookings are cancelled.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use hubnet_domain::booking::{local_instant, opening_hours_on};
use hubnet_domain::{Booking, BookingStatus, Person, PersonId, SpaceKind, TimeOfDay};
use rand::RngExt as _;

use super::network::{SiteSpec, Sites};
use super::people::People;
use super::{Builder, id};

/// Which halves of a day a desk is taken.
type Taken = HashMap<(usize, NaiveDate), (bool, bool)>;

/// The bookings from three weeks before `today` to three weeks after.
pub(super) fn bookings(b: &mut Builder, today: NaiveDate, sites: &Sites, people: &People) -> anyhow::Result<()> {
    let Sites { offices, lab, town_hall, region_house, hospital, region_hubs, fi_hubs } = sites;
    let People { workers, heinola: heinola_people, region: region_people } = people;
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
