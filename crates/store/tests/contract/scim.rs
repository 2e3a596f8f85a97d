//! SCIM provisioning: tokens, provisioned people and units, and what deactivation ends. Every
//! method is confined to one organisation.

use chrono::{Duration, Utc};
use hubnet_domain::{BookingStatus, LocalizedText, Person, Unit, UnitId};
use hubnet_store::scim::{Members, PersonMatch, ProvisionedPerson};
use hubnet_store::{NewSession, StoreError};

use crate::contract;
use crate::fixtures::*;

fn provisioned(person: Person, external_id: Option<&str>) -> ProvisionedPerson {
    ProvisionedPerson {
        person,
        external_id: external_id.map(str::to_owned),
        given_name: Some("Given".into()),
        family_name: Some("Family".into()),
        updated_at: Utc::now(),
    }
}

fn unit(organisation: &hubnet_domain::Organisation, name: &str) -> Unit {
    Unit {
        id: new_id::<UnitId>(),
        organisation_id: organisation.id,
        parent_id: None,
        name: LocalizedText::same(name, "name").unwrap(),
    }
}

contract!(one_scim_token_per_organisation_and_a_new_one_replaces_the_old, |store| {
    let net = network(store.as_ref()).await;
    assert!(matches!(store.scim().scim_organisation(&[1; 32]).await, Err(StoreError::NotFound)));
    store.scim().set_scim_token(net.agency.id, &[1; 32], Utc::now()).await.unwrap();
    store.scim().set_scim_token(net.region.id, &[2; 32], Utc::now()).await.unwrap();
    assert_eq!(store.scim().scim_organisation(&[1; 32]).await.unwrap(), net.agency.id);
    assert_eq!(store.scim().scim_organisation(&[2; 32]).await.unwrap(), net.region.id);
    store.scim().set_scim_token(net.agency.id, &[3; 32], Utc::now()).await.unwrap();
    assert!(matches!(store.scim().scim_organisation(&[1; 32]).await, Err(StoreError::NotFound)));
    assert_eq!(store.scim().scim_organisation(&[3; 32]).await.unwrap(), net.agency.id);
    // Another organisation's secret cannot be taken over.
    assert!(matches!(
        store.scim().set_scim_token(net.agency.id, &[2; 32], Utc::now()).await,
        Err(StoreError::Duplicate(_))
    ));
    store.scim().delete_scim_token(net.agency.id).await.unwrap();
    assert!(matches!(store.scim().scim_organisation(&[3; 32]).await, Err(StoreError::NotFound)));
    assert!(matches!(store.scim().delete_scim_token(net.agency.id).await, Err(StoreError::NotFound)));
    assert_eq!(store.scim().scim_organisation(&[2; 32]).await.unwrap(), net.region.id);
});

contract!(lists_and_filters_only_the_organisations_own_people_page_by_page, |store| {
    let net = network(store.as_ref()).await;
    let mut made = Vec::new();
    for n in 0..4 {
        let p = provisioned(person(&net.agency, &format!("p{n}@dvv.example")), Some(&format!("oid-{n}")));
        made.push(store.scim().create_scim_person(&p, at(7)).await.unwrap());
    }
    assert_eq!(made[0].external_id.as_deref(), Some("oid-0"));
    assert_eq!(made[0].given_name.as_deref(), Some("Given"));
    // Anna and the four; Bertil is the region's.
    let all = store.scim().scim_people(net.agency.id, &PersonMatch::All, 0, 100).await.unwrap();
    assert_eq!(all.total, 5);
    assert!(all.people.iter().all(|p| p.person.organisation_id == net.agency.id));
    let page = store.scim().scim_people(net.agency.id, &PersonMatch::All, 2, 2).await.unwrap();
    assert_eq!(page.total, 5);
    let ids: Vec<_> = page.people.iter().map(|p| p.person.id).collect();
    assert_eq!(ids, all.people[2..4].iter().map(|p| p.person.id).collect::<Vec<_>>());
    assert!(store.scim().scim_people(net.agency.id, &PersonMatch::All, 5, 2).await.unwrap().people.is_empty());

    let by_email =
        store.scim().scim_people(net.agency.id, &PersonMatch::Email(" P2@DVV.example".into()), 0, 10).await.unwrap();
    assert_eq!((by_email.total, by_email.people[0].person.id), (1, made[2].person.id));
    let by_external =
        store.scim().scim_people(net.agency.id, &PersonMatch::ExternalId("oid-3".into()), 0, 10).await.unwrap();
    assert_eq!(by_external.people[0].person.id, made[3].person.id);
    // externalId is compared exactly.
    let wrong_case =
        store.scim().scim_people(net.agency.id, &PersonMatch::ExternalId("OID-3".into()), 0, 10).await.unwrap();
    assert_eq!(wrong_case.total, 0);
    // The region sees none of them, even by their exact attributes.
    let theirs =
        store.scim().scim_people(net.region.id, &PersonMatch::Email("p2@dvv.example".into()), 0, 10).await.unwrap();
    assert_eq!(theirs.total, 0);
    assert!(matches!(store.scim().scim_person(net.region.id, made[2].person.id).await, Err(StoreError::NotFound)));
    assert_eq!(store.scim().scim_person(net.agency.id, made[2].person.id).await.unwrap().person, made[2].person);
});

contract!(emails_are_unique_everywhere_and_external_ids_within_an_organisation, |store| {
    let net = network(store.as_ref()).await;
    let taken = provisioned(person(&net.region, "anna@dvv.example"), None);
    assert!(matches!(store.scim().create_scim_person(&taken, at(7)).await, Err(StoreError::Duplicate("email"))));
    let first = provisioned(person(&net.agency, "x@dvv.example"), Some("same"));
    store.scim().create_scim_person(&first, at(7)).await.unwrap();
    let second = provisioned(person(&net.agency, "y@dvv.example"), Some("same"));
    assert!(matches!(store.scim().create_scim_person(&second, at(7)).await, Err(StoreError::Duplicate("external_id"))));
    assert!(matches!(store.people().person_by_email("y@dvv.example").await, Err(StoreError::NotFound)));
    // The same external id in another organisation is another person.
    store
        .scim()
        .create_scim_person(&provisioned(person(&net.region, "y@regionjh.example"), Some("same")), at(7))
        .await
        .unwrap();
});

contract!(deactivation_signs_out_everywhere_and_cancels_only_bookings_to_come, |store| {
    let net = network(store.as_ref()).await;
    let hash = [5u8; 32];
    store.tokens().create_token(new_id(), net.anna.id, &hash, "cli", Utc::now()).await.unwrap();
    store
        .sign_in()
        .create_session(&NewSession {
            token_hash: [6; 32],
            person_id: net.anna.id,
            csrf_token: "c".into(),
            created_at: Utc::now(),
            expires_at: Utc::now() + Duration::hours(1),
        })
        .await
        .unwrap();
    let under_way = store.bookings().book(booking(&net.desks[0], net.anna.id, range(8, 10))).await.unwrap();
    let to_come = store.bookings().book(booking(&net.desks[0], net.anna.id, range(12, 14))).await.unwrap();
    let parking = store.bookings().book(booking(&net.parking, net.anna.id, range(12, 14))).await.unwrap();
    let colleagues = store.bookings().book(booking(&net.desks[1], net.bertil.id, range(12, 14))).await.unwrap();

    let mut anna = store.scim().scim_person(net.agency.id, net.anna.id).await.unwrap();
    anna.person.active = false;
    anna.person.name = "Anna Virtanen".into();
    let outcome = store.scim().update_scim_person(&anna, at(9)).await.unwrap();
    assert_eq!(outcome.cancelled_bookings, 2);
    assert!(matches!(store.tokens().principal_by_token(&hash).await, Err(StoreError::NotFound)));
    assert!(matches!(store.sign_in().session(&[6; 32], Utc::now()).await, Err(StoreError::NotFound)));
    let status = |id| {
        let store = store.clone();
        async move { store.bookings().get_booking(id).await.unwrap().status }
    };
    assert_eq!(status(under_way.id).await, BookingStatus::Confirmed);
    assert_eq!(status(to_come.id).await, BookingStatus::Cancelled);
    assert_eq!(status(parking.id).await, BookingStatus::Cancelled);
    assert_eq!(status(colleagues.id).await, BookingStatus::Confirmed);
    let stored = store.people().get_person(net.anna.id).await.unwrap();
    assert_eq!((stored.active, stored.name.as_str(), stored.unit_id), (false, "Anna Virtanen", Some(net.unit.id)));

    // Back again: she may sign in, but neither her token nor her bookings return.
    anna.person.active = true;
    assert_eq!(store.scim().update_scim_person(&anna, at(10)).await.unwrap().cancelled_bookings, 0);
    assert_eq!(store.people().principal_of(net.anna.id).await.unwrap().person.id, net.anna.id);
    assert!(matches!(store.tokens().principal_by_token(&hash).await, Err(StoreError::NotFound)));
    assert_eq!(status(to_come.id).await, BookingStatus::Cancelled);
});

contract!(an_organisation_cannot_update_or_delete_another_ones_people, |store| {
    let net = network(store.as_ref()).await;
    let mut bertil = store.scim().scim_person(net.region.id, net.bertil.id).await.unwrap();
    bertil.person.organisation_id = net.agency.id;
    bertil.person.active = false;
    assert!(matches!(store.scim().update_scim_person(&bertil, at(9)).await, Err(StoreError::NotFound)));
    assert!(matches!(
        store.scim().delete_scim_person(net.agency.id, net.bertil.id, at(9)).await,
        Err(StoreError::NotFound)
    ));
    let unchanged = store.people().get_person(net.bertil.id).await.unwrap();
    assert!(unchanged.active);
    assert_eq!(unchanged.organisation_id, net.region.id);
});

contract!(a_deleted_person_is_hidden_and_comes_back_when_provisioned_again, |store| {
    let net = network(store.as_ref()).await;
    let to_come = store.bookings().book(booking(&net.desks[0], net.anna.id, range(12, 14))).await.unwrap();
    let outcome = store.scim().delete_scim_person(net.agency.id, net.anna.id, at(9)).await.unwrap();
    assert_eq!(outcome.cancelled_bookings, 1);
    assert!(matches!(store.scim().scim_person(net.agency.id, net.anna.id).await, Err(StoreError::NotFound)));
    assert!(matches!(
        store.scim().delete_scim_person(net.agency.id, net.anna.id, at(9)).await,
        Err(StoreError::NotFound)
    ));
    let hidden = store.people().get_person(net.anna.id).await.unwrap();
    assert_eq!((hidden.active, hidden.unit_id), (false, None));
    assert_eq!(store.scim().scim_people(net.agency.id, &PersonMatch::All, 0, 10).await.unwrap().total, 0);
    // The region cannot claim her address; the agency gets the same person back.
    let claimed = provisioned(person(&net.region, "anna@dvv.example"), None);
    assert!(matches!(store.scim().create_scim_person(&claimed, at(10)).await, Err(StoreError::Duplicate("email"))));
    let again = provisioned(person(&net.agency, "anna@dvv.example"), Some("oid-anna"));
    let back = store.scim().create_scim_person(&again, at(10)).await.unwrap();
    assert_eq!((back.person.id, back.person.active), (net.anna.id, true));
    assert_eq!(store.bookings().get_booking(to_come.id).await.unwrap().status, BookingStatus::Cancelled);
    assert_eq!(
        store.scim().scim_person(net.agency.id, net.anna.id).await.unwrap().external_id.as_deref(),
        Some("oid-anna")
    );
});

contract!(units_take_members_one_unit_per_person_and_only_their_own_organisations, |store| {
    let net = network(store.as_ref()).await;
    let colleague = person(&net.agency, "carl@dvv.example");
    store.people().save_person(&colleague).await.unwrap();
    let sales = unit(&net.agency, "Sales");
    store
        .scim()
        .save_scim_unit(&sales, Some("group-1"), &Members::Replace(vec![net.anna.id, colleague.id]))
        .await
        .unwrap();
    let got = store.scim().scim_unit(net.agency.id, sales.id).await.unwrap();
    assert_eq!(got.external_id.as_deref(), Some("group-1"));
    assert_eq!(got.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["anna", "carl"]);
    // Anna left IT for Sales.
    assert!(store.scim().scim_unit(net.agency.id, net.unit.id).await.unwrap().members.is_empty());

    let change = Members::Change { add: vec![], remove: vec![colleague.id, net.bertil.id] };
    store.scim().save_scim_unit(&sales, Some("group-1"), &change).await.unwrap();
    assert_eq!(store.scim().scim_unit(net.agency.id, sales.id).await.unwrap().members.len(), 1);
    let back_to_it = Members::Change { add: vec![net.anna.id], remove: vec![] };
    store.scim().save_scim_unit(&net.unit, None, &back_to_it).await.unwrap();
    assert!(store.scim().scim_unit(net.agency.id, sales.id).await.unwrap().members.is_empty());
    assert_eq!(store.people().get_person(net.anna.id).await.unwrap().unit_id, Some(net.unit.id));

    // Another organisation's person cannot join, and the whole change is refused.
    let mixed = Members::Change { add: vec![colleague.id, net.bertil.id], remove: vec![net.anna.id] };
    assert!(matches!(store.scim().save_scim_unit(&net.unit, None, &mixed).await, Err(StoreError::MissingReference)));
    assert_eq!(store.people().get_person(net.anna.id).await.unwrap().unit_id, Some(net.unit.id));
    assert_eq!(store.people().get_person(colleague.id).await.unwrap().unit_id, None);
    assert_eq!(store.people().get_person(net.bertil.id).await.unwrap().unit_id, None);

    // The region can neither see nor take over the agency's unit.
    assert!(matches!(store.scim().scim_unit(net.region.id, sales.id).await, Err(StoreError::NotFound)));
    let hijack = Unit { organisation_id: net.region.id, ..sales.clone() };
    assert!(matches!(store.scim().save_scim_unit(&hijack, None, &Members::Keep).await, Err(StoreError::NotFound)));
    assert!(matches!(store.scim().delete_scim_unit(net.region.id, sales.id).await, Err(StoreError::NotFound)));
    assert!(store.scim().scim_units(net.region.id).await.unwrap().is_empty());
    let agency_units = store.scim().scim_units(net.agency.id).await.unwrap();
    assert_eq!(agency_units.len(), 2);
    assert_eq!(agency_units.iter().find(|u| u.unit.id == net.unit.id).unwrap().members[0].id, net.anna.id);
});

contract!(deleting_a_unit_frees_its_people_and_lifts_its_children, |store| {
    let net = network(store.as_ref()).await;
    let mut child = unit(&net.agency, "Helpdesk");
    child.parent_id = Some(net.unit.id);
    store.organisations().save_unit(&child).await.unwrap();
    let mut grandchild = unit(&net.agency, "Night shift");
    grandchild.parent_id = Some(child.id);
    store.organisations().save_unit(&grandchild).await.unwrap();
    store.scim().save_scim_unit(&child, None, &Members::Replace(vec![net.anna.id])).await.unwrap();
    store.scim().delete_scim_unit(net.agency.id, child.id).await.unwrap();
    assert!(matches!(store.organisations().get_unit(child.id).await, Err(StoreError::NotFound)));
    assert_eq!(store.organisations().get_unit(grandchild.id).await.unwrap().parent_id, Some(net.unit.id));
    assert_eq!(store.people().get_person(net.anna.id).await.unwrap().unit_id, None);
    assert!(matches!(store.scim().delete_scim_unit(net.agency.id, child.id).await, Err(StoreError::NotFound)));
});
