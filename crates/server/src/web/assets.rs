//! hubnet's own styles and scripts (`static/app.css`, `static/find-map.js`), and the front-end
//! libraries the pages use (HDS styles, htmx, Leaflet), embedded in the binary from
//! `static/vendor/` and served at `/static/vendor/...`.
//!
//! Each file's directory carries its package's version, so a URL always names the same bytes and
//! browsers may keep it for a year without asking again. Templates link through the constants
//! below; `static/vendor/README.md` says where each file comes from and how to refresh it.

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::AppError;
use crate::state::AppState;

/// HDS variables and base styles.
pub const HDS_BASE_CSS: &str = "/static/vendor/hds-core-5.2.2/base.min.css";
/// HDS component styles (`hds-button`, `hds-text-input`, ...); needs [`HDS_BASE_CSS`] first.
pub const HDS_COMPONENTS_CSS: &str = "/static/vendor/hds-core-5.2.2/components.min.css";
pub const HTMX_JS: &str = "/static/vendor/htmx-2.0.11/htmx.min.js";
pub const LEAFLET_JS: &str = "/static/vendor/leaflet-1.9.4/leaflet.js";
/// Leaflet's styles; they load the marker and layer icons from `images/` beside them.
pub const LEAFLET_CSS: &str = "/static/vendor/leaflet-1.9.4/leaflet.css";

/// Vendored files, by path under `/static/vendor/`.
macro_rules! vendored {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../static/vendor/", $path)).as_slice())),*]
    };
}

static FILES: &[(&str, &[u8])] = vendored![
    "hds-core-5.2.2/base.min.css",
    "hds-core-5.2.2/components.min.css",
    "htmx-2.0.11/htmx.min.js",
    "leaflet-1.9.4/leaflet.js",
    "leaflet-1.9.4/leaflet.css",
    "leaflet-1.9.4/images/layers.png",
    "leaflet-1.9.4/images/layers-2x.png",
    "leaflet-1.9.4/images/marker-icon.png",
    "leaflet-1.9.4/images/marker-icon-2x.png",
    "leaflet-1.9.4/images/marker-shadow.png",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/vendor/{*path}", get(vendored_file))
        .route("/static/app.css", get(app_css))
        .route("/static/find-map.js", get(find_map_js))
}

async fn vendored_file(Path(path): Path<String>) -> Result<Response, AppError> {
    let &(name, body) = FILES.iter().find(|(name, _)| *name == path).ok_or(AppError::NotFound)?;
    let content_type = match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    Ok((headers, body).into_response())
}

/// hubnet's own styles, on top of HDS.
async fn app_css() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../static/app.css"),
    )
}

/// The Find page's map, drawn with Leaflet.
async fn find_map_js() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../static/find-map.js"),
    )
}
