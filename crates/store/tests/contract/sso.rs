//! Single sign-on: identity providers and the people they sign in.

use chrono::Utc;
use hubnet_domain::sso::{Assertion, IdentityProvider};
use hubnet_domain::{Email, IdentityProviderId, Language, PersonId};
use hubnet_store::{SsoSignIn, StoreError};

use crate::contract;
use crate::fixtures::*;

fn provider(organisation: hubnet_domain::OrganisationId, issuer: &str, domain: &str) -> IdentityProvider {
    IdentityProvider {
        id: new_id::<IdentityProviderId>(),
        organisation_id: organisation,
        name: format!("{domain} Entra ID"),
        issuer: issuer.to_owned(),
        client_id: "hubnet".to_owned(),
        client_secret: Some("s3cret".to_owned()),
        email_domains: vec![domain.to_owned()],
    }
}

fn sign_in(provider: &IdentityProvider, subject: &str, email: &str, language: Option<Language>) -> SsoSignIn {
    SsoSignIn {
        organisation_id: provider.organisation_id,
        issuer: provider.issuer.clone(),
        assertion: Assertion {
            subject: subject.to_owned(),
            tenant_id: Some("tenant".to_owned()),
            email: Email::parse(email).unwrap(),
            name: format!("Name of {subject}"),
            language,
        },
        new_person: new_id::<PersonId>(),
        fallback_language: Language::En,
        at: Utc::now(),
    }
}

contract!(identity_providers_are_kept_per_organisation_with_their_secret, |store| {
    let net = network(store.as_ref()).await;
    let a = provider(net.agency.id, "https://login.microsoftonline.com/a/v2.0", "dvv.example");
    let mut b = provider(net.region.id, "https://login.microsoftonline.com/b/v2.0", "regionjh.example");
    store.sso().save_identity_provider(&a).await.unwrap();
    store.sso().save_identity_provider(&b).await.unwrap();
    assert_eq!(store.sso().get_identity_provider(a.id).await.unwrap(), a);
    assert_eq!(store.sso().list_identity_providers(Some(net.region.id)).await.unwrap(), [b.clone()]);
    assert_eq!(store.sso().list_identity_providers(None).await.unwrap().len(), 2);
    // One issuer, one provider.
    let mut copy = provider(net.region.id, &a.issuer, "regionjh.example");
    copy.name = "copy".into();
    assert!(matches!(store.sso().save_identity_provider(&copy).await, Err(StoreError::Duplicate(_))));
    b.email_domains.push("jamtland.example".into());
    b.client_secret = None;
    store.sso().save_identity_provider(&b).await.unwrap();
    assert_eq!(store.sso().get_identity_provider(b.id).await.unwrap(), b);
    store.sso().delete_identity_provider(b.id).await.unwrap();
    assert!(matches!(store.sso().get_identity_provider(b.id).await, Err(StoreError::NotFound)));
    assert!(matches!(store.sso().delete_identity_provider(b.id).await, Err(StoreError::NotFound)));
});

contract!(a_first_sign_in_creates_the_person_and_later_ones_refresh_name_and_language, |store| {
    let net = network(store.as_ref()).await;
    let idp = provider(net.agency.id, "https://login.microsoftonline.com/a/v2.0", "dvv.example");
    store.sso().save_identity_provider(&idp).await.unwrap();
    let first = sign_in(&idp, "oid-sari", "sari@dvv.example", None);
    let outcome = store.sso().sso_person(&first).await.unwrap();
    assert!(outcome.created);
    assert_eq!(outcome.person_id, first.new_person);
    let sari = store.people().get_person(outcome.person_id).await.unwrap();
    assert_eq!(
        (sari.organisation_id, sari.email.as_str(), sari.language),
        (net.agency.id, "sari@dvv.example", Language::En)
    );
    assert!(sari.active);

    // The same subject again, renamed and now with a locale: the same person, refreshed.
    let mut again = sign_in(&idp, "oid-sari", "sari@dvv.example", Some(Language::Sv));
    again.assertion.name = "Sari Saarinen-Berg".into();
    let outcome = store.sso().sso_person(&again).await.unwrap();
    assert!(!outcome.created);
    assert_eq!(outcome.person_id, sari.id);
    let sari = store.people().get_person(sari.id).await.unwrap();
    assert_eq!((sari.name.as_str(), sari.language), ("Sari Saarinen-Berg", Language::Sv));
    // No locale next time: the language stays.
    store.sso().sso_person(&sign_in(&idp, "oid-sari", "sari@dvv.example", None)).await.unwrap();
    assert_eq!(store.people().get_person(sari.id).await.unwrap().language, Language::Sv);
});

contract!(a_provisioned_person_is_linked_once_and_an_address_never_crosses_organisations, |store| {
    let net = network(store.as_ref()).await;
    let idp = provider(net.agency.id, "https://login.microsoftonline.com/a/v2.0", "dvv.example");
    store.sso().save_identity_provider(&idp).await.unwrap();
    // Anna was imported before she first signed in: she is linked, not duplicated.
    let outcome =
        store.sso().sso_person(&sign_in(&idp, "oid-anna", "anna@dvv.example", Some(Language::Fi))).await.unwrap();
    assert_eq!(outcome.person_id, net.anna.id);
    assert!(!outcome.created);
    assert_eq!(store.people().get_person(net.anna.id).await.unwrap().language, Language::Fi);
    // Another account at the same provider now claiming Anna's address gets nothing.
    let other = sign_in(&idp, "oid-impostor", "anna@dvv.example", None);
    assert!(matches!(store.sso().sso_person(&other).await, Err(StoreError::Duplicate("email"))));
    // Nor does a provider of another organisation that asserts Bertil's address.
    let foreign = provider(net.agency.id, "https://login.microsoftonline.com/c/v2.0", "regionjh.example");
    store.sso().save_identity_provider(&foreign).await.unwrap();
    let taken = sign_in(&foreign, "oid-x", "bertil@regionjh.example", None);
    assert!(matches!(store.sso().sso_person(&taken).await, Err(StoreError::Duplicate("email"))));
    // Nothing was written by the refused sign-ins.
    assert_eq!(store.people().get_person(net.bertil.id).await.unwrap(), net.bertil);
    assert!(matches!(store.people().get_person(other.new_person).await, Err(StoreError::NotFound)));
    assert!(matches!(store.people().get_person(taken.new_person).await, Err(StoreError::NotFound)));
    // The same subject key at another issuer is another identity.
    let second = provider(net.agency.id, "https://login.microsoftonline.com/d/v2.0", "dvv.example");
    store.sso().save_identity_provider(&second).await.unwrap();
    let outcome = store.sso().sso_person(&sign_in(&second, "oid-anna", "anna@dvv.example", None)).await.unwrap();
    assert_eq!(outcome.person_id, net.anna.id);
});

contract!(a_person_provisioned_with_the_object_id_as_external_id_is_linked_by_it, |store| {
    let net = network(store.as_ref()).await;
    let idp = provider(net.agency.id, "https://login.microsoftonline.com/a/v2.0", "dvv.example");
    store.sso().save_identity_provider(&idp).await.unwrap();
    // Entra provisioned her with externalId = her object id, under her old address.
    let person = person(&net.agency, "eeva.old@dvv.example");
    let provisioned = hubnet_store::scim::ProvisionedPerson {
        person: person.clone(),
        external_id: Some("oid-eeva".into()),
        given_name: None,
        family_name: None,
        updated_at: Utc::now(),
    };
    store.scim().create_scim_person(&provisioned, Utc::now()).await.unwrap();
    // She signs in under her new address: the object id finds her, no second account.
    let outcome = store.sso().sso_person(&sign_in(&idp, "oid-eeva", "eeva.new@dvv.example", None)).await.unwrap();
    assert_eq!((outcome.person_id, outcome.created), (person.id, false));
    // The same object id in another organisation's tenant is somebody else.
    let region_idp = provider(net.region.id, "https://login.microsoftonline.com/r/v2.0", "regionjh.example");
    store.sso().save_identity_provider(&region_idp).await.unwrap();
    let other = store.sso().sso_person(&sign_in(&region_idp, "oid-eeva", "eeva@regionjh.example", None)).await.unwrap();
    assert!(other.created);
});

contract!(an_erased_person_loses_their_identities_and_provider_ids, |store| {
    use hubnet_domain::audit::{AuditAction, SubjectKind};
    use hubnet_store::audit::{Actor, AuditEntry};
    let net = network(store.as_ref()).await;
    let idp = provider(net.agency.id, "https://login.microsoftonline.com/a/v2.0", "dvv.example");
    store.sso().save_identity_provider(&idp).await.unwrap();
    let first = store.sso().sso_person(&sign_in(&idp, "oid-anna", "anna@dvv.example", None)).await.unwrap();
    assert_eq!(first.person_id, net.anna.id);
    let audit = AuditEntry {
        id: new_id(),
        organisation_id: net.agency.id,
        at: Utc::now(),
        actor: Actor::Label("test".into()),
        action: AuditAction::PersonErased,
        subject_kind: SubjectKind::Person,
        subject_id: Some(net.anna.id.into()),
        detail: serde_json::json!({}),
    };
    store.audit().erase_person(net.anna.id, Utc::now(), &audit).await.unwrap();
    // The same account at the provider signing in again is somebody new, not the erased record.
    let again = store.sso().sso_person(&sign_in(&idp, "oid-anna", "anna@dvv.example", None)).await.unwrap();
    assert!(again.created);
    assert_ne!(again.person_id, net.anna.id);
    assert!(!store.people().get_person(net.anna.id).await.unwrap().active);
});

contract!(deactivating_a_person_however_signs_them_out_and_cancels_what_is_coming, |store| {
    let net = network(store.as_ref()).await;
    // A booking in 2030 (fixtures' dates) is still to come.
    let coming = store.bookings().book(booking(&net.desks[0], net.anna.id, range(9, 17))).await.unwrap();
    store
        .sign_in()
        .create_session(&hubnet_store::NewSession {
            token_hash: [9; 32],
            person_id: net.anna.id,
            csrf_token: "c".into(),
            created_at: Utc::now(),
            expires_at: Utc::now() + chrono::Duration::hours(1),
        })
        .await
        .unwrap();
    let mut anna = net.anna.clone();
    anna.active = false;
    store.people().save_person(&anna).await.unwrap();
    assert_eq!(store.bookings().get_booking(coming.id).await.unwrap().status, hubnet_domain::BookingStatus::Cancelled);
    // The session row is gone, not merely hidden, so reactivation does not revive it.
    anna.active = true;
    store.people().save_person(&anna).await.unwrap();
    assert!(matches!(store.sign_in().session(&[9; 32], Utc::now()).await, Err(StoreError::NotFound)));
});
