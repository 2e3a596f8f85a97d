//! Runs each contract test against each backend, on a fresh database (see `hubnet_store::testkit`).

/// Defines a test that runs `$body` against each backend: `contract!(name, |store| async { .. })`.
#[macro_export]
macro_rules! contract {
    ($name:ident, |$store:ident| $body:expr) => {
        $crate::contract!($name, |$store, _url| $body);
    };
    ($name:ident, |$store:ident, $url:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use hubnet_store::testkit::TestDatabase;

            async fn run($store: std::sync::Arc<dyn hubnet_store::Store>, $url: String) {
                let _ = &$url;
                $body
            }

            async fn on(database: TestDatabase) {
                let store = database.open().await;
                run(store.clone(), database.url.clone()).await;
                store.close().await;
                database.drop_database().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                on(TestDatabase::sqlite().unwrap()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(database) = TestDatabase::postgres().await {
                    on(database).await;
                }
            }
        }
    };
}
