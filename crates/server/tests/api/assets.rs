//! The vendored front-end libraries, served from the binary.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hubnet_server::web::assets;

use crate::helpers::{Reply, TestApp};

async fn get(app: &TestApp, path: &str) -> Reply {
    app.send(Request::builder().uri(path).body(Body::empty()).unwrap()).await
}

fn header(reply: &Reply, name: header::HeaderName) -> &str {
    reply.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

#[tokio::test]
async fn every_vendored_library_is_served_with_its_type_and_cached_for_a_year() {
    let app = TestApp::sqlite().await;
    for (path, content_type, marker) in [
        (assets::HTMX_JS, "text/javascript", "htmx"),
        (assets::LEAFLET_JS, "text/javascript", "Leaflet 1.9.4"),
        (assets::LEAFLET_CSS, "text/css", ".leaflet-container"),
        (assets::HDS_BASE_CSS, "text/css", "--color-bus"),
        (assets::HDS_COMPONENTS_CSS, "text/css", ".hds-button"),
    ] {
        let reply = get(&app, path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(header(&reply, header::CONTENT_TYPE).starts_with(content_type), "{path}: {:?}", reply.headers);
        assert!(header(&reply, header::CACHE_CONTROL).contains("immutable"), "{path}: {:?}", reply.headers);
        assert!(reply.body.as_str().unwrap().contains(marker), "{path} is not what it should be");
    }
    app.finish().await;
}

#[tokio::test]
async fn every_image_the_vendored_leaflet_styles_refer_to_is_served() {
    let app = TestApp::sqlite().await;
    let css = get(&app, assets::LEAFLET_CSS).await.body.as_str().unwrap().to_owned();
    let base = assets::LEAFLET_CSS.rsplit_once('/').unwrap().0;
    let images: Vec<&str> = css
        .split("url(")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|u| u.starts_with("images/"))
        .collect();
    assert!(images.len() >= 3, "{images:?}");
    // Leaflet's script asks for these by name, next to the icon the styles point at.
    for image in images.into_iter().chain(["images/marker-icon-2x.png", "images/marker-shadow.png"]) {
        let reply = get(&app, &format!("{base}/{image}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{image}");
        assert_eq!(header(&reply, header::CONTENT_TYPE), "image/png", "{image}");
    }
    app.finish().await;
}

#[tokio::test]
async fn a_path_that_is_not_a_vendored_file_is_not_found() {
    let app = TestApp::sqlite().await;
    for path in [
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/htmx-2.0.11/htmx.js",
        "/static/vendor/htmx-2.0.11/LICENSE",
        "/static/vendor/README.md",
        "/static/vendor/hds-core-5.2.2/../../index.en.html",
        "/static/vendor/",
    ] {
        let reply = get(&app, path).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::NOT_FOUND, "not_found"), "{path}");
    }
    app.finish().await;
}
