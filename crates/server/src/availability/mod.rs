//! Free spaces: at one site on a date, or across the network near a point, nearest first.
//!
//! Here the JSON API (`api.rs`) and the Find page (`pages.rs`), both reading a site's hours through
//! [`crate::window`]; `space_json.rs` keeps each site's spaces as JSON for the API's answers.

pub mod api;
pub mod pages;
pub mod space_json;
