//! The public geography hubnet ships: the municipalities of Finland and Sweden with their
//! centres, their populated places (GeoNames, CC BY 4.0), and Finland's postal codes with the
//! municipality of each (Posti's file; see `data/geography/`).
//! Used for "near home" without a street address, for finding a Finnish home municipality from
//! a postal code, for checking municipality codes, and for generating the demo and benchmark
//! networks.

use std::collections::HashMap;
use std::sync::OnceLock;

use hubnet_domain::{Coordinates, Country, MunicipalityCode};

const MUNICIPALITIES: &str = include_str!("../../../data/geography/municipalities.tsv");
const PLACES: &str = include_str!("../../../data/geography/places.tsv");
const FI_POSTAL_CODES: &str = include_str!("../../../data/geography/fi_postal_codes.tsv");

/// A municipality and the point "near home" is measured from (its seat).
#[derive(Debug, Clone)]
pub struct Municipality {
    pub code: MunicipalityCode,
    pub name_fi: String,
    pub name_sv: String,
    pub region_code: String,
    pub centre: Coordinates,
    pub population: u32,
}

impl Municipality {
    /// The name in the municipality's own main language.
    pub fn name(&self) -> &str {
        match self.code.country() {
            Country::Finland => &self.name_fi,
            Country::Sweden => &self.name_sv,
        }
    }
}

/// A populated place (a town or village).
#[derive(Debug, Clone)]
pub struct Place {
    pub geonameid: u32,
    pub municipality: MunicipalityCode,
    pub name: String,
    pub position: Coordinates,
    pub population: u32,
}

/// A Finnish postal code area and the municipality it lies in (Posti's postal code file).
#[derive(Debug, Clone)]
pub struct PostalArea {
    pub name_fi: String,
    pub name_sv: String,
    pub municipality: MunicipalityCode,
}

struct Geography {
    municipalities: Vec<Municipality>,
    by_code: HashMap<MunicipalityCode, usize>,
    places: Vec<Place>,
    postal_codes: HashMap<&'static str, PostalArea>,
}

fn geography() -> &'static Geography {
    static GEOGRAPHY: OnceLock<Geography> = OnceLock::new();
    GEOGRAPHY.get_or_init(|| {
        let municipalities: Vec<Municipality> = rows(MUNICIPALITIES).filter_map(|c| parse_municipality(&c)).collect();
        let by_code = municipalities.iter().enumerate().map(|(i, m)| (m.code, i)).collect();
        let places = rows(PLACES).filter_map(|c| parse_place(&c)).collect();
        let postal_codes = rows(FI_POSTAL_CODES).filter_map(|c| parse_postal_code(&c)).collect();
        Geography { municipalities, by_code, places, postal_codes }
    })
}

fn rows(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split('\t').collect())
}

fn parse_municipality(c: &[&str]) -> Option<Municipality> {
    let country: Country = c.first()?.parse().ok()?;
    Some(Municipality {
        code: MunicipalityCode::new(country, c.get(1)?).ok()?,
        name_fi: (*c.get(2)?).to_owned(),
        name_sv: (*c.get(3)?).to_owned(),
        region_code: (*c.get(4)?).to_owned(),
        centre: Coordinates::new(c.get(5)?.parse().ok()?, c.get(6)?.parse().ok()?).ok()?,
        population: c.get(7)?.parse().ok()?,
    })
}

fn parse_place(c: &[&str]) -> Option<Place> {
    let country: Country = c.get(1)?.parse().ok()?;
    Some(Place {
        geonameid: c.first()?.parse().ok()?,
        municipality: MunicipalityCode::new(country, c.get(2)?).ok()?,
        name: (*c.get(3)?).to_owned(),
        position: Coordinates::new(c.get(4)?.parse().ok()?, c.get(5)?.parse().ok()?).ok()?,
        population: c.get(6)?.parse().ok()?,
    })
}

fn parse_postal_code(c: &[&'static str]) -> Option<(&'static str, PostalArea)> {
    let code = *c.first()?;
    Some((
        code,
        PostalArea {
            name_fi: (*c.get(1)?).to_owned(),
            name_sv: (*c.get(2)?).to_owned(),
            municipality: MunicipalityCode::new(Country::Finland, c.get(3)?).ok()?,
        },
    ))
}

pub fn municipalities() -> &'static [Municipality] {
    &geography().municipalities
}

pub fn municipality(code: MunicipalityCode) -> Option<&'static Municipality> {
    let g = geography();
    g.by_code.get(&code).map(|&i| &g.municipalities[i])
}

/// The municipality of a country with this name (in Finnish or Swedish, any case).
pub fn municipality_named(country: Country, name: &str) -> Option<&'static Municipality> {
    municipalities().iter().find(|m| {
        m.code.country() == country && (m.name_fi.eq_ignore_ascii_case(name) || m.name_sv.eq_ignore_ascii_case(name))
    })
}

/// The area of a Finnish postal code (five digits, as `00100`); none for an unknown code.
pub fn postal_area(code: &str) -> Option<&'static PostalArea> {
    geography().postal_codes.get(code.trim())
}

pub fn places() -> &'static [Place] {
    &geography().places
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_every_municipality_of_both_countries() {
        let count = |c| municipalities().iter().filter(|m| m.code.country() == c).count();
        assert_eq!(count(Country::Finland), 309);
        assert_eq!(count(Country::Sweden), 290);
        assert!(places().len() > 1000);
    }

    #[test]
    fn knows_heinola_and_the_municipalities_of_jamtland() {
        let heinola = municipality("FI-111".parse().unwrap()).unwrap();
        assert_eq!(heinola.name(), "Heinola");
        for (code, name) in [("2380", "Östersund"), ("2321", "Åre"), ("2361", "Härjedalen"), ("2326", "Berg")] {
            let m = municipality(MunicipalityCode::new(Country::Sweden, code).unwrap()).unwrap();
            assert_eq!(m.name(), name);
            assert_eq!(m.region_code, "23");
        }
        assert_eq!(municipality_named(Country::Finland, "helsingfors").unwrap().name(), "Helsinki");
    }

    #[test]
    fn finds_the_municipality_of_a_finnish_postal_code() {
        assert_eq!(geography().postal_codes.len(), 3024);
        for (code, expected, name) in [
            ("00100", "FI-091", "Helsinki"),
            ("18100", "FI-111", "Heinola"),
            ("22100", "FI-478", "Maarianhamina"),
            ("99980", "FI-890", "Utsjoki"),
        ] {
            let area = postal_area(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(area.municipality.to_string(), expected, "{code}");
            assert_eq!(municipality(area.municipality).unwrap().name(), name, "{code}");
        }
        assert!(postal_area("00000").is_none());
        assert!(postal_area("SE-2380").is_none());
        // Every postal code names a municipality hubnet knows.
        assert!(geography().postal_codes.values().all(|a| municipality(a.municipality).is_some()));
    }
}
