//! Organisations and their units: the shared directory of organisations, and each organisation's
//! units. Only a JSON face today (`api.rs`); pages for them would sit beside it in `pages.rs`.

pub mod api;
