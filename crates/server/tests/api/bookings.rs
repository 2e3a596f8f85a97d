//! Booking through the API: the flow of the "done when", every rule's code, and that a
//! refused booking writes nothing.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, helsinki};

#[tokio::test]
async fn a_token_books_a_desk_and_a_second_overlapping_booking_gets_409() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let desk = &net.helsinki_desks[0];
    let first = app
        .post(
            "/api/v1/bookings",
            &net.aino,
            json!({"space_id": desk.id, "start": helsinki(11, 24, 9, 0), "end": helsinki(11, 24, 11, 0)}),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.body["space_id"], json!(desk.id));
    assert_eq!(first.body["status"], "confirmed");
    assert_eq!(first.body["start"], "2026-11-24T07:00:00Z");
    assert_eq!(first.body["end"], "2026-11-24T09:00:00Z");
    assert_eq!(first.body["local_start"], "2026-11-24T09:00:00+02:00");
    assert_eq!(first.body["time_zone"], "Europe/Helsinki");
    let id = first.body["id"].as_str().unwrap().to_owned();
    assert_eq!(first.headers["location"], format!("/api/v1/bookings/{id}").as_str());

    let second = app
        .post(
            "/api/v1/bookings",
            &net.agency_admin,
            json!({"space_id": desk.id, "start": helsinki(11, 24, 10, 0), "end": helsinki(11, 24, 12, 0)}),
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.code(), "booking_conflict");
    assert_eq!(second.message(), "Someone else has already booked this space for that time.");
    assert_eq!(app.active_bookings(&net.helsinki).await.len(), 1);

    let mine = app.get("/api/v1/bookings?mine=true", &net.aino).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
    assert_eq!(mine.body[0]["id"], json!(id));
    app.finish().await;
}

#[tokio::test]
async fn a_booking_at_three_in_the_morning_is_outside_opening_hours() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let reply = app
        .post("/api/v1/bookings", &net.aino, json!({"space_id": net.helsinki_desks[0].id, "start": helsinki(11, 24, 3, 0), "end": helsinki(11, 24, 4, 0)}))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.code(), "outside_opening_hours");
    assert_eq!(reply.message(), "That time is outside opening hours: on that day the site is open 07:00–20:00.");
    assert!(app.active_bookings(&net.helsinki).await.is_empty());
    app.finish().await;
}

#[tokio::test]
async fn a_booking_on_christmas_eve_gets_site_closed_in_each_language() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let body = json!({"space_id": net.helsinki_desks[0].id, "date": "2026-12-24", "period": "full_day"});
    for (language, message) in [
        ("fi", "Toimipaikka on suljettu 24.12.2026 (jouluaatto)."),
        ("sv-FI", "Arbetsplatsen är stängd 2026-12-24 (julafton)."),
        ("en-GB,en;q=0.9", "The site is closed on 24 Dec 2026 (Christmas Eve)."),
    ] {
        let request = axum::http::Request::builder()
            .method(Method::POST)
            .uri("/api/v1/bookings")
            .header("authorization", format!("Bearer {}", net.aino.token))
            .header("content-type", "application/json")
            .header("accept-language", language)
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.code(), "site_closed");
        assert_eq!(reply.message(), message);
        assert_eq!(reply.headers["content-language"], &language[..2]);
    }
    assert!(app.active_bookings(&net.helsinki).await.is_empty());
    app.finish().await;
}

#[tokio::test]
async fn each_booking_rule_refuses_with_its_own_code_and_writes_nothing() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let desk = net.helsinki_desks[0].id;
    let cases = [
        (json!({"space_id": desk, "date": "2026-11-20", "period": "full_day"}), 422, "in_the_past"),
        (
            json!({"space_id": desk, "start": helsinki(11, 23, 7, 0), "end": helsinki(11, 23, 7, 30)}),
            422,
            "in_the_past",
        ),
        (json!({"space_id": desk, "date": "2027-01-25", "period": "morning"}), 422, "too_far_ahead"),
        (json!({"space_id": desk, "date": "2026-11-28", "period": "full_day"}), 422, "site_closed"),
        (
            json!({"space_id": desk, "start": helsinki(11, 24, 19, 0), "end": helsinki(11, 24, 21, 0)}),
            422,
            "outside_opening_hours",
        ),
        (
            json!({"space_id": desk, "start": helsinki(11, 24, 10, 0), "end": helsinki(11, 24, 10, 5)}),
            422,
            "invalid_time_range",
        ),
        (
            json!({"space_id": desk, "start": helsinki(11, 24, 12, 0), "end": helsinki(11, 24, 10, 0)}),
            422,
            "invalid_time_range",
        ),
        (
            json!({"space_id": net.ostersund_desks[0].id, "date": "2026-11-24", "period": "full_day"}),
            403,
            "site_not_open_to_you",
        ),
        (json!({"space_id": desk, "date": "2026-11-24"}), 422, "invalid_input"),
        (
            json!({"space_id": desk, "date": "2026-11-24", "period": "full_day", "start": helsinki(11, 24, 9, 0)}),
            422,
            "invalid_input",
        ),
    ];
    for (body, status, code) in cases {
        let reply = app.post("/api/v1/bookings", &net.aino, body.clone()).await;
        assert_eq!((reply.status.as_u16(), reply.code()), (status, code), "{body} -> {}", reply.body);
        assert!(!reply.message().is_empty());
    }
    // The lab asks outsiders to register first; its owner's own people need not.
    let lab = json!({"space_id": net.lab_desks[0].id, "date": "2026-11-24", "period": "full_day"});
    let outsider = app.post("/api/v1/bookings", &net.bjorn, lab).await;
    assert_eq!((outsider.status.as_u16(), outsider.code()), (422, "registration_required"));
    for site in [&net.helsinki, &net.ostersund, &net.lab] {
        assert!(app.active_bookings(site).await.is_empty());
    }
    app.finish().await;
}

#[tokio::test]
async fn a_person_holds_one_desk_at_a_time() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    assert_eq!(app.book_day(&net.aino, &net.helsinki_desks[0], "2026-11-25").await.status, StatusCode::CREATED);
    let second = app.book_day(&net.aino, &net.helsinki_desks[1], "2026-11-25").await;
    assert_eq!((second.status, second.code()), (StatusCode::UNPROCESSABLE_ENTITY, "already_booked_at_that_time"));
    // A meeting room is another kind of space: that is fine.
    let room = app
        .post(
            "/api/v1/bookings",
            &net.aino,
            json!({"space_id": net.helsinki_room.id, "start": helsinki(11, 25, 13, 0), "end": helsinki(11, 25, 14, 0)}),
        )
        .await;
    assert_eq!(room.status, StatusCode::CREATED, "{}", room.body);
    assert_eq!(app.active_bookings(&net.helsinki).await.len(), 2);
    app.finish().await;
}

#[tokio::test]
async fn half_days_split_at_noon_and_do_not_collide() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let desk = &net.helsinki_desks[2];
    let morning = app
        .post("/api/v1/bookings", &net.aino, json!({"space_id": desk.id, "date": "2026-11-26", "period": "morning"}))
        .await;
    let afternoon = app
        .post(
            "/api/v1/bookings",
            &net.agency_admin,
            json!({"space_id": desk.id, "date": "2026-11-26", "period": "afternoon"}),
        )
        .await;
    assert_eq!((morning.status, afternoon.status), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(morning.body["local_start"], "2026-11-26T07:00:00+02:00");
    assert_eq!(morning.body["local_end"], "2026-11-26T12:00:00+02:00");
    assert_eq!(afternoon.body["local_start"], "2026-11-26T12:00:00+02:00");
    assert_eq!(afternoon.body["local_end"], "2026-11-26T20:00:00+02:00");
    let whole = app.book_day(&net.platform, desk, "2026-11-26").await;
    assert_eq!(whole.code(), "booking_conflict");
    app.finish().await;
}

#[tokio::test]
async fn cancelling_frees_the_desk_and_cancelling_the_past_is_refused() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let desk = &net.helsinki_desks[0];
    let booked = app.book_day(&net.aino, desk, "2026-11-27").await;
    let id = booked.body["id"].as_str().unwrap();
    let cancelled = app.delete(&format!("/api/v1/bookings/{id}"), &net.aino).await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert!(app.get("/api/v1/bookings?mine=true", &net.aino).await.body.as_array().unwrap().is_empty());
    let all = app.get("/api/v1/bookings?mine=true&include_inactive=true", &net.aino).await;
    assert_eq!(all.body.as_array().unwrap().len(), 1);
    assert_eq!(app.book_day(&net.bjorn, &net.hub_desks[0], "2026-11-27").await.status, StatusCode::CREATED);
    assert_eq!(app.book_day(&net.agency_admin, desk, "2026-11-27").await.status, StatusCode::CREATED);

    // A booking that has already ended cannot be cancelled.
    let past = hubnet_store::NewBooking {
        id: uuid::Uuid::now_v7().into(),
        space_id: desk.id,
        site_id: desk.site_id,
        space_kind: desk.kind,
        person_id: net.aino.person.id,
        created_by: net.aino.person.id,
        range: hubnet_domain::TimeRange::new(
            helsinki(11, 20, 9, 0).parse().unwrap(),
            helsinki(11, 20, 10, 0).parse().unwrap(),
        )
        .unwrap(),
        status: hubnet_domain::BookingStatus::Confirmed,
        created_at: crate::helpers::now(),
        awaits_organisation: false,
    };
    let past = app.store.bookings().book(past).await.unwrap();
    let refused = app.delete(&format!("/api/v1/bookings/{}", past.id), &net.aino).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::UNPROCESSABLE_ENTITY, "booking_already_ended"));
    app.finish().await;
}

#[tokio::test]
async fn a_registered_person_books_at_the_shared_lab_and_an_admin_books_on_behalf() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let lab_desk = &net.lab_desks[0];
    assert_eq!(app.book_day(&net.bjorn, lab_desk, "2026-11-24").await.code(), "registration_required");
    let registered = app.post(&format!("/api/v1/sites/{}/registration", net.lab.id), &net.bjorn, json!({})).await;
    assert_eq!(registered.status, StatusCode::NO_CONTENT, "{}", registered.body);
    let booked = app.book_day(&net.bjorn, lab_desk, "2026-11-24").await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);

    // An admin books for someone in their own organisation, but not for someone elsewhere.
    let for_aino = app
        .post("/api/v1/bookings", &net.agency_admin, json!({"space_id": net.helsinki_desks[1].id, "date": "2026-11-24", "period": "full_day", "person_id": net.aino.person.id}))
        .await;
    assert_eq!(for_aino.status, StatusCode::CREATED, "{}", for_aino.body);
    assert_eq!(for_aino.body["person_id"], json!(net.aino.person.id));
    assert_eq!(for_aino.body["created_by"], json!(net.agency_admin.person.id));
    let for_bjorn = app
        .post("/api/v1/bookings", &net.agency_admin, json!({"space_id": net.hub_desks[0].id, "date": "2026-11-24", "period": "full_day", "person_id": net.bjorn.person.id}))
        .await;
    assert_eq!(for_bjorn.status, StatusCode::NOT_FOUND);
    let by_colleague = app
        .post("/api/v1/bookings", &net.lab_host, json!({"space_id": net.helsinki_desks[2].id, "date": "2026-11-24", "period": "full_day", "person_id": net.aino.person.id}))
        .await;
    assert_eq!((by_colleague.status, by_colleague.code()), (StatusCode::FORBIDDEN, "access_denied"));
    // Aino sees the booking made for her.
    assert_eq!(app.get("/api/v1/bookings?mine=true", &net.aino).await.body.as_array().unwrap().len(), 1);
    app.finish().await;
}

#[tokio::test]
async fn nobody_books_for_a_deactivated_person() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let mut aino = net.aino.person.clone();
    aino.active = false;
    app.store.people().save_person(&aino).await.unwrap();
    let body =
        json!({"space_id": net.helsinki_desks[0].id, "date": "2026-11-24", "period": "full_day", "person_id": aino.id});
    let reply = app.post("/api/v1/bookings", &net.agency_admin, body).await;
    assert_eq!(
        (reply.status, reply.body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("person_id"))
    );
    assert!(app.active_bookings(&net.helsinki).await.is_empty());
    app.finish().await;
}

#[tokio::test]
async fn turning_a_room_into_a_desk_cannot_give_someone_two_desks_at_once() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let room = &net.helsinki_room;
    let slot = || json!({"start": helsinki(11, 24, 10, 0), "end": helsinki(11, 24, 11, 0)});
    let mut in_room = slot();
    in_room["space_id"] = json!(room.id);
    let mut at_desk = slot();
    at_desk["space_id"] = json!(net.helsinki_desks[0].id);
    assert_eq!(app.post("/api/v1/bookings", &net.aino, in_room).await.status, StatusCode::CREATED);
    assert_eq!(app.post("/api/v1/bookings", &net.aino, at_desk).await.status, StatusCode::CREATED);
    let path = format!("/api/v1/spaces/{}", room.id);
    let mut room_as_desk = app.get(&path, &net.aino).await.body;
    for key in ["id", "site_id"] {
        room_as_desk.as_object_mut().unwrap().remove(key);
    }
    room_as_desk["kind"] = json!("desk");
    room_as_desk["capacity"] = json!(1);
    let reply = app.put(&path, &net.agency_admin, room_as_desk).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "already_booked_at_that_time"),
        "{}",
        reply.body
    );
    assert_eq!(app.get(&path, &net.aino).await.body["kind"], "meeting_room");
    app.finish().await;
}
