//! hubnet's HTTP API, end to end: in-process through `app(state)` for most tests, and real
//! `hubnet` processes on loopback for the command line, several servers and shutdown.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

mod helpers;

mod access;
mod approval;
mod assets;
mod audit;
mod availability;
mod bench;
mod bookings;
mod concurrency;
mod docs;
mod errors;
mod find_recommendations;
mod policies;
mod processes;
mod roles;
mod scim;
mod sso;
mod web;
