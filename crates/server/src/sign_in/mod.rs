//! Signing in to the pages: with a local password (slowed after failures, and limited to a few
//! password checks at once), as a demo person in demo installs, or through the organisation's
//! identity provider (`crate::sso::flow`); signing out; the language a person reads.
//!
//! Here the pages (`pages.rs`); the session they start is `crate::web::session`, shared by every
//! page. The JSON API signs in with API tokens instead (`crate::auth`).

pub mod pages;
