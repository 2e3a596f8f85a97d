//! The query a utilisation report stands on, and the bound on a booking's length it relies on.

use chrono::Duration;
use hubnet_domain::utilisation::{HourSpan, by_site_weekday_hour};
use hubnet_domain::{BookingStatus, TimeRange};
use hubnet_store::StoreError;

use crate::contract;
use crate::fixtures::*;

contract!(counts_an_organisations_bookings_by_site_and_hour, |store| {
    let net = network(store.as_ref()).await;
    let aino = person(&net.agency, "aino@dvv.example");
    store.people().save_person(&aino).await.unwrap();
    // The agency's Anna 08-12 and 13-15 and Aino 08-12, on Tuesday 2030-03-05 (Helsinki, UTC+2).
    store.bookings().book(booking(&net.desks[0], net.anna.id, range(8, 12))).await.unwrap();
    store.bookings().book(booking(&net.desks[0], net.anna.id, range(13, 15))).await.unwrap();
    store.bookings().book(booking(&net.desks[1], aino.id, range(8, 12))).await.unwrap();
    // Not counted: the region's Bertil, a cancelled booking, one outside the range.
    store.bookings().book(booking(&net.desks[2], net.bertil.id, range(8, 12))).await.unwrap();
    let cancelled = store.bookings().book(booking(&net.parking, net.anna.id, range(8, 9))).await.unwrap();
    store.bookings().cancel_booking(cancelled.id, at(7)).await.unwrap();
    let mut later = booking(&net.desks[0], net.anna.id, range(8, 12));
    later.range = TimeRange::new(later.range.start + Duration::days(60), later.range.end + Duration::days(60)).unwrap();
    store.bookings().book(later).await.unwrap();

    let month = TimeRange::new(at(0) - Duration::days(10), at(0) + Duration::days(20)).unwrap();
    let mut spans = store.follow_up().booking_hours(net.agency.id, month).await.unwrap();
    spans.sort_by_key(|s| (s.start_hour, s.end_hour));
    let hour = |h: u32| at(h).timestamp() / 3600;
    assert_eq!(
        spans,
        vec![
            HourSpan { site_id: net.site.id, start_hour: hour(8), end_hour: hour(12), bookings: 2 },
            HourSpan { site_id: net.site.id, start_hour: hour(13), end_hour: hour(15), bookings: 1 },
        ]
    );
    let with_zones: Vec<_> = spans.into_iter().map(|s| (s, net.site.time_zone)).collect();
    let cells = by_site_weekday_hour(&with_zones, month);
    // Tuesday (1) at 08-11 local: two bookings each hour; 13-14: one.
    assert_eq!(cells.get(&(net.site.id, 1, 8)), Some(&2));
    assert_eq!(cells.get(&(net.site.id, 1, 11)), Some(&2));
    assert_eq!(cells.get(&(net.site.id, 1, 12)), None);
    assert_eq!(cells.get(&(net.site.id, 1, 14)), Some(&1));
    assert_eq!(cells.values().sum::<u64>(), 4 * 2 + 2);
    assert!(store.follow_up().booking_hours(net.region.id, month).await.unwrap().iter().all(|s| s.bookings == 1));
});

contract!(a_booking_lasts_at_most_25_hours, |store| {
    let net = network(store.as_ref()).await;
    let mut long = booking(&net.desks[0], net.anna.id, range(8, 9));
    long.range = TimeRange::new(at(8), at(8) + Duration::hours(25) + Duration::seconds(1)).unwrap();
    assert!(matches!(store.bookings().book(long.clone()).await, Err(StoreError::Invalid(e)) if e.field == "end"));
    long.range = TimeRange::new(at(8), at(8) + Duration::hours(25)).unwrap();
    let kept = store.bookings().book(long).await.unwrap();
    assert_eq!(kept.status, BookingStatus::Confirmed);
    // The window search finds a booking that started the day before and still runs.
    let window = TimeRange::new(at(8) + Duration::hours(24), at(8) + Duration::hours(26)).unwrap();
    let occupancy = store.occupancy(&[(net.site.id, window)], None).await.unwrap();
    let desk = occupancy.iter().find(|o| o.space.id == net.desks[0].id).unwrap();
    assert!(desk.taken);
    assert!(occupancy.iter().filter(|o| o.space.id != net.desks[0].id).all(|o| !o.taken));
});

contract!(a_booking_counts_for_the_organisation_its_person_belonged_to_when_booking, |store| {
    let net = network(store.as_ref()).await;
    store.bookings().book(booking(&net.desks[0], net.anna.id, range(8, 12))).await.unwrap();
    // Anna moves to the region afterwards; her booking stays the agency's.
    let mut anna = net.anna.clone();
    anna.organisation_id = net.region.id;
    anna.unit_id = None;
    store.people().save_person(&anna).await.unwrap();
    store.bookings().book(booking(&net.desks[1], net.anna.id, range(13, 15))).await.unwrap();
    let month = TimeRange::new(at(0) - Duration::days(10), at(0) + Duration::days(20)).unwrap();
    let count = |spans: Vec<HourSpan>| spans.iter().map(|s| s.bookings).sum::<u64>();
    assert_eq!(count(store.follow_up().booking_hours(net.agency.id, month).await.unwrap()), 1);
    assert_eq!(count(store.follow_up().booking_hours(net.region.id, month).await.unwrap()), 1);
});
