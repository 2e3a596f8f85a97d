//! Bad input gets a clear error with a stable code, in fi, sv and en, and loses nothing.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: &str,
    token: &str,
) -> crate::helpers::Reply {
    let mut request = Request::builder().method(method).uri(path).header("authorization", format!("Bearer {token}"));
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    app.send(request.body(Body::from(body.to_owned())).unwrap()).await
}

#[tokio::test]
async fn malformed_json_wrong_types_and_missing_fields_get_codes_not_framework_text() {
    let app = TestApp::sqlite().await;
    let t = &app.net.aino.token;
    let json_type = Some("application/json");
    let cases = [
        (r#"{"space_id": "#, json_type, 400, "malformed_json", None),
        ("not json", json_type, 400, "malformed_json", None),
        (
            r#"{"space_id": 42, "date": "2026-11-24", "period": "full_day"}"#,
            json_type,
            422,
            "invalid_input",
            Some("space_id"),
        ),
        (
            r#"{"space_id": "00000000-0000-0000-0000-000000000000", "date": "24.11.2026", "period": "full_day"}"#,
            json_type,
            422,
            "invalid_input",
            Some("date"),
        ),
        (
            r#"{"space_id": "00000000-0000-0000-0000-000000000000", "date": "2026-11-24", "period": "evening"}"#,
            json_type,
            422,
            "invalid_input",
            Some("period"),
        ),
        (r#"{"date": "2026-11-24", "period": "full_day"}"#, json_type, 422, "invalid_input", Some("space_id")),
        (
            r#"{"space_id": "00000000-0000-0000-0000-000000000000", "date": "2026-11-24", "period": "full_day", "colour": "red"}"#,
            json_type,
            422,
            "invalid_input",
            Some("colour"),
        ),
        (
            r#"{"space_id": "00000000-0000-0000-0000-000000000000", "date": "2026-11-24", "period": "full_day"}"#,
            None,
            415,
            "unsupported_media_type",
            None,
        ),
    ];
    for (body, content_type, status, code, field) in cases {
        let reply = raw(&app, Method::POST, "/api/v1/bookings", content_type, body, t).await;
        assert_eq!((reply.status.as_u16(), reply.code()), (status, code), "{body}: {}", reply.body);
        assert_eq!(reply.body["error"]["field"].as_str(), field, "{body}: {}", reply.body);
        assert!(reply.message().len() > 10, "{}", reply.body);
        assert!(!reply.message().contains("Failed to deserialize"), "{}", reply.body);
    }
    assert!(app.active_bookings(&app.net.helsinki).await.is_empty());
    app.finish().await;
}

#[tokio::test]
async fn unknown_ids_routes_and_methods_are_4xx_with_a_code() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let unknown = uuid::Uuid::now_v7();
    for path in [
        format!("/api/v1/sites/{unknown}"),
        format!("/api/v1/spaces/{unknown}"),
        format!("/api/v1/bookings/{unknown}"),
        format!("/api/v1/people/{unknown}"),
        "/api/v1/sites/not-an-id".to_owned(),
        "/api/v1/no-such-thing".to_owned(),
    ] {
        let reply = app.get(&path, &net.aino).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::NOT_FOUND, "not_found"), "{path}");
    }
    let booking = app
        .post("/api/v1/bookings", &net.aino, json!({"space_id": unknown, "date": "2026-11-24", "period": "full_day"}))
        .await;
    assert_eq!((booking.status, booking.code()), (StatusCode::NOT_FOUND, "not_found"));
    let method = app.call(Method::PATCH, "/api/v1/bookings", Some(&net.aino.token), None).await;
    assert_eq!((method.status, method.code()), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"));
    app.finish().await;
}

#[tokio::test]
async fn out_of_range_coordinates_and_bad_values_are_refused_and_nothing_is_created() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let site = |lat: f64, extra: serde_json::Value| {
        let mut body = json!({
            "code": "new-site", "kind": "coworking_hub", "organisation_id": net.agency.id,
            "name": {"fi": "Uusi", "sv": "Ny", "en": "New"}, "address": "Katu 2",
            "municipality": "FI-111", "coordinates": {"lat": lat, "lon": 26.0},
            "opening_hours": {"mon": {"opens": "08:00", "closes": "16:00"}}
        });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        (site(91.0, json!({})), "coordinates"),
        (site(61.0, json!({"municipality": "FI-999"})), "municipality"),
        (site(61.0, json!({"municipality": "Heinola"})), "municipality"),
        (site(61.0, json!({"time_zone": "Europe/Atlantis"})), "time_zone"),
        (site(61.0, json!({"opening_hours": {"mon": {"opens": "16:00", "closes": "08:00"}}})), "opening_hours.mon"),
        (site(61.0, json!({"booking_horizon_days": 0})), "booking_horizon_days"),
        (site(61.0, json!({"code": "two words"})), "code"),
        (site(61.0, json!({"name": {"fi": "", "sv": "", "en": ""}})), "name"),
        (
            site(61.0, json!({"access": {"who": "listed", "organisations": [uuid::Uuid::now_v7()]}})),
            "access.organisations",
        ),
    ];
    for (body, field) in cases {
        let reply = app.post("/api/v1/sites", &net.agency_admin, body.clone()).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
            "{body}: {}",
            reply.body
        );
        assert_eq!(reply.body["error"]["field"], field, "{}", reply.body);
    }
    let sites = app.get("/api/v1/sites", &net.aino).await;
    assert_eq!(sites.body.as_array().unwrap().len(), 4, "a refused site was written");
    let near = app.get("/api/v1/availability?near=95,10&radius_km=10&date=2026-11-24", &net.aino).await;
    assert_eq!(
        (near.status, near.code(), near.body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", Some("near"))
    );
    let good = app.post("/api/v1/sites", &net.agency_admin, site(61.2, json!({}))).await;
    assert_eq!(good.status, StatusCode::CREATED, "{}", good.body);
    assert_eq!(good.body["time_zone"], "Europe/Helsinki");
    let again = app.post("/api/v1/sites", &net.agency_admin, site(61.2, json!({}))).await;
    assert_eq!(
        (again.status, again.code(), again.body["error"]["field"].as_str()),
        (StatusCode::CONFLICT, "already_exists", Some("code"))
    );
    app.finish().await;
}

#[tokio::test]
async fn a_request_without_valid_credentials_gets_401_in_the_callers_language() {
    let app = TestApp::sqlite().await;
    for (header, language, message) in [
        (None, "fi", "Kirjaudu ensin sisään"),
        (Some("Bearer hn_not-a-real-token"), "sv", "Logga in först"),
        (Some("Basic YWxhZGRpbjpvcGVuc2VzYW1l"), "en", "Sign in first"),
    ] {
        let mut request = Request::builder().uri("/api/v1/me").header("accept-language", language);
        if let Some(header) = header {
            request = request.header("authorization", header);
        }
        let reply = app.send(request.body(Body::empty()).unwrap()).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
        assert!(reply.message().starts_with(message), "{}", reply.message());
        assert_eq!(reply.headers["www-authenticate"], "Bearer");
    }
    app.finish().await;
}

#[tokio::test]
async fn a_revoked_token_stops_working_at_once() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let tokens = app.get("/api/v1/tokens", &net.aino).await;
    let id = tokens.body[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/me", &net.aino).await.status, StatusCode::OK);
    // Nobody else can revoke it.
    assert_eq!(app.delete(&format!("/api/v1/tokens/{id}"), &net.bjorn).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&format!("/api/v1/tokens/{id}"), &net.aino).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", &net.aino).await.code(), "unauthenticated");
    app.finish().await;
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_with_a_code() {
    let app = TestApp::sqlite().await;
    let big = format!(r#"{{"space_id": "{}", "padding": "{}"}}"#, uuid::Uuid::now_v7(), "x".repeat(2 << 20));
    let reply = raw(&app, Method::POST, "/api/v1/bookings", Some("application/json"), &big, &app.net.aino.token).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    app.finish().await;
}
