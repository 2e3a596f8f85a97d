//! Free spaces at a site on a date, and near a point across the network.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_site_shows_which_desks_are_free_on_a_date() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let path = format!("/api/v1/availability?site={}&date=2026-11-24&kind=desk", net.helsinki.id);
    let before = app.get(&path, &net.aino).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert_eq!((before.body["total"].as_u64(), before.body["free"].as_u64()), (Some(3), Some(3)));
    assert_eq!(before.body["open"], true);
    assert_eq!(before.body["hours"]["opens"], "07:00");
    assert_eq!(before.body["bookable_by_you"], true);
    app.post(
        "/api/v1/bookings",
        &net.aino,
        serde_json::json!({"space_id": net.helsinki_desks[0].id, "start": crate::helpers::helsinki(11, 24, 9, 0), "end": crate::helpers::helsinki(11, 24, 10, 0)}),
    )
    .await;
    let after = app.get(&path, &net.aino).await;
    assert_eq!(after.body["free"].as_u64(), Some(2));
    let a1 = after.body["spaces"].as_array().unwrap().iter().find(|s| s["name"] == "A1").unwrap();
    assert_eq!(a1["free"], false);
    // Outside the booked hour, A1 is free.
    let afternoon = app.get(&format!("{path}&from=12:00&to=16:00"), &net.aino).await;
    assert_eq!(afternoon.body["free"].as_u64(), Some(3));
    let rooms = app
        .get(&format!("/api/v1/availability?site={}&date=2026-11-24&kind=meeting_room", net.helsinki.id), &net.aino)
        .await;
    assert_eq!(rooms.body["total"].as_u64(), Some(1));
    app.finish().await;
}

#[tokio::test]
async fn a_closed_day_says_why() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let eve = app.get(&format!("/api/v1/availability?site={}&date=2026-12-24", net.helsinki.id), &net.aino).await;
    assert_eq!(eve.body["open"], false);
    assert_eq!(eve.body["closed_for"], "christmas_eve");
    assert_eq!(eve.body["spaces"].as_array().unwrap().len(), 0);
    let sunday = app.get(&format!("/api/v1/availability?site={}&date=2026-11-29", net.helsinki.id), &net.aino).await;
    assert_eq!((sunday.body["open"].as_bool(), sunday.body["closed_for"].is_null()), (Some(false), true));
    let other = app.get(&format!("/api/v1/availability?site={}&date=2026-11-24", net.ostersund.id), &net.aino).await;
    assert_eq!(other.body["bookable_by_you"], false);
    app.finish().await;
}

#[tokio::test]
async fn nearest_free_desks_come_first_with_their_distance_and_only_where_one_may_book() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    // From Helsinki's centre: the agency's own office (0 km), then the lab (3.3 km).
    let near =
        app.get("/api/v1/availability?near=60.1699,24.9384&radius_km=50&date=2026-11-24&kind=desk", &net.aino).await;
    assert_eq!(near.status, StatusCode::OK, "{}", near.body);
    let results = near.body["results"].as_array().unwrap();
    let sites: Vec<&str> = results.iter().map(|r| r["site"]["name"]["en"].as_str().unwrap()).collect();
    assert_eq!(sites, vec!["helsinki en", "helsinki en", "helsinki en", "lab en", "lab en"]);
    let distances: Vec<f64> = results.iter().map(|r| r["distance_km"].as_f64().unwrap()).collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    assert!((distances[3] - 3.3).abs() < 0.2, "{distances:?}");
    // Björn, of the region, is not admitted to the agency's own office: only the lab.
    let for_bjorn = app.get("/api/v1/availability?near=60.1699,24.9384&radius_km=50&date=2026-11-24", &net.bjorn).await;
    let sites: Vec<&str> = for_bjorn.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["site"]["name"]["en"].as_str().unwrap())
        .collect();
    assert_eq!(sites, vec!["lab en", "lab en"]);
    // A taken desk drops out; the radius bounds the search; the limit caps the list.
    app.book_day(&net.aino, &net.helsinki_desks[0], "2026-11-24").await;
    let after = app
        .get("/api/v1/availability?near=60.1699,24.9384&radius_km=50&date=2026-11-24&limit=10", &net.agency_admin)
        .await;
    assert_eq!(after.body["results"].as_array().unwrap().len(), 4);
    let tight =
        app.get("/api/v1/availability?near=60.1699,24.9384&radius_km=1&date=2026-11-24", &net.agency_admin).await;
    assert_eq!(tight.body["results"].as_array().unwrap().len(), 2);
    let one = app
        .get("/api/v1/availability?near=60.1699,24.9384&radius_km=50&date=2026-11-24&limit=1", &net.agency_admin)
        .await;
    assert_eq!(one.body["results"].as_array().unwrap().len(), 1);
    // From Åre, the priced hub; Östersund's office is the region's own.
    let are = app.get("/api/v1/availability?near=63.399,13.081&radius_km=150&date=2026-11-24", &net.bjorn).await;
    let first = &are.body["results"][0];
    assert_eq!(first["site"]["name"]["en"], "hub-are en");
    assert_eq!(first["site"]["price_per_seat_day"]["amount_minor"], 25000);
    assert_eq!(first["distance_km"].as_f64(), Some(0.0));
    app.finish().await;
}

#[tokio::test]
async fn availability_refuses_bad_queries_with_the_field_named() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let site = net.helsinki.id;
    for (query, field) in [
        (format!("site={site}"), "date"),
        (format!("site={site}&date=tomorrow"), "date"),
        (format!("site={site}&date=2026-11-24&from=25:00"), "from"),
        (format!("site={site}&date=2026-11-24&from=12:00&to=09:00"), "to"),
        (format!("site={site}&date=2026-11-24&kind=sofa"), "kind"),
        ("near=60.1,24.9&date=2026-11-24&radius_km=-3".to_owned(), "radius_km"),
        ("near=60.1&date=2026-11-24".to_owned(), "near"),
        ("date=2026-11-24".to_owned(), "site"),
        (format!("site={site}&near=60.1,24.9&date=2026-11-24"), "site"),
    ] {
        let reply = app.get(&format!("/api/v1/availability?{query}"), &net.aino).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
            "{query}: {}",
            reply.body
        );
        assert_eq!(reply.body["error"]["field"], field, "{query}: {}", reply.body);
    }
    let unknown =
        app.get(&format!("/api/v1/availability?site={}&date=2026-11-24", uuid::Uuid::now_v7()), &net.aino).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test]
async fn a_window_is_clamped_to_opening_hours_and_one_outside_them_is_refused() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let site = net.helsinki.id;
    let early =
        app.get(&format!("/api/v1/availability?site={site}&date=2026-11-24&from=05:00&to=09:00"), &net.aino).await;
    assert_eq!(early.status, StatusCode::OK, "{}", early.body);
    assert_eq!(early.body["window"]["start"], "2026-11-24T05:00:00Z", "the window starts at opening, 07:00 local");
    let night =
        app.get(&format!("/api/v1/availability?site={site}&date=2026-11-24&from=03:00&to=05:00"), &net.aino).await;
    assert_eq!((night.status, night.code()), (StatusCode::UNPROCESSABLE_ENTITY, "outside_opening_hours"));
    // Near a point, sites not open in the window are left out rather than failing the search.
    let evening = app
        .get("/api/v1/availability?near=60.1699,24.9384&radius_km=500&date=2026-11-24&from=19:30", &net.platform)
        .await;
    assert_eq!(evening.status, StatusCode::OK, "{}", evening.body);
    let gap =
        app.get(&format!("/api/v1/availability?site={site}&date=2027-03-28&from=03:30&to=05:00"), &net.aino).await;
    assert_eq!(gap.status, StatusCode::OK, "Sunday: closed, said plainly: {}", gap.body);
    assert_eq!(gap.body["open"], false);
    app.finish().await;
}

#[tokio::test]
async fn dates_and_instants_out_of_any_booking_range_are_refused_not_failed() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    for path in [
        format!("/api/v1/availability?site={}&date=-262143-01-02", net.helsinki.id),
        format!("/api/v1/availability?site={}&date=20000-01-02", net.helsinki.id),
        "/api/v1/bookings?from=-262143-01-01T00:00:00Z".to_owned(),
    ] {
        let reply = app.get(&path, &net.aino).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
            "{path}: {}",
            reply.body
        );
    }
    let far = serde_json::json!({"space_id": net.helsinki_desks[0].id, "start": "+262142-12-31T22:00:00Z", "end": "+262142-12-31T23:00:00Z"});
    let reply = app.post("/api/v1/bookings", &net.aino, far).await;
    assert_eq!(reply.status.as_u16() / 100, 4, "{}", reply.body);
    app.finish().await;
}
