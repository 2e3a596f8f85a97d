//! Bulk loading (hubnet bench-data): rows go in fast, and the guards come back afterwards.

use hubnet_domain::{BookingError, Space, SpaceKind, TimeRange};
use hubnet_store::bulk::{BulkBooking, BulkChunk, load_bookings};
use hubnet_store::{Backend, StoreError};
use tokio::sync::mpsc;

use crate::contract;
use crate::fixtures::*;

fn row(space: &Space, person: &hubnet_domain::Person, range: TimeRange) -> BulkBooking {
    let booking = booking(space, person.id, range).into_booking();
    BulkBooking { updated_at: booking.created_at, booking, kind: space.kind, organisation_id: person.organisation_id }
}

/// Feeds the chunks, then `End` unless `finish` is false (a producer that failed mid-way).
async fn feed(url: &str, chunks: Vec<Vec<BulkBooking>>, finish: bool) -> Result<u64, StoreError> {
    let (send, receive) = mpsc::channel(4);
    let feeder = tokio::spawn(async move {
        for chunk in chunks {
            if send.send(BulkChunk::Rows(chunk)).await.is_err() {
                return;
            }
        }
        if finish {
            let _ = send.send(BulkChunk::End).await;
        }
    });
    let loaded = load_bookings(url, receive).await;
    feeder.await.unwrap();
    loaded
}

async fn load(url: &str, chunks: Vec<Vec<BulkBooking>>) -> Result<u64, StoreError> {
    feed(url, chunks, true).await
}

contract!(bulk_loads_bookings_and_restores_the_guards, |store, url| {
    let net = network(store.as_ref()).await;
    let first = row(&net.desks[0], &net.anna, range(8, 12));
    let rows = vec![
        vec![first.clone(), row(&net.desks[1], &net.bertil, range(8, 12))],
        vec![row(&net.desks[0], &net.bertil, range(13, 15)), row(&net.parking, &net.anna, range(8, 16))],
    ];
    assert_eq!(load(&url, rows).await.unwrap(), 4);
    let stored = store.bookings().get_booking(first.booking.id).await.unwrap();
    assert_eq!(stored, first.booking);

    // The overlap rules hold again for new bookings, on space and on person.
    let taken = store.bookings().book(booking(&net.desks[0], net.bertil.id, range(9, 10))).await;
    assert!(matches!(taken, Err(StoreError::Booking(BookingError::Conflict))), "{taken:?}");
    let twice = store.bookings().book(booking(&net.desks[2], net.anna.id, range(9, 10))).await;
    assert!(matches!(twice, Err(StoreError::Booking(BookingError::AlreadyBookedAtThatTime))), "{twice:?}");
    assert_eq!(net.desks[2].kind, SpaceKind::Desk);

    // Only into an empty table.
    let again = load(&url, vec![vec![row(&net.desks[2], &net.anna, range(17, 18))]]).await;
    assert!(matches!(again, Err(StoreError::Internal(_))), "{again:?}");
});

contract!(postgres_refuses_a_bulk_load_that_double_books, |store, url| {
    if store.backend() != Backend::Postgres {
        // SQLite's triggers do not look back at loaded rows: the loader's caller answers for them.
        return;
    }
    let net = network(store.as_ref()).await;
    let overlapping =
        vec![vec![row(&net.desks[0], &net.anna, range(8, 12)), row(&net.desks[0], &net.bertil, range(10, 14))]];
    assert!(load(&url, overlapping).await.is_err());
});

contract!(a_bulk_load_cut_short_or_refused_leaves_the_table_as_it_was, |store, url| {
    let net = network(store.as_ref()).await;
    // The producer stops before the end: nothing stays.
    let cut = feed(&url, vec![vec![row(&net.desks[0], &net.anna, range(8, 12))]], false).await;
    assert!(matches!(cut, Err(StoreError::Internal(_))), "{cut:?}");
    // A booking longer than 25 hours: refused as a whole, on both databases.
    let mut long = row(&net.desks[1], &net.anna, range(8, 12));
    long.booking.end = long.booking.start + chrono::Duration::hours(26);
    assert!(load(&url, vec![vec![row(&net.desks[0], &net.bertil, range(8, 12)), long]]).await.is_err());
    // Empty again, with every guard in place: a load succeeds and the rules hold.
    assert_eq!(load(&url, vec![vec![row(&net.desks[0], &net.anna, range(8, 12))]]).await.unwrap(), 1);
    let taken = store.bookings().book(booking(&net.desks[0], net.bertil.id, range(9, 10))).await;
    assert!(matches!(taken, Err(StoreError::Booking(BookingError::Conflict))), "{taken:?}");
    let mut too_long = booking(&net.desks[2], net.bertil.id, range(8, 9));
    too_long.range = TimeRange::new(at(8), at(8) + chrono::Duration::hours(26)).unwrap();
    assert!(matches!(store.bookings().book(too_long).await, Err(StoreError::Invalid(_))));
});
