//! Applying an organisation's workplace policy (`hubnet_domain::policy`) to one of its people:
//! loading what the rules need (the version in force, the person's units and role tags, the
//! organisation's own offices, this month's hub days and the unit's spending) and answering the
//! domain's verdict in the caller's terms.
//!
//! Only what the rules refer to is read: role tags when a rule is scoped by them, the unit chain
//! when a rule names units, and for one booking the month's hub days only when it is at another
//! organisation's co-working hub, the unit's spending only when the place has a price.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, TimeZone as _};
use hubnet_domain::policy::{OwnOffice, PersonFacts, Place, Rule, Scope, Situation, UnitSpend, Usage, Verdict};
use hubnet_domain::{Person, PersonId, Site, SiteKind, UnitId};
use hubnet_store::BookingFilter;

use crate::error::AppError;
use crate::state::AppState;

/// What a person's policy needs on a date, loaded once.
pub struct Loaded {
    pub version: u32,
    pub rules: Vec<Rule>,
    pub facts: PersonFacts,
    pub own_offices: Vec<OwnOffice>,
    pub usage: Usage,
}

impl Loaded {
    pub fn situation(&self) -> Situation<'_> {
        Situation { rules: &self.rules, person: &self.facts, own_offices: &self.own_offices, usage: &self.usage }
    }
}

/// The rules of the person's organisation in force on `date`, with everything they refer to for
/// any place (as recommendations need); `None` when the organisation has no policy then.
pub async fn load(state: &AppState, person: &Person, date: NaiveDate) -> Result<Option<Loaded>, AppError> {
    load_for(state, person, date, None).await
}

/// [`load`], for one place when given: then usage that cannot matter there is not read.
async fn load_for(
    state: &AppState,
    person: &Person,
    date: NaiveDate,
    place: Option<&Site>,
) -> Result<Option<Loaded>, AppError> {
    let Some(version) = state.store.policies().policy_in_force(person.organisation_id, date).await? else {
        return Ok(None);
    };
    let rules: Vec<Rule> = serde_json::from_value(version.rules)
        .map_err(|e| AppError::Internal(format!("stored policy rules do not parse: {e}")))?;
    let sites = state.directory.all_sites().await?;
    let facts = facts_of(state, person, &rules).await?;
    let own_offices = sites
        .iter()
        .filter(|s| s.organisation_id == person.organisation_id && s.kind == SiteKind::OwnOffice)
        .map(OwnOffice::from_site)
        .collect();
    let external = |s: &Site| s.organisation_id != person.organisation_id;
    let matters = Matters {
        hub_days: place.is_none_or(|s| external(s) && s.kind == SiteKind::CoworkingHub)
            && rules.iter().any(|r| matches!(r, Rule::MonthlyHubDays(_))),
        spend: place.is_none_or(|s| external(s) && s.price_per_seat_day.is_some_and(|p| p.amount_minor > 0)),
    };
    let usage = usage_of(state, person, &facts, &rules, &sites, date, matters).await?;
    Ok(Some(Loaded { version: version.version, rules, facts, own_offices, usage }))
}

/// Which usage a check needs read.
#[derive(Clone, Copy)]
struct Matters {
    hub_days: bool,
    spend: bool,
}

/// The person as `rules` see them: their home, and only where a rule refers to them, their role
/// tags and their unit with the units above it.
pub async fn facts_of(state: &AppState, person: &Person, rules: &[Rule]) -> Result<PersonFacts, AppError> {
    let scopes = || {
        rules.iter().filter_map(|r| match r {
            Rule::OwnOfficeWithin(r) => Some(&r.applies_to),
            Rule::SiteKinds(r) => Some(&r.applies_to),
            Rule::HubApproval(r) => Some(&r.applies_to),
            Rule::MonthlyHubDays(r) => Some(&r.applies_to),
            Rule::MonthlyBudget(_) | Rule::TeamDays(_) => None,
        })
    };
    let tags = scopes().any(|s| matches!(s, Scope::RoleTags(_)));
    let units = scopes().any(|s| matches!(s, Scope::Units(_)))
        || rules.iter().any(|r| matches!(r, Rule::MonthlyBudget(_) | Rule::TeamDays(_)));
    Ok(PersonFacts {
        organisation_id: person.organisation_id,
        units: if units { units_of(state, person).await? } else { Vec::new() },
        role_tags: if tags { state.store.policies().role_tags(person.id).await? } else { Vec::new() },
        home_municipality: person.home_municipality,
        home: person.home,
    })
}

/// The person's unit and the units above it, nearest first.
async fn units_of(state: &AppState, person: &Person) -> Result<Vec<UnitId>, AppError> {
    let mut units = Vec::new();
    if let Some(unit) = person.unit_id {
        let all = state.store.organisations().list_units(person.organisation_id).await?;
        let parent: HashMap<UnitId, Option<UnitId>> = all.iter().map(|u| (u.id, u.parent_id)).collect();
        let mut next = Some(unit);
        while let Some(id) = next.filter(|id| !units.contains(id)) {
            units.push(id);
            next = parent.get(&id).copied().flatten();
        }
    }
    Ok(units)
}

/// The month of `date` as a UTC range, a day wider on each side so that every site's local
/// dates of the month are inside; bookings are then kept by their local date.
fn month_window(date: NaiveDate) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    let first = date.with_day(1).unwrap_or(date);
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let at = |d: NaiveDate| chrono::Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
    (at(first - chrono::Days::new(1)), at(next + chrono::Days::new(1)))
}

/// This month's days at other organisations' co-working hubs, and, for each budget rule of the
/// person's units, what the unit's people have booked at other organisations' priced sites.
async fn usage_of(
    state: &AppState,
    person: &Person,
    facts: &PersonFacts,
    rules: &[Rule],
    sites: &[Site],
    date: NaiveDate,
    matters: Matters,
) -> Result<Usage, AppError> {
    let by_id: HashMap<_, &Site> = sites.iter().map(|s| (s.id, s)).collect();
    let (from, to) = month_window(date);
    let in_month = |site: &Site, start: chrono::DateTime<chrono::Utc>| {
        let local = start.with_timezone(&site.time_zone).date_naive();
        local.year() == date.year() && local.month() == date.month()
    };
    let mine = if matters.hub_days {
        state
            .store
            .bookings()
            .list_bookings(&BookingFilter {
                person: Some(person.id),
                from: Some(from),
                to: Some(to),
                active_only: true,
                limit: 1000,
                ..BookingFilter::default()
            })
            .await?
    } else {
        Vec::new()
    };
    let mut hub_days: Vec<NaiveDate> = mine
        .iter()
        .filter_map(|b| {
            let site = by_id.get(&b.site_id)?;
            let external_hub = site.organisation_id != person.organisation_id && site.kind == SiteKind::CoworkingHub;
            (external_hub && in_month(site, b.range().start))
                .then(|| b.range().start.with_timezone(&site.time_zone).date_naive())
        })
        .collect();
    hub_days.sort_unstable();
    hub_days.dedup();

    let budget_units: Vec<UnitId> = rules
        .iter()
        .filter_map(|r| match r {
            Rule::MonthlyBudget(b) if matters.spend && facts.units.contains(&b.unit_id) => Some(b.unit_id),
            _ => None,
        })
        .collect();
    let mut unit_spend = Vec::new();
    if !budget_units.is_empty() {
        let bookings = state
            .store
            .bookings()
            .list_bookings(&BookingFilter {
                organisation: Some(person.organisation_id),
                from: Some(from),
                to: Some(to),
                active_only: true,
                limit: 100_000,
                ..BookingFilter::default()
            })
            .await?;
        let mut holders_units: HashMap<PersonId, Vec<UnitId>> = HashMap::new();
        let mut spent: HashMap<UnitId, i64> = HashMap::new();
        for booking in &bookings {
            let Some(site) = by_id.get(&booking.site_id) else { continue };
            let Some(price) = site.price_per_seat_day.filter(|_| site.organisation_id != person.organisation_id) else {
                continue;
            };
            if !in_month(site, booking.range().start) {
                continue;
            }
            let units = match holders_units.entry(booking.person_id) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(new) => {
                    let holder = state.store.people().get_person(booking.person_id).await?;
                    new.insert(units_of(state, &holder).await?)
                }
            };
            for unit in units.iter() {
                if budget_units.contains(unit) {
                    *spent.entry(*unit).or_default() += price.amount_minor;
                }
            }
        }
        unit_spend = budget_units
            .iter()
            .map(|&unit_id| UnitSpend {
                unit_id,
                year: date.year(),
                month: date.month(),
                spent_minor: spent.get(&unit_id).copied().unwrap_or(0),
            })
            .collect();
    }
    Ok(Usage { hub_days, unit_spend })
}

/// The person's policy's verdict on booking at `site` on `date`: allowed when there is no policy.
pub async fn verdict(state: &AppState, person: &Person, site: &Site, date: NaiveDate) -> Result<Verdict, AppError> {
    Ok(match load_for(state, person, date, Some(site)).await? {
        Some(loaded) => loaded.situation().evaluate(&Place::from_site(site), date),
        None => Verdict::Allowed,
    })
}
