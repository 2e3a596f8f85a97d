//! Bulk loading (hubnet bench-data): rows go in fast, and the guards come back afterwards.

use hubnet_domain::{BookingError, Space, SpaceKind, TimeRange};
use hubnet_store::bulk::{BulkBooking, load_bookings};
use hubnet_store::{Backend, StoreError};
use tokio::sync::mpsc;

use crate::contract;
use crate::fixtures::*;

fn row(space: &Space, person: hubnet_domain::PersonId, range: TimeRange) -> BulkBooking {
    let booking = booking(space, person, range).into_booking();
    BulkBooking { updated_at: booking.created_at, booking, kind: space.kind }
}

async fn load(url: &str, chunks: Vec<Vec<BulkBooking>>) -> Result<u64, StoreError> {
    let (send, receive) = mpsc::channel(4);
    let feeder = tokio::spawn(async move {
        for chunk in chunks {
            if send.send(chunk).await.is_err() {
                break;
            }
        }
    });
    let loaded = load_bookings(url, receive).await;
    feeder.await.unwrap();
    loaded
}

contract!(bulk_loads_bookings_and_restores_the_guards, |store, url| {
    let net = network(store.as_ref()).await;
    let first = row(&net.desks[0], net.anna.id, range(8, 12));
    let rows = vec![
        vec![first.clone(), row(&net.desks[1], net.bertil.id, range(8, 12))],
        vec![row(&net.desks[0], net.bertil.id, range(13, 15)), row(&net.parking, net.anna.id, range(8, 16))],
    ];
    assert_eq!(load(&url, rows).await.unwrap(), 4);
    let stored = store.get_booking(first.booking.id).await.unwrap();
    assert_eq!(stored, first.booking);

    // The overlap rules hold again for new bookings, on space and on person.
    let taken = store.book(booking(&net.desks[0], net.bertil.id, range(9, 10))).await;
    assert!(matches!(taken, Err(StoreError::Booking(BookingError::Conflict))), "{taken:?}");
    let twice = store.book(booking(&net.desks[2], net.anna.id, range(9, 10))).await;
    assert!(matches!(twice, Err(StoreError::Booking(BookingError::AlreadyBookedAtThatTime))), "{twice:?}");
    assert_eq!(net.desks[2].kind, SpaceKind::Desk);

    // Only into an empty table.
    let again = load(&url, vec![vec![row(&net.desks[2], net.anna.id, range(17, 18))]]).await;
    assert!(matches!(again, Err(StoreError::Internal(_))), "{again:?}");
});

contract!(postgres_refuses_a_bulk_load_that_double_books, |store, url| {
    if store.backend() != Backend::Postgres {
        // SQLite's triggers do not look back at loaded rows: the loader's caller answers for them.
        return;
    }
    let net = network(store.as_ref()).await;
    let overlapping =
        vec![vec![row(&net.desks[0], net.anna.id, range(8, 12)), row(&net.desks[0], net.bertil.id, range(10, 14))]];
    assert!(load(&url, overlapping).await.is_err());
});
