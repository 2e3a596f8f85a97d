//! SCIM 2.0 provisioning driven as Microsoft Entra ID drives it: a bearer token per
//! organisation, `application/scim+json`, lookups by filter before creating, PATCH with
//! capitalised ops and booleans as strings, deactivation, and group membership.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::TimeZone;
use hubnet_domain::{BookingId, BookingStatus, TimeRange};
use hubnet_server::web::session::hash_password;
use hubnet_store::NewBooking;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, Who};

/// Makes (or replaces) an organisation's SCIM token as its admin.
async fn scim_token(app: &TestApp, admin: &Who, organisation: hubnet_domain::OrganisationId) -> String {
    let reply = app
        .call(Method::POST, &format!("/api/v1/organisations/{organisation}/scim-token"), Some(&admin.token), None)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["scim_path"], "/scim/v2");
    reply.body["token"].as_str().unwrap().to_owned()
}

/// A SCIM request as Entra ID sends it.
async fn scim(app: &TestApp, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(format!("/scim/v2{path}"))
        .header(header::HOST, "hubnet.example")
        .header("x-forwarded-proto", "https");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/scim+json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    app.send(request.body(body).unwrap()).await
}

fn patch(operations: Value) -> Value {
    let mut body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]});
    body["Operations"] = operations;
    body
}

/// A user as Entra ID's default mapping creates one.
fn entra_user(email: &str, object_id: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": object_id,
        "userName": email,
        "active": true,
        "displayName": "Maija Virtanen",
        "title": "Analyst",
        "emails": [{"primary": true, "type": "work", "value": email}],
        "name": {"givenName": "Maija", "familyName": "Virtanen"},
        "preferredLanguage": "fi-FI",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "IT"},
    })
}

fn filter(expression: &str) -> String {
    let encoded: String = expression
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("filter={encoded}")
}

/// Signs in through the sign-in form with a password; answers the session cookie if it worked.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> Option<String> {
    let form = format!(
        "csrf=abc&next=%2Fweek&email={}&password={}",
        hubnet_server::web::session::urlencode(email),
        hubnet_server::web::session::urlencode(password)
    );
    let request = Request::builder()
        .method(Method::POST)
        .uri("/sign-in")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, "hubnet_sign_in=abc")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let reply = app.send(request).await;
    reply.headers.get_all(header::SET_COOKIE).iter().find_map(|c| {
        let c = c.to_str().unwrap();
        c.strip_prefix("hubnet_session=")
            .map(|rest| rest.split(';').next().unwrap().to_owned())
            .filter(|v| !v.is_empty())
    })
}

async fn week_with(app: &TestApp, session: &str) -> StatusCode {
    let request = Request::builder()
        .uri("/week")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, format!("hubnet_session={session}"))
        .body(Body::empty())
        .unwrap();
    app.send(request).await.status
}

#[tokio::test]
async fn an_admin_makes_the_scim_token_and_a_new_one_replaces_the_old() {
    let app = TestApp::sqlite().await;
    let agency = app.net.agency.id;
    let path = format!("/api/v1/organisations/{agency}/scim-token");
    // Neither a member nor another organisation's admin may make one.
    for who in [&app.net.aino, &app.net.region_admin] {
        assert_eq!(app.call(Method::POST, &path, Some(&who.token), None).await.status, StatusCode::FORBIDDEN);
    }
    let first = scim_token(&app, &app.net.agency_admin, agency).await;
    assert!(first.starts_with("hnscim_"), "{first}");
    assert_eq!(scim(&app, Method::GET, "/Users", Some(&first), None).await.status, StatusCode::OK);

    let second = scim_token(&app, &app.net.platform, agency).await;
    let old = scim(&app, Method::GET, "/Users", Some(&first), None).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    assert_eq!(old.body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error");
    assert_eq!((old.body["status"].as_str(), old.body["code"].as_str()), (Some("401"), Some("unauthenticated")));
    assert_eq!(old.headers[header::WWW_AUTHENTICATE], "Bearer");
    assert_eq!(scim(&app, Method::GET, "/Users", Some(&second), None).await.status, StatusCode::OK);

    // The two kinds of token open nothing of each other's.
    assert_eq!(
        scim(&app, Method::GET, "/Users", Some(&app.net.agency_admin.token), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.call(Method::GET, "/api/v1/me", Some(&second), None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(scim(&app, Method::GET, "/Users", None, None).await.status, StatusCode::UNAUTHORIZED);

    let revoked = app.call(Method::DELETE, &path, Some(&app.net.agency_admin.token), None).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(scim(&app, Method::GET, "/Users", Some(&second), None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.call(Method::DELETE, &path, Some(&app.net.agency_admin.token), None).await.status,
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

#[tokio::test]
async fn entra_creates_finds_and_patches_a_user() {
    let app = TestApp::sqlite().await;
    let token = scim_token(&app, &app.net.agency_admin, app.net.agency.id).await;
    let created =
        scim(&app, Method::POST, "/Users", Some(&token), Some(entra_user("Maija.Virtanen@agency.example", "oid-1")))
            .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.headers[header::CONTENT_TYPE], "application/scim+json");
    let id = created.body["id"].as_str().unwrap().to_owned();
    let location = format!("https://hubnet.example/scim/v2/Users/{id}");
    assert_eq!(created.headers[header::LOCATION], location.as_str());
    assert_eq!(created.body["meta"]["location"], location.as_str());
    assert_eq!(created.body["meta"]["resourceType"], "User");
    assert_eq!(created.body["userName"], "maija.virtanen@agency.example");
    assert_eq!(created.body["displayName"], "Maija Virtanen");
    assert_eq!(created.body["name"]["givenName"], "Maija");
    assert_eq!(created.body["preferredLanguage"], "fi");
    assert_eq!(created.body["externalId"], "oid-1");
    assert_eq!(created.body["active"], true);

    // Entra looks a person up before creating them; attribute names and case do not matter.
    let found = scim(
        &app,
        Method::GET,
        &format!("/Users?{}", filter(r#"userName eq "MAIJA.virtanen@agency.example""#)),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:ListResponse");
    assert_eq!(
        (found.body["totalResults"].as_u64(), found.body["Resources"][0]["id"].as_str()),
        (Some(1), Some(id.as_str()))
    );
    let by_external =
        scim(&app, Method::GET, &format!("/Users?{}", filter(r#"externalid EQ "oid-1""#)), Some(&token), None).await;
    assert_eq!(by_external.body["totalResults"], 1);
    let nobody = scim(
        &app,
        Method::GET,
        &format!("/Users?{}", filter(r#"userName eq "nobody@agency.example""#)),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (nobody.body["totalResults"].as_u64(), nobody.body["Resources"].as_array().map(Vec::len)),
        (Some(0), Some(0))
    );

    let again =
        scim(&app, Method::POST, "/Users", Some(&token), Some(entra_user("maija.virtanen@agency.example", "oid-2")))
            .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        (again.body["scimType"].as_str(), again.body["code"].as_str()),
        (Some("uniqueness"), Some("already_exists"))
    );
    let taken_elsewhere =
        scim(&app, Method::POST, "/Users", Some(&token), Some(entra_user("bjorn@region.example", "oid-3"))).await;
    assert_eq!(taken_elsewhere.status, StatusCode::CONFLICT);

    // PATCH as Entra sends it: capitalised ops, a new given name alone, a locale tag.
    let ops = patch(json!([
        {"op": "Replace", "path": "name.givenName", "value": "Maria"},
        {"op": "Replace", "path": "preferredLanguage", "value": "sv-FI"},
        {"op": "Add", "path": "title", "value": "Lead"},
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "maija.virtanen@agency.example"},
    ]));
    let patched = scim(&app, Method::PATCH, &format!("/Users/{id}"), Some(&token), Some(ops)).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.body["displayName"], "Maria Virtanen");
    assert_eq!(patched.body["preferredLanguage"], "sv");
    // And without a path: an object of attributes.
    let ops = patch(json!([{"op": "replace", "value": {"displayName": "Maria V.", "externalId": "oid-9"}}]));
    let patched = scim(&app, Method::PATCH, &format!("/Users/{id}"), Some(&token), Some(ops)).await;
    assert_eq!(
        (patched.body["displayName"].as_str(), patched.body["externalId"].as_str()),
        (Some("Maria V."), Some("oid-9"))
    );
    let ops = patch(json!([{"op": "Remove", "path": "externalId"}]));
    let patched = scim(&app, Method::PATCH, &format!("/Users/{id}"), Some(&token), Some(ops)).await;
    assert!(patched.body.get("externalId").is_none(), "{}", patched.body);

    // PUT replaces, and the person as hubnet's API sees them agrees.
    let mut replacement = entra_user("maria.virtanen@agency.example", "oid-10");
    replacement["displayName"] = json!("Maria Virtanen");
    let put = scim(&app, Method::PUT, &format!("/Users/{id}"), Some(&token), Some(replacement)).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let person = app.get(&format!("/api/v1/people/{id}"), &app.net.agency_admin).await;
    assert_eq!(person.body["email"], "maria.virtanen@agency.example");
    assert_eq!(person.body["name"], "Maria Virtanen");
    assert_eq!(person.body["language"], "fi");
    assert_eq!(person.body["organisation_id"], app.net.agency.id.to_string());
    let got = scim(&app, Method::GET, &format!("/Users/{id}"), Some(&token), None).await;
    assert_eq!(got.body["userName"], "maria.virtanen@agency.example");

    // The organisation's audit log has the token and every change, made by SCIM, by field name.
    let log =
        app.get(&format!("/api/v1/organisations/{}/audit?limit=100", app.net.agency.id), &app.net.agency_admin).await;
    let entries = log.body.as_array().unwrap();
    let by_scim: Vec<&Value> = entries.iter().filter(|e| e["actor_label"] == "SCIM provisioning").collect();
    assert_eq!(by_scim.last().unwrap()["action"], "person.created", "{}", log.body);
    assert_eq!(by_scim.iter().filter(|e| e["action"] == "person.updated").count(), 4, "{}", log.body);
    // The PUT: a new address and name, and the language falls back as nothing names one.
    assert_eq!(
        by_scim[0]["detail"]["changed"],
        json!(["email", "external_id", "given_name", "language", "name"]),
        "{}",
        log.body
    );
    assert_eq!(by_scim[1]["detail"]["changed"], json!(["external_id"]), "{}", log.body);
    assert!(entries.iter().any(|e| e["action"] == "scim_token.created"));
    assert!(!log.body.to_string().contains("Maria"));
    app.finish().await;
}

fn booking_at(app: &TestApp, who: &Who, day: u32, from: u32, to: u32) -> NewBooking {
    let time =
        |h| chrono_tz::Europe::Helsinki.with_ymd_and_hms(2026, 11, day, h, 0, 0).unwrap().with_timezone(&chrono::Utc);
    let desk = &app.net.helsinki_desks[0];
    NewBooking {
        id: BookingId::from_uuid(uuid::Uuid::now_v7()),
        space_id: desk.id,
        site_id: desk.site_id,
        space_kind: desk.kind,
        person_id: who.person.id,
        created_by: who.person.id,
        range: TimeRange::new(time(from), time(to)).unwrap(),
        status: BookingStatus::Confirmed,
        created_at: time(from) - chrono::Duration::days(7),
        awaits_organisation: false,
    }
}

async fn deactivation_ends_sign_in_and_tokens_and_cancels_bookings_to_come(app: TestApp) {
    let token = scim_token(&app, &app.net.agency_admin, app.net.agency.id).await;
    let aino = &app.net.aino;
    app.store
        .sign_in()
        .set_password(aino.person.id, &hash_password("correct horse battery").unwrap(), crate::helpers::now())
        .await
        .unwrap();
    let session = sign_in(&app, aino.person.email.as_str(), "correct horse battery").await.expect("signs in");
    assert_eq!(week_with(&app, &session).await, StatusCode::OK);
    let past = app.store.bookings().book(booking_at(&app, aino, 20, 9, 11)).await.unwrap();
    let to_come = app.book_day(aino, &app.net.helsinki_desks[1], "2026-11-24").await;
    assert_eq!(to_come.status, StatusCode::CREATED, "{}", to_come.body);
    let to_come: BookingId = to_come.body["id"].as_str().unwrap().parse().unwrap();

    let ops = patch(json!([{"op": "Replace", "path": "active", "value": "False"}]));
    let deactivated = scim(&app, Method::PATCH, &format!("/Users/{}", aino.person.id), Some(&token), Some(ops)).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    assert_eq!(deactivated.body["active"], false);
    assert_eq!(app.get("/api/v1/me", aino).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(week_with(&app, &session).await, StatusCode::SEE_OTHER);
    assert!(sign_in(&app, aino.person.email.as_str(), "correct horse battery").await.is_none());
    assert_eq!(app.store.bookings().get_booking(to_come).await.unwrap().status, BookingStatus::Cancelled);
    assert_eq!(app.store.bookings().get_booking(past.id).await.unwrap().status, BookingStatus::Confirmed);

    // Back again: she signs in, her token and her booking stay gone.
    let ops = patch(json!([{"op": "replace", "value": {"active": "True"}}]));
    let back = scim(&app, Method::PATCH, &format!("/Users/{}", aino.person.id), Some(&token), Some(ops)).await;
    assert_eq!(back.body["active"], true);
    let session = sign_in(&app, aino.person.email.as_str(), "correct horse battery").await.expect("signs in again");
    assert_eq!(week_with(&app, &session).await, StatusCode::OK);
    assert_eq!(app.get("/api/v1/me", aino).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.store.bookings().get_booking(to_come).await.unwrap().status, BookingStatus::Cancelled);
    app.finish().await;
}

#[tokio::test]
async fn deactivation_ends_sign_in_and_tokens_and_cancels_bookings_to_come_on_sqlite() {
    deactivation_ends_sign_in_and_tokens_and_cancels_bookings_to_come(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn deactivation_ends_sign_in_and_tokens_and_cancels_bookings_to_come_on_postgres() {
    if let Some(app) = TestApp::postgres().await {
        deactivation_ends_sign_in_and_tokens_and_cancels_bookings_to_come(app).await;
    }
}

#[tokio::test]
async fn delete_hides_the_user_and_provisioning_them_again_brings_them_back() {
    let app = TestApp::sqlite().await;
    let token = scim_token(&app, &app.net.agency_admin, app.net.agency.id).await;
    let aino = &app.net.aino;
    let path = format!("/Users/{}", aino.person.id);
    assert_eq!(scim(&app, Method::DELETE, &path, Some(&token), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(scim(&app, Method::GET, &path, Some(&token), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(scim(&app, Method::DELETE, &path, Some(&token), None).await.status, StatusCode::NOT_FOUND);
    let lookup = format!("/Users?{}", filter(&format!("userName eq \"{}\"", aino.person.email)));
    assert_eq!(scim(&app, Method::GET, &lookup, Some(&token), None).await.body["totalResults"], 0);
    assert_eq!(app.get("/api/v1/me", aino).await.status, StatusCode::UNAUTHORIZED);
    let stored = app.store.people().get_person(aino.person.id).await.unwrap();
    assert!(!stored.active);

    let back =
        scim(&app, Method::POST, "/Users", Some(&token), Some(entra_user(aino.person.email.as_str(), "oid-aino")))
            .await;
    assert_eq!(back.status, StatusCode::CREATED, "{}", back.body);
    assert_eq!(back.body["id"], aino.person.id.to_string());
    assert_eq!(back.body["active"], true);
    app.finish().await;
}

#[tokio::test]
async fn groups_take_members_and_a_person_moves_from_one_to_another() {
    let app = TestApp::sqlite().await;
    let token = scim_token(&app, &app.net.agency_admin, app.net.agency.id).await;
    let aino = app.net.aino.person.id.to_string();
    let host = app.net.lab_host.person.id.to_string();
    let group = |name: &str, external: &str| {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": name, "externalId": external, "members": []
        })
    };
    let a = scim(&app, Method::POST, "/Groups", Some(&token), Some(group("Team A", "g-a"))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["meta"]["resourceType"], "Group");
    let b = scim(&app, Method::POST, "/Groups", Some(&token), Some(group("Team B", "g-b"))).await;
    let (a, b) = (a.body["id"].as_str().unwrap().to_owned(), b.body["id"].as_str().unwrap().to_owned());
    let duplicate = scim(&app, Method::POST, "/Groups", Some(&token), Some(group("Team C", "g-a"))).await;
    assert_eq!((duplicate.status, duplicate.body["scimType"].as_str()), (StatusCode::CONFLICT, Some("uniqueness")));

    let add = |id: &str| patch(json!([{"op": "Add", "path": "members", "value": [{"value": id}]}]));
    let added = scim(&app, Method::PATCH, &format!("/Groups/{a}"), Some(&token), Some(add(&aino))).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    scim(&app, Method::PATCH, &format!("/Groups/{a}"), Some(&token), Some(add(&host))).await;
    let members = |reply: &Reply| -> Vec<String> {
        reply.body["members"].as_array().unwrap().iter().map(|m| m["value"].as_str().unwrap().to_owned()).collect()
    };
    let got = scim(&app, Method::GET, &format!("/Groups/{a}"), Some(&token), None).await;
    assert_eq!(members(&got).len(), 2);
    assert!(members(&got).contains(&aino));
    let user = scim(&app, Method::GET, &format!("/Users/{aino}"), Some(&token), None).await;
    assert_eq!(
        (user.body["groups"][0]["value"].as_str(), user.body["groups"][0]["display"].as_str()),
        (Some(a.as_str()), Some("Team A"))
    );

    // Into B means out of A: a person is in one unit.
    scim(&app, Method::PATCH, &format!("/Groups/{b}"), Some(&token), Some(add(&aino))).await;
    let got_a = scim(&app, Method::GET, &format!("/Groups/{a}"), Some(&token), None).await;
    assert_eq!(members(&got_a), vec![host.clone()]);
    let got_b = scim(&app, Method::GET, &format!("/Groups/{b}"), Some(&token), None).await;
    assert_eq!(members(&got_b), vec![aino.clone()]);
    let person = app.get(&format!("/api/v1/people/{aino}"), &app.net.agency_admin).await;
    assert_eq!(person.body["unit_id"], b.as_str());

    // Both ways Entra removes a member.
    let remove = patch(json!([{"op": "Remove", "path": format!("members[value eq \"{aino}\"]")}]));
    let removed = scim(&app, Method::PATCH, &format!("/Groups/{b}"), Some(&token), Some(remove)).await;
    assert!(members(&removed).is_empty(), "{}", removed.body);
    let remove = patch(json!([{"op": "Remove", "path": "members", "value": [{"value": host}]}]));
    let removed = scim(&app, Method::PATCH, &format!("/Groups/{a}"), Some(&token), Some(remove)).await;
    assert!(members(&removed).is_empty(), "{}", removed.body);

    // Lookups by name ignore case; members can be left out.
    let found = scim(
        &app,
        Method::GET,
        &format!("/Groups?{}&excludedAttributes=members", filter(r#"displayName eq "team a""#)),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(found.body["totalResults"], 1);
    assert_eq!(found.body["Resources"][0]["id"], a.as_str());
    assert!(found.body["Resources"][0].get("members").is_none());

    // Renaming, replacing, deleting.
    let renamed = patch(json!([{"op": "Replace", "path": "displayName", "value": "Team Alpha"}]));
    let renamed = scim(&app, Method::PATCH, &format!("/Groups/{a}"), Some(&token), Some(renamed)).await;
    assert_eq!(renamed.body["displayName"], "Team Alpha");
    let put = json!({"displayName": "Team Beta", "members": [{"value": aino}, {"value": host}]});
    let put = scim(&app, Method::PUT, &format!("/Groups/{b}"), Some(&token), Some(put)).await;
    assert_eq!((put.body["displayName"].as_str(), members(&put).len()), (Some("Team Beta"), 2));
    assert_eq!(
        scim(&app, Method::DELETE, &format!("/Groups/{b}"), Some(&token), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        scim(&app, Method::GET, &format!("/Groups/{b}"), Some(&token), None).await.status,
        StatusCode::NOT_FOUND
    );
    let person = app.get(&format!("/api/v1/people/{aino}"), &app.net.agency_admin).await;
    assert_eq!(person.body["unit_id"], Value::Null);

    // Another organisation's person cannot be made a member, and nothing changes.
    let bjorn = app.net.bjorn.person.id.to_string();
    let ops = patch(json!([
        {"op": "Add", "path": "members", "value": [{"value": aino}]},
        {"op": "Add", "path": "members", "value": [{"value": bjorn}]},
    ]));
    let refused = scim(&app, Method::PATCH, &format!("/Groups/{a}"), Some(&token), Some(ops)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (refused.body["scimType"].as_str(), refused.body["code"].as_str()),
        (Some("invalidValue"), Some("invalid_input"))
    );
    assert!(members(&scim(&app, Method::GET, &format!("/Groups/{a}"), Some(&token), None).await).is_empty());
    assert_eq!(app.store.people().get_person(app.net.bjorn.person.id).await.unwrap().unit_id, None);
    app.finish().await;
}

#[tokio::test]
async fn lists_page_by_start_index_and_count() {
    let app = TestApp::sqlite().await;
    let token = scim_token(&app, &app.net.agency_admin, app.net.agency.id).await;
    for n in 0..3 {
        let created = scim(
            &app,
            Method::POST,
            "/Users",
            Some(&token),
            Some(entra_user(&format!("p{n}@agency.example"), &format!("oid-{n}"))),
        )
        .await;
        assert_eq!(created.status, StatusCode::CREATED);
    }
    // Four people of the test network and three new ones; the region's are not counted.
    let all = scim(&app, Method::GET, "/Users", Some(&token), None).await;
    assert_eq!(all.body["totalResults"], 7);
    let mut seen = Vec::new();
    for start in [1, 4, 7] {
        let page = scim(&app, Method::GET, &format!("/Users?startIndex={start}&count=3"), Some(&token), None).await;
        assert_eq!((page.body["totalResults"].as_u64(), page.body["startIndex"].as_u64()), (Some(7), Some(start)));
        let ids: Vec<String> =
            page.body["Resources"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(page.body["itemsPerPage"].as_u64(), Some(ids.len() as u64));
        seen.extend(ids);
    }
    assert_eq!(seen.len(), 7);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7, "pages do not overlap");
    let none = scim(&app, Method::GET, "/Users?count=0", Some(&token), None).await;
    assert_eq!(
        (none.body["totalResults"].as_u64(), none.body["Resources"].as_array().map(Vec::len)),
        (Some(7), Some(0))
    );
    // Out-of-range values are read as the nearest allowed ones.
    let clamped = scim(&app, Method::GET, "/Users?startIndex=0&count=100000", Some(&token), None).await;
    assert_eq!((clamped.body["startIndex"].as_u64(), clamped.body["itemsPerPage"].as_u64()), (Some(1), Some(7)));
    app.finish().await;
}

#[tokio::test]
async fn bad_filters_and_patches_are_400s_with_a_code_in_the_callers_language() {
    let app = TestApp::sqlite().await;
    let token = scim_token(&app, &app.net.agency_admin, app.net.agency.id).await;
    let request = Request::builder()
        .uri(format!("/scim/v2/Users?{}", filter(r#"userName co "virtanen""#)))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::ACCEPT_LANGUAGE, "fi")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/scim+json");
    assert_eq!(reply.body["status"], "400");
    assert_eq!(
        (reply.body["scimType"].as_str(), reply.body["code"].as_str()),
        (Some("invalidFilter"), Some("scim_invalid_filter"))
    );
    assert!(reply.body["message"].as_str().unwrap().starts_with("hubnet ei ymmärrä"), "{}", reply.body);
    assert!(reply.body["detail"].as_str().unwrap().contains("eq"), "{}", reply.body);

    for bad in [r#"active eq "true""#, r#"userName eq "a" or userName eq "b""#, "userName eq virtanen"] {
        let reply = scim(&app, Method::GET, &format!("/Users?{}", filter(bad)), Some(&token), None).await;
        assert_eq!(
            (reply.status, reply.body["scimType"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalidFilter")),
            "{bad}"
        );
    }
    let path = format!("/Users/{}", app.net.aino.person.id);
    let cases = [
        (json!({"Operations": [{"op": "Merge", "value": {}}]}), "invalidSyntax", "scim_invalid_syntax"),
        (json!({"nothing": []}), "invalidSyntax", "scim_invalid_syntax"),
        (patch(json!([{"op": "Replace", "path": "shoeSize", "value": 43}])), "invalidPath", "scim_invalid_path"),
        (patch(json!([{"op": "Replace", "path": "active", "value": "maybe"}])), "invalidValue", "invalid_input"),
        (
            patch(json!([{"op": "Replace", "path": "userName", "value": "not an email"}])),
            "invalidValue",
            "invalid_input",
        ),
    ];
    for (body, scim_type, code) in cases {
        let reply = scim(&app, Method::PATCH, &path, Some(&token), Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.body);
        assert_eq!(
            (reply.body["scimType"].as_str(), reply.body["code"].as_str()),
            (Some(scim_type), Some(code)),
            "{body}"
        );
    }
    // Nothing was half-changed.
    assert!(app.store.people().get_person(app.net.aino.person.id).await.unwrap().active);
    let unknown = scim(&app, Method::GET, "/Bulk", Some(&token), None).await;
    assert_eq!((unknown.status, unknown.body["status"].as_str()), (StatusCode::NOT_FOUND, Some("404")));
    app.finish().await;
}

#[tokio::test]
async fn one_organisations_token_cannot_touch_anothers_people_or_units() {
    let app = TestApp::sqlite().await;
    let agency = scim_token(&app, &app.net.agency_admin, app.net.agency.id).await;
    let region = scim_token(&app, &app.net.region_admin, app.net.region.id).await;
    let group = scim(&app, Method::POST, "/Groups", Some(&agency), Some(json!({"displayName": "Team A"}))).await;
    let group = group.body["id"].as_str().unwrap().to_owned();
    let aino = &app.net.aino.person;
    scim(
        &app,
        Method::PATCH,
        &format!("/Groups/{group}"),
        Some(&agency),
        Some(patch(json!([{"op": "Add", "path": "members", "value": [{"value": aino.id}]}]))),
    )
    .await;

    let user = format!("/Users/{}", aino.id);
    let deactivate = patch(json!([{"op": "Replace", "path": "active", "value": false}]));
    for (method, path, body) in [
        (Method::GET, user.clone(), None),
        (Method::PATCH, user.clone(), Some(deactivate.clone())),
        (Method::PUT, user.clone(), Some(entra_user(aino.email.as_str(), "x"))),
        (Method::DELETE, user.clone(), None),
        (Method::GET, format!("/Groups/{group}"), None),
        (Method::PATCH, format!("/Groups/{group}"), Some(patch(json!([{"op": "Remove", "path": "members"}])))),
        (Method::PUT, format!("/Groups/{group}"), Some(json!({"displayName": "Mine now"}))),
        (Method::DELETE, format!("/Groups/{group}"), None),
    ] {
        let reply = scim(&app, method.clone(), &path, Some(&region), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {}", reply.body);
    }
    let lookup = scim(
        &app,
        Method::GET,
        &format!("/Users?{}", filter(&format!("userName eq \"{}\"", aino.email))),
        Some(&region),
        None,
    )
    .await;
    assert_eq!(lookup.body["totalResults"], 0);
    let by_id =
        scim(&app, Method::GET, &format!("/Users?{}", filter(&format!("id eq \"{}\"", aino.id))), Some(&region), None)
            .await;
    assert_eq!(by_id.body["totalResults"], 0);
    let groups = scim(&app, Method::GET, "/Groups", Some(&region), None).await;
    assert_eq!(groups.body["totalResults"], 0);
    // The region's own members list cannot take Aino in either.
    let theirs = scim(
        &app,
        Method::POST,
        "/Groups",
        Some(&region),
        Some(json!({"displayName": "Steal", "members": [{"value": aino.id}]})),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::BAD_REQUEST);
    let all = scim(&app, Method::GET, "/Users", Some(&region), None).await;
    assert!(
        all.body["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["userName"].as_str().unwrap().ends_with("@region.example"))
    );

    let unchanged = app.store.people().get_person(aino.id).await.unwrap();
    assert!(unchanged.active);
    assert_eq!(unchanged.unit_id.map(|u| u.to_string()), Some(group.clone()));
    let still = scim(&app, Method::GET, &format!("/Groups/{group}"), Some(&agency), None).await;
    assert_eq!(
        (still.body["displayName"].as_str(), still.body["members"].as_array().map(Vec::len)),
        (Some("Team A"), Some(1))
    );
    app.finish().await;
}

#[tokio::test]
async fn the_service_describes_what_it_supports() {
    let app = TestApp::sqlite().await;
    let token = scim_token(&app, &app.net.agency_admin, app.net.agency.id).await;
    let config = scim(&app, Method::GET, "/ServiceProviderConfig", Some(&token), None).await;
    assert_eq!(config.status, StatusCode::OK);
    assert_eq!(config.body["patch"]["supported"], true);
    assert_eq!(config.body["bulk"]["supported"], false);
    assert_eq!(config.body["filter"], json!({"supported": true, "maxResults": 200}));
    assert_eq!(config.body["authenticationSchemes"][0]["type"], "oauthbearertoken");
    assert_eq!(config.body["meta"]["location"], "https://hubnet.example/scim/v2/ServiceProviderConfig");
    let types = scim(&app, Method::GET, "/ResourceTypes", Some(&token), None).await;
    let endpoints: Vec<&str> =
        types.body["Resources"].as_array().unwrap().iter().map(|t| t["endpoint"].as_str().unwrap()).collect();
    assert_eq!(endpoints, ["/Users", "/Groups"]);
    let schemas = scim(&app, Method::GET, "/Schemas", Some(&token), None).await;
    assert_eq!(schemas.body["totalResults"], 2);
    let user = scim(&app, Method::GET, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", Some(&token), None).await;
    let names: Vec<&str> =
        user.body["attributes"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"userName") && names.contains(&"active") && names.contains(&"externalId"), "{names:?}");
    assert_eq!(scim(&app, Method::GET, "/ServiceProviderConfig", None, None).await.status, StatusCode::UNAUTHORIZED);
    app.finish().await;
}
