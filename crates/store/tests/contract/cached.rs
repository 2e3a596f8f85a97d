//! The in-memory copy of the network for searches: it follows changes made through it at once,
//! and changes made elsewhere (another server) once it compares with the database's count.

use std::sync::Arc;
use std::time::Duration;

use hubnet_domain::{Coordinates, SpaceKind};
use hubnet_store::Store;
use hubnet_store::cached::CachedStore;

use crate::contract;
use crate::fixtures::*;

contract!(the_network_version_moves_with_sites_floors_and_spaces_only, |store| {
    let start = store.network_version().await.unwrap();
    let net = network(store.as_ref()).await;
    let after_network = store.network_version().await.unwrap();
    assert!(after_network > start);
    store.book(booking(&net.desks[0], net.anna.id, range(8, 12))).await.unwrap();
    store.save_person(&person(&net.agency, "new@dvv.example")).await.unwrap();
    assert_eq!(store.network_version().await.unwrap(), after_network, "bookings and people are not the network");
    let mut renamed = net.desks[1].clone();
    renamed.name = "Ikkunapaikka".into();
    store.save_space(&renamed).await.unwrap();
    let after_space = store.network_version().await.unwrap();
    assert!(after_space > after_network);
    let mut site = net.site.clone();
    site.booking_horizon_days = 90;
    store.save_site(&site).await.unwrap();
    assert!(store.network_version().await.unwrap() > after_space);
});

contract!(the_copy_follows_its_own_changes_at_once_and_others_when_it_compares, |store| {
    let net = network(store.as_ref()).await;
    let box_around = |c: Coordinates| c.bounding_box(5.0);
    let (min, max) = box_around(net.site.coordinates);

    // Compares only once an hour: what it shows comes from memory.
    let slow = CachedStore::with_recheck(Arc::clone(&store), Duration::from_hours(1));
    assert_eq!(slow.list_spaces(net.site.id).await.unwrap().len(), net.desks.len() + 1);
    assert_eq!(slow.sites_in_box(min, max).await.unwrap().len(), 1);

    // Another server adds a desk and a site: the slow copy does not see them yet.
    let extra = space(&net.site, &net.floor, "Extra", SpaceKind::Desk);
    store.save_space(&extra).await.unwrap();
    let neighbour = site(&net.agency, "NEIGHBOUR", net.site.coordinates.lat() + 0.01, net.site.coordinates.lon());
    store.save_site(&neighbour).await.unwrap();
    assert_eq!(slow.list_spaces(net.site.id).await.unwrap().len(), net.desks.len() + 1);
    assert_eq!(slow.sites_in_box(min, max).await.unwrap().len(), 1);
    assert_eq!(slow.site(neighbour.id).await.err().map(|e| e.to_string()), Some("not found".into()));

    // One that compares on every read sees both.
    let eager = CachedStore::with_recheck(Arc::clone(&store), Duration::ZERO);
    assert_eq!(eager.list_spaces(net.site.id).await.unwrap().len(), net.desks.len() + 2);
    assert_eq!(eager.sites_in_box(min, max).await.unwrap().len(), 2);
    assert_eq!(eager.site(neighbour.id).await.unwrap(), neighbour);

    // A change made through the slow copy itself shows at once, with everything before it.
    let mut renamed = net.desks[0].clone();
    renamed.name = "Ikkunapaikka".into();
    slow.save_space(&renamed).await.unwrap();
    let spaces = slow.list_spaces(net.site.id).await.unwrap();
    assert_eq!(spaces.len(), net.desks.len() + 2);
    assert!(spaces.iter().any(|s| s.name == "Ikkunapaikka"));
    assert_eq!(slow.sites_in_box(min, max).await.unwrap().len(), 2);

    // Occupancy through the copy agrees with the database.
    store.book(booking(&extra, net.anna.id, range(8, 12))).await.unwrap();
    let occupancy = slow.occupancy(&[(net.site.id, range(9, 10))], Some(SpaceKind::Desk)).await.unwrap();
    assert_eq!(occupancy.iter().filter(|o| o.taken).map(|o| o.space.id).collect::<Vec<_>>(), vec![extra.id]);
});
