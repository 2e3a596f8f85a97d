//! Health, metrics, the OpenAPI document and the browsable API docs.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::helpers::TestApp;

async fn get(app: &TestApp, path: &str) -> crate::helpers::Reply {
    app.send(Request::builder().uri(path).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn health_answers_without_credentials() {
    let app = TestApp::sqlite().await;
    let reply = get(&app, "/healthz").await;
    assert_eq!((reply.status, reply.body["status"].as_str()), (StatusCode::OK, Some("ok")));
    app.finish().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_error() {
    let app = TestApp::sqlite().await;
    let reply = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = &reply.body;
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/api/v1/bookings", "post"),
        ("/api/v1/bookings", "get"),
        ("/api/v1/bookings/{id}", "delete"),
        ("/api/v1/availability", "get"),
        ("/api/v1/organisations", "post"),
        ("/api/v1/organisations/{id}/units", "get"),
        ("/api/v1/people/{id}", "put"),
        ("/api/v1/sites/{id}", "put"),
        ("/api/v1/sites/{id}/floors", "post"),
        ("/api/v1/sites/{id}/spaces", "post"),
        ("/api/v1/spaces/{id}", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} missing from the OpenAPI document");
    }
    let conflict = &doc["paths"]["/api/v1/bookings"]["post"]["responses"]["409"];
    assert!(conflict["content"]["application/json"]["schema"].is_object(), "{conflict}");
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    app.finish().await;
}

#[tokio::test]
async fn the_api_docs_are_served_from_the_binary_without_a_cdn() {
    let app = TestApp::sqlite().await;
    let page = get(&app, "/api/docs/").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    for line in html.lines().filter(|l| l.contains("src=") || l.contains("href=")) {
        assert!(!line.contains("http://") && !line.contains("https://"), "external asset: {line}");
    }
    let script = get(&app, "/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.as_str().unwrap().len() > 100_000);
    // Every page links to them, the sign-in page too.
    let home = get(&app, "/sign-in").await;
    assert!(home.body.as_str().unwrap().contains("href=\"/api/docs/\""));
    app.finish().await;
}

#[tokio::test]
async fn metrics_count_requests_and_bookings_by_code() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    app.book_day(&net.aino, &net.helsinki_desks[0], "2026-11-30").await;
    app.book_day(&net.agency_admin, &net.helsinki_desks[0], "2026-11-30").await;
    let malformed = app
        .send(
            Request::builder()
                .method("POST")
                .uri("/api/v1/bookings")
                .header("authorization", format!("Bearer {}", net.aino.token))
                .header("content-type", "application/json")
                .body(Body::from("{"))
                .unwrap(),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let metrics = get(&app, "/metrics").await;
    let text = metrics.body.as_str().unwrap();
    assert!(text.contains("hubnet_bookings_made_total"), "{text}");
    assert!(text.contains(r#"hubnet_bookings_refused_total{code="booking_conflict"}"#), "{text}");
    assert!(text.contains(r#"hubnet_bookings_refused_total{code="malformed_json"}"#), "{text}");
    assert!(text.contains(r#"route="/api/v1/bookings""#), "{text}");
    assert!(text.contains("hubnet_http_request_duration_seconds_bucket"), "{text}");
    app.finish().await;
}

#[test]
fn the_committed_openapi_document_is_the_one_the_code_generates() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json")).unwrap();
    let generated = hubnet_server::openapi().to_pretty_json().unwrap();
    assert!(
        committed.trim() == generated.trim(),
        "docs/openapi.json is out of date: run `cargo run -q -- openapi > docs/openapi.json`"
    );
}
