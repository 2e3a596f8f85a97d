//! Opens a fresh store of each kind for one test, and cleans up after it.

use std::sync::Arc;

use hubnet_store::{Store, StoreOptions};
use sqlx::{Connection, PgConnection};

pub const PG_ENV: &str = "HUBNET_TEST_DATABASE_URL";

/// A store for one test; dropping it removes its database.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code, reason = "kept alive until the test ends")] tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

impl TestStore {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("hubnet.db").display());
        let store = hubnet_store::connect(&url, &StoreOptions::default())
            .await
            .expect("open SQLite store");
        Self {
            store,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A fresh PostgreSQL database, or `None` when no server is configured (outside CI).
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var(PG_ENV) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{PG_ENV} is not set under CI=true: the PostgreSQL contract tests must run"
            );
            eprintln!("skipping the PostgreSQL half: {PG_ENV} is not set");
            return None;
        };
        let database = format!("hubnet_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("connect to the test PostgreSQL server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
            .execute(&mut admin)
            .await
            .expect("create a test database");
        let url = database_url(&admin_url, &database);
        let store = hubnet_store::connect(&url, &StoreOptions::default())
            .await
            .expect("open PostgreSQL store");
        Some(Self {
            store,
            cleanup: Cleanup::Postgres {
                admin_url,
                database,
            },
        })
    }

    pub async fn finish(self) {
        self.store.close().await;
        if let Cleanup::Postgres {
            admin_url,
            database,
        } = &self.cleanup
            && let Ok(mut admin) = PgConnection::connect(admin_url).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {database} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await;
        }
    }
}

/// The URL of another database on the same server.
pub fn database_url(server_url: &str, database: &str) -> String {
    let (base, query) = server_url
        .split_once('?')
        .map_or((server_url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_end..]
        .find('/')
        .map_or(base.len(), |i| authority_end + i);
    let mut url = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// Defines a test that runs `$body` against each backend: `contract!(name, |store| async { .. })`.
#[macro_export]
macro_rules! contract {
    ($name:ident, |$store:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($store: std::sync::Arc<dyn hubnet_store::Store>) {
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let test = $crate::harness::TestStore::sqlite().await;
                run(test.store.clone()).await;
                test.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(test) = $crate::harness::TestStore::postgres().await {
                    run(test.store.clone()).await;
                    test.finish().await;
                }
            }
        }
    };
}

#[test]
fn builds_the_url_of_another_database() {
    assert_eq!(
        database_url("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        database_url("postgres://u@h/test?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
    assert_eq!(
        database_url("postgres://u@h:5432", "x"),
        "postgres://u@h:5432/x"
    );
}
