//! `hubnet import`: organisations, sites, spaces and people from CSV files (formats in
//! `docs/import.md`). Every row of every file is checked first, against the database and the
//! rows before it; rows refer to each other by natural keys (organisation and site codes, floor
//! and space names, emails), so importing the same files again updates in place. With any error,
//! the report lists each one by file and line and nothing is written; otherwise everything is
//! written in one transaction.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use hubnet_domain::money::Currency;
use hubnet_domain::org::Code;
use hubnet_domain::site::parse_time_zone;
use hubnet_domain::space::normalise;
use hubnet_domain::text::parse_name;
use hubnet_domain::{
    AccessTerms, AccessibilityFeature, Amenity, Coordinates, Country, Email, Floor, InvalidValue, Language,
    LocalizedText, MunicipalityCode, Organisation, OrganisationKind, Person, Price, Role, RoleGrant, Site, SiteKind,
    Space, SpaceKind, Unit, WeeklyHours, WhoMayBook,
};
use hubnet_store::{ImportBatch, Page, Store, StoreError};
use serde::Deserialize;

use crate::geography;
use hubnet_domain::ids::new_id;

/// The files to import; any may be left out.
#[derive(Debug, Default)]
pub struct Files {
    pub organisations: Option<PathBuf>,
    pub sites: Option<PathBuf>,
    pub spaces: Option<PathBuf>,
    pub people: Option<PathBuf>,
}

/// Reads, checks and (unless `dry_run`) imports the files. Exit code 1 with a report when any row
/// is wrong.
pub async fn run(store: &dyn Store, files: &Files, dry_run: bool) -> anyhow::Result<ExitCode> {
    let mut importer = Importer::load(store).await?;
    if let Some(path) = &files.organisations {
        importer.organisations(path)?;
    }
    if let Some(path) = &files.sites {
        importer.sites(path)?;
    }
    // People before spaces, so that a fixed desk may be assigned to someone imported now.
    if let Some(path) = &files.people {
        importer.people(store, path).await?;
    }
    if let Some(path) = &files.spaces {
        importer.spaces(store, path).await?;
    }
    if !importer.errors.is_empty() {
        eprintln!("nothing was imported: {} rows have errors", importer.errors.len());
        for error in &importer.errors {
            eprintln!("  {error}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let b = &importer.batch;
    let summary = format!(
        "{} organisations, {} units, {} sites, {} floors, {} spaces, {} people, {} roles",
        b.organisations.len(),
        b.units.len(),
        b.sites.len(),
        b.floors.len(),
        b.spaces.len(),
        b.people.len(),
        b.roles.len()
    );
    if dry_run {
        println!("checked, nothing written (dry run): {summary}");
        return Ok(ExitCode::SUCCESS);
    }
    match store.import().import(b).await {
        Ok(()) => {
            println!("imported {summary}");
            record(store, b).await?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("nothing was imported: the database refused the import: {}", describe(&error));
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Writes one `import.applied` entry into the audit log of each organisation the import touched,
/// with how many of its people and sites it wrote.
async fn record(store: &dyn Store, batch: &hubnet_store::ImportBatch) -> anyhow::Result<()> {
    let mut touched: std::collections::BTreeMap<hubnet_domain::OrganisationId, (usize, usize)> =
        batch.organisations.iter().map(|o| (o.id, (0, 0))).collect();
    for person in &batch.people {
        touched.entry(person.organisation_id).or_default().0 += 1;
    }
    for site in &batch.sites {
        touched.entry(site.organisation_id).or_default().1 += 1;
    }
    for (organisation, (people, sites)) in touched {
        let entry = crate::audit::by_command_line(
            organisation,
            hubnet_domain::audit::AuditAction::ImportApplied,
            crate::audit::Subject::new(hubnet_domain::audit::SubjectKind::Organisation, organisation),
            serde_json::json!({ "people": people, "sites": sites }),
        );
        store.audit().append_audit(&entry).await.context("recording the import in the audit log")?;
    }
    Ok(())
}

fn describe(error: &StoreError) -> String {
    match error {
        StoreError::Duplicate(field) => {
            format!("a {field} is already used by a record not in these files")
        }
        other => other.to_string(),
    }
}

struct Importer {
    batch: ImportBatch,
    errors: Vec<String>,
    organisations: HashMap<String, Organisation>,
    sites: HashMap<String, Site>,
}

/// One CSV row's location, for the report.
#[derive(Clone)]
struct Row {
    file: String,
    line: u64,
}

impl Row {
    fn error(&self, field: &str, message: impl std::fmt::Display) -> String {
        format!("{}:{}: {field}: {message}", self.file, self.line)
    }
}

/// Reads a CSV file with a header row into typed rows, each with its line number.
fn read<T: for<'de> Deserialize<'de>>(path: &Path, errors: &mut Vec<String>) -> anyhow::Result<Vec<(Row, T)>> {
    let file = path.display().to_string();
    let mut reader =
        csv::ReaderBuilder::new().trim(csv::Trim::All).from_path(path).with_context(|| format!("reading {file}"))?;
    let headers = reader.headers().with_context(|| format!("reading the header of {file}"))?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                errors.push(format!("{file}:{line}: {error}"));
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        match record.deserialize::<T>(Some(&headers)) {
            Ok(value) => rows.push((Row { file: file.clone(), line }, value)),
            Err(error) => errors.push(format!("{file}:{line}: {error}")),
        }
    }
    Ok(rows)
}

fn flag(value: &str, default: bool) -> Result<bool, InvalidValue> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" => Ok(default),
        "true" | "yes" | "1" | "kyllä" | "ja" => Ok(true),
        "false" | "no" | "0" | "ei" | "nej" => Ok(false),
        other => Err(InvalidValue::new("flag", format!("`{other}` is not true or false"))),
    }
}

fn keys<T: Ord>(value: &str, parse: impl Fn(&str) -> Result<T, InvalidValue>) -> Result<Vec<T>, InvalidValue> {
    Ok(normalise(value.split([' ', ',', ';']).filter(|s| !s.is_empty()).map(parse).collect::<Result<Vec<_>, _>>()?))
}

/// A municipality as `FI-091` or by name in the given country.
/// A municipality by its code, its name, or in Finland by a postal code in it (`18100`).
fn municipality(value: &str, country: Country) -> Result<&'static geography::Municipality, InvalidValue> {
    let value = value.trim();
    let postal_code = country == Country::Finland && value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit());
    let found = match value.parse::<MunicipalityCode>() {
        Ok(code) => geography::municipality(code),
        Err(_) if postal_code => geography::postal_area(value).and_then(|a| geography::municipality(a.municipality)),
        Err(_) => geography::municipality_named(country, value),
    };
    found.ok_or_else(|| InvalidValue::new("municipality", format!("no municipality `{value}` in {country}")))
}

/// `25.00 EUR` or `250 SEK`.
fn price(value: &str) -> Result<Option<Price>, InvalidValue> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let bad = || InvalidValue::new("price_per_seat_day", format!("`{value}` is not like 25.00 EUR"));
    let (amount, currency) = value.rsplit_once(' ').ok_or_else(bad)?;
    let (whole, cents) = amount.trim().split_once(['.', ',']).unwrap_or((amount.trim(), "0"));
    let cents = format!("{cents:0<2}");
    if cents.len() > 2 {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let cents: i64 = cents.parse().map_err(|_| bad())?;
    Ok(Some(Price { amount_minor: whole * 100 + cents, currency: Currency::from_code(currency)? }))
}

#[derive(Deserialize)]
struct OrganisationRow {
    code: String,
    #[serde(default)]
    name_fi: String,
    #[serde(default)]
    name_sv: String,
    #[serde(default)]
    name_en: String,
    kind: String,
    country: String,
}

#[derive(Deserialize)]
struct SiteRow {
    code: String,
    organisation: String,
    kind: String,
    #[serde(default)]
    name_fi: String,
    #[serde(default)]
    name_sv: String,
    #[serde(default)]
    name_en: String,
    address: String,
    municipality: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    time_zone: String,
    opening_hours: String,
    #[serde(default)]
    closed_on_holidays: String,
    #[serde(default)]
    access: String,
    #[serde(default)]
    registration_required: String,
    #[serde(default)]
    approval_required: String,
    #[serde(default)]
    price_per_seat_day: String,
    #[serde(default)]
    booking_horizon_days: String,
    #[serde(default)]
    terms_fi: String,
    #[serde(default)]
    terms_sv: String,
    #[serde(default)]
    terms_en: String,
}

#[derive(Deserialize)]
struct SpaceRow {
    site: String,
    floor: String,
    #[serde(default)]
    level: String,
    name: String,
    kind: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    amenities: String,
    #[serde(default)]
    accessibility: String,
    #[serde(default)]
    bookable: String,
    #[serde(default)]
    assigned_to: String,
    #[serde(default)]
    approval_required: String,
}

#[derive(Deserialize)]
struct PersonRow {
    email: String,
    name: String,
    organisation: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    home_municipality: String,
    #[serde(default)]
    roles: String,
}

impl Importer {
    async fn load(store: &dyn Store) -> anyhow::Result<Self> {
        let organisations = store
            .organisations()
            .list_organisations()
            .await?
            .into_iter()
            .map(|o| (o.code.as_str().to_owned(), o))
            .collect();
        let mut sites = HashMap::new();
        let mut after = None;
        loop {
            let page = store.sites().list_sites(Page { after, limit: 1000 }).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            sites.extend(page.into_iter().map(|s| (s.code.as_str().to_owned(), s)));
        }
        Ok(Self { batch: ImportBatch::default(), errors: Vec::new(), organisations, sites })
    }

    fn organisation(&self, code: &str) -> Result<&Organisation, InvalidValue> {
        let code = Code::parse(code, "organisation")?;
        self.organisations
            .get(code.as_str())
            .ok_or_else(|| InvalidValue::new("organisation", format!("no organisation with code `{code}`")))
    }

    fn organisations(&mut self, path: &Path) -> anyhow::Result<()> {
        for (row, r) in read::<OrganisationRow>(path, &mut self.errors)? {
            let parsed = (|| {
                let code = Code::parse(&r.code, "code")?;
                let existing = self.organisations.get(code.as_str());
                Ok::<_, InvalidValue>(Organisation {
                    id: existing.map_or_else(new_id, |o| o.id),
                    code,
                    name: LocalizedText::new(&r.name_fi, &r.name_sv, &r.name_en, "name")?,
                    kind: OrganisationKind::from_key(&r.kind)?,
                    country: r.country.parse()?,
                })
            })();
            match parsed {
                Ok(organisation) => {
                    self.organisations.insert(organisation.code.as_str().to_owned(), organisation.clone());
                    self.batch.organisations.push(organisation);
                }
                Err(e) => self.errors.push(row.error(e.field, e.reason)),
            }
        }
        Ok(())
    }

    fn sites(&mut self, path: &Path) -> anyhow::Result<()> {
        for (row, r) in read::<SiteRow>(path, &mut self.errors)? {
            match self.site(&r) {
                Ok(site) => {
                    self.sites.insert(site.code.as_str().to_owned(), site.clone());
                    self.batch.sites.push(site);
                }
                Err(e) => self.errors.push(row.error(e.field, e.reason)),
            }
        }
        Ok(())
    }

    fn site(&self, r: &SiteRow) -> Result<Site, InvalidValue> {
        let code = Code::parse(&r.code, "code")?;
        let owner = self.organisation(&r.organisation)?;
        let home = municipality(&r.municipality, owner.country)?;
        let coordinates = match (r.lat.trim(), r.lon.trim()) {
            ("", "") => home.centre,
            (lat, lon) => Coordinates::new(
                lat.parse().map_err(|_| InvalidValue::new("lat", format!("`{lat}` is not a number")))?,
                lon.parse().map_err(|_| InvalidValue::new("lon", format!("`{lon}` is not a number")))?,
            )?,
        };
        let mut access = match r.access.trim() {
            "" => AccessTerms::owner_only(),
            text => {
                let (who, listed) = text.split_once(':').unwrap_or((text, ""));
                let organisations = listed
                    .split_whitespace()
                    .map(|c| self.organisation(c).map(|o| o.id))
                    .collect::<Result<Vec<_>, _>>()?;
                AccessTerms {
                    who: WhoMayBook::from_key(who)?,
                    organisations: normalise(organisations),
                    registration_required: flag(&r.registration_required, false)?,
                    approval_required: flag(&r.approval_required, false)?,
                    terms: LocalizedText::default(),
                }
            }
        };
        access.terms = LocalizedText {
            fi: r.terms_fi.trim().to_owned(),
            sv: r.terms_sv.trim().to_owned(),
            en: r.terms_en.trim().to_owned(),
        };
        let site = Site {
            id: self.sites.get(code.as_str()).map_or_else(new_id, |s| s.id),
            code,
            kind: SiteKind::from_key(&r.kind)?,
            organisation_id: owner.id,
            name: LocalizedText::new(&r.name_fi, &r.name_sv, &r.name_en, "name")?,
            address: r.address.trim().to_owned(),
            municipality: home.code,
            coordinates,
            time_zone: if r.time_zone.trim().is_empty() {
                home.code.country().default_time_zone()
            } else {
                parse_time_zone(&r.time_zone)?
            },
            opening_hours: r.opening_hours.parse::<WeeklyHours>()?,
            closed_on_holidays: flag(&r.closed_on_holidays, true)?,
            access,
            price_per_seat_day: price(&r.price_per_seat_day)?,
            booking_horizon_days: match r.booking_horizon_days.trim() {
                "" => Site::DEFAULT_HORIZON_DAYS,
                days => days.parse().map_err(|_| InvalidValue::new("booking_horizon_days", "a number of days"))?,
            },
        };
        site.validate()?;
        Ok(site)
    }

    /// A person by email: one imported earlier in this run, or one already stored.
    async fn person(&self, store: &dyn Store, email: &Email) -> Result<Option<Person>, StoreError> {
        if let Some(person) = self.batch.people.iter().find(|p| &p.email == email) {
            return Ok(Some(person.clone()));
        }
        match store.people().person_by_email(email.as_str()).await {
            Ok(person) => Ok(Some(person)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn people(&mut self, store: &dyn Store, path: &Path) -> anyhow::Result<()> {
        let mut units: HashMap<hubnet_domain::OrganisationId, Vec<Unit>> = HashMap::new();
        for (row, r) in read::<PersonRow>(path, &mut self.errors)? {
            let email = match Email::parse(&r.email) {
                Ok(email) => email,
                Err(e) => {
                    self.errors.push(row.error(e.field, e.reason));
                    continue;
                }
            };
            if self.batch.people.iter().any(|p| p.email == email) {
                self.errors.push(row.error("email", format!("{email} appears twice in the file")));
                continue;
            }
            let existing = self.person(store, &email).await?;
            let organisation = match self.organisation(&r.organisation) {
                Ok(o) => o.clone(),
                Err(e) => {
                    self.errors.push(row.error(e.field, e.reason));
                    continue;
                }
            };
            if let std::collections::hash_map::Entry::Vacant(entry) = units.entry(organisation.id) {
                entry.insert(store.organisations().list_units(organisation.id).await?);
            }
            let org_units = units.entry(organisation.id).or_default();
            let unit = match r.unit.trim() {
                "" => None,
                name => match org_units
                    .iter()
                    .find(|u| [&u.name.fi, &u.name.sv, &u.name.en].iter().any(|n| n.eq_ignore_ascii_case(name)))
                {
                    Some(unit) => Some(unit.clone()),
                    None => match LocalizedText::same(name, "unit") {
                        Ok(text) => {
                            let unit =
                                Unit { id: new_id(), organisation_id: organisation.id, parent_id: None, name: text };
                            org_units.push(unit.clone());
                            self.batch.units.push(unit.clone());
                            Some(unit)
                        }
                        Err(e) => {
                            self.errors.push(row.error(e.field, e.reason));
                            continue;
                        }
                    },
                },
            };
            let parsed = (|| {
                let home = match r.home_municipality.trim() {
                    "" => None,
                    value => Some(municipality(value, organisation.country)?),
                };
                let person = Person {
                    id: existing.as_ref().map_or_else(new_id, |p| p.id),
                    organisation_id: organisation.id,
                    unit_id: unit.as_ref().map(|u| u.id),
                    name: parse_name(&r.name, "name")?,
                    email: email.clone(),
                    language: match r.language.trim() {
                        "" => match organisation.country {
                            Country::Finland => Language::Fi,
                            Country::Sweden => Language::Sv,
                        },
                        l => l.parse()?,
                    },
                    home_municipality: home.map(|m| m.code),
                    home: home.map(|m| m.centre),
                    active: existing.as_ref().is_none_or(|p| p.active),
                };
                let mut roles = Vec::new();
                for role in r.roles.split_whitespace() {
                    roles.push(match role.split_once(':') {
                        None if role == "platform_admin" => Role::PlatformAdmin,
                        None if role == "org_admin" => Role::OrgAdmin { organisation_id: organisation.id },
                        None if role == "analyst" => Role::Analyst { organisation_id: organisation.id },
                        None if role == "hr" => Role::Hr { organisation_id: organisation.id },
                        Some(("site_host", code)) => {
                            let code = Code::parse(code, "roles")?;
                            let site = self
                                .sites
                                .get(code.as_str())
                                .ok_or_else(|| InvalidValue::new("roles", format!("no site with code `{code}`")))?;
                            Role::SiteHost { site_id: site.id }
                        }
                        _ => {
                            return Err(InvalidValue::new(
                                "roles",
                                format!("`{role}` is not platform_admin, org_admin, analyst, hr or site_host:SITE"),
                            ));
                        }
                    });
                }
                Ok::<_, InvalidValue>((person, roles))
            })();
            match parsed {
                Ok((person, roles)) => {
                    self.batch.roles.extend(roles.into_iter().map(|role| RoleGrant { person_id: person.id, role }));
                    self.batch.people.push(person);
                }
                Err(e) => self.errors.push(row.error(e.field, e.reason)),
            }
        }
        Ok(())
    }

    async fn spaces(&mut self, store: &dyn Store, path: &Path) -> anyhow::Result<()> {
        let rows = read::<SpaceRow>(path, &mut self.errors)?;
        // The floors and spaces already stored at the sites the file names, by name.
        let mut floors: HashMap<(hubnet_domain::SiteId, String), Floor> = HashMap::new();
        let mut spaces: HashMap<(hubnet_domain::FloorId, String), Space> = HashMap::new();
        let mut loaded = std::collections::HashSet::new();
        for (_, r) in &rows {
            let Some(site) = self.sites.get(&r.site.trim().to_ascii_lowercase()) else {
                continue;
            };
            if !loaded.insert(site.id) {
                continue;
            }
            for floor in store.sites().list_floors(site.id).await? {
                for name in [&floor.name.fi, &floor.name.sv, &floor.name.en] {
                    floors.insert((site.id, name.to_lowercase()), floor.clone());
                }
            }
            for space in store.sites().list_spaces(site.id).await? {
                spaces.insert((space.floor_id, space.name.to_lowercase()), space);
            }
        }
        for (row, r) in rows {
            let assigned_to = match r.assigned_to.trim() {
                "" => None,
                email => match Email::parse(email) {
                    Ok(email) => {
                        let Some(person) = self.person(store, &email).await? else {
                            self.errors.push(row.error("assigned_to", format!("nobody has the email {email}")));
                            continue;
                        };
                        Some(person.id)
                    }
                    Err(e) => {
                        self.errors.push(row.error("assigned_to", e.reason));
                        continue;
                    }
                },
            };
            let parsed = (|| {
                let site_code = Code::parse(&r.site, "site")?;
                let site = self
                    .sites
                    .get(site_code.as_str())
                    .ok_or_else(|| InvalidValue::new("site", format!("no site with code `{site_code}`")))?;
                let level: i16 = match r.level.trim() {
                    "" => 0,
                    l => l.parse().map_err(|_| InvalidValue::new("level", format!("`{l}` is not a floor number")))?,
                };
                let key = (site.id, r.floor.trim().to_lowercase());
                let (floor, new_floor) = if let Some(floor) = floors.get(&key) {
                    (floor.clone(), false)
                } else {
                    let name = LocalizedText::same(&r.floor, "floor")?;
                    (Floor { id: new_id(), site_id: site.id, name, level }, true)
                };
                let name = parse_name(&r.name, "name")?;
                let space = Space {
                    id: spaces.get(&(floor.id, name.to_lowercase())).map_or_else(new_id, |s| s.id),
                    site_id: site.id,
                    floor_id: floor.id,
                    kind: SpaceKind::from_key(&r.kind)?,
                    name,
                    capacity: match r.capacity.trim() {
                        "" => 1,
                        c => c.parse().map_err(|_| InvalidValue::new("capacity", format!("`{c}` is not a number")))?,
                    },
                    amenities: keys(&r.amenities, Amenity::from_key)?,
                    accessibility: keys(&r.accessibility, AccessibilityFeature::from_key)?,
                    bookable: flag(&r.bookable, assigned_to.is_none())?,
                    assigned_to,
                    approval_required: flag(&r.approval_required, false)?,
                };
                space.validate()?;
                Ok::<_, InvalidValue>((key, floor, new_floor, space))
            })();
            match parsed {
                Ok((key, floor, new_floor, space)) => {
                    if new_floor {
                        floors.insert(key, floor.clone());
                        self.batch.floors.push(floor);
                    }
                    let space_key = (space.floor_id, space.name.to_lowercase());
                    if self.batch.spaces.iter().any(|s| s.id == space.id) {
                        self.errors
                            .push(row.error("name", format!("space {} appears twice on this floor", space.name)));
                        continue;
                    }
                    spaces.insert(space_key, space.clone());
                    self.batch.spaces.push(space);
                }
                Err(e) => self.errors.push(row.error(e.field, e.reason)),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prices_in_either_currency() {
        assert_eq!(price("25.00 EUR").unwrap(), Some(Price { amount_minor: 2500, currency: Currency::Eur }));
        assert_eq!(price("250 SEK").unwrap(), Some(Price { amount_minor: 25000, currency: Currency::Sek }));
        assert_eq!(price("12,5 EUR").unwrap(), Some(Price { amount_minor: 1250, currency: Currency::Eur }));
        assert_eq!(price("").unwrap(), None);
        assert!(price("25 USD").is_err());
        assert!(price("25.001 EUR").is_err());
    }

    #[test]
    fn reads_municipalities_by_code_or_name() {
        assert_eq!(municipality("FI-111", Country::Finland).unwrap().name(), "Heinola");
        assert_eq!(municipality("Östersund", Country::Sweden).unwrap().code.to_string(), "SE-2380");
        assert!(municipality("Atlantis", Country::Finland).is_err());
        // A Finnish postal code gives its municipality; only the municipality is kept.
        assert_eq!(municipality("18100", Country::Finland).unwrap().code.to_string(), "FI-111");
        assert!(municipality("12345", Country::Finland).is_err());
        assert!(municipality("18100", Country::Sweden).is_err());
    }
}
