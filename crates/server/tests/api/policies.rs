//! Workplace policies through the API: the Jämtland Härjedalen rule written by the region's admin,
//! then refusals, exceptions and recommendations that follow it, with reasons in fi, sv and en.

use axum::http::{Method, StatusCode};
use hubnet_domain::policy::JAMTLAND_HARJEDALEN_JSON;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, brunflo_hub, brunflo_hub_priced, in_language, karin, regional_rule, site_asks_for_approval,
    write_region_policy,
};

#[tokio::test]
async fn the_regions_admin_writes_the_rule_and_only_the_region_reads_it() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let path = format!("/api/v1/organisations/{}/policy", net.region.id);
    assert_eq!(app.get(&path, &net.bjorn).await.body["in_force"], Value::Null);

    // Members may not write it, other organisations do not see it.
    assert_eq!(app.post(&path, &net.bjorn, regional_rule("2026-11-23")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&path, &net.agency_admin, regional_rule("2026-11-23")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&path, &net.aino).await.status, StatusCode::NOT_FOUND);
    // Bad rules are named by their path; the past cannot be rewritten.
    let bad = json!({"valid_from": "2026-11-23", "rules": [{"rule": "own_office_within", "km": 70, "road_factor": 3.0, "mode": "prefer"}]});
    let refused = app.post(&path, &net.region_admin, bad).await;
    assert_eq!(
        (refused.status, refused.body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("rules[0].road_factor")),
        "{}",
        refused.body
    );
    let past = app.post(&path, &net.region_admin, regional_rule("2026-11-01")).await;
    assert_eq!(past.body["error"]["field"], "valid_from");
    let foreign_unit = json!({"valid_from": "2026-11-23", "rules": [{"rule": "team_days", "unit_id": uuid::Uuid::now_v7(), "weekdays": ["tue"]}]});
    assert_eq!(app.post(&path, &net.region_admin, foreign_unit).await.body["error"]["field"], "rules[0]");

    let written = app.post(&path, &net.region_admin, regional_rule("2026-11-23")).await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.body);
    assert_eq!(written.body["version"], 1);
    let read = app.get(&path, &net.bjorn).await;
    assert_eq!(read.body["in_force"]["version"], 1);
    assert_eq!(read.body["in_force"]["changed_by"], json!(net.region_admin.person.id));
    let log = app
        .get(&format!("/api/v1/organisations/{}/audit?action=policy.changed", net.region.id), &net.region_admin)
        .await;
    assert_eq!(log.body[0]["detail"]["version"], 1, "{}", log.body);
    app.finish().await;
}

#[tokio::test]
async fn the_rule_refuses_a_nearby_hub_with_its_reason_in_three_languages_except_for_coordinators() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    let (_, desk) = brunflo_hub(&app).await;
    let book = json!({"space_id": desk, "date": "2026-11-24", "period": "full_day"});
    // Before any policy the hub is open to her.
    let before = app.post("/api/v1/bookings", &karin, book.clone()).await;
    assert_eq!(before.status, StatusCode::CREATED, "{}", before.body);
    app.delete(&format!("/api/v1/bookings/{}", before.body["id"].as_str().unwrap()), &karin).await;

    write_region_policy(&app, regional_rule("2026-11-23")).await;
    for (language, start, end) in [
        (
            "sv",
            "Ditt eget kontor ostersund sv ligger ",
            " km från ditt hem; coworkinghubbar är till för dem som bor mer än 70 km bort.",
        ),
        (
            "fi",
            "Oma toimistosi ostersund fi on ",
            " km:n päässä kodistasi; yhteistyötilat ovat niille, jotka asuvat yli 70 km:n päässä.",
        ),
        (
            "en",
            "Your own office ostersund en is ",
            " km from your home; co-working hubs are for those living over 70 km away.",
        ),
    ] {
        let refused = in_language(&app, &karin, language, Method::POST, "/api/v1/bookings", book.clone()).await;
        assert_eq!(
            (refused.status, refused.code()),
            (StatusCode::FORBIDDEN, "policy_own_office_required"),
            "{}",
            refused.body
        );
        let message = refused.message();
        assert!(message.starts_with(start) && message.ends_with(end), "{language}: {message}");
        let km: u32 = message[start.len()..message.len() - end.len()].parse().unwrap();
        assert!(km <= 5, "{message}");
    }
    let mine = app.get("/api/v1/bookings?mine=true", &karin).await;
    assert_eq!(mine.body.as_array().map(Vec::len), Some(0), "{}", mine.body);

    // A cross-sector coordinator may use a hub whatever the distance.
    let tags = app
        .put(
            &format!("/api/v1/people/{}/role-tags", karin.person.id),
            &net.region_admin,
            json!(["Cross-sector coordinator"]),
        )
        .await;
    assert_eq!(tags.status, StatusCode::OK);
    let allowed = app.post("/api/v1/bookings", &karin, book).await;
    assert_eq!(
        (allowed.status, allowed.body["status"].as_str()),
        (StatusCode::CREATED, Some("confirmed")),
        "{}",
        allowed.body
    );
    app.finish().await;
}

#[tokio::test]
async fn recommendations_put_the_own_office_first_and_the_refused_hub_last_with_why() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    let (hub, _) = brunflo_hub(&app).await;
    let path = format!("/api/v1/organisations/{}/policy", net.region.id);
    app.post(&path, &net.region_admin, regional_rule("2026-11-23")).await;

    let reply =
        in_language(&app, &karin, "sv", Method::GET, "/api/v1/recommendations?date=2026-11-24", Value::Null).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["policy_version"], 1);
    let places = reply.body["places"].as_array().unwrap();
    let first = &places[0];
    assert_eq!(first["site_id"], json!(net.ostersund.id), "{}", reply.body);
    assert_eq!(first["verdict"]["verdict"], "allowed");
    let distance = first["reasons"]["distance_km"].as_f64().unwrap();
    assert!(distance < 5.0, "{distance}");
    let last = places.last().unwrap();
    assert_eq!(last["site_id"], hub.as_str());
    assert_eq!(last["verdict"]["reason"]["code"], "policy_own_office_required");
    assert!(last["message"].as_str().unwrap().starts_with("Ditt eget kontor"), "{}", last);
    assert_eq!(last["reasons"]["cost"], Value::Null, "the agency's hub is free in this test");

    // An admin asks for one of their people; another organisation's admin cannot.
    let theirs = format!("/api/v1/recommendations?date=2026-11-24&person={}", karin.person.id);
    assert_eq!(app.get(&theirs, &net.region_admin).await.status, StatusCode::OK);
    assert_eq!(app.get(&theirs, &net.agency_admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&theirs, &net.bjorn).await.status, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test]
async fn a_week_of_recommendations_ranks_each_day_on_its_own_and_says_where_karin_is_booked() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    let (hub, _) = brunflo_hub(&app).await;
    // The rule starts on Wednesday: Monday and Tuesday have no policy yet.
    write_region_policy(&app, regional_rule("2026-11-25")).await;
    let booked = app.book_day(&karin, &net.ostersund_desks[0], "2026-11-26").await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);

    let reply =
        in_language(&app, &karin, "en", Method::GET, "/api/v1/recommendations/week?date=2026-11-27", Value::Null).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["week"], "2026-W48");
    assert_eq!(reply.body["person_id"], json!(karin.person.id));
    let days = reply.body["days"].as_array().unwrap();
    let dates: Vec<&str> = days.iter().map(|d| d["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]
    );
    let sites = |day: &Value| -> Vec<String> {
        day["places"].as_array().unwrap().iter().map(|p| p["site_id"].as_str().unwrap().to_owned()).collect()
    };
    let ostersund = net.ostersund.id.to_string();
    // Tuesday: no policy, and the Brunflo hub (open Monday and Tuesday only) is allowed.
    assert_eq!(days[1]["policy_version"], Value::Null);
    let tuesday = &days[1]["places"].as_array().unwrap();
    let at_hub = tuesday.iter().find(|p| p["site_id"] == hub.as_str()).expect("the hub on Tuesday");
    assert_eq!(at_hub["verdict"]["verdict"], "allowed", "{at_hub}");
    // Wednesday: the rule is in force, the hub is closed; the own office first, preferred.
    assert_eq!(days[2]["policy_version"], 1);
    assert_eq!(sites(&days[2])[0], ostersund);
    assert_eq!(days[2]["places"][0]["reasons"]["preferred"], true);
    assert!(!sites(&days[2]).contains(&hub), "the hub is closed on Wednesday");
    // Thursday: the booking is named.
    assert_eq!(days[3]["booked"].as_array().unwrap().len(), 1, "{}", days[3]);
    assert_eq!(days[3]["booked"][0]["site_id"], ostersund.as_str());
    assert_eq!(days[3]["booked"][0]["booking_id"], booked.body["id"]);
    assert_eq!(days[3]["booked"][0]["status"], "confirmed");
    for (i, day) in days.iter().enumerate() {
        if i != 3 {
            assert_eq!(day["booked"], json!([]), "{day}");
        }
    }
    // The weekend: nothing near Östersund opens.
    assert_eq!(days[5]["places"], json!([]));
    assert_eq!(days[6]["places"], json!([]));

    // Any day of the week gives the same week; an admin may ask for one of their people, audited.
    let monday = app.get("/api/v1/recommendations/week?date=2026-11-23", &karin).await;
    assert_eq!(monday.body["days"][0]["date"], "2026-11-23");
    let theirs = format!("/api/v1/recommendations/week?date=2026-11-24&person={}", karin.person.id);
    assert_eq!(app.get(&theirs, &net.region_admin).await.status, StatusCode::OK);
    assert_eq!(app.get(&theirs, &net.agency_admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&theirs, &net.bjorn).await.status, StatusCode::FORBIDDEN);
    let log = app.get(&format!("/api/v1/organisations/{}/audit?limit=500", net.region.id), &net.region_admin).await;
    assert!(
        log.body.to_string().contains("recommendations"),
        "the admin's look at Karin's week is in the audit log: {}",
        log.body
    );
    let bad = app.get("/api/v1/recommendations/week?date=2026-11-31", &karin).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    app.finish().await;
}

#[tokio::test]
async fn a_units_budget_counts_what_its_people_booked_this_month_at_priced_sites_and_frees_up_on_cancel() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    // The agency's Brunflo hub sells a seat-day for 300 kr; the region's unit has 500 kr a month.
    let (_, desk) = brunflo_hub_priced(&app, Some(30_000)).await;
    let units = format!("/api/v1/organisations/{}/units", net.region.id);
    let unit = app.post(&units, &net.region_admin, json!({"name": {"sv": "Hälsa"}})).await;
    assert_eq!(unit.status, StatusCode::CREATED, "{}", unit.body);
    let unit_id: hubnet_domain::UnitId = unit.body["id"].as_str().unwrap().parse().unwrap();
    let karin = crate::helpers::Who {
        person: hubnet_domain::Person { unit_id: Some(unit_id), ..karin.person.clone() },
        ..karin
    };
    app.store.people().save_person(&karin.person).await.unwrap();
    let olle = crate::helpers::person_in(&app, net.region.id, Some(unit_id), "olle@region.example").await;
    let policy = format!("/api/v1/organisations/{}/policy", net.region.id);
    let rule = json!({"valid_from": "2026-11-23", "rules": [
        {"rule": "monthly_budget", "unit_id": unit_id, "amount_minor": 50_000, "currency": "SEK"}]});
    assert_eq!(app.post(&policy, &net.region_admin, rule).await.status, StatusCode::CREATED);
    let book = |date: &str| json!({"space_id": desk, "date": date, "period": "full_day"});

    // Olle's Tuesday and a December day leave 200 kr of November: Karin's Monday the 30th costs 300.
    let tuesday = app.post("/api/v1/bookings", &olle, book("2026-11-24")).await;
    assert_eq!(tuesday.status, StatusCode::CREATED, "{}", tuesday.body);
    let december = app.post("/api/v1/bookings", &olle, book("2026-12-01")).await;
    assert_eq!(december.status, StatusCode::CREATED, "{}", december.body);
    let refused = in_language(&app, &karin, "sv", Method::POST, "/api/v1/bookings", book("2026-11-30")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.code(), "policy_budget_exhausted");
    assert!(refused.message().contains("under 2026-11 har 200 SEK kvar av 500 SEK"), "{}", refused.message());
    assert!(refused.message().contains("kostar 300 SEK per dag"), "{}", refused.message());

    // Once Olle cancels his Tuesday, the whole budget is there again and the day fits.
    let id = tuesday.body["id"].as_str().unwrap();
    let cancelled = app.delete(&format!("/api/v1/bookings/{id}"), &olle).await;
    assert!(cancelled.status.is_success(), "{}", cancelled.body);
    let booked = app.post("/api/v1/bookings", &karin, book("2026-11-30")).await;
    assert_eq!(
        (booked.status, booked.body["status"].as_str()),
        (StatusCode::CREATED, Some("confirmed")),
        "{}",
        booked.body
    );
    // And now the month's 300 of 500 are spent: the next day of the unit is refused again.
    let again = app.post("/api/v1/bookings", &olle, book("2026-11-24")).await;
    assert_eq!(again.code(), "policy_budget_exhausted", "{}", again.body);
    app.finish().await;
}

#[tokio::test]
async fn where_the_policy_asks_for_approval_the_bookers_organisation_decides_not_the_hub() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    let (_, desk) = brunflo_hub(&app).await;
    let rule = json!({"valid_from": "2026-11-23", "rules": [{"rule": "hub_approval", "applies_to": "everyone"}]});
    write_region_policy(&app, rule).await;
    let booked = app
        .post("/api/v1/bookings", &karin, json!({"space_id": desk, "date": "2026-11-24", "period": "full_day"}))
        .await;
    assert_eq!(booked.body["status"], "pending_approval", "{}", booked.body);
    let id = booked.body["id"].as_str().unwrap();
    // The hub's owner has no say in the region's policy; the region's admin decides.
    let by_hub = app.post(&format!("/api/v1/bookings/{id}/approve"), &net.agency_admin, json!({})).await;
    assert_eq!(by_hub.status, StatusCode::FORBIDDEN, "{}", by_hub.body);
    let by_region = app.post(&format!("/api/v1/bookings/{id}/approve"), &net.region_admin, json!({})).await;
    assert_eq!(by_region.body["status"], "confirmed", "{}", by_region.body);
    app.finish().await;
}

#[tokio::test]
async fn a_monthly_hub_day_cap_counts_this_months_hub_days_and_leaves_the_own_office_alone() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    let (_, desk) = brunflo_hub(&app).await;
    let rule = json!({"valid_from": "2026-11-23", "rules": [{"rule": "monthly_hub_days", "max_days": 1, "applies_to": "everyone"}]});
    write_region_policy(&app, rule).await;
    let at_hub = |date: &str| json!({"space_id": desk, "date": date, "period": "full_day"});
    let first = app.post("/api/v1/bookings", &karin, at_hub("2026-11-24")).await;
    assert_eq!(first.body["status"], "confirmed", "{}", first.body);
    // A December hub day is another month's.
    let december = app.post("/api/v1/bookings", &karin, at_hub("2026-12-01")).await;
    assert_eq!(december.body["status"], "confirmed", "{}", december.body);
    let second = in_language(&app, &karin, "en", Method::POST, "/api/v1/bookings", at_hub("2026-11-30")).await;
    assert_eq!(second.status, StatusCode::FORBIDDEN, "{}", second.body);
    assert_eq!(second.code(), "policy_monthly_hub_days_used");
    // The cap is about hubs: the own office takes any number of days.
    for date in ["2026-11-25", "2026-11-26", "2026-11-30"] {
        let office = app.book_day(&karin, &net.ostersund_desks[0], date).await;
        assert_eq!(office.body["status"], "confirmed", "{}", office.body);
    }
    app.finish().await;
}

#[tokio::test]
async fn a_rule_scoped_to_a_unit_covers_its_people_and_sub_units_and_no_one_else() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let (_, desk) = brunflo_hub(&app).await;
    let units = format!("/api/v1/organisations/{}/units", net.region.id);
    let health = app.post(&units, &net.region_admin, json!({"name": {"sv": "Hälsa"}})).await.body["id"].clone();
    let nurses = app.post(&units, &net.region_admin, json!({"name": {"sv": "Vård"}, "parent_id": health})).await;
    assert_eq!(nurses.status, StatusCode::CREATED, "{}", nurses.body);
    let nurses: hubnet_domain::UnitId = nurses.body["id"].as_str().unwrap().parse().unwrap();
    let nurse = crate::helpers::person_in(&app, net.region.id, Some(nurses), "nurse@region.example").await;
    let outside = crate::helpers::person_in(&app, net.region.id, None, "outside@region.example").await;
    let rule = json!({"valid_from": "2026-11-23",
        "rules": [{"rule": "hub_approval", "applies_to": {"units": [health]}}]});
    write_region_policy(&app, rule).await;
    let book = |date: &str| json!({"space_id": desk, "date": date, "period": "full_day"});
    // The nurse belongs to a sub-unit of Hälsa: her hub day waits for the region.
    let asked = app.post("/api/v1/bookings", &nurse, book("2026-11-24")).await;
    assert_eq!(asked.body["status"], "pending_approval", "{}", asked.body);
    // Someone outside the unit books the hub outright.
    let free = app.post("/api/v1/bookings", &outside, book("2026-11-30")).await;
    assert_eq!(free.body["status"], "confirmed", "{}", free.body);
    app.finish().await;
}

#[tokio::test]
async fn where_both_the_policy_and_the_hub_ask_for_approval_the_organisation_decides_first_then_the_hub() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    let (hub, desk) = brunflo_hub(&app).await;
    // The agency's hub asks for its own approval of every booking.
    site_asks_for_approval(&app, &hub).await;
    let rule = json!({"valid_from": "2026-11-23", "rules": [{"rule": "hub_approval", "applies_to": "everyone"}]});
    write_region_policy(&app, rule).await;
    let booked = app
        .post("/api/v1/bookings", &karin, json!({"space_id": desk, "date": "2026-11-24", "period": "full_day"}))
        .await;
    assert_eq!(booked.body["status"], "pending_approval", "{}", booked.body);
    assert_eq!(booked.body["awaits_organisation"], true, "{}", booked.body);
    let id = booked.body["id"].as_str().unwrap();
    let approve = format!("/api/v1/bookings/{id}/approve");

    // The hub cannot approve before the region has: the policy is not the hub's to lift.
    let early = app.post(&approve, &net.agency_admin, json!({})).await;
    assert_eq!(early.status, StatusCode::FORBIDDEN, "{}", early.body);
    let site_list = app.get(&format!("/api/v1/bookings?site={hub}"), &net.agency_admin).await;
    assert_eq!(site_list.body[0]["awaits_organisation"], true, "{}", site_list.body);
    // The region approves its exception; the booking then waits for the hub.
    let by_region = app.post(&approve, &net.region_admin, json!({})).await;
    assert_eq!(by_region.status, StatusCode::OK, "{}", by_region.body);
    assert_eq!(
        (by_region.body["status"].as_str(), by_region.body["awaits_organisation"].as_bool()),
        (Some("pending_approval"), Some(false)),
        "{}",
        by_region.body
    );
    let twice = app.post(&approve, &net.region_admin, json!({})).await;
    assert_eq!(twice.status, StatusCode::FORBIDDEN, "the region has had its say: {}", twice.body);
    let by_hub = app.post(&approve, &net.agency_admin, json!({})).await;
    assert_eq!(by_hub.body["status"], "confirmed", "{}", by_hub.body);
    // Both decisions are in the region's log, each saying for whom it was given.
    let log = app
        .get(&format!("/api/v1/organisations/{}/audit?action=booking.approved", net.region.id), &net.region_admin)
        .await;
    let given: Vec<&str> = log.body.as_array().unwrap().iter().filter_map(|e| e["detail"]["for"].as_str()).collect();
    assert_eq!(given.len(), 2, "{}", log.body);
    assert!(given.contains(&"organisation") && given.contains(&"site"), "{given:?}");
    app.finish().await;
}

/// A browser with the region's admin signed in to the pages.
pub(crate) async fn region_admin_signed_in(app: &TestApp) -> crate::web::Browser<'_> {
    crate::web::with_password(app, &app.net.region_admin, "a long enough password").await;
    let mut browser = crate::web::Browser::new(app);
    browser.sign_in(app.net.region_admin.person.email.as_str(), "a long enough password").await;
    browser
}

#[tokio::test]
async fn an_admin_writes_the_regional_rule_in_the_pages_and_reads_it_back_in_words() {
    use crate::web::{Browser, hidden, tag_with_id, with_password};
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let mut browser = region_admin_signed_in(&app).await;
    let region = net.region.id.to_string();

    // The form starts from the example on request; a broken text comes back as typed, with why.
    let form = browser.get(&format!("/admin/policy?organisation={region}&example=jamtland")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert!(form.html.contains("own_office_within"), "{}", form.html);
    assert!(tag_with_id(&form.html, "r0_km").contains("value=\"70\""), "{}", form.html);
    let csrf = hidden(&form.html, "csrf");
    let broken = "[{\"rule\": \"own_office_within\", \"km\": 70, \"mode\": \"sometimes\"}]";
    let refused = browser
        .post(
            "/admin/policy",
            &[("csrf", &csrf), ("organisation", &region), ("valid_from", "2026-11-23"), ("rules", broken)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(refused.html.contains("sometimes"), "what was typed is kept");
    // The JSON form is shown open, its text marked; the form of rules is left as it was.
    assert!(refused.html.contains("<details class=\"policy-json\" open>"), "{}", refused.html);
    assert!(tag_with_id(&refused.html, "rules").contains("aria-invalid=\"true\""), "{}", refused.html);
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{region}/policy"), &net.bjorn).await.body["versions"],
        json!([])
    );

    let saved = browser
        .post(
            "/admin/policy",
            &[
                ("csrf", &csrf),
                ("organisation", &region),
                ("valid_from", "2026-11-23"),
                ("rules", JAMTLAND_HARJEDALEN_JSON),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let page = browser.get(&saved.location).await;
    // In the admin's own language (Finnish).
    assert!(page.html.contains("Uusi versio on tallennettu."), "{}", page.html);
    assert!(
        page.html.contains("Oma toimisto on pakollinen niille, jotka asuvat enintään 70 km:n päässä siitä. (kaikki)"),
        "{}",
        page.html
    );
    assert!(page.html.contains("cross-sector coordinator"), "{}", page.html);
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{region}/policy"), &net.bjorn).await.body["in_force"]["version"],
        1
    );

    // Another organisation's admin, or a member, cannot write it through the page.
    let mut other = Browser::new(&app);
    with_password(&app, &net.agency_admin, "another long password").await;
    other.sign_in(net.agency_admin.person.email.as_str(), "another long password").await;
    let page = other.get(&format!("/admin/policy?organisation={region}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let csrf = hidden(&other.get("/admin/policy").await.html, "csrf");
    let forged = other
        .post(
            "/admin/policy",
            &[("csrf", &csrf), ("organisation", &region), ("valid_from", "2026-11-24"), ("rules", "[]")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{region}/policy"), &net.bjorn).await.body["versions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.finish().await;
}

/// Sets a field as a person would type or choose it: the first field of that name, or a new one.
fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(field) => value.clone_into(&mut field.1),
        None => fields.push((name.to_owned(), value.to_owned())),
    }
}

/// Whether the form, as the page fills it, sends this value.
fn sends(fields: &[(String, String)], name: &str, value: &str) -> bool {
    fields.iter().any(|(k, v)| k == name && v == value)
}

#[tokio::test]
async fn an_admin_builds_the_regional_rule_rule_by_rule_in_the_form_and_only_saving_saves_it() {
    use crate::web::{form_fields, tag_with_id};
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let mut browser = region_admin_signed_in(&app).await;
    let region = net.region.id.to_string();
    let policy = format!("/api/v1/organisations/{region}/policy");
    let nothing_saved = async || app.get(&policy, &net.bjorn).await.body["versions"] == json!([]);

    // Each round trip sends the whole form as the page filled it, with what was typed since.
    let page = browser.get(&format!("/admin/policy?organisation={region}")).await;
    assert!(page.html.contains("name=\"count\" value=\"0\""), "{}", page.html);
    let mut fields = form_fields(&page.html, "policy-form");
    set(&mut fields, "valid_from", "2026-11-23");
    let mut round_trip = async |fields: &[(String, String)], button: (&str, &str)| {
        let mut sent: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        sent.push(button);
        browser.post("/admin/policy", &sent).await
    };
    let mut add = async |mut fields: Vec<(String, String)>, kind: &str| {
        set(&mut fields, "new_rule", kind);
        let page = round_trip(&fields, ("add", "1")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        form_fields(&page.html, "policy-form")
    };
    let mut fields = add(fields, "own_office_within").await;
    set(&mut fields, "r0_km", "70");
    set(&mut fields, "r0_mode", "require");
    // A rule that will be removed again, between others.
    let fields = add(fields, "hub_approval").await;
    assert!(sends(&fields, "r0_km", "70") && sends(&fields, "r0_mode", "require"), "{fields:?}");
    assert!(sends(&fields, "r1_rule", "hub_approval") && sends(&fields, "r1_required", "on"), "{fields:?}");
    let mut fields = add(fields, "site_kinds").await;
    for kind in ["own_office", "shared_office", "coworking_hub", "service_point"] {
        fields.push(("r2_kinds".into(), kind.into()));
    }
    set(&mut fields, "r2_scope", "role_tags");
    set(&mut fields, "r2_scope_values", "Cross-sector  Coordinator");
    let mut fields = add(fields, "monthly_hub_days").await;
    assert_eq!(fields.iter().filter(|(k, _)| k == "r2_kinds").count(), 4, "{fields:?}");
    assert!(sends(&fields, "r2_scope_values", "Cross-sector  Coordinator"), "{fields:?}");
    set(&mut fields, "r3_max_days", "8");
    fields.push(("r3_exceptions_allowed".into(), "on".into()));
    let mut fields = add(fields, "monthly_hub_days").await;
    set(&mut fields, "r4_max_days", "12");
    set(&mut fields, "r4_scope", "role_tags");
    set(&mut fields, "r4_scope_values", "cross-sector coordinator");
    fields.push(("r4_exceptions_allowed".into(), "on".into()));
    assert!(nothing_saved().await, "adding rules saves nothing");

    // Removing the second rule moves the later ones up, with what was typed in them.
    let removed = round_trip(&fields, ("remove", "1")).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.html);
    let mut fields = form_fields(&removed.html, "policy-form");
    assert!(sends(&fields, "count", "4") && !fields.iter().any(|(_, v)| v == "hub_approval"), "{fields:?}");
    assert!(sends(&fields, "r1_rule", "site_kinds") && sends(&fields, "r1_kinds", "coworking_hub"), "{fields:?}");
    assert!(sends(&fields, "r3_max_days", "12") && sends(&fields, "r3_exceptions_allowed", "on"), "{fields:?}");
    assert!(sends(&fields, "valid_from", "2026-11-23"), "{fields:?}");

    // A word for a number is refused, named by its rule and field, and everything typed stays.
    set(&mut fields, "r0_km", "seventy");
    let refused = round_trip(&fields, ("save", "")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    let km = tag_with_id(&refused.html, "r0_km");
    assert!(km.contains("value=\"seventy\"") && km.contains("aria-invalid=\"true\""), "{km}");
    assert!(!tag_with_id(&refused.html, "r3_max_days").contains("aria-invalid"), "{}", refused.html);
    // In the admin's own language (Finnish).
    assert!(
        refused.html.contains("Tarkista kenttä Sääntö 1: Etäisyys kodista omaan toimistoon (km)"),
        "{}",
        refused.html
    );
    assert_eq!(form_fields(&refused.html, "policy-form"), fields);
    assert!(nothing_saved().await);

    set(&mut fields, "r0_km", "70");
    let saved = round_trip(&fields, ("save", "")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let stored = app.get(&policy, &net.bjorn).await.body;
    let regional = serde_json::to_value(hubnet_domain::policy::jamtland_harjedalen_rules()).unwrap();
    assert_eq!(stored["in_force"]["rules"], regional, "{stored}");

    // The form starts from the version in force; saved as it is, it makes the same rules again.
    let page = browser.get(&format!("/admin/policy?organisation={region}")).await;
    let again = form_fields(&page.html, "policy-form");
    assert!(sends(&again, "count", "4") && sends(&again, "r0_km", "70"), "{again:?}");
    let mut round_trip = async |fields: &[(String, String)]| {
        let sent: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        browser.post("/admin/policy", &sent).await
    };
    assert_eq!(round_trip(&again).await.status, StatusCode::SEE_OTHER);
    let stored = app.get(&policy, &net.bjorn).await.body;
    assert_eq!(stored["in_force"]["version"], 2, "{stored}");
    assert_eq!(stored["in_force"]["rules"], regional, "{stored}");
    app.finish().await;
}

#[tokio::test]
async fn the_form_keeps_a_units_budget_and_team_days_and_marks_a_municipality_that_does_not_exist() {
    use crate::web::{form_fields, tag_with_id};
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let mut browser = region_admin_signed_in(&app).await;
    let region = net.region.id.to_string();
    let units = format!("/api/v1/organisations/{region}/units");
    let unit = app.post(&units, &net.region_admin, json!({"name": {"sv": "Hälsa"}})).await.body["id"].clone();
    let unit = unit.as_str().unwrap().to_owned();
    let rules = json!([
        {"rule": "monthly_budget", "unit_id": unit, "amount_minor": 500_050, "currency": "SEK", "exceptions_allowed": true},
        {"rule": "team_days", "unit_id": unit, "weekdays": ["tue", "thu"]},
        {"rule": "hub_approval", "required": true, "applies_to": {"units": [unit]}},
        {"rule": "own_office_within", "km": 40, "road_factor": 1.25, "mode": "prefer",
         "applies_to": {"home_municipalities": ["SE-2380"]}, "exceptions_allowed": false}
    ]);
    let path = format!("/api/v1/organisations/{region}/policy");
    let written = app.post(&path, &net.region_admin, json!({"valid_from": "2026-11-23", "rules": rules})).await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.body);

    let page = browser.get(&format!("/admin/policy?organisation={region}")).await;
    let mut fields = form_fields(&page.html, "policy-form");
    assert!(sends(&fields, "r0_amount", "5000.50") && sends(&fields, "r0_currency", "SEK"), "{fields:?}");
    assert!(sends(&fields, "r1_weekdays", "thu") && sends(&fields, "r2_scope_units", &unit), "{fields:?}");
    assert!(sends(&fields, "r3_scope_values", "SE-2380") && sends(&fields, "r3_road_factor", "1.25"), "{fields:?}");

    // A municipality code that does not exist is refused at the rule's scope.
    set(&mut fields, "r3_scope_values", "SE-2380, SE-99");
    let sent: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let refused = browser.post("/admin/policy", &sent).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(tag_with_id(&refused.html, "r3_scope_values").contains("aria-invalid=\"true\""), "{}", refused.html);

    // Saved unchanged, the version has the same rules.
    set(&mut fields, "r3_scope_values", "SE-2380");
    let sent: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(browser.post("/admin/policy", &sent).await.status, StatusCode::SEE_OTHER);
    let stored = app.get(&path, &net.region_admin).await.body;
    assert_eq!(stored["in_force"]["version"], 2, "{stored}");
    assert_eq!(stored["in_force"]["rules"], stored["versions"][0]["rules"], "{stored}");
    assert_eq!(stored["in_force"]["rules"][0]["amount_minor"], 500_050, "{stored}");
    app.finish().await;
}

#[tokio::test]
async fn the_organisations_admin_decides_policy_exceptions_on_the_host_page_and_the_hub_does_not_see_them() {
    use crate::web::{Browser, hidden, with_password};
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    let (hub, desk) = brunflo_hub(&app).await;
    let path = format!("/api/v1/organisations/{}/policy", net.region.id);
    let rule = json!({"valid_from": "2026-11-23", "rules": [{"rule": "hub_approval", "applies_to": "everyone"}]});
    app.post(&path, &net.region_admin, rule).await;
    let booked = app
        .post("/api/v1/bookings", &karin, json!({"space_id": desk, "date": "2026-11-24", "period": "full_day"}))
        .await;
    let id = booked.body["id"].as_str().unwrap().to_owned();

    // The hub's owner manages the hub but is not asked.
    with_password(&app, &net.agency_admin, "the agency admin's password").await;
    let mut owner = Browser::new(&app);
    owner.sign_in(net.agency_admin.person.email.as_str(), "the agency admin's password").await;
    let hub_page = owner.get(&format!("/host/sites/{hub}")).await;
    assert_eq!(hub_page.status, StatusCode::OK);
    assert!(!hub_page.html.contains(&id), "the hub's page lists the region's own approval");

    with_password(&app, &net.region_admin, "the region admin's password").await;
    let mut admin = Browser::new(&app);
    admin.sign_in(net.region_admin.person.email.as_str(), "the region admin's password").await;
    let host = admin.get("/host").await;
    assert!(host.html.contains(&format!("/host/bookings/{id}/approve")), "{}", host.html);
    assert!(host.html.contains("Karin Berg"));
    let csrf = hidden(&host.html, "csrf");
    let approved = admin.post(&format!("/host/bookings/{id}/approve"), &[("csrf", &csrf), ("back", "host")]).await;
    assert_eq!((approved.status, approved.location.as_str()), (StatusCode::SEE_OTHER, "/host?notice=approved"));
    assert_eq!(app.get(&format!("/api/v1/bookings/{id}"), &karin).await.body["status"], "confirmed");
    assert!(!admin.get("/host").await.html.contains(&format!("/host/bookings/{id}/approve")));
    app.finish().await;
}
