//! Organisations, units, people, sites, floors, spaces and the all-or-nothing import.

use hubnet_domain::{Floor, FloorId, LocalizedText, Price, Unit, UnitId, WhoMayBook};
use hubnet_store::{ImportBatch, Page, StoreError};

use crate::contract;
use crate::fixtures::*;

contract!(saves_and_reads_back_the_whole_network, |store| {
    let net = network(store.as_ref()).await;
    assert_eq!(store.organisations().get_organisation(net.agency.id).await.unwrap(), net.agency);
    assert_eq!(store.organisations().list_organisations().await.unwrap().len(), 2);
    assert_eq!(store.organisations().get_unit(net.unit.id).await.unwrap(), net.unit);
    assert_eq!(store.people().get_person(net.anna.id).await.unwrap(), net.anna);
    assert_eq!(store.people().person_by_email("ANNA@dvv.example ").await.unwrap().id, net.anna.id);
    assert_eq!(store.sites().get_site(net.site.id).await.unwrap(), net.site);
    assert_eq!(store.sites().get_floor(net.floor.id).await.unwrap(), net.floor);
    let spaces = store.sites().list_spaces(net.site.id).await.unwrap();
    assert_eq!(spaces.len(), 4);
    assert_eq!(store.sites().get_space(net.parking.id).await.unwrap(), net.parking);
    assert!(!store.is_empty().await.unwrap());
});

contract!(an_empty_store_says_so, |store| {
    assert!(store.is_empty().await.unwrap());
    assert!(matches!(store.sites().get_site(new_id()).await, Err(StoreError::NotFound)));
});

contract!(keeps_access_terms_prices_and_hours_of_a_site, |store| {
    let net = network(store.as_ref()).await;
    let mut site = net.site.clone();
    site.access.who = WhoMayBook::Listed;
    site.access.organisations = vec![net.region.id];
    site.access.registration_required = true;
    site.price_per_seat_day = Some(Price { amount_minor: 2500, currency: hubnet_domain::money::Currency::Eur });
    site.opening_hours.sat =
        Some(hubnet_domain::DayHours::new("10:00".parse().unwrap(), "14:00".parse().unwrap()).unwrap());
    store.sites().save_site(&site).await.unwrap();
    assert_eq!(store.sites().get_site(site.id).await.unwrap(), site);
    // Replacing the list removes organisations no longer on it.
    site.access.who = WhoMayBook::Network;
    site.access.organisations.clear();
    store.sites().save_site(&site).await.unwrap();
    assert_eq!(store.sites().get_site(site.id).await.unwrap().access.organisations, vec![]);
});

contract!(refuses_a_second_organisation_with_the_same_code, |store| {
    let net = network(store.as_ref()).await;
    let mut copy = organisation("dvv", net.agency.country);
    copy.code = net.agency.code.clone();
    assert!(matches!(store.organisations().save_organisation(&copy).await, Err(StoreError::Duplicate("code"))));
});

contract!(refuses_a_second_person_with_the_same_email, |store| {
    let net = network(store.as_ref()).await;
    let twin = person(&net.region, "anna@dvv.example");
    assert!(matches!(store.people().save_person(&twin).await, Err(StoreError::Duplicate("email"))));
    assert_eq!(store.people().person_by_email("anna@dvv.example").await.unwrap().id, net.anna.id);
});

contract!(refuses_a_unit_from_another_organisation, |store| {
    let net = network(store.as_ref()).await;
    let mut bertil = net.bertil.clone();
    bertil.unit_id = Some(net.unit.id); // a unit of the agency, not of the region
    assert!(matches!(store.people().save_person(&bertil).await, Err(StoreError::MissingReference)));
    assert_eq!(store.people().get_person(bertil.id).await.unwrap().unit_id, None);
});

contract!(keeps_units_a_tree, |store| {
    let net = network(store.as_ref()).await;
    let child = Unit {
        id: new_id::<UnitId>(),
        organisation_id: net.agency.id,
        parent_id: Some(net.unit.id),
        name: LocalizedText::same("Operations", "name").unwrap(),
    };
    store.organisations().save_unit(&child).await.unwrap();
    let mut root = net.unit.clone();
    root.parent_id = Some(child.id);
    assert!(matches!(store.organisations().save_unit(&root).await, Err(StoreError::Invalid(_))));
    assert_eq!(store.organisations().get_unit(root.id).await.unwrap().parent_id, None);
    assert_eq!(store.organisations().list_units(net.agency.id).await.unwrap().len(), 2);
});

contract!(refuses_a_space_on_a_floor_of_another_site, |store| {
    let net = network(store.as_ref()).await;
    let other = site(&net.agency, "other", 60.2, 24.9);
    store.sites().save_site(&other).await.unwrap();
    let mut stray = space(&other, &net.floor, "X1", hubnet_domain::SpaceKind::Desk);
    stray.site_id = other.id;
    assert!(matches!(store.sites().save_space(&stray).await, Err(StoreError::MissingReference)));
    let mut moved = net.floor.clone();
    moved.site_id = other.id;
    assert!(matches!(store.sites().save_floor(&moved).await, Err(StoreError::MissingReference)));
});

contract!(refuses_two_spaces_of_one_name_on_a_floor, |store| {
    let net = network(store.as_ref()).await;
    let twin = space(&net.site, &net.floor, "A1", hubnet_domain::SpaceKind::Desk);
    assert!(matches!(store.sites().save_space(&twin).await, Err(StoreError::Duplicate("name"))));
});

contract!(finds_sites_in_a_box_and_pages_through_sites_and_people, |store| {
    let net = network(store.as_ref()).await;
    let north = site(&net.region, "ostersund", 63.1792, 14.6357);
    store.sites().save_site(&north).await.unwrap();
    let (min, max) = net.site.coordinates.bounding_box(50.0);
    let near: Vec<_> = store.sites().sites_in_box(min, max).await.unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(near, vec![net.site.id]);
    let first = store.sites().list_sites(Page { after: None, limit: 1 }).await.unwrap();
    let second = store.sites().list_sites(Page { after: Some(first[0].id), limit: 10 }).await.unwrap();
    assert_eq!(first.len() + second.len(), 2);
    assert_ne!(first[0].id, second[0].id);
    let people = store.people().list_people(net.agency.id, Page { after: None, limit: 10 }).await.unwrap();
    assert_eq!(people.iter().map(|p| p.id).collect::<Vec<_>>(), vec![net.anna.id]);
});

contract!(imports_everything_or_nothing, |store| {
    let net = network(store.as_ref()).await;
    let newcomer = organisation("heinola", hubnet_domain::Country::Finland);
    let office = site(&newcomer, "heinola-office", 61.2, 26.03);
    let floor = Floor {
        id: new_id::<FloorId>(),
        site_id: office.id,
        name: LocalizedText::same("0", "name").unwrap(),
        level: 0,
    };
    let desk = space(&office, &floor, "H1", hubnet_domain::SpaceKind::Desk);
    let worker = person(&newcomer, "veikko@heinola.example");
    let mut batch = ImportBatch {
        organisations: vec![newcomer.clone()],
        people: vec![worker.clone()],
        sites: vec![office.clone()],
        floors: vec![floor.clone()],
        spaces: vec![desk.clone()],
        bookings: vec![
            past_booking(&desk, worker.id, range(8, 12)),
            // Overlaps the first: the whole import must be refused.
            past_booking(&desk, net.anna.id, range(10, 14)),
        ],
        ..ImportBatch::default()
    };
    assert!(matches!(store.import().import(&batch).await, Err(StoreError::Booking(_))));
    assert!(matches!(store.organisations().get_organisation(newcomer.id).await, Err(StoreError::NotFound)));
    assert!(matches!(store.people().person_by_email("veikko@heinola.example").await, Err(StoreError::NotFound)));
    assert!(matches!(store.sites().get_site(office.id).await, Err(StoreError::NotFound)));

    batch.bookings.pop();
    store.import().import(&batch).await.unwrap();
    assert_eq!(store.sites().get_site(office.id).await.unwrap(), office);
    assert_eq!(store.sites().list_spaces(office.id).await.unwrap(), vec![desk]);
    // Importing again updates in place rather than failing.
    batch.bookings.clear();
    batch.people[0].name = "Veikko H.".into();
    store.import().import(&batch).await.unwrap();
    assert_eq!(store.people().get_person(worker.id).await.unwrap().name, "Veikko H.");
});
