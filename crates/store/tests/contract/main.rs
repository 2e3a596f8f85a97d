//! The store contract: every test here runs against SQLite (a fresh file) and, when
//! `HUBNET_TEST_DATABASE_URL` names a PostgreSQL server, against a fresh PostgreSQL database.
//! Under `CI=true` a missing PostgreSQL URL fails the PostgreSQL half instead of skipping it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

mod fixtures;
mod harness;

mod approval;
mod audit;
mod bookings;
mod bulk;
mod cached;
mod network;
mod policies;
mod postgres_only;
mod reports;
mod scim;
mod sessions;
mod sso;
mod tokens_and_roles;
