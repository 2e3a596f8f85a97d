//! Sharing on terms: a site's terms text, spaces that ask for approval, and a host's decision on
//! a pending booking, made once and atomically.

use std::sync::Arc;

use hubnet_domain::{BookingError, BookingStatus, DeclineReason, LocalizedText, Verdict};
use hubnet_store::{Approver, BookingFilter, ImportBatch, NewBooking, StoreError};

use crate::contract;
use crate::fixtures::*;

fn pending(space: &hubnet_domain::Space, person: hubnet_domain::PersonId, from: u32, to: u32) -> NewBooking {
    NewBooking { status: BookingStatus::PendingApproval, ..booking(space, person, range(from, to)) }
}

fn decline(reason: &str) -> Verdict {
    Verdict::Decline { reason: DeclineReason::parse(reason).unwrap() }
}

fn not_pending<T: std::fmt::Debug>(result: &Result<T, StoreError>) -> Option<BookingStatus> {
    match result {
        Err(StoreError::Booking(BookingError::NotPending { status })) => Some(*status),
        _ => None,
    }
}

contract!(keeps_a_sites_terms_in_three_languages_and_a_spaces_approval, |store| {
    let net = network(store.as_ref()).await;
    let mut site = net.site.clone();
    site.access.registration_required = true;
    site.access.terms = LocalizedText {
        fi: "Pidä työpiste siistinä.\n\nPeru, jos et tule.".into(),
        sv: "Håll ordning.".into(),
        en: String::new(),
    };
    store.sites().save_site(&site).await.unwrap();
    assert_eq!(store.sites().get_site(site.id).await.unwrap().access.terms, site.access.terms);
    let mut room = net.desks[0].clone();
    room.approval_required = true;
    store.sites().save_space(&room).await.unwrap();
    assert!(store.sites().get_space(room.id).await.unwrap().approval_required);
    assert!(!store.sites().get_space(net.desks[1].id).await.unwrap().approval_required);
    // The same through an import.
    let mut imported = site.clone();
    imported.access.terms.en = "Keep it tidy.".into();
    room.approval_required = false;
    store
        .import()
        .import(&ImportBatch { sites: vec![imported.clone()], spaces: vec![room.clone()], ..ImportBatch::default() })
        .await
        .unwrap();
    assert_eq!(store.sites().get_site(site.id).await.unwrap().access.terms.en, "Keep it tidy.");
    assert!(!store.sites().get_space(room.id).await.unwrap().approval_required);
});

contract!(a_host_approves_a_pending_booking_once, |store| {
    let net = network(store.as_ref()).await;
    let booked = store.bookings().book(pending(&net.desks[0], net.bertil.id, 8, 12)).await.unwrap();
    assert_eq!((booked.status, booked.decision.clone()), (BookingStatus::PendingApproval, None));
    let approved = store
        .bookings()
        .decide_booking(booked.id, &Verdict::Approve, Approver::Site, net.anna.id, at(7))
        .await
        .unwrap();
    assert_eq!(approved.status, BookingStatus::Confirmed);
    let decision = approved.decision.clone().unwrap();
    assert_eq!((decision.decided_by, decision.decided_at, decision.reason), (net.anna.id, at(7), None));
    assert_eq!(store.bookings().get_booking(booked.id).await.unwrap(), approved);
    // A second decision, either way, is refused and changes nothing.
    let again = store
        .bookings()
        .decide_booking(booked.id, &decline("Changed my mind"), Approver::Site, net.anna.id, at(8))
        .await;
    assert_eq!(not_pending(&again), Some(BookingStatus::Confirmed));
    assert_eq!(store.bookings().get_booking(booked.id).await.unwrap(), approved);
    // An approved booking still holds its space.
    let taken = store.bookings().book(booking(&net.desks[0], net.anna.id, range(9, 10))).await;
    assert!(matches!(taken, Err(StoreError::Booking(BookingError::Conflict))));
});

contract!(a_declined_booking_keeps_its_reason_and_frees_the_space, |store| {
    let net = network(store.as_ref()).await;
    let booked = store.bookings().book(pending(&net.desks[0], net.bertil.id, 8, 12)).await.unwrap();
    // While it waits, it holds the space.
    let meanwhile = store.bookings().book(booking(&net.desks[0], net.anna.id, range(9, 10))).await;
    assert!(matches!(meanwhile, Err(StoreError::Booking(BookingError::Conflict))));
    let reason = "The event space is reserved for the network day. Try the quiet room instead.";
    let declined =
        store.bookings().decide_booking(booked.id, &decline(reason), Approver::Site, net.anna.id, at(7)).await.unwrap();
    assert_eq!(declined.status, BookingStatus::Declined);
    assert_eq!(declined.decision.as_ref().and_then(|d| d.reason.as_deref()), Some(reason));
    assert_eq!(store.bookings().get_booking(booked.id).await.unwrap(), declined);
    assert_eq!(
        not_pending(
            &store.bookings().decide_booking(booked.id, &Verdict::Approve, Approver::Site, net.anna.id, at(8)).await
        ),
        Some(BookingStatus::Declined)
    );
    // The space is free for someone else, and the booker may book another desk then.
    store.bookings().book(booking(&net.desks[0], net.anna.id, range(9, 10))).await.unwrap();
    store.bookings().book(booking(&net.desks[1], net.bertil.id, range(8, 12))).await.unwrap();
    // Listed with inactive bookings, not with active ones.
    let listed = |active_only| BookingFilter {
        person: Some(net.bertil.id),
        active_only,
        status: Some(BookingStatus::Declined),
        limit: 10,
        ..BookingFilter::default()
    };
    assert_eq!(store.bookings().list_bookings(&listed(false)).await.unwrap(), vec![declined]);
    assert_eq!(store.bookings().list_bookings(&listed(true)).await.unwrap(), vec![]);
});

contract!(only_a_pending_booking_can_be_decided, |store| {
    let net = network(store.as_ref()).await;
    let confirmed = store.bookings().book(booking(&net.desks[0], net.bertil.id, range(8, 12))).await.unwrap();
    assert_eq!(
        not_pending(
            &store.bookings().decide_booking(confirmed.id, &Verdict::Approve, Approver::Site, net.anna.id, at(7)).await
        ),
        Some(BookingStatus::Confirmed)
    );
    let withdrawn = store.bookings().book(pending(&net.desks[1], net.bertil.id, 13, 15)).await.unwrap();
    store.bookings().cancel_booking(withdrawn.id, at(7)).await.unwrap();
    let late =
        store.bookings().decide_booking(withdrawn.id, &decline("Too late"), Approver::Site, net.anna.id, at(8)).await;
    assert_eq!(not_pending(&late), Some(BookingStatus::Cancelled));
    assert_eq!(store.bookings().get_booking(withdrawn.id).await.unwrap().decision, None);
    assert!(matches!(
        store.bookings().decide_booking(new_id(), &Verdict::Approve, Approver::Site, net.anna.id, at(7)).await,
        Err(StoreError::NotFound)
    ));
});

contract!(of_two_hosts_deciding_at_once_exactly_one_decides, |store| {
    let net = network(store.as_ref()).await;
    for round in 0..3 {
        let booked =
            store.bookings().book(pending(&net.desks[2], net.bertil.id, 8 + round * 2, 9 + round * 2)).await.unwrap();
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let verdicts = [Verdict::Approve, decline("No room")];
        let attempts = verdicts.into_iter().map(|verdict| {
            let (store, barrier, anna) = (Arc::clone(&store), Arc::clone(&barrier), net.anna.id);
            tokio::spawn(async move {
                barrier.wait().await;
                store.bookings().decide_booking(booked.id, &verdict, Approver::Site, anna, at(7)).await
            })
        });
        let results: Vec<_> = futures::future::join_all(attempts).await.into_iter().map(Result::unwrap).collect();
        let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(won.len(), 1, "round {round}: {results:?}");
        let lost = results.iter().find_map(not_pending).unwrap();
        assert_eq!(lost, won[0].status);
        assert_eq!(store.bookings().get_booking(booked.id).await.unwrap().status, won[0].status);
    }
});

contract!(lists_a_sites_pending_bookings_for_its_hosts, |store| {
    let net = network(store.as_ref()).await;
    let first = store.bookings().book(pending(&net.desks[0], net.bertil.id, 8, 12)).await.unwrap();
    store.bookings().book(booking(&net.desks[1], net.bertil.id, range(13, 15))).await.unwrap();
    let second = store.bookings().book(pending(&net.parking, net.anna.id, 9, 10)).await.unwrap();
    let filter = BookingFilter {
        site: Some(net.site.id),
        status: Some(BookingStatus::PendingApproval),
        active_only: true,
        limit: 10,
        ..BookingFilter::default()
    };
    let ids: Vec<_> = store.bookings().list_bookings(&filter).await.unwrap().into_iter().map(|b| b.id).collect();
    assert_eq!(ids, vec![first.id, second.id]);
    store.bookings().decide_booking(first.id, &Verdict::Approve, Approver::Site, net.anna.id, at(7)).await.unwrap();
    let ids: Vec<_> = store.bookings().list_bookings(&filter).await.unwrap().into_iter().map(|b| b.id).collect();
    assert_eq!(ids, vec![second.id]);
});

contract!(the_organisation_approves_first_and_the_site_after, |store| {
    let net = network(store.as_ref()).await;
    let asked = NewBooking { awaits_organisation: true, ..pending(&net.desks[0], net.bertil.id, 8, 12) };
    let booked = store.bookings().book(asked).await.unwrap();
    assert!(booked.awaits_organisation);
    assert_eq!(store.bookings().get_booking(booked.id).await.unwrap(), booked);
    // The site cannot decide before the organisation has.
    let early = store.bookings().decide_booking(booked.id, &Verdict::Approve, Approver::Site, net.anna.id, at(7)).await;
    assert_eq!(not_pending(&early), Some(BookingStatus::PendingApproval));
    assert_eq!(store.bookings().get_booking(booked.id).await.unwrap(), booked);
    // The organisation approves; the booking still waits, now for the site, and holds its space.
    let organisation = Approver::Organisation { site_next: true };
    let passed =
        store.bookings().decide_booking(booked.id, &Verdict::Approve, organisation, net.anna.id, at(7)).await.unwrap();
    assert_eq!((passed.status, passed.awaits_organisation), (BookingStatus::PendingApproval, false));
    let again = store.bookings().decide_booking(booked.id, &Verdict::Approve, organisation, net.anna.id, at(7)).await;
    assert_eq!(not_pending(&again), Some(BookingStatus::PendingApproval), "the organisation decides once");
    let taken = store.bookings().book(booking(&net.desks[0], net.anna.id, range(9, 10))).await;
    assert!(matches!(taken, Err(StoreError::Booking(BookingError::Conflict))));
    let approved = store
        .bookings()
        .decide_booking(booked.id, &Verdict::Approve, Approver::Site, net.anna.id, at(8))
        .await
        .unwrap();
    assert_eq!((approved.status, approved.awaits_organisation), (BookingStatus::Confirmed, false));

    // Without a site approval to follow, the organisation's approval confirms; its decline frees
    // the space with the reason.
    let alone = NewBooking { awaits_organisation: true, ..pending(&net.desks[1], net.bertil.id, 13, 15) };
    let alone = store.bookings().book(alone).await.unwrap();
    let last = Approver::Organisation { site_next: false };
    let confirmed =
        store.bookings().decide_booking(alone.id, &Verdict::Approve, last, net.anna.id, at(7)).await.unwrap();
    assert_eq!(confirmed.status, BookingStatus::Confirmed);
    let refused = NewBooking { awaits_organisation: true, ..pending(&net.desks[0], net.bertil.id, 16, 18) };
    let refused = store.bookings().book(refused).await.unwrap();
    let declined = store
        .bookings()
        .decide_booking(refused.id, &decline("Over the month's hub days"), organisation, net.anna.id, at(7))
        .await
        .unwrap();
    assert_eq!(declined.status, BookingStatus::Declined);
    assert_eq!(declined.decision.unwrap().reason.as_deref(), Some("Over the month's hub days"));
    store.bookings().book(booking(&net.desks[0], net.anna.id, range(16, 17))).await.unwrap();
});
