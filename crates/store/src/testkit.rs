//! Fresh databases for tests (feature `testkit`): a SQLite file in a temporary directory, or a
//! new PostgreSQL database on the server named by `HUBNET_TEST_DATABASE_URL`, dropped afterwards.
//! Under `CI=true` a missing PostgreSQL URL is an error, never a silent skip.

use std::sync::Arc;

use sqlx::{Connection, PgConnection};

use crate::{Store, StoreOptions};

/// The variable naming the PostgreSQL server tests may use.
pub const PG_ENV: &str = "HUBNET_TEST_DATABASE_URL";

/// A database for one test; [`TestDatabase::drop_database`] removes it.
pub struct TestDatabase {
    /// The URL to open it with (`sqlite:` or `postgres:`).
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[expect(dead_code, reason = "held so the directory lives as long as the test")] tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

impl TestDatabase {
    /// An empty SQLite database file.
    pub fn sqlite() -> std::io::Result<Self> {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("hubnet.db").display());
        Ok(Self { url, cleanup: Cleanup::Sqlite(dir) })
    }

    /// An empty PostgreSQL database, or `None` when no server is configured outside CI.
    ///
    /// # Panics
    /// Under `CI=true` without `HUBNET_TEST_DATABASE_URL`, or when the server refuses.
    #[expect(clippy::expect_used, reason = "a test helper: failing loudly is its job")]
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var(PG_ENV) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{PG_ENV} is not set under CI=true: the PostgreSQL tests must run"
            );
            eprintln!("skipping the PostgreSQL half: {PG_ENV} is not set");
            return None;
        };
        let database = format!("hubnet_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::connect(&admin_url).await.expect("connect to the test PostgreSQL server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
            .execute(&mut admin)
            .await
            .expect("create a test database");
        let _ = admin.close().await;
        let url = database_url(&admin_url, &database);
        Some(Self { url, cleanup: Cleanup::Postgres { admin_url, database } })
    }

    /// Opens the database as a store.
    ///
    /// # Panics
    /// When the database cannot be opened.
    #[expect(clippy::expect_used, reason = "a test helper: failing loudly is its job")]
    pub async fn open(&self) -> Arc<dyn Store> {
        crate::connect(&self.url, &StoreOptions::default()).await.expect("open the test store")
    }

    /// Removes the database (PostgreSQL); the SQLite directory goes when `self` is dropped.
    pub async fn drop_database(self) {
        if let Cleanup::Postgres { admin_url, database } = &self.cleanup
            && let Ok(mut admin) = PgConnection::connect(admin_url).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")))
                .execute(&mut admin)
                .await;
        }
    }
}

/// The URL of another database on the same server.
pub fn database_url(server_url: &str, database: &str) -> String {
    let (base, query) = server_url.split_once('?').map_or((server_url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_end..].find('/').map_or(base.len(), |i| authority_end + i);
    let mut url = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn builds_the_url_of_another_database() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(database_url("postgres://u@h/test?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
        assert_eq!(database_url("postgres://u@h:5432", "x"), "postgres://u@h:5432/x");
    }
}
