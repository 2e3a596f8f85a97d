//! The audit log, the analyst and HR roles, and erasing a person.

use chrono::{Duration, Utc};
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::utilisation::HourSpan;
use hubnet_domain::{BookingStatus, OrganisationId, PersonId, Role, TimeRange};
use hubnet_store::audit::{Actor, AuditEntry, AuditQuery, Erasure};
use hubnet_store::{NewSession, StoreError};
use serde_json::json;

use crate::contract;
use crate::fixtures::*;

fn entry(organisation: OrganisationId, actor: Actor, action: AuditAction, n: u32) -> AuditEntry {
    AuditEntry {
        id: new_id(),
        organisation_id: organisation,
        at: at(8) + Duration::minutes(i64::from(n)),
        actor,
        action,
        subject_kind: SubjectKind::Site,
        subject_id: Some(new_id()),
        detail: json!({"n": n, "changed": ["name"]}),
    }
}

fn query(organisation: OrganisationId, limit: u32) -> AuditQuery {
    AuditQuery { organisation, action: None, after: None, limit }
}

contract!(lists_an_organisations_audit_log_newest_first_a_page_at_a_time, |store| {
    let net = network(store.as_ref()).await;
    let mut written = Vec::new();
    for n in 0..5 {
        let action = if n % 2 == 0 { AuditAction::SiteUpdated } else { AuditAction::PersonViewed };
        let e = entry(net.agency.id, Actor::Person(net.anna.id), action, n);
        store.audit().append_audit(&e).await.unwrap();
        written.push(e);
    }
    let cli = entry(net.agency.id, Actor::Label("command line".into()), AuditAction::ImportApplied, 5);
    store.audit().append_audit(&cli).await.unwrap();
    written.push(cli);
    // Another organisation's entry never shows in the agency's log.
    store
        .audit()
        .append_audit(&entry(net.region.id, Actor::Person(net.bertil.id), AuditAction::SiteUpdated, 9))
        .await
        .unwrap();

    let first = store.audit().list_audit(&query(net.agency.id, 4)).await.unwrap();
    let second =
        store.audit().list_audit(&AuditQuery { after: Some(first[3].id), ..query(net.agency.id, 4) }).await.unwrap();
    let newest_first: Vec<AuditEntry> = written.iter().rev().cloned().collect();
    assert_eq!(first, newest_first[..4]);
    assert_eq!(second, newest_first[4..]);
    assert_eq!(first[0].actor, Actor::Label("command line".into()));
    assert_eq!(first[1].detail, json!({"n": 4, "changed": ["name"]}));

    let views = store
        .audit()
        .list_audit(&AuditQuery { action: Some(AuditAction::PersonViewed), ..query(net.agency.id, 10) })
        .await
        .unwrap();
    assert_eq!(views.iter().map(|e| e.detail["n"].as_u64().unwrap()).collect::<Vec<_>>(), vec![3, 1]);
    let region = store.audit().list_audit(&query(net.region.id, 10)).await.unwrap();
    assert_eq!(region.len(), 1);
    assert_eq!(region[0].actor, Actor::Person(net.bertil.id));
});

contract!(an_audit_entry_has_an_object_for_detail_and_an_existing_actor, |store| {
    let net = network(store.as_ref()).await;
    let mut bad = entry(net.agency.id, Actor::Person(net.anna.id), AuditAction::SiteUpdated, 0);
    bad.detail = json!(["not", "an", "object"]);
    assert!(matches!(store.audit().append_audit(&bad).await, Err(StoreError::Invalid(_))));
    let ghost = entry(net.agency.id, Actor::Person(new_id()), AuditAction::SiteUpdated, 0);
    assert!(store.audit().append_audit(&ghost).await.is_err());
    assert!(store.audit().list_audit(&query(net.agency.id, 10)).await.unwrap().is_empty());
});

contract!(keeps_analyst_and_hr_roles_and_ends_them_when_the_person_moves, |store| {
    let net = network(store.as_ref()).await;
    let analyst = Role::Analyst { organisation_id: net.agency.id };
    let hr = Role::Hr { organisation_id: net.agency.id };
    let host = Role::SiteHost { site_id: net.site.id };
    store.people().replace_roles(net.anna.id, &[analyst, hr, host]).await.unwrap();
    let mut roles = store.people().roles_of(net.anna.id).await.unwrap();
    roles.sort_by_key(|r| r.key());
    assert_eq!(roles, vec![analyst, hr, host]);
    store.tokens().create_token(new_id(), net.anna.id, &[4; 32], "t", Utc::now()).await.unwrap();
    let me = store.tokens().principal_by_token(&[4; 32]).await.unwrap();
    assert!(me.is_analyst_of(net.agency.id) && me.is_hr_of(net.agency.id) && !me.administers(net.agency.id));
    let mut moved = net.anna.clone();
    moved.organisation_id = net.region.id;
    moved.unit_id = None;
    store.people().save_person(&moved).await.unwrap();
    assert_eq!(store.people().roles_of(net.anna.id).await.unwrap(), vec![host]);
});

contract!(erasing_a_person_keeps_the_statistics_and_nothing_that_names_them, |store| {
    let net = network(store.as_ref()).await;
    let admin = person(&net.agency, "admin@dvv.example");
    store.people().save_person(&admin).await.unwrap();
    let anna = net.anna.id;
    // Anna's morning has begun when she is erased at 10:00; her afternoon has not.
    let morning = store.bookings().book(booking(&net.desks[0], anna, range(8, 12))).await.unwrap();
    let afternoon = store.bookings().book(booking(&net.desks[1], anna, range(13, 15))).await.unwrap();
    let mut yesterday = booking(&net.parking, anna, range(8, 9));
    yesterday.range = TimeRange::new(at(8) - Duration::days(1), at(9) - Duration::days(1)).unwrap();
    let yesterday = store.bookings().book(yesterday).await.unwrap();
    store.bookings().book(booking(&net.desks[2], net.bertil.id, range(13, 15))).await.unwrap();
    let mut fixed = net.desks[2].clone();
    fixed.id = new_id();
    fixed.name = "Anna's".into();
    fixed.bookable = false;
    fixed.assigned_to = Some(anna);
    store.sites().save_space(&fixed).await.unwrap();
    store.people().replace_roles(anna, &[Role::Hr { organisation_id: net.agency.id }]).await.unwrap();
    store.tokens().create_token(new_id(), anna, &[5; 32], "laptop", Utc::now()).await.unwrap();
    // (A new password ends sessions: set it first.)
    store.sign_in().set_password(anna, "$argon2id$fake", Utc::now()).await.unwrap();
    store
        .sign_in()
        .create_session(&NewSession {
            token_hash: [6; 32],
            person_id: anna,
            csrf_token: "c".into(),
            created_at: Utc::now(),
            expires_at: Utc::now() + Duration::hours(1),
        })
        .await
        .unwrap();
    store
        .sign_in()
        .record_sign_in_failure("anna@dvv.example", Some("192.0.2.9"), Utc::now(), Utc::now() - Duration::hours(1))
        .await
        .unwrap();
    store.sites().register(net.site.id, anna, Utc::now()).await.unwrap();

    let past = TimeRange::new(at(0) - Duration::days(7), at(10)).unwrap();
    let count = |spans: Vec<HourSpan>| {
        let mut spans: Vec<_> = spans.into_iter().map(|s| (s.site_id, s.start_hour, s.end_hour, s.bookings)).collect();
        spans.sort_unstable();
        spans
    };
    let before = count(store.follow_up().booking_hours(net.agency.id, past).await.unwrap());
    assert_eq!(before.iter().map(|s| s.3).sum::<u64>(), 2);

    let audit = AuditEntry {
        id: new_id(),
        organisation_id: net.agency.id,
        at: at(10),
        actor: Actor::Person(admin.id),
        action: AuditAction::PersonErased,
        subject_kind: SubjectKind::Person,
        subject_id: Some(anna.into()),
        detail: json!({}),
    };
    let Erasure::Erased(report) = store.audit().erase_person(anna, at(10), &audit).await.unwrap() else {
        panic!("not erased")
    };
    assert_eq!((report.cancelled_bookings, report.kept_bookings), (1, 3));
    assert_eq!((report.tokens_deleted, report.sessions_ended), (1, 1));

    // The statistics of the past are what they were.
    assert_eq!(count(store.follow_up().booking_hours(net.agency.id, past).await.unwrap()), before);
    assert_eq!(store.bookings().get_booking(morning.id).await.unwrap().status, BookingStatus::Confirmed);
    assert_eq!(store.bookings().get_booking(yesterday.id).await.unwrap(), yesterday);
    assert_eq!(store.bookings().get_booking(afternoon.id).await.unwrap().status, BookingStatus::Cancelled);

    // Nothing left that names Anna or lets her in.
    let erased = store.people().get_person(anna).await.unwrap();
    assert_eq!(erased.email.as_str(), format!("erased-{anna}@erased.invalid"));
    assert_eq!(erased.name, hubnet_domain::person::ERASED_NAME);
    assert_eq!((erased.home, erased.home_municipality, erased.active), (None, None, false));
    assert_eq!((erased.organisation_id, erased.unit_id), (net.agency.id, net.anna.unit_id));
    assert!(matches!(store.people().person_by_email("anna@dvv.example").await, Err(StoreError::NotFound)));
    assert!(store.people().roles_of(anna).await.unwrap().is_empty());
    assert!(store.tokens().list_tokens(anna).await.unwrap().is_empty());
    assert!(matches!(store.tokens().principal_by_token(&[5; 32]).await, Err(StoreError::NotFound)));
    assert!(matches!(store.sign_in().session(&[6; 32], Utc::now()).await, Err(StoreError::NotFound)));
    assert!(matches!(store.sign_in().local_account("anna@dvv.example").await, Err(StoreError::NotFound)));
    assert!(matches!(store.sign_in().local_account(erased.email.as_str()).await, Err(StoreError::NotFound)));
    assert_eq!(store.sign_in().sign_in_failures("anna@dvv.example", Utc::now() - Duration::hours(1)).await.unwrap(), 0);
    assert!(!store.sites().is_registered(net.site.id, anna).await.unwrap());
    assert_eq!(store.sites().get_space(fixed.id).await.unwrap().assigned_to, None);
    assert_eq!(store.audit().erased_at(anna).await.unwrap(), Some(at(10)));
    assert_eq!(store.audit().erased_at(net.bertil.id).await.unwrap(), None);

    // The entry says what was done, by whom, to which record; nothing of Anna's data.
    let log = store.audit().list_audit(&query(net.agency.id, 10)).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, AuditAction::PersonErased);
    assert_eq!(log[0].actor, Actor::Person(admin.id));
    assert_eq!(log[0].detail["cancelled_bookings"], 1);
    let text = log[0].detail.to_string();
    for personal in ["anna", "dvv.example", "FI-111", "61.2"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }

    // Erased stays erased: a second erasure does nothing, and the record cannot be changed back.
    let again = AuditEntry { id: new_id(), ..audit.clone() };
    assert_eq!(store.audit().erase_person(anna, at(11), &again).await.unwrap(), Erasure::AlreadyErased);
    assert_eq!(store.audit().list_audit(&query(net.agency.id, 10)).await.unwrap().len(), 1);
    let mut back = net.anna.clone();
    back.active = true;
    assert!(
        matches!(store.people().save_person(&back).await, Err(StoreError::Invalid(e)) if e.reason == "person_erased")
    );
    assert_eq!(store.people().get_person(anna).await.unwrap(), erased);
    // Nobody else was touched.
    assert_eq!(store.people().get_person(net.bertil.id).await.unwrap(), net.bertil);
    assert!(matches!(
        store.audit().erase_person(PersonId::from(uuid::Uuid::now_v7()), at(10), &audit).await,
        Err(StoreError::NotFound)
    ));
});

contract!(a_failed_erasure_changes_nothing, |store| {
    let net = network(store.as_ref()).await;
    store.tokens().create_token(new_id(), net.anna.id, &[7; 32], "laptop", Utc::now()).await.unwrap();
    // An audit entry that cannot be written (an actor that does not exist) fails the erasure.
    let audit = AuditEntry {
        id: new_id(),
        organisation_id: net.agency.id,
        at: at(10),
        actor: Actor::Person(new_id()),
        action: AuditAction::PersonErased,
        subject_kind: SubjectKind::Person,
        subject_id: Some(net.anna.id.into()),
        detail: json!({}),
    };
    assert!(store.audit().erase_person(net.anna.id, at(10), &audit).await.is_err());
    assert_eq!(store.people().get_person(net.anna.id).await.unwrap(), net.anna);
    assert_eq!(store.audit().erased_at(net.anna.id).await.unwrap(), None);
    assert!(store.tokens().principal_by_token(&[7; 32]).await.is_ok());
});
