//! Policy versions and people's role tags.

use chrono::{NaiveDate, Utc};
use hubnet_store::{NewPolicyVersion, StoreError};
use serde_json::json;

use crate::contract;
use crate::fixtures::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, m, d).unwrap()
}

fn version(organisation: hubnet_domain::OrganisationId, from: NaiveDate, km: u32) -> NewPolicyVersion {
    NewPolicyVersion {
        organisation_id: organisation,
        valid_from: from,
        rules: json!([{"rule": "own_office_within", "km": km}]),
        changed_by: None,
        changed_at: Utc::now(),
    }
}

contract!(policy_versions_number_themselves_and_the_one_in_force_follows_the_dates, |store| {
    let net = network(store.as_ref()).await;
    assert_eq!(store.policies().policy_in_force(net.region.id, day(1, 1)).await.unwrap(), None);
    let mut first = version(net.region.id, day(1, 1), 70);
    first.changed_by = Some(net.bertil.id);
    let v1 = store.policies().add_policy_version(&first).await.unwrap();
    assert_eq!((v1.version, v1.changed_by), (1, Some(net.bertil.id)));
    // From March on, 100 km; a correction to January's made later is version 3 but applies
    // from January.
    assert_eq!(store.policies().add_policy_version(&version(net.region.id, day(3, 1), 100)).await.unwrap().version, 2);
    assert_eq!(store.policies().add_policy_version(&version(net.region.id, day(1, 1), 80)).await.unwrap().version, 3);
    // Versions of one organisation do not number another's.
    assert_eq!(store.policies().add_policy_version(&version(net.agency.id, day(1, 1), 50)).await.unwrap().version, 1);

    let km = |v: Option<hubnet_store::PolicyVersion>| v.map(|v| (v.version, v.rules[0]["km"].as_u64().unwrap()));
    assert_eq!(km(store.policies().policy_in_force(net.region.id, day(2, 15)).await.unwrap()), Some((3, 80)));
    assert_eq!(km(store.policies().policy_in_force(net.region.id, day(3, 1)).await.unwrap()), Some((2, 100)));
    assert_eq!(
        store.policies().policy_in_force(net.region.id, day(12, 31)).await.unwrap().unwrap().valid_from,
        day(3, 1)
    );
    let all = store.policies().policy_versions(net.region.id).await.unwrap();
    assert_eq!(all.iter().map(|v| v.version).collect::<Vec<_>>(), [3, 2, 1]);
    assert_eq!(all[2].changed_at.timestamp(), first.changed_at.timestamp());
    assert_eq!(all[2].rules, first.rules);
});

contract!(role_tags_are_replaced_whole_and_erased_with_the_person, |store| {
    let net = network(store.as_ref()).await;
    assert!(store.policies().role_tags(net.bertil.id).await.unwrap().is_empty());
    let tags = ["cross-sector coordinator".to_owned(), "analyst".to_owned()];
    store.policies().set_role_tags(net.bertil.id, &tags).await.unwrap();
    assert_eq!(store.policies().role_tags(net.bertil.id).await.unwrap(), ["analyst", "cross-sector coordinator"]);
    store.policies().set_role_tags(net.bertil.id, &tags[..1]).await.unwrap();
    assert_eq!(store.policies().role_tags(net.bertil.id).await.unwrap(), ["cross-sector coordinator"]);
    // A tag is 1 to 100 characters.
    assert!(store.policies().set_role_tags(net.bertil.id, &[String::new()]).await.is_err());
    assert_eq!(store.policies().role_tags(net.bertil.id).await.unwrap(), ["cross-sector coordinator"]);
    let audit = hubnet_store::audit::AuditEntry {
        id: new_id(),
        organisation_id: net.region.id,
        at: Utc::now(),
        actor: hubnet_store::audit::Actor::Label("test".into()),
        action: hubnet_domain::audit::AuditAction::PersonErased,
        subject_kind: hubnet_domain::audit::SubjectKind::Person,
        subject_id: Some(net.bertil.id.into()),
        detail: json!({}),
    };
    store.audit().erase_person(net.bertil.id, Utc::now(), &audit).await.unwrap();
    assert!(store.policies().role_tags(net.bertil.id).await.unwrap().is_empty());
    let unknown = hubnet_domain::PersonId::from(uuid::Uuid::now_v7());
    assert!(matches!(store.policies().set_role_tags(unknown, &tags).await, Err(StoreError::MissingReference)));
});
