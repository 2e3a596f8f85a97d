//! The analyst and HR roles, the audit log and erasure, end to end through the API and the pages.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, TimeZone as _};
use hubnet_domain::{BookingStatus, Email, Language, Organisation, Person, PersonId, TimeRange};
use hubnet_store::NewBooking;
use serde_json::{Value, json};

use crate::helpers::{TestApp, Who, now};

fn id<T: From<uuid::Uuid>>() -> T {
    T::from(uuid::Uuid::now_v7())
}

/// A new person of `organisation` with an API token.
pub(crate) async fn newcomer(app: &TestApp, organisation: &Organisation, email: &str) -> Who {
    let person = Person {
        id: id(),
        organisation_id: organisation.id,
        unit_id: None,
        name: email.split('@').next().unwrap().to_owned(),
        email: Email::parse(email).unwrap(),
        language: Language::En,
        home_municipality: None,
        home: None,
        active: true,
    };
    app.store.people().save_person(&person).await.unwrap();
    let (token, hash) = hubnet_server::auth::new_token().unwrap();
    app.store.tokens().create_token(id(), person.id, &hash, "test", now()).await.unwrap();
    Who { person, token }
}

/// `admin` gives `who` exactly these roles; panics unless it works.
pub(crate) async fn grant(app: &TestApp, admin: &Who, who: &Who, roles: Value) {
    let reply = app.put(&format!("/api/v1/people/{}/roles", who.person.id), admin, roles).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

fn utilisation(organisation: &Organisation, from: &str, to: &str) -> String {
    format!("/api/v1/organisations/{}/utilisation?from={}&to={}", organisation.id, urlencode(from), urlencode(to))
}

fn urlencode(s: &str) -> String {
    hubnet_server::web::session::urlencode(s)
}

/// The week of the test clock, Monday 23 to Monday 30 November 2026, UTC.
fn this_week(organisation: &Organisation) -> String {
    utilisation(organisation, "2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z")
}

fn audit(organisation: &Organisation) -> String {
    format!("/api/v1/organisations/{}/audit", organisation.id)
}

/// The actions of an audit log reply, newest first.
fn actions(reply: &crate::helpers::Reply) -> Vec<String> {
    reply.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn analysts_and_hr_read_what_their_role_allows_and_nothing_else_across_two_organisations() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let analyst = newcomer(&app, &net.agency, "analyst@agency.example").await;
    let hr = newcomer(&app, &net.agency, "hr@agency.example").await;
    let analyst_role = json!([{"role": "analyst", "organisation_id": net.agency.id}]);
    let hr_role = json!([{"role": "hr", "organisation_id": net.agency.id}]);

    // Only an admin of the organisation grants them, and only within it.
    let roles = format!("/api/v1/people/{}/roles", analyst.person.id);
    assert_eq!(app.put(&roles, &net.aino, analyst_role.clone()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.put(&roles, &net.region_admin, analyst_role.clone()).await.status, StatusCode::NOT_FOUND);
    let foreign = json!([{"role": "hr", "organisation_id": net.region.id}]);
    assert_eq!(app.put(&roles, &net.agency_admin, foreign.clone()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.put(&roles, &net.platform, foreign).await.status, StatusCode::FORBIDDEN);
    grant(&app, &net.agency_admin, &analyst, analyst_role).await;
    grant(&app, &net.platform, &hr, hr_role).await;
    // Neither may hand out roles themselves.
    let aino_roles = format!("/api/v1/people/{}/roles", net.aino.person.id);
    let analyst_of_agency = json!([{"role": "analyst", "organisation_id": net.agency.id}]);
    for reader in [&analyst, &hr] {
        let reply = app.put(&aino_roles, reader, analyst_of_agency.clone()).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::FORBIDDEN, "access_denied"));
    }

    // Aino's Tuesday at the Helsinki office, and Björn's at Östersund.
    let booked = app.book_day(&net.aino, &net.helsinki_desks[0], "2026-11-24").await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let aino_booking = format!("/api/v1/bookings/{}", booked.body["id"].as_str().unwrap());
    assert_eq!(app.book_day(&net.bjorn, &net.ostersund_desks[0], "2026-11-24").await.status, StatusCode::CREATED);

    // Both read the agency's utilisation: counts by site, weekday and hour, no people.
    for reader in [&analyst, &hr, &net.agency_admin, &net.platform] {
        let reply = app.get(&this_week(&net.agency), reader).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let cells = reply.body["cells"].as_array().unwrap();
        // Open 07-20 on Tuesday: 13 hours of one booking, all at the Helsinki office.
        assert_eq!(cells.len(), 13, "{}", reply.body);
        assert!(
            cells.iter().all(|c| c["site_id"] == json!(net.helsinki.id) && c["weekday"] == 1 && c["bookings"] == 1)
        );
        assert_eq!(cells[0]["hour"], 7);
        assert!(!reply.body.to_string().contains(&net.aino.person.id.to_string()));
    }
    // Not the region's, not members' and not hosts'.
    for (reader, organisation) in
        [(&analyst, &net.region), (&hr, &net.region), (&net.aino, &net.agency), (&net.lab_host, &net.agency)]
    {
        let reply = app.get(&this_week(organisation), reader).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::FORBIDDEN, "access_denied"));
    }
    let too_long = utilisation(&net.agency, "2026-01-01T00:00:00Z", "2027-06-01T00:00:00Z");
    assert_eq!(app.get(&too_long, &analyst).await.code(), "invalid_input");

    // HR reads the agency's people; an analyst reads colleagues only as any member does.
    let aino = format!("/api/v1/people/{}", net.aino.person.id);
    assert_eq!(app.get(&aino, &hr).await.status, StatusCode::OK);
    let agency_people = format!("/api/v1/people?organisation={}", net.agency.id);
    assert_eq!(app.get(&agency_people, &hr).await.status, StatusCode::OK);
    let region_people = format!("/api/v1/people?organisation={}", net.region.id);
    let bjorn = format!("/api/v1/people/{}", net.bjorn.person.id);
    for reader in [&analyst, &hr] {
        assert_eq!(app.get(&region_people, reader).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&bjorn, reader).await.status, StatusCode::NOT_FOUND);
        // Never anyone's bookings, one by one.
        let bookings = format!("/api/v1/bookings?person={}", net.aino.person.id);
        assert_eq!(app.get(&bookings, reader).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&aino_booking, reader).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.delete(&aino_booking, reader).await.status, StatusCode::NOT_FOUND);
        let at_office = format!("/api/v1/bookings?site={}", net.helsinki.id);
        assert_eq!(app.get(&at_office, reader).await.status, StatusCode::FORBIDDEN);
        let export = format!("/api/v1/people/{}/export", net.aino.person.id);
        assert_eq!(app.get(&export, reader).await.status, StatusCode::FORBIDDEN);
        // Nor the audit log.
        assert_eq!(app.get(&audit(&net.agency), reader).await.status, StatusCode::FORBIDDEN);
        // And they change nothing: not people, sites, roles, bookings of others or erasure.
        let changed = json!({"organisation_id": net.agency.id, "name": "Renamed", "email": "aino@agency.example"});
        assert_eq!(app.put(&aino, reader, changed).await.status, StatusCode::FORBIDDEN);
        let person = json!({"organisation_id": net.agency.id, "name": "New", "email": "new@agency.example"});
        assert_eq!(app.post("/api/v1/people", reader, person).await.status, StatusCode::FORBIDDEN);
        let site = format!("/api/v1/sites/{}", net.helsinki.id);
        let mut body = app.get(&site, reader).await.body;
        body.as_object_mut().unwrap().remove("id");
        assert_eq!(app.put(&site, reader, body).await.status, StatusCode::FORBIDDEN);
        let floor = json!({"name": {"en": "Attic"}, "level": 9});
        assert_eq!(app.post(&format!("{site}/floors"), reader, floor).await.status, StatusCode::FORBIDDEN);
        let for_aino = json!({"space_id": net.helsinki_desks[1].id, "date": "2026-11-25", "period": "full_day",
            "person_id": net.aino.person.id});
        assert_eq!(app.post("/api/v1/bookings", reader, for_aino).await.status, StatusCode::FORBIDDEN);
        let erase = format!("/api/v1/people/{}/erase", net.aino.person.id);
        assert_eq!(app.post(&erase, reader, json!({})).await.status, StatusCode::FORBIDDEN);
        let units = json!({"name": {"en": "Unit"}});
        let path = format!("/api/v1/organisations/{}/units", net.agency.id);
        assert_eq!(app.post(&path, reader, units).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&path, reader).await.status, StatusCode::OK);
    }
    // Aino is untouched.
    assert_eq!(app.store.people().get_person(net.aino.person.id).await.unwrap(), net.aino.person);

    // HR's reads of Aino and of the agency's people are in the agency's log; the analyst's are not.
    let log = app.get(&format!("{}?limit=1000", audit(&net.agency)), &net.agency_admin).await;
    let reads: Vec<&Value> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "person.viewed" || e["action"] == "people.listed")
        .collect();
    assert_eq!(reads.len(), 2, "{}", log.body);
    assert!(reads.iter().all(|e| e["actor_id"] == json!(hr.person.id)));
    app.finish().await;
}

#[tokio::test]
async fn changes_and_an_admins_reads_of_other_people_are_in_the_audit_log_for_its_admins_only() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    // A site change.
    let site = format!("/api/v1/sites/{}", net.helsinki.id);
    let mut body = app.get(&site, &net.agency_admin).await.body;
    body.as_object_mut().unwrap().remove("id");
    body["name"]["en"] = json!("Helsinki office");
    assert_eq!(app.put(&site, &net.agency_admin, body).await.status, StatusCode::OK);
    // A role change.
    let roles = json!([{"role": "site_host", "site_id": net.lab.id}]);
    assert_eq!(
        app.put(&format!("/api/v1/people/{}/roles", net.aino.person.id), &net.agency_admin, roles).await.status,
        StatusCode::OK
    );
    // An admin reading another person; Aino reading herself and a colleague is not recorded.
    let aino = format!("/api/v1/people/{}", net.aino.person.id);
    assert_eq!(app.get(&aino, &net.agency_admin).await.status, StatusCode::OK);
    assert_eq!(app.get(&aino, &net.aino).await.status, StatusCode::OK);
    let admin = format!("/api/v1/people/{}", net.agency_admin.person.id);
    assert_eq!(app.get(&admin, &net.aino).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/me/export", &net.aino).await.status, StatusCode::OK);
    // The region's admin changes the region's site: the region's log, not the agency's.
    let ostersund = format!("/api/v1/sites/{}", net.ostersund.id);
    let mut body = app.get(&ostersund, &net.region_admin).await.body;
    body.as_object_mut().unwrap().remove("id");
    body["address"] = json!("Storgatan 2");
    assert_eq!(app.put(&ostersund, &net.region_admin, body).await.status, StatusCode::OK);

    let log = app.get(&audit(&net.agency), &net.agency_admin).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert_eq!(actions(&log), ["person.viewed", "roles.replaced", "site.updated"]);
    let entries = log.body.as_array().unwrap();
    let (viewed, replaced, updated) = (&entries[0], &entries[1], &entries[2]);
    assert_eq!(updated["detail"], json!({"changed": ["name"]}));
    assert_eq!((updated["subject_kind"].as_str(), &updated["subject_id"]), (Some("site"), &json!(net.helsinki.id)));
    assert_eq!(updated["actor_id"], json!(net.agency_admin.person.id));
    assert_eq!(replaced["detail"], json!({"added": [{"role": "site_host", "site_id": net.lab.id}], "removed": []}));
    assert_eq!(replaced["subject_id"], json!(net.aino.person.id));
    assert_eq!(viewed["detail"], json!({"read": "profile"}));
    assert_eq!(viewed["at"], json!(now()));
    // Nothing personal in it: no names or addresses.
    assert!(!log.body.to_string().contains("aino@"), "{}", log.body);

    // Filtered by action, and a page at a time.
    let filtered = app.get(&format!("{}?action=site.updated", audit(&net.agency)), &net.platform).await;
    assert_eq!(actions(&filtered), ["site.updated"]);
    let first = app.get(&format!("{}?limit=2", audit(&net.agency)), &net.agency_admin).await;
    let last = first.body[1]["id"].as_str().unwrap();
    let rest = app.get(&format!("{}?limit=2&after={last}", audit(&net.agency)), &net.agency_admin).await;
    assert_eq!(actions(&first), ["person.viewed", "roles.replaced"]);
    assert_eq!(actions(&rest), ["site.updated"]);
    let bad = app.get(&format!("{}?action=site.exploded", audit(&net.agency)), &net.agency_admin).await;
    assert_eq!((bad.status, bad.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"));

    // The region's log has the region's change only.
    let region = app.get(&audit(&net.region), &net.region_admin).await;
    assert_eq!(actions(&region), ["site.updated"]);
    // Nobody but the organisation's admins and platform admins reads its log.
    for outsider in [&net.aino, &net.lab_host, &net.region_admin, &net.bjorn] {
        let reply = app.get(&audit(&net.agency), outsider).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::FORBIDDEN, "access_denied"), "{}", reply.body);
    }
    assert_eq!(app.get(&audit(&net.region), &net.agency_admin).await.status, StatusCode::FORBIDDEN);
    let nowhere = format!("/api/v1/organisations/{}/audit", uuid::Uuid::now_v7());
    assert_eq!(app.get(&nowhere, &net.platform).await.status, StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test]
async fn booking_for_someone_else_and_reading_their_bookings_are_recorded_for_their_organisation() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let for_aino = json!({"space_id": net.helsinki_desks[1].id, "date": "2026-11-25", "period": "full_day",
        "person_id": net.aino.person.id});
    let booked = app.post("/api/v1/bookings", &net.agency_admin, for_aino).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let path = format!("/api/v1/bookings/{}", booked.body["id"].as_str().unwrap());
    assert_eq!(
        app.get(&format!("/api/v1/bookings?person={}", net.aino.person.id), &net.agency_admin).await.status,
        StatusCode::OK
    );
    // Her own read of it is hers; the admin made it, so the admin's read is not "someone else's".
    assert_eq!(app.get(&path, &net.aino).await.status, StatusCode::OK);
    assert_eq!(app.get(&path, &net.platform).await.status, StatusCode::OK);
    assert_eq!(app.delete(&path, &net.aino).await.status, StatusCode::OK);
    let log = app.get(&audit(&net.agency), &net.agency_admin).await;
    assert_eq!(actions(&log), ["person.viewed", "person.viewed", "booking.created"]);
    assert_eq!(log.body[0]["detail"]["read"], "booking");
    assert_eq!(log.body[0]["actor_id"], json!(net.platform.person.id));
    assert_eq!(log.body[1]["detail"]["read"], "bookings");
    assert_eq!(log.body[2]["detail"]["person_id"], json!(net.aino.person.id));
    app.finish().await;
}

#[tokio::test]
async fn an_admin_erases_a_person_whose_past_bookings_stay_in_the_statistics() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let aino = &net.aino.person;
    // Last Tuesday at the Helsinki office (written directly: the API books no past days).
    let helsinki = chrono_tz::Europe::Helsinki;
    let past = TimeRange::new(
        helsinki.with_ymd_and_hms(2026, 11, 17, 8, 0, 0).unwrap().to_utc(),
        helsinki.with_ymd_and_hms(2026, 11, 17, 16, 0, 0).unwrap().to_utc(),
    )
    .unwrap();
    let desk = &net.helsinki_desks[0];
    let last_tuesday = app
        .store
        .bookings()
        .book(NewBooking {
            id: id(),
            space_id: desk.id,
            site_id: desk.site_id,
            space_kind: desk.kind,
            person_id: aino.id,
            created_by: aino.id,
            range: past,
            status: BookingStatus::CheckedIn,
            created_at: past.start - Duration::days(1),
            awaits_organisation: false,
        })
        .await
        .unwrap();
    // And next Tuesday, booked through the API.
    let coming = app.book_day(&net.aino, &net.helsinki_desks[1], "2026-12-01").await;
    assert_eq!(coming.status, StatusCode::CREATED, "{}", coming.body);
    let coming = format!("/api/v1/bookings/{}", coming.body["id"].as_str().unwrap());
    let statistics = utilisation(&net.agency, "2026-11-01T00:00:00Z", "2026-11-23T06:00:00Z");
    let before = app.get(&statistics, &net.agency_admin).await;
    assert_eq!(before.body["cells"].as_array().unwrap().len(), 8, "{}", before.body);
    let hr = newcomer(&app, &net.agency, "hr@agency.example").await;
    grant(&app, &net.agency_admin, &hr, json!([{"role": "hr", "organisation_id": net.agency.id}])).await;

    // Not by herself, not by HR or a member, not by another organisation's admin.
    let erase = format!("/api/v1/people/{}/erase", aino.id);
    assert_eq!(app.post(&erase, &net.aino, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&erase, &hr, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&erase, &net.lab_host, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&erase, &net.region_admin, json!({})).await.status, StatusCode::NOT_FOUND);
    // An organisation's admin cannot erase a platform admin.
    let root = format!("/api/v1/people/{}/erase", net.platform.person.id);
    assert_eq!(app.post(&root, &net.agency_admin, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.audit().erased_at(aino.id).await.unwrap(), None);

    let erased = app.post(&erase, &net.agency_admin, json!({})).await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
    assert_eq!(erased.body["person"]["email"], format!("erased-{}@erased.invalid", aino.id));
    assert_eq!(erased.body["person"]["active"], false);
    assert_eq!(erased.body["person"]["home"], Value::Null);
    assert_eq!(erased.body["person"]["home_municipality"], Value::Null);
    assert_eq!(erased.body["person"]["organisation_id"], json!(net.agency.id));
    assert_ne!(erased.body["person"]["name"], json!(aino.name));
    assert_eq!((erased.body["cancelled_bookings"].as_u64(), erased.body["kept_bookings"].as_u64()), (Some(1), Some(2)));
    assert_eq!(erased.body["tokens_deleted"], 1);

    // She cannot sign in; her coming booking is cancelled; the statistics are unchanged.
    assert_eq!(app.get("/api/v1/me", &net.aino).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(&coming, &net.agency_admin).await.body["status"], "cancelled");
    let kept = app.store.bookings().get_booking(last_tuesday.id).await.unwrap();
    assert_eq!(kept, last_tuesday);
    let after = app.get(&statistics, &net.agency_admin).await;
    assert_eq!(after.body["cells"], before.body["cells"]);
    // Nothing left names her, in her record or in the audit log.
    let listed = app.get(&format!("/api/v1/people?organisation={}&limit=1000", net.agency.id), &net.agency_admin).await;
    let text = listed.body.to_string();
    assert!(!text.contains("aino@agency.example") && !text.contains("FI-111"), "{text}");
    let log = app.get(&format!("{}?action=person.erased", audit(&net.agency)), &net.agency_admin).await;
    assert_eq!(log.body.as_array().unwrap().len(), 1);
    assert_eq!(log.body[0]["subject_id"], json!(aino.id));
    assert_eq!(log.body[0]["detail"]["cancelled_bookings"], 1);
    let everything = app.get(&format!("{}?limit=1000", audit(&net.agency)), &net.platform).await.body.to_string();
    assert!(!everything.contains("aino") && !everything.contains("FI-111"), "{everything}");

    // Erased stays erased.
    let again = app.post(&erase, &net.platform, json!({})).await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "person_already_erased"));
    let back = json!({"organisation_id": net.agency.id, "name": "Aino", "email": "aino@agency.example"});
    let revived = app.put(&format!("/api/v1/people/{}", aino.id), &net.agency_admin, back).await;
    assert_eq!((revived.status, revived.code()), (StatusCode::CONFLICT, "person_erased"));
    let roles = app.put(&format!("/api/v1/people/{}/roles", aino.id), &net.agency_admin, json!([])).await;
    assert_eq!(roles.code(), "person_erased");
    let fi = app
        .send(
            Request::post(&erase)
                .header(header::AUTHORIZATION, format!("Bearer {}", net.agency_admin.token))
                .header(header::ACCEPT_LANGUAGE, "fi")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(fi.message(), "Tämän henkilön tiedot on jo poistettu.");
    let nobody = format!("/api/v1/people/{}/erase", PersonId::from(uuid::Uuid::now_v7()));
    assert_eq!(app.post(&nobody, &net.platform, json!({})).await.status, StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test]
async fn an_admin_downloads_a_persons_data_for_them_and_it_is_recorded() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    assert_eq!(app.book_day(&net.aino, &net.helsinki_desks[0], "2026-11-24").await.status, StatusCode::CREATED);
    let export = format!("/api/v1/people/{}/export", net.aino.person.id);
    let reply = app.get(&export, &net.agency_admin).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["person"]["email"], "aino@agency.example");
    assert_eq!(reply.body["bookings"].as_array().unwrap().len(), 1);
    assert_eq!(app.get(&export, &net.aino).await.status, StatusCode::OK);
    assert_eq!(app.get(&export, &net.region_admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/people/{}/export", net.agency_admin.person.id), &net.aino).await.status,
        StatusCode::FORBIDDEN
    );
    let log = app.get(&format!("{}?action=person.exported", audit(&net.agency)), &net.agency_admin).await;
    assert_eq!(log.body.as_array().unwrap().len(), 1, "{}", log.body);
    assert_eq!(log.body[0]["actor_id"], json!(net.agency_admin.person.id));
    assert_eq!(log.body[0]["detail"], json!({"bookings": 1}));
    app.finish().await;
}

/// A page request with a session made directly in the store.
async fn page(app: &TestApp, who: &Who, method: &str, path: &str, form: Option<&str>) -> (StatusCode, String) {
    let token = format!("session-{}", uuid::Uuid::now_v7());
    app.store
        .sign_in()
        .create_session(&hubnet_store::NewSession {
            token_hash: hubnet_server::auth::hash_token(&token),
            person_id: who.person.id,
            csrf_token: "csrf-secret".into(),
            created_at: now(),
            expires_at: now() + Duration::hours(1),
        })
        .await
        .unwrap();
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, format!("{}={token}", hubnet_server::web::session::SESSION_COOKIE));
    let body = match form {
        Some(form) => {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(format!("csrf=csrf-secret&{form}"))
        }
        None => Body::empty(),
    };
    let reply = app.send(request.body(body).unwrap()).await;
    let html = match reply.body {
        Value::String(s) => s,
        other => other.to_string(),
    };
    (reply.status, html)
}

#[tokio::test]
async fn the_audit_page_shows_a_hosts_change_to_the_owners_admins_and_to_nobody_else() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let space = &net.lab_desks[0];
    let (status, _) =
        page(&app, &net.lab_host, "POST", &format!("/host/spaces/{}", space.id), Some("name=Window+1&bookable=on"))
            .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let (status, html) = page(&app, &net.agency_admin, "GET", "/admin/audit", None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(r#"<a href="/admin/audit" aria-current="page">Tapahtumaloki</a>"#), "{html}");
    assert!(html.contains("<th scope=\"col\">Kuka</th>"), "{html}");
    assert!(html.contains("<td>host</td><td>Tilaa muutettu</td>"), "{html}");
    assert!(html.contains(&format!("Tila {}", space.id)), "{html}");
    assert!(html.contains("<code>changed: name</code>"), "{html}");
    // The platform admin may pick any organisation.
    let (_, html) =
        page(&app, &net.platform, "GET", &format!("/admin/audit?organisation={}", net.region.id), None).await;
    assert!(html.contains(&format!(r#"<option value="{}" selected>region</option>"#, net.region.id)), "{html}");

    // The menu offers it to admins only; nobody else reads the page.
    let (_, week) = page(&app, &net.aino, "GET", "/week", None).await;
    assert!(!week.contains("/admin/audit"));
    for outsider in [&net.aino, &net.lab_host] {
        let (status, _) = page(&app, outsider, "GET", "/admin/audit", None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) =
        page(&app, &net.region_admin, "GET", &format!("/admin/audit?organisation={}", net.agency.id), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test]
async fn postgres_erasure_and_audit_behave_the_same() {
    let Some(app) = TestApp::postgres().await else { return };
    let net = &app.net;
    assert_eq!(app.book_day(&net.aino, &net.helsinki_desks[0], "2026-11-24").await.status, StatusCode::CREATED);
    let erase = format!("/api/v1/people/{}/erase", net.aino.person.id);
    let erased = app.post(&erase, &net.agency_admin, json!({})).await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
    assert_eq!(erased.body["cancelled_bookings"], 1);
    assert_eq!(app.post(&erase, &net.agency_admin, json!({})).await.code(), "person_already_erased");
    let log = app.get(&audit(&net.agency), &net.agency_admin).await;
    assert_eq!(actions(&log), ["person.erased"]);
    app.finish().await;
}
