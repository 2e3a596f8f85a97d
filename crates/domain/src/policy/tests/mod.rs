//! Policy tests: rule evaluation as tables, validation, and recommendation order for
//! hand-checked people in Sweden and Finland with real coordinates (municipality centres from
//! the geography hubnet ships, `data/geography/municipalities.tsv`).

use chrono::NaiveDate;
use uuid::Uuid;

use super::*;
use crate::money::Currency;
use crate::{Coordinates, LocalizedText, Price, SiteId};

// --- The network of the tests -------------------------------------------------------------

const REGION: u128 = 1;
const JAMTHUBS: u128 = 2;
const HEINOLA: u128 = 3;
const YHTEISTILA: u128 = 4;
const PREMISES: u128 = 5;
const VDT: u128 = 6;

// Municipality centres (WGS 84) as shipped in the geography data.
const OSTERSUND: (f64, f64) = (63.179_20, 14.635_66);
const OSTERSUND_HOSPITAL: (f64, f64) = (63.176_70, 14.659_70);
const JARPEN: (f64, f64) = (63.346_20, 13.465_72); // Åre municipality's seat
const SVEG: (f64, f64) = (62.034_07, 14.365_77); // Härjedalen's seat
const SVENSTAVIK: (f64, f64) = (62.766_67, 14.435_35); // Berg's seat
const KROKOM: (f64, f64) = (63.325_89, 14.448_83);
const HEINOLA_C: (f64, f64) = (61.205_64, 26.038_11);
const LAHTI: (f64, f64) = (60.982_67, 25.661_51);
const KOUVOLA: (f64, f64) = (60.866_67, 26.700_00);
const HELSINKI: (f64, f64) = (60.169_52, 24.935_45);
const ESPOO: (f64, f64) = (60.205_20, 24.652_20);

fn org(n: u128) -> OrganisationId {
    OrganisationId::from_uuid(Uuid::from_u128(n))
}

fn unit(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(1000 + n))
}

fn point((lat, lon): (f64, f64)) -> Coordinates {
    Coordinates::new(lat, lon).unwrap()
}

fn place(id: u128, name: &str, kind: SiteKind, owner: u128, at: (f64, f64), price: Option<Price>) -> Place {
    Place {
        site_id: SiteId::from_uuid(Uuid::from_u128(100 + id)),
        name: LocalizedText::same(name, "name").unwrap(),
        kind,
        organisation_id: org(owner),
        coordinates: point(at),
        price_per_seat_day: price,
    }
}

const fn sek(kronor: i64) -> Price {
    Price { amount_minor: kronor * 100, currency: Currency::Sek }
}

const fn eur(euros: i64) -> Price {
    Price { amount_minor: euros * 100, currency: Currency::Eur }
}

fn region_house() -> Place {
    place(1, "Regionens hus, Östersund", SiteKind::OwnOffice, REGION, OSTERSUND, None)
}

fn hospital() -> Place {
    place(2, "Östersunds sjukhus, administrationen", SiteKind::OwnOffice, REGION, OSTERSUND_HOSPITAL, None)
}

fn hub(id: u128, town: &str, at: (f64, f64)) -> Place {
    place(id, &format!("Coworkinghubb {town}"), SiteKind::CoworkingHub, JAMTHUBS, at, Some(sek(250)))
}

fn hub_jarpen() -> Place {
    hub(10, "Järpen", JARPEN)
}

fn hub_ostersund() -> Place {
    hub(11, "Östersund", OSTERSUND)
}

fn hub_sveg() -> Place {
    hub(12, "Sveg", SVEG)
}

fn hub_svenstavik() -> Place {
    hub(13, "Svenstavik", SVENSTAVIK)
}

fn hub_krokom() -> Place {
    hub(14, "Krokom", KROKOM)
}

fn region_offices() -> Vec<OwnOffice> {
    [region_house(), hospital()]
        .iter()
        .map(|p| OwnOffice { site_id: p.site_id, name: p.name.clone(), coordinates: p.coordinates })
        .collect()
}

fn person(organisation: u128, home: (f64, f64), municipality: &str, units: &[u128], tags: &[&str]) -> PersonFacts {
    PersonFacts {
        organisation_id: org(organisation),
        units: units.iter().map(|&u| unit(u)).collect(),
        role_tags: tags.iter().map(|&t| t.to_owned()).collect(),
        home_municipality: Some(municipality.parse().unwrap()),
        home: Some(point(home)),
    }
}

/// Anna in Järpen (Åre), 61 km from the region's offices in Östersund.
fn anna(tags: &[&str]) -> PersonFacts {
    person(REGION, JARPEN, "SE-2321", &[2, 1], tags)
}

/// Someone in Sveg (Härjedalen), 128 km from Östersund.
fn sveg_person(units: &[u128]) -> PersonFacts {
    person(REGION, SVEG, "SE-2361", units, &[])
}

fn rules(json: &str) -> Vec<Rule> {
    parse_rules(serde_json::from_str(json).unwrap()).unwrap()
}

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// The verdict as `allowed`, `refused:<code>` or `approval:<code>+<code>`.
fn summary(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Allowed => "allowed".to_owned(),
        Verdict::Refused { reason } => format!("refused:{}", reason.reason.code()),
        Verdict::NeedsApproval { reasons } => {
            format!("approval:{}", reasons.iter().map(|r| r.reason.code()).collect::<Vec<_>>().join("+"))
        }
    }
}

fn hub_days(days: &[u32]) -> Usage {
    Usage { hub_days: days.iter().map(|&d| day(d)).collect(), unit_spend: Vec::new() }
}

fn spend(unit_no: u128, month: u32, kronor: i64) -> Usage {
    Usage {
        hub_days: Vec::new(),
        unit_spend: vec![UnitSpend { unit_id: unit(unit_no), year: 2026, month, spent_minor: kronor * 100 }],
    }
}

const REQUIRE_70: &str = r#"[{"rule": "own_office_within", "km": 70, "mode": "require"}]"#;

mod eligibility;
mod recommendations;
mod validation;
