//! What every page shares: the page chrome and helpers (`page.rs`), the browser session
//! (`session.rs`), the admin pages' helpers (`admin.rs`) and the static files (`assets.rs`). The
//! pages themselves live with their capability (`crate::bookings::pages`, ...).
//!
//! Pages are askama templates (`templates/`), rendered on the server and usable without
//! JavaScript; htmx only makes links and forms swap the page body instead of reloading. Every
//! page exists in Finnish, Swedish and English (`locales/<lang>/web.ftl`).

use axum::Router;

use crate::state::AppState;

pub mod admin;
pub mod assets;
pub mod page;
pub mod session;

pub use page::error_page;

/// The static files every page loads; each capability's pages have their own router, merged in
/// [`crate::app`].
pub fn router() -> Router<AppState> {
    assets::router()
}
