//! Recommendations: for a person and a date, or the seven days of a week, the places they may
//! use, ranked by their organisation's policy, each with its reasons as data (and, where a rule
//! refuses or asks for approval, the rule's explanation in the caller's language).
//!
//! Here: the ranking itself ([`recommend`]) and where a person is booked on given days
//! ([`booked_on`]), which the JSON API (`api.rs`) and the Find page (`crate::availability::pages`)
//! both use.

pub mod api;
use crate::error::AppError;
use crate::policies::error::PolicyRefusal;
use crate::state::AppState;
use crate::window::site_window;
use chrono::{Datelike as _, NaiveDate, TimeZone as _, Utc};
use hubnet_domain::policy::{Finding, Place, PlaceContext, Recommendation, Usage};
use hubnet_domain::{
    BookingId, BookingStatus, OrganisationId, Person, PersonId, Site, SiteId, SiteKind, SpaceId, SpaceKind, TimeRange,
};
use hubnet_store::BookingFilter;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

/// The most places considered: the nearest open ones.
const MAX_PLACES: usize = 40;

/// A booking the person already has on a day of the week.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookedPlace {
    pub booking_id: BookingId,
    pub site_id: SiteId,
    pub space_id: SpaceId,
    /// `confirmed`, `pending_approval` or `checked_in`.
    pub status: BookingStatus,
}

/// Monday to Sunday of the ISO week of `date`.
pub fn week_of(date: NaiveDate) -> Vec<NaiveDate> {
    let monday = date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()));
    monday.iter_days().take(7).collect()
}

/// The person's active bookings on `days`, by the local date of their site.
pub async fn booked_on(
    state: &AppState,
    person: &Person,
    days: &[NaiveDate],
) -> Result<HashMap<NaiveDate, Vec<BookedPlace>>, AppError> {
    let mut out: HashMap<NaiveDate, Vec<BookedPlace>> = HashMap::new();
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return Ok(out) };
    // A day wider on each side, so that every site's local days are inside; kept by local date.
    let at = |d: NaiveDate| Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN));
    let bookings = state
        .store
        .bookings()
        .list_bookings(&BookingFilter {
            person: Some(person.id),
            from: Some(at(*first - chrono::Days::new(1))),
            to: Some(at(*last + chrono::Days::new(2))),
            active_only: true,
            limit: 1_000,
            ..BookingFilter::default()
        })
        .await?;
    let sites = state.directory.all_sites().await?;
    for booking in bookings {
        let Some(site) = sites.iter().find(|s| s.id == booking.site_id) else { continue };
        let date = booking.start.with_timezone(&site.time_zone).date_naive();
        if days.contains(&date) {
            out.entry(date).or_default().push(BookedPlace {
                booking_id: booking.id,
                site_id: booking.site_id,
                space_id: booking.space_id,
                status: booking.status,
            });
        }
    }
    Ok(out)
}

/// A policy finding in words.
pub fn explain(finding: Finding, language: hubnet_domain::Language) -> String {
    AppError::from(PolicyRefusal(Box::new(finding))).message(language)
}

/// Ranked places, each with its free desks, and the policy version that ranked them.
pub struct Ranked {
    pub version: Option<u32>,
    pub places: Vec<(Recommendation, u32)>,
}

/// The places open to the person's organisation on `date` within `radius` km of their home (the
/// nearest [`MAX_PLACES`]; without a home, the organisation's own offices and the sites nearest
/// to them), with a free desk that day, ranked by the policy in force.
pub async fn recommend(state: &AppState, person: &Person, date: NaiveDate, radius: f64) -> Result<Ranked, AppError> {
    let sites = state.directory.all_sites().await?;
    let loaded = crate::policies::load::load(state, person, date).await?;
    let facts = match &loaded {
        Some(l) => l.facts.clone(),
        None => crate::policies::load::facts_of(state, person, &[]).await?,
    };
    let origin = person.home.or_else(|| {
        sites
            .iter()
            .find(|s| s.organisation_id == person.organisation_id && s.kind == SiteKind::OwnOffice)
            .map(|s| s.coordinates)
    });
    let mut open: Vec<(f64, &Site, TimeRange)> = sites
        .iter()
        .filter(|s| s.admits(person.organisation_id))
        .map(|s| (origin.map_or(0.0, |o| o.distance_km(s.coordinates)), s))
        .filter(|(d, _)| *d <= radius)
        .filter_map(|(d, s)| match site_window(s, date, (None, None)) {
            Ok(Ok((_, range))) => Some((d, s, range)),
            _ => None,
        })
        .collect();
    open.sort_by(|a, b| a.0.total_cmp(&b.0));
    open.truncate(MAX_PLACES);
    let windows: Vec<(SiteId, TimeRange)> = open.iter().map(|(_, s, r)| (s.id, *r)).collect();
    let taken = state.store.bookings().taken_spaces(&windows).await?;
    let mut free: HashMap<SiteId, u32> = HashMap::new();
    for (_, site, _) in &open {
        let spaces = state.directory.spaces(site.id).await?;
        let count = spaces.iter().filter(|s| s.bookable && s.kind == SpaceKind::Desk && !taken.contains(&s.id)).count();
        free.insert(site.id, u32::try_from(count).unwrap_or(u32::MAX));
    }
    open.retain(|(_, s, _)| free.get(&s.id).copied().unwrap_or(0) > 0);

    let present = who_is_there(state, &open, person).await?;
    let contexts: Vec<PlaceContext> = open
        .iter()
        .map(|(_, site, _)| {
            let (colleagues, organisations) = present.get(&site.id).cloned().unwrap_or_default();
            let in_unit = colleagues.iter().filter(|unit| unit.is_some_and(|u| Some(u) == person.unit_id)).count();
            PlaceContext {
                place: Place::from_site(site),
                colleagues_of_unit_booked: u32::try_from(in_unit).unwrap_or(u32::MAX),
                other_organisations_present: u32::try_from(organisations.len()).unwrap_or(u32::MAX),
            }
        })
        .collect();
    let usage = Usage::default();
    let (rules, own_offices, usage) = match &loaded {
        Some(l) => (l.rules.as_slice(), l.own_offices.as_slice(), &l.usage),
        None => (&[][..], &[][..], &usage),
    };
    let situation = hubnet_domain::policy::Situation { rules, person: &facts, own_offices, usage };
    let places = situation
        .recommend(date, &contexts)
        .into_iter()
        .map(|r| {
            let desks = free.get(&r.site_id).copied().unwrap_or(0);
            (r, desks)
        })
        .collect();
    Ok(Ranked { version: loaded.map(|l| l.version), places })
}

/// For each site, that day: the units of the person's colleagues booked there (the person not
/// counted) and the other organisations with people there.
async fn who_is_there(
    state: &AppState,
    open: &[(f64, &Site, TimeRange)],
    person: &Person,
) -> Result<HashMap<SiteId, (Vec<Option<hubnet_domain::UnitId>>, HashSet<OrganisationId>)>, AppError> {
    let mut out: HashMap<SiteId, (Vec<Option<hubnet_domain::UnitId>>, HashSet<OrganisationId>)> = HashMap::new();
    let mut people: HashMap<PersonId, Person> = HashMap::new();
    for (_, site, range) in open {
        let bookings = state
            .store
            .bookings()
            .list_bookings(&BookingFilter {
                site: Some(site.id),
                from: Some(range.start),
                to: Some(range.end),
                active_only: true,
                limit: 10_000,
                ..BookingFilter::default()
            })
            .await?;
        let entry = out.entry(site.id).or_default();
        for booking in bookings.iter().filter(|b| b.person_id != person.id) {
            let holder = match people.entry(booking.person_id) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(new) => {
                    new.insert(state.store.people().get_person(booking.person_id).await?)
                }
            };
            if holder.organisation_id == person.organisation_id {
                entry.0.push(holder.unit_id);
            } else {
                entry.1.insert(holder.organisation_id);
            }
        }
    }
    Ok(out)
}
