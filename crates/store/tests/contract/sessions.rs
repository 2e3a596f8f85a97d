//! Web sessions, local accounts and a person's language.

use chrono::{Duration, Utc};
use hubnet_domain::Language;
use hubnet_store::{NewSession, StoreError};

use crate::contract;
use crate::fixtures::*;

fn session(hash: u8, person: hubnet_domain::PersonId, minutes: i64) -> NewSession {
    let now = Utc::now();
    NewSession {
        token_hash: [hash; 32],
        person_id: person,
        csrf_token: format!("csrf-{hash}"),
        created_at: now - Duration::minutes(120),
        expires_at: now + Duration::minutes(minutes),
    }
}

contract!(a_session_lasts_until_it_expires_or_ends, |store| {
    let net = network(store.as_ref()).await;
    store.sign_in().create_session(&session(1, net.anna.id, 60)).await.unwrap();
    let found = store.sign_in().session(&[1; 32], Utc::now()).await.unwrap();
    assert_eq!((found.person_id, found.csrf_token.as_str()), (net.anna.id, "csrf-1"));
    // An hour later it has expired.
    assert!(matches!(
        store.sign_in().session(&[1; 32], Utc::now() + Duration::minutes(61)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(store.sign_in().session(&[2; 32], Utc::now()).await, Err(StoreError::NotFound)));
    store.sign_in().end_session(&[1; 32]).await.unwrap();
    assert!(matches!(store.sign_in().session(&[1; 32], Utc::now()).await, Err(StoreError::NotFound)));
    // Ending it again is harmless.
    store.sign_in().end_session(&[1; 32]).await.unwrap();
});

contract!(a_new_session_sweeps_expired_ones_and_a_deactivated_person_has_none, |store| {
    let net = network(store.as_ref()).await;
    let mut backwards = session(3, net.bertil.id, 1);
    backwards.expires_at = backwards.created_at;
    store.sign_in().create_session(&backwards).await.unwrap_err();
    store.sign_in().create_session(&session(3, net.bertil.id, 1)).await.unwrap();
    store.sign_in().create_session(&session(4, net.anna.id, 30)).await.unwrap();
    let mut anna = net.anna.clone();
    anna.active = false;
    store.people().save_person(&anna).await.unwrap();
    assert!(matches!(store.sign_in().session(&[4; 32], Utc::now()).await, Err(StoreError::NotFound)));
    assert!(store.sign_in().session(&[3; 32], Utc::now()).await.is_ok());
    // Bertil's session expires; the next one started removes it, so its hash is free again.
    let mut later = session(3, net.bertil.id, 60);
    later.created_at = Utc::now() + Duration::minutes(2);
    later.expires_at = later.created_at + Duration::minutes(60);
    store.sign_in().create_session(&later).await.unwrap();
    assert_eq!(
        store.sign_in().session(&[3; 32], later.created_at).await.unwrap().expires_at.timestamp(),
        later.expires_at.timestamp()
    );
});

contract!(a_local_account_is_found_by_email_for_active_people_only, |store| {
    let net = network(store.as_ref()).await;
    assert!(matches!(store.sign_in().local_account(net.anna.email.as_str()).await, Err(StoreError::NotFound)));
    store.sign_in().set_password(net.anna.id, "$argon2id$first", Utc::now()).await.unwrap();
    store.sign_in().set_password(net.anna.id, "$argon2id$second", Utc::now()).await.unwrap();
    let (id, hash) = store.sign_in().local_account(&net.anna.email.as_str().to_uppercase()).await.unwrap();
    assert_eq!((id, hash.as_str()), (net.anna.id, "$argon2id$second"));
    // A new password ends the sessions begun before it, and only the person's own.
    store.sign_in().create_session(&session(6, net.anna.id, 60)).await.unwrap();
    store.sign_in().create_session(&session(7, net.bertil.id, 60)).await.unwrap();
    store.sign_in().set_password(net.anna.id, "$argon2id$third", Utc::now()).await.unwrap();
    assert!(matches!(store.sign_in().session(&[6; 32], Utc::now()).await, Err(StoreError::NotFound)));
    assert!(store.sign_in().session(&[7; 32], Utc::now()).await.is_ok());
    let mut anna = net.anna.clone();
    anna.active = false;
    store.people().save_person(&anna).await.unwrap();
    assert!(matches!(store.sign_in().local_account(net.anna.email.as_str()).await, Err(StoreError::NotFound)));
});

contract!(a_person_changes_language_and_the_principal_follows, |store| {
    let net = network(store.as_ref()).await;
    let before = store.people().principal_of(net.anna.id).await.unwrap();
    let other = if before.person.language == Language::Sv { Language::Fi } else { Language::Sv };
    store.people().set_language(net.anna.id, other).await.unwrap();
    assert_eq!(store.people().principal_of(net.anna.id).await.unwrap().person.language, other);
    assert_eq!(store.people().get_person(net.anna.id).await.unwrap().language, other);
    assert!(matches!(store.people().set_language(new_id(), other).await, Err(StoreError::NotFound)));
    assert!(matches!(store.people().principal_of(new_id()).await, Err(StoreError::NotFound)));
});

contract!(failed_sign_ins_are_counted_per_email_and_per_address_within_a_window, |store| {
    let now = Utc::now();
    let forget = now - Duration::minutes(60);
    let address = Some("192.0.2.7");
    for minutes in [30, 10, 5] {
        store
            .sign_in()
            .record_sign_in_failure("Anna@Agency.example", address, now - Duration::minutes(minutes), forget)
            .await
            .unwrap();
    }
    store.sign_in().record_sign_in_failure("someone.else@agency.example", address, now, forget).await.unwrap();
    store.sign_in().record_sign_in_failure("third@agency.example", None, now, forget).await.unwrap();
    assert_eq!(store.sign_in().sign_in_failures("anna@agency.example", now - Duration::minutes(15)).await.unwrap(), 2);
    assert_eq!(store.sign_in().sign_in_failures("ANNA@agency.example ", now - Duration::minutes(60)).await.unwrap(), 3);
    // From one address, whatever the email; a failure without an address counts for none.
    assert_eq!(store.sign_in().sign_in_failures_from("192.0.2.7", now - Duration::minutes(15)).await.unwrap(), 3);
    assert_eq!(store.sign_in().sign_in_failures_from("192.0.2.7", forget).await.unwrap(), 4);
    assert_eq!(store.sign_in().sign_in_failures_from("2001:db8::1", forget).await.unwrap(), 0);
    // Old failures are forgotten when a new one is counted.
    store
        .sign_in()
        .record_sign_in_failure("someone.else@agency.example", None, now, now - Duration::minutes(20))
        .await
        .unwrap();
    assert_eq!(store.sign_in().sign_in_failures("anna@agency.example", now - Duration::minutes(60)).await.unwrap(), 2);
    assert_eq!(store.sign_in().sign_in_failures_from("192.0.2.7", forget).await.unwrap(), 3);
    assert_eq!(store.sign_in().sign_in_failures("nobody@agency.example", forget).await.unwrap(), 0);
});
