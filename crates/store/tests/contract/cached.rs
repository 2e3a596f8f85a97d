//! The in-memory copy of the network for searches: it follows changes made through it at once,
//! and changes made elsewhere (another server) once it compares with the database's count.

use std::sync::Arc;
use std::time::Duration;

use hubnet_domain::{Coordinates, SpaceKind};
use hubnet_store::Store;
use hubnet_store::cached::CachedStore;

use crate::contract;
use crate::fixtures::*;

contract!(the_network_version_moves_with_the_network_and_access_but_not_bookings, |store| {
    let start = store.sites().network_version().await.unwrap();
    let net = network(store.as_ref()).await;
    let after_network = store.sites().network_version().await.unwrap();
    assert!(after_network > start);
    let booked = store.bookings().book(booking(&net.desks[0], net.anna.id, range(8, 12))).await.unwrap();
    store.bookings().cancel_booking(booked.id, at(7)).await.unwrap();
    assert_eq!(store.sites().network_version().await.unwrap(), after_network, "bookings do not move it");
    let mut anna = net.anna.clone();
    anna.active = false;
    store.people().save_person(&anna).await.unwrap();
    let after_person = store.sites().network_version().await.unwrap();
    assert!(after_person > after_network, "a deactivated person moves it");
    store.people().replace_roles(net.bertil.id, &[hubnet_domain::Role::PlatformAdmin]).await.unwrap();
    let after_roles = store.sites().network_version().await.unwrap();
    assert!(after_roles > after_person, "a new role moves it");
    let token: hubnet_domain::TokenId = new_id();
    store.tokens().create_token(token, net.bertil.id, &[7; 32], "test", at(6)).await.unwrap();
    assert_eq!(store.sites().network_version().await.unwrap(), after_roles, "a new token does not");
    store.tokens().revoke_token(token, at(7)).await.unwrap();
    let after_network = store.sites().network_version().await.unwrap();
    assert!(after_network > after_roles, "a revoked one does");
    let mut renamed = net.desks[1].clone();
    renamed.name = "Ikkunapaikka".into();
    store.sites().save_space(&renamed).await.unwrap();
    let after_space = store.sites().network_version().await.unwrap();
    assert!(after_space > after_network);
    let mut site = net.site.clone();
    site.booking_horizon_days = 90;
    store.sites().save_site(&site).await.unwrap();
    assert!(store.sites().network_version().await.unwrap() > after_space);
});

contract!(the_copy_follows_its_own_changes_at_once_and_others_when_it_compares, |store| {
    let net = network(store.as_ref()).await;
    let box_around = |c: Coordinates| c.bounding_box(5.0);
    let (min, max) = box_around(net.site.coordinates);

    // Compares only once an hour: what it shows comes from memory.
    let slow = CachedStore::with_recheck(Arc::clone(&store), Duration::from_hours(1));
    assert_eq!(slow.sites().list_spaces(net.site.id).await.unwrap().len(), net.desks.len() + 1);
    assert_eq!(slow.sites().sites_in_box(min, max).await.unwrap().len(), 1);

    // Another server adds a desk and a site: the slow copy does not see them yet.
    let extra = space(&net.site, &net.floor, "Extra", SpaceKind::Desk);
    store.sites().save_space(&extra).await.unwrap();
    let neighbour = site(&net.agency, "NEIGHBOUR", net.site.coordinates.lat() + 0.01, net.site.coordinates.lon());
    store.sites().save_site(&neighbour).await.unwrap();
    assert_eq!(slow.sites().list_spaces(net.site.id).await.unwrap().len(), net.desks.len() + 1);
    assert_eq!(slow.sites().sites_in_box(min, max).await.unwrap().len(), 1);
    assert!(slow.all_sites().await.unwrap().iter().all(|s| s.id != neighbour.id));

    // One that compares on every read sees both.
    let eager = CachedStore::with_recheck(Arc::clone(&store), Duration::ZERO);
    assert_eq!(eager.sites().list_spaces(net.site.id).await.unwrap().len(), net.desks.len() + 2);
    assert_eq!(eager.sites().sites_in_box(min, max).await.unwrap().len(), 2);
    assert_eq!(eager.sites().get_site(neighbour.id).await.unwrap(), neighbour);

    // A change made through the slow copy itself shows at once, with everything before it.
    let mut renamed = net.desks[0].clone();
    renamed.name = "Ikkunapaikka".into();
    slow.sites().save_space(&renamed).await.unwrap();
    let spaces = slow.sites().list_spaces(net.site.id).await.unwrap();
    assert_eq!(spaces.len(), net.desks.len() + 2);
    assert!(spaces.iter().any(|s| s.name == "Ikkunapaikka"));
    assert_eq!(slow.sites().sites_in_box(min, max).await.unwrap().len(), 2);

    // Occupancy through the copy agrees with the database.
    store.bookings().book(booking(&extra, net.anna.id, range(8, 12))).await.unwrap();
    let through_copy: &dyn Store = &slow;
    let occupancy = through_copy.occupancy(&[(net.site.id, range(9, 10))], Some(SpaceKind::Desk)).await.unwrap();
    assert_eq!(occupancy.iter().filter(|o| o.taken).map(|o| o.space.id).collect::<Vec<_>>(), vec![extra.id]);
});

contract!(the_copy_keeps_principals_until_access_changes, |store| {
    let net = network(store.as_ref()).await;
    let token: hubnet_domain::TokenId = new_id();
    store.tokens().create_token(token, net.anna.id, &[9; 32], "test", at(6)).await.unwrap();
    let slow = CachedStore::with_recheck(Arc::clone(&store), Duration::from_hours(1));
    assert!(slow.tokens().principal_by_token(&[9; 32]).await.unwrap().roles.is_empty());
    // Unknown tokens are not remembered: one issued later works at once.
    assert!(slow.tokens().principal_by_token(&[8; 32]).await.is_err());
    store.tokens().create_token(new_id(), net.bertil.id, &[8; 32], "test", at(6)).await.unwrap();
    assert_eq!(slow.tokens().principal_by_token(&[8; 32]).await.unwrap().person.id, net.bertil.id);

    // Revoked elsewhere: the slow copy still knows the token; an eager one does not.
    store.tokens().revoke_token(token, at(7)).await.unwrap();
    assert!(slow.tokens().principal_by_token(&[9; 32]).await.is_ok());
    let eager = CachedStore::with_recheck(Arc::clone(&store), Duration::ZERO);
    assert!(eager.tokens().principal_by_token(&[9; 32]).await.is_err());

    // Through the copy itself: at once.
    slow.people().replace_roles(net.bertil.id, &[hubnet_domain::Role::PlatformAdmin]).await.unwrap();
    assert!(slow.tokens().principal_by_token(&[9; 32]).await.is_err());
    assert_eq!(
        slow.tokens().principal_by_token(&[8; 32]).await.unwrap().roles,
        vec![hubnet_domain::Role::PlatformAdmin]
    );
    let bertil_token = slow.tokens().list_tokens(net.bertil.id).await.unwrap()[0].id;
    slow.tokens().revoke_token(bertil_token, at(8)).await.unwrap();
    assert!(slow.tokens().principal_by_token(&[8; 32]).await.is_err());
});
