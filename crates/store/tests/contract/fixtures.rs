//! A small network to test against: two organisations, a shared office with one floor and a
//! few spaces, and people in each organisation.

use chrono::{DateTime, Duration, TimeZone, Utc};
use hubnet_domain::org::Code;
use hubnet_domain::{
    AccessTerms, Booking, BookingId, BookingStatus, Coordinates, Country, Email, Floor, FloorId, Language,
    LocalizedText, Organisation, OrganisationKind, Person, PersonId, Site, SiteKind, Space, SpaceKind, TimeRange, Unit,
    UnitId, WeeklyHours,
};
use hubnet_store::{NewBooking, Store};
use uuid::Uuid;

pub fn new_id<T: From<Uuid>>() -> T {
    T::from(Uuid::now_v7())
}

pub struct Network {
    pub agency: Organisation,
    pub region: Organisation,
    pub unit: Unit,
    pub anna: Person,
    pub bertil: Person,
    pub site: Site,
    pub floor: Floor,
    pub desks: Vec<Space>,
    pub parking: Space,
}

pub fn organisation(code: &str, country: Country) -> Organisation {
    Organisation {
        id: new_id(),
        code: Code::parse(code, "code").unwrap(),
        name: LocalizedText::same(code, "name").unwrap(),
        kind: OrganisationKind::StateAgency,
        country,
    }
}

pub fn person(organisation: &Organisation, email: &str) -> Person {
    Person {
        id: new_id(),
        organisation_id: organisation.id,
        unit_id: None,
        name: email.split('@').next().unwrap().to_owned(),
        email: Email::parse(email).unwrap(),
        language: Language::Fi,
        home_municipality: Some("FI-111".parse().unwrap()),
        home: Some(Coordinates::new(61.2, 26.04).unwrap()),
        active: true,
    }
}

pub fn site(owner: &Organisation, code: &str, lat: f64, lon: f64) -> Site {
    Site {
        id: new_id(),
        code: Code::parse(code, "code").unwrap(),
        kind: SiteKind::SharedOffice,
        organisation_id: owner.id,
        name: LocalizedText::new("Työ 2.0 -labra", "Arbete 2.0-labbet", "Work 2.0 Lab", "name").unwrap(),
        address: "Mannerheimintie 1, Helsinki".into(),
        municipality: "FI-091".parse().unwrap(),
        coordinates: Coordinates::new(lat, lon).unwrap(),
        time_zone: chrono_tz::Europe::Helsinki,
        opening_hours: WeeklyHours::weekdays("07:00".parse().unwrap(), "20:00".parse().unwrap()).unwrap(),
        closed_on_holidays: true,
        access: AccessTerms::network(),
        price_per_seat_day: None,
        booking_horizon_days: 60,
    }
}

pub fn space(site: &Site, floor: &Floor, name: &str, kind: SpaceKind) -> Space {
    Space {
        id: new_id(),
        site_id: site.id,
        floor_id: floor.id,
        kind,
        name: name.into(),
        capacity: 1,
        amenities: vec![hubnet_domain::Amenity::Screen, hubnet_domain::Amenity::DockingStation],
        accessibility: vec![],
        bookable: true,
        assigned_to: None,
        approval_required: false,
    }
}

pub async fn network(store: &dyn Store) -> Network {
    let agency = organisation("dvv", Country::Finland);
    let region = organisation("regionjh", Country::Sweden);
    store.organisations().save_organisation(&agency).await.unwrap();
    store.organisations().save_organisation(&region).await.unwrap();
    let unit = Unit {
        id: new_id::<UnitId>(),
        organisation_id: agency.id,
        parent_id: None,
        name: LocalizedText::same("IT", "name").unwrap(),
    };
    store.organisations().save_unit(&unit).await.unwrap();
    let mut anna = person(&agency, "anna@dvv.example");
    anna.unit_id = Some(unit.id);
    let bertil = person(&region, "bertil@regionjh.example");
    store.people().save_person(&anna).await.unwrap();
    store.people().save_person(&bertil).await.unwrap();
    let site = site(&agency, "lab", 60.1699, 24.9384);
    store.sites().save_site(&site).await.unwrap();
    let floor =
        Floor { id: new_id::<FloorId>(), site_id: site.id, name: LocalizedText::same("1", "name").unwrap(), level: 1 };
    store.sites().save_floor(&floor).await.unwrap();
    let mut desks = Vec::new();
    for n in 1..=3 {
        let desk = space(&site, &floor, &format!("A{n}"), SpaceKind::Desk);
        store.sites().save_space(&desk).await.unwrap();
        desks.push(desk);
    }
    let mut parking = space(&site, &floor, "P1", SpaceKind::Parking);
    parking.amenities = vec![hubnet_domain::Amenity::EvCharging];
    store.sites().save_space(&parking).await.unwrap();
    Network { agency, region, unit, anna, bertil, site, floor, desks, parking }
}

/// 2030-03-05 (a Tuesday) at `hour`:00 Helsinki time.
pub fn at(hour: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Helsinki.with_ymd_and_hms(2030, 3, 5, hour, 0, 0).unwrap().with_timezone(&Utc)
}

pub fn range(from: u32, to: u32) -> TimeRange {
    TimeRange::new(at(from), at(to)).unwrap()
}

pub fn booking(space: &Space, person: PersonId, range: TimeRange) -> NewBooking {
    NewBooking {
        id: new_id::<BookingId>(),
        space_id: space.id,
        site_id: space.site_id,
        space_kind: space.kind,
        person_id: person,
        created_by: person,
        range,
        status: BookingStatus::Confirmed,
        created_at: at(6) - Duration::days(1),
        awaits_organisation: false,
    }
}

pub fn past_booking(space: &Space, person: PersonId, range: TimeRange) -> Booking {
    booking(space, person, range).into_booking()
}
