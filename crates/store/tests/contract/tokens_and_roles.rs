//! API tokens, roles and registrations.

use chrono::Utc;
use hubnet_domain::{Role, TokenId};
use hubnet_store::StoreError;

use crate::contract;
use crate::fixtures::*;

contract!(finds_the_holder_of_a_token_until_it_is_revoked, |store| {
    let net = network(store.as_ref()).await;
    let id: TokenId = new_id();
    let hash = [7u8; 32];
    store.tokens().create_token(id, net.anna.id, &hash, "laptop", Utc::now()).await.unwrap();
    let principal = store.tokens().principal_by_token(&hash).await.unwrap();
    assert_eq!(principal.person.id, net.anna.id);
    assert!(matches!(store.tokens().principal_by_token(&[8u8; 32]).await, Err(StoreError::NotFound)));
    let listed = store.tokens().list_tokens(net.anna.id).await.unwrap();
    assert_eq!((listed.len(), listed[0].label.as_str(), listed[0].revoked_at), (1, "laptop", None));
    store.tokens().revoke_token(id, Utc::now()).await.unwrap();
    assert!(matches!(store.tokens().principal_by_token(&hash).await, Err(StoreError::NotFound)));
    assert!(store.tokens().list_tokens(net.anna.id).await.unwrap()[0].revoked_at.is_some());
    assert!(matches!(store.tokens().revoke_token(new_id(), Utc::now()).await, Err(StoreError::NotFound)));
});

contract!(a_deactivated_person_cannot_use_their_token, |store| {
    let net = network(store.as_ref()).await;
    let hash = [9u8; 32];
    store.tokens().create_token(new_id(), net.anna.id, &hash, "cli", Utc::now()).await.unwrap();
    let mut anna = net.anna.clone();
    anna.active = false;
    store.people().save_person(&anna).await.unwrap();
    assert!(matches!(store.tokens().principal_by_token(&hash).await, Err(StoreError::NotFound)));
});

contract!(replaces_a_persons_roles_with_their_scopes, |store| {
    let net = network(store.as_ref()).await;
    let host = Role::SiteHost { site_id: net.site.id };
    let admin = Role::OrgAdmin { organisation_id: net.agency.id };
    store.people().replace_roles(net.anna.id, &[host, admin, Role::PlatformAdmin, host]).await.unwrap();
    let mut roles = store.people().roles_of(net.anna.id).await.unwrap();
    roles.sort_by_key(|r| r.key());
    assert_eq!(roles, vec![admin, Role::PlatformAdmin, host]);
    store.people().replace_roles(net.anna.id, &[admin]).await.unwrap();
    assert_eq!(store.people().roles_of(net.anna.id).await.unwrap(), vec![admin]);
    let principal = {
        store.tokens().create_token(new_id(), net.anna.id, &[1; 32], "t", Utc::now()).await.unwrap();
        store.tokens().principal_by_token(&[1; 32]).await.unwrap()
    };
    assert!(principal.administers(net.agency.id));
    assert!(!principal.administers(net.region.id));
    // A role for a site that does not exist is refused, and the old roles stand.
    let ghost = Role::SiteHost { site_id: new_id() };
    assert!(store.people().replace_roles(net.anna.id, &[ghost]).await.is_err());
    assert_eq!(store.people().roles_of(net.anna.id).await.unwrap(), vec![admin]);
});

contract!(moving_a_person_to_another_organisation_ends_their_admin_role_there, |store| {
    let net = network(store.as_ref()).await;
    let host = Role::SiteHost { site_id: net.site.id };
    store
        .people()
        .replace_roles(net.anna.id, &[Role::OrgAdmin { organisation_id: net.agency.id }, host])
        .await
        .unwrap();
    let mut moved = net.anna.clone();
    moved.organisation_id = net.region.id;
    moved.unit_id = None;
    store.people().save_person(&moved).await.unwrap();
    assert_eq!(store.people().roles_of(net.anna.id).await.unwrap(), vec![host]);
});

contract!(remembers_who_registered_at_a_site, |store| {
    let net = network(store.as_ref()).await;
    assert!(!store.sites().is_registered(net.site.id, net.bertil.id).await.unwrap());
    store.sites().register(net.site.id, net.bertil.id, Utc::now()).await.unwrap();
    store.sites().register(net.site.id, net.bertil.id, Utc::now()).await.unwrap();
    assert!(store.sites().is_registered(net.site.id, net.bertil.id).await.unwrap());
    assert!(!store.sites().is_registered(net.site.id, net.anna.id).await.unwrap());
});
