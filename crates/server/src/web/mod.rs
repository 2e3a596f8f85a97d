//! The web app for people in a browser: HTML pages and the static files they load.
//!
//! Pages are askama templates (`templates/`), rendered on the server and usable without
//! JavaScript; htmx only makes links and forms swap the page body instead of reloading. Every
//! page exists in Finnish, Swedish and English (`locales/<lang>/web.ftl`).

use axum::Router;

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
        .merge(sign_in::router())
        .merge(crate::sso::flow::router())
        .merge(crate::bookings::pages::router())
        .merge(crate::people::pages::router())
        .merge(crate::availability::pages::router())
        .merge(crate::sites::pages::router())
        .merge(crate::sites::host::router())
        .merge(crate::audit::pages::router())
        .merge(crate::policies::pages::router())
        .merge(crate::sso::pages::router())
}
