//! One organisation cannot see or change another's private data; writes need the right role.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, in_language};

#[tokio::test]
async fn a_member_of_one_organisation_cannot_see_the_people_of_another() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let bjorn = format!("/api/v1/people/{}", net.bjorn.person.id);
    assert_eq!(app.get(&bjorn, &net.aino).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&bjorn, &net.agency_admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&bjorn, &net.region_admin).await.status, StatusCode::OK);
    assert_eq!(app.get(&bjorn, &net.platform).await.status, StatusCode::OK);
    let region_people = format!("/api/v1/people?organisation={}", net.region.id);
    assert_eq!(app.get(&region_people, &net.aino).await.status, StatusCode::NOT_FOUND);
    let colleagues = app.get("/api/v1/people", &net.aino).await;
    let emails: Vec<&str> = colleagues.body.as_array().unwrap().iter().map(|p| p["email"].as_str().unwrap()).collect();
    assert!(emails.contains(&"aino@agency.example"));
    assert!(!emails.iter().any(|e| e.ends_with("region.example")), "{emails:?}");
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{}/units", net.region.id), &net.aino).await.status,
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

#[tokio::test]
async fn a_member_of_one_organisation_cannot_see_or_cancel_anothers_bookings() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let booked = app.book_day(&net.bjorn, &net.ostersund_desks[0], "2026-11-24").await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let path = format!("/api/v1/bookings/{}", booked.body["id"].as_str().unwrap());
    for outsider in [&net.aino, &net.agency_admin, &net.lab_host] {
        assert_eq!(app.get(&path, outsider).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.delete(&path, outsider).await.status, StatusCode::NOT_FOUND);
    }
    let bjorns = format!("/api/v1/bookings?person={}", net.bjorn.person.id);
    assert_eq!(app.get(&bjorns, &net.aino).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/bookings?site={}", net.ostersund.id), &net.aino).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get(&bjorns, &net.region_admin).await.body.as_array().unwrap().len(), 1);
    assert_eq!(app.get(&path, &net.region_admin).await.status, StatusCode::OK);
    // The booking is still there after the attempts.
    assert_eq!(app.get(&path, &net.bjorn).await.body["status"], "confirmed");
    app.finish().await;
}

#[tokio::test]
async fn a_site_host_sees_the_bookings_at_their_site_from_any_organisation() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    app.post(&format!("/api/v1/sites/{}/registration", net.lab.id), &net.bjorn, json!({})).await;
    let booked = app.book_day(&net.bjorn, &net.lab_desks[1], "2026-11-24").await;
    assert_eq!(booked.status, StatusCode::CREATED);
    let at_lab = app.get(&format!("/api/v1/bookings?site={}", net.lab.id), &net.lab_host).await;
    assert_eq!(at_lab.body.as_array().unwrap().len(), 1);
    let path = format!("/api/v1/bookings/{}", booked.body["id"].as_str().unwrap());
    assert_eq!(app.get(&path, &net.lab_host).await.status, StatusCode::OK);
    // The host cannot read Björn's profile: hosting a site is not a view into people.
    assert_eq!(
        app.get(&format!("/api/v1/people/{}", net.bjorn.person.id), &net.lab_host).await.status,
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

#[tokio::test]
async fn an_organisation_cannot_change_anothers_sites_people_or_organisation() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let site = app.get(&format!("/api/v1/sites/{}", net.ostersund.id), &net.aino).await;
    assert_eq!(site.status, StatusCode::OK, "sites are a shared directory");
    let mut changed = site.body.clone();
    changed.as_object_mut().unwrap().remove("id");
    changed["name"]["en"] = json!("Taken over");
    let path = format!("/api/v1/sites/{}", net.ostersund.id);
    for outsider in [&net.aino, &net.agency_admin, &net.lab_host] {
        let reply = app.put(&path, outsider, changed.clone()).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::FORBIDDEN, "access_denied"), "{}", reply.body);
    }
    assert_eq!(app.get(&path, &net.aino).await.body["name"]["en"], "ostersund en");
    let by_owner = app.put(&path, &net.region_admin, changed.clone()).await;
    assert_eq!(by_owner.status, StatusCode::OK, "{}", by_owner.body);

    let person = json!({"organisation_id": net.region.id, "name": "Intruder", "email": "intruder@region.example"});
    assert_eq!(app.post("/api/v1/people", &net.agency_admin, person.clone()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/v1/people", &net.region_admin, person).await.status, StatusCode::CREATED);
    let organisation = json!({"code": "region", "name": {"en": "Renamed"}, "kind": "region", "country": "SE"});
    let path = format!("/api/v1/organisations/{}", net.region.id);
    assert_eq!(app.put(&path, &net.agency_admin, organisation.clone()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.put(&path, &net.region_admin, organisation).await.status, StatusCode::OK);
    let new_org = json!({"code": "new", "name": {"en": "New"}, "kind": "other", "country": "FI"});
    assert_eq!(
        app.post("/api/v1/organisations", &net.agency_admin, new_org.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.post("/api/v1/organisations", &net.platform, new_org).await.status, StatusCode::CREATED);
    app.finish().await;
}

#[tokio::test]
async fn roles_are_granted_only_within_reach() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let aino_roles = format!("/api/v1/people/{}/roles", net.aino.person.id);
    let lab_host = json!([{"role": "site_host", "site_id": net.lab.id}]);
    assert_eq!(app.put(&aino_roles, &net.aino, lab_host.clone()).await.status, StatusCode::FORBIDDEN);
    let granted = app.put(&aino_roles, &net.agency_admin, lab_host).await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    assert_eq!(granted.body, json!([{"role": "site_host", "site_id": net.lab.id}]));
    let platform = json!([{"role": "platform_admin"}]);
    assert_eq!(app.put(&aino_roles, &net.agency_admin, platform).await.status, StatusCode::FORBIDDEN);
    let foreign_host = json!([{"role": "site_host", "site_id": net.ostersund.id}]);
    assert_eq!(app.put(&aino_roles, &net.agency_admin, foreign_host).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.put(&format!("/api/v1/people/{}/roles", net.bjorn.person.id), &net.agency_admin, json!([])).await.status,
        StatusCode::NOT_FOUND
    );
    // Aino now hosts the lab and may rename it.
    let me = app.get("/api/v1/me", &net.aino).await;
    assert_eq!(me.body["roles"], json!([{"role": "site_host", "site_id": net.lab.id}]));
    app.finish().await;
}

#[tokio::test]
async fn moving_a_person_to_another_organisation_ends_their_admin_role_in_the_old_one() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let admin = format!("/api/v1/people/{}", net.agency_admin.person.id);
    let mut moved = app.get(&admin, &net.platform).await.body;
    for key in ["id", "active"] {
        moved.as_object_mut().unwrap().remove(key);
    }
    moved["organisation_id"] = json!(net.region.id);
    moved["home"] = serde_json::Value::Null;
    let reply = app.put(&admin, &net.platform, moved).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let me = app.get("/api/v1/me", &net.agency_admin).await;
    assert_eq!(me.body["roles"], json!([]), "the old admin role survived the move");
    assert_eq!(
        app.get(&format!("/api/v1/people/{}", net.aino.person.id), &net.agency_admin).await.status,
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

#[tokio::test]
async fn an_organisation_admin_cannot_change_a_platform_admin() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let platform = format!("/api/v1/people/{}", net.platform.person.id);
    let mut body = app.get(&platform, &net.agency_admin).await.body;
    body.as_object_mut().unwrap().remove("id");
    body["active"] = json!(false);
    assert_eq!(app.put(&platform, &net.agency_admin, body.clone()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.put(&format!("{platform}/roles"), &net.agency_admin, json!([])).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/me", &net.platform).await.status, StatusCode::OK, "the platform admin was locked out");
    app.finish().await;
}

#[tokio::test]
async fn a_new_person_speaks_their_countrys_language_and_lives_at_kilometre_precision() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let body = json!({"organisation_id": net.region.id, "name": "Sara Berg", "email": "sara@region.example",
        "home_municipality": "SE-2321", "home": {"lat": 63.398_765, "lon": 13.081_234}});
    let reply = app.post("/api/v1/people", &net.region_admin, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["language"], "sv");
    assert_eq!(reply.body["home"], json!({"lat": 63.4, "lon": 13.08}));
    let nul = json!({"organisation_id": net.region.id, "name": "Nul\u{0}", "email": "nul@region.example"});
    let refused = app.post("/api/v1/people", &net.region_admin, nul).await;
    assert_eq!(
        (refused.status, refused.body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("name"))
    );
    app.finish().await;
}

#[tokio::test]
async fn role_tags_are_set_by_the_organisations_admins_and_seen_only_inside_it() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let path = format!("/api/v1/people/{}/role-tags", net.aino.person.id);
    let tags = json!([" Cross-sector  Coordinator", "cross-sector coordinator"]);
    let set = app.put(&path, &net.agency_admin, tags.clone()).await;
    assert_eq!((set.status, set.body.clone()), (StatusCode::OK, json!(["cross-sector coordinator"])));
    assert_eq!(app.get(&path, &net.aino).await.body, json!(["cross-sector coordinator"]));
    // Not by the person, not across organisations; another organisation cannot even see them.
    assert_eq!(app.put(&path, &net.aino, json!([])).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.put(&path, &net.region_admin, json!([])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&path, &net.bjorn).await.status, StatusCode::NOT_FOUND);
    let bad = app.put(&path, &net.agency_admin, json!(["  "])).await;
    assert_eq!(
        (bad.status, bad.body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("role_tags"))
    );
    assert_eq!(app.get(&path, &net.aino).await.body, json!(["cross-sector coordinator"]));
    let log = app
        .get(&format!("/api/v1/organisations/{}/audit?action=role_tags.replaced", net.agency.id), &net.agency_admin)
        .await;
    assert_eq!(log.body.as_array().map(Vec::len), Some(1), "{}", log.body);
    assert_eq!(log.body[0]["detail"]["added"], json!(["cross-sector coordinator"]));
    app.finish().await;
}

#[tokio::test]
async fn a_person_gives_or_removes_their_own_home_municipality_and_nothing_more() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let set = app.put("/api/v1/me/home", &net.aino, json!({"municipality": "FI-049"})).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.body["home_municipality"], "FI-049");
    let centre = hubnet_server::geography::municipality("FI-049".parse().unwrap()).unwrap().centre;
    assert!((set.body["home"]["lat"].as_f64().unwrap() - centre.lat()).abs() < 0.01, "{}", set.body);
    let unknown = app.put("/api/v1/me/home", &net.aino, json!({"municipality": "FI-999"})).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let street = app.put("/api/v1/me/home", &net.aino, json!({"municipality": "FI-049", "street": "Katu 1"})).await;
    assert_eq!(street.status, StatusCode::UNPROCESSABLE_ENTITY, "only a municipality is taken");
    assert_eq!(app.get("/api/v1/me", &net.aino).await.body["person"]["home_municipality"], "FI-049");
    let cleared = app.put("/api/v1/me/home", &net.aino, json!({"municipality": null})).await;
    assert_eq!((cleared.body["home_municipality"].clone(), cleared.body["home"].clone()), (json!(null), json!(null)));
    app.finish().await;
}

#[tokio::test]
async fn in_finland_a_postal_code_gives_the_home_municipality_and_is_not_kept() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    // 02100 is Tapiola, in Espoo: Espoo becomes the home, measured from its centre.
    let set = app.put("/api/v1/me/home", &net.aino, json!({"postal_code": "02100"})).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.body["home_municipality"], "FI-049");
    let espoo = hubnet_server::geography::municipality("FI-049".parse().unwrap()).unwrap().centre;
    let home = (set.body["home"]["lat"].as_f64().unwrap(), set.body["home"]["lon"].as_f64().unwrap());
    assert!((home.0 - espoo.lat()).abs() < 0.01 && (home.1 - espoo.lon()).abs() < 0.01, "{}", set.body);
    let export = app.get("/api/v1/me/export", &net.aino).await;
    assert!(!export.body.to_string().contains("02100"), "the postal code is not kept: {}", export.body);
    // Given with the municipality it lies in, it is taken.
    let both = app.put("/api/v1/me/home", &net.aino, json!({"postal_code": " 02100 ", "municipality": "FI-049"})).await;
    assert_eq!(both.status, StatusCode::OK, "{}", both.body);

    // A code in another municipality than the one named, or no code at all, is refused in the
    // person's language, and the home stays as it was.
    for (language, elsewhere, unknown) in [
        ("fi", "Postinumero 00100 on kunnassa Helsinki, ei kunnassa Espoo.", "Postinumeroa 12345 ei ole olemassa."),
        ("sv", "Postnumret 00100 ligger i Helsingfors, inte i Esbo.", "Det finns inget finskt postnummer 12345."),
        ("en", "The postal code 00100 is in Helsinki, not in Espoo.", "There is no Finnish postal code 12345."),
    ] {
        let body = json!({"postal_code": "00100", "municipality": "FI-049"});
        let refused = in_language(&app, &net.aino, language, Method::PUT, "/api/v1/me/home", body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert_eq!(refused.code(), "postal_code_in_another_municipality");
        assert_eq!(refused.body["error"]["field"], "postal_code");
        assert_eq!(refused.message(), elsewhere);
        let body = json!({"postal_code": "12345"});
        let refused = in_language(&app, &net.aino, language, Method::PUT, "/api/v1/me/home", body).await;
        assert_eq!(refused.code(), "unknown_postal_code");
        assert!(refused.message().starts_with(unknown), "{}", refused.message());
    }
    let body = json!({"postal_code": "SE-2380"});
    assert_eq!(app.put("/api/v1/me/home", &net.aino, body).await.code(), "unknown_postal_code");
    assert_eq!(app.get("/api/v1/me", &net.aino).await.body["person"]["home_municipality"], "FI-049");
    app.finish().await;
}

#[tokio::test]
async fn a_fixed_space_goes_only_to_an_active_person_who_may_use_the_site() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = crate::helpers::karin(&app).await;
    // The region's Östersund office is for the region's own people only.
    let path = format!("/api/v1/sites/{}/spaces", net.ostersund.id);
    let fixed = |who: &hubnet_domain::Person| {
        json!({"floor_id": net.ostersund_desks[0].floor_id, "kind": "desk", "name": format!("Fixed {}", who.name),
            "bookable": false, "assigned_to": who.id})
    };
    let foreign = app.post(&path, &net.region_admin, fixed(&net.aino.person)).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", foreign.body);
    assert_eq!(foreign.body["error"]["field"], "assigned_to");
    let mut nobody = fixed(&net.aino.person);
    nobody["assigned_to"] = json!(uuid::Uuid::now_v7());
    let unknown = app.post(&path, &net.region_admin, nobody).await;
    assert_eq!((unknown.status, unknown.message()), (foreign.status, foreign.message()), "the same answer");
    let spaces_before = app.get(&path, &net.region_admin).await.body.as_array().unwrap().len();

    let own = app.post(&path, &net.region_admin, fixed(&karin.person)).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    assert_eq!(own.body["assigned_to"], json!(karin.person.id));
    assert_eq!(app.get(&path, &net.region_admin).await.body.as_array().unwrap().len(), spaces_before + 1);
    app.finish().await;
}
