//! The demo's organisations and places: six organisations with their units, and their sites with
//! floors, desks, rooms and access terms. Everything else in the demo (people, roles, bookings)
//! happens in these places.

use hubnet_domain::money::Currency;
use hubnet_domain::org::Code;
use hubnet_domain::{
    AccessTerms, AccessibilityFeature, Amenity, Country, Floor, LocalizedText, Organisation, OrganisationKind, Price,
    Site, SiteKind, Space, SpaceKind, Unit, WeeklyHours,
};

use crate::geography::Municipality;

use super::names::ascii;
use super::{Builder, fi, hours, id, se, text};

/// A site being built, with what the booking generator needs to know about it.
pub(super) struct SiteSpec {
    pub(super) site: Site,
    /// Indices into the batch's spaces.
    pub(super) desks: Vec<usize>,
    pub(super) rooms: Vec<usize>,
}

/// The demo's organisations and their units.
pub(super) struct Organisations {
    /// The State Digital Office, a Finnish state agency with offices in six cities.
    pub(super) vdt: Organisation,
    /// State Premises, which runs the shared Work 2.0 Lab.
    pub(super) premises: Organisation,
    pub(super) heinola: Organisation,
    pub(super) region: Organisation,
    /// The provider of the eight Jämtland hubs.
    pub(super) jamthubs: Organisation,
    /// The provider of the four Finnish hubs.
    pub(super) yhteistila: Organisation,
    pub(super) vdt_units: [Unit; 4],
    pub(super) region_units: [Unit; 3],
    pub(super) heinola_units: [Unit; 2],
}

/// The demo's sites that people work at and book.
pub(super) struct Sites {
    /// The State Digital Office's offices; the head office in Helsinki first.
    pub(super) offices: Vec<SiteSpec>,
    pub(super) lab: SiteSpec,
    pub(super) town_hall: SiteSpec,
    pub(super) region_house: SiteSpec,
    pub(super) hospital: SiteSpec,
    /// One in each of Region Jämtland Härjedalen's eight municipalities.
    pub(super) region_hubs: Vec<SiteSpec>,
    pub(super) fi_hubs: Vec<SiteSpec>,
}

/// The organisations, then their units.
pub(super) fn organisations(b: &mut Builder) -> anyhow::Result<Organisations> {
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
    Ok(Organisations { vdt, premises, heinola, region, jamthubs, yhteistila, vdt_units, region_units, heinola_units })
}

/// The sites, in the order their ids are drawn.
pub(super) fn sites(b: &mut Builder, organisations: &Organisations) -> anyhow::Result<Sites> {
    let offices = agency_offices(b, &organisations.vdt)?;
    let lab = work_lab(b, &organisations.premises)?;
    let town_hall = heinola_sites(b, &organisations.heinola)?;
    let (region_house, hospital) = region_offices(b, &organisations.region)?;
    let region_hubs = jamtland_hubs(b, &organisations.jamthubs)?;
    let fi_hubs = finnish_hubs(b, &organisations.yhteistila)?;
    Ok(Sites { offices, lab, town_hall, region_house, hospital, region_hubs, fi_hubs })
}

/// The rooms on each floor of the agency's offices.
const ROOMS_FI: &[(&str, SpaceKind, u16)] = &[
    ("Päijänne", SpaceKind::MeetingRoom, 8),
    ("Saimaa", SpaceKind::MeetingRoom, 4),
    ("Hiljainen 1", SpaceKind::QuietRoom, 1),
];
/// The rooms on each floor of the region's offices.
const ROOMS_SE: &[(&str, SpaceKind, u16)] = &[
    ("Storsjön", SpaceKind::MeetingRoom, 8),
    ("Åreskutan", SpaceKind::MeetingRoom, 4),
    ("Tyst rum", SpaceKind::QuietRoom, 1),
];

/// The agency's offices, one in each of six cities; the head office in Helsinki first.
fn agency_offices(b: &mut Builder, vdt: &Organisation) -> anyhow::Result<Vec<SiteSpec>> {
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
            vdt,
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
            b.floor(&mut spec, level, if floors > 1 { 30 } else { 28 }, ROOMS_FI)?;
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
    Ok(offices)
}

/// The shared Work 2.0 Lab in Helsinki.
fn work_lab(b: &mut Builder, premises: &Organisation) -> anyhow::Result<SiteSpec> {
    let mut lab = b.site(
        premises,
        "tyo20-lab",
        SiteKind::SharedOffice,
        text("Työ 2.0 -labra", "Arbete 2.0-labbet", "Work 2.0 Lab")?,
        "Ratapihantie 9, 00520 Helsinki",
        fi("091")?,
        hours("07:00", "20:00")?,
        AccessTerms { registration_required: true, terms: lab_terms(), ..AccessTerms::network() },
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
    Ok(lab)
}

/// The City of Heinola: its town hall, returned, and a service point.
fn heinola_sites(b: &mut Builder, heinola: &Organisation) -> anyhow::Result<SiteSpec> {
    let mut town_hall = b.site(
        heinola,
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
        heinola,
        "heinola-asiointipiste",
        SiteKind::ServicePoint,
        text("Heinolan asiointipiste", "Heinola servicepunkt", "Heinola Service Point")?,
        "Kauppakatu 10, 18100 Heinola",
        fi("111")?,
        hours("09:00", "16:00")?,
        AccessTerms::network(),
        None,
    )?;
    b.floor(
        &mut service_point,
        0,
        4,
        &[("Asiointihuone 1", SpaceKind::MeetingRoom, 3), ("Etäasiointi", SpaceKind::QuietRoom, 1)],
    )?;
    Ok(town_hall)
}

/// Region Jämtland Härjedalen's offices in Östersund: the region house and the hospital's
/// administration.
fn region_offices(b: &mut Builder, region: &Organisation) -> anyhow::Result<(SiteSpec, SiteSpec)> {
    let ostersund = se("2380")?;
    let mut region_house = b.site(
        region,
        "regionens-hus",
        SiteKind::OwnOffice,
        text("Regionens hus, Östersund", "Regionens hus, Östersund", "Region House, Östersund")?,
        "Kyrkgatan 12, 831 31 Östersund",
        ostersund,
        hours("07:00", "18:00")?,
        AccessTerms::owner_only(),
        None,
    )?;
    b.floor(&mut region_house, 1, 30, ROOMS_SE)?;
    b.floor(&mut region_house, 2, 30, ROOMS_SE)?;
    let mut hospital = b.site(
        region,
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
    b.floor(&mut hospital, 3, 20, &ROOMS_SE[..2])?;
    Ok((region_house, hospital))
}

/// A co-working hub in each of the region's eight municipalities, bought per seat-day.
fn jamtland_hubs(b: &mut Builder, jamthubs: &Organisation) -> anyhow::Result<Vec<SiteSpec>> {
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
            jamthubs,
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
            AccessTerms::network(),
            Some(sek(250)),
        )?;
        b.floor(&mut hub, 1, if code == "2380" { 14 } else { 8 }, &[("Mötesrum", SpaceKind::MeetingRoom, 6)])?;
        region_hubs.push(hub);
    }
    Ok(region_hubs)
}

/// Finnish co-working hubs.
fn finnish_hubs(b: &mut Builder, yhteistila: &Organisation) -> anyhow::Result<Vec<SiteSpec>> {
    let mut fi_hubs = Vec::new();
    for (code, city) in [("398", "Lahti"), ("286", "Kouvola"), ("491", "Mikkeli"), ("109", "Hämeenlinna")] {
        let mut hub = b.site(
            yhteistila,
            &format!("yhteistila-{}", ascii(city)),
            SiteKind::CoworkingHub,
            text(&format!("Yhteistila {city}"), &format!("Yhteistila {city}"), &format!("Yhteistila {city}"))?,
            &format!("Kauppakatu 1, {city}"),
            fi(code)?,
            hours("07:00", "19:00")?,
            AccessTerms::network(),
            Some(eur(25)),
        )?;
        b.floor(&mut hub, 1, 12, &[("Neuvotteluhuone", SpaceKind::MeetingRoom, 6)])?;
        fi_hubs.push(hub);
    }
    Ok(fi_hubs)
}

fn eur(euros: i64) -> Price {
    Price { amount_minor: euros * 100, currency: Currency::Eur }
}

fn sek(kronor: i64) -> Price {
    Price { amount_minor: kronor * 100, currency: Currency::Sek }
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
}
