//! The web app for people in a browser: HTML pages and the static files they load.
//!
//! Pages are askama templates (`templates/`), rendered on the server and usable without
//! JavaScript; htmx only makes links and forms swap the page body instead of reloading. Every
//! page exists in Finnish, Swedish and English (`locales/<lang>/web.ftl`).

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub mod admin;
pub mod assets;
pub mod page;
pub mod session;
mod sign_in;

pub use page::error_page;

/// Every page and static file, merged into [`crate::app`].
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::router())
        .route("/", get(sign_in::home))
        .route("/static/app.css", get(app_css))
        .route("/sign-in", get(sign_in::sign_in_page).post(sign_in::sign_in))
        .route("/sign-in/demo", post(sign_in::sign_in_demo))
        .merge(crate::sso::flow::router())
        .route("/sign-out", post(sign_in::sign_out))
        .route("/language", post(sign_in::change_language))
        .route("/static/find-map.js", get(find_map_js))
        .merge(crate::bookings::pages::router())
        .merge(crate::people::pages::router())
        .merge(crate::availability::pages::router())
        .merge(crate::sites::pages::router())
        .merge(crate::sites::host::router())
        .merge(crate::audit::pages::router())
        .merge(crate::policies::pages::router())
        .merge(crate::sso::pages::router())
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
