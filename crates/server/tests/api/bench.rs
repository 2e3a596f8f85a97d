//! `hubnet bench-data` and `hubnet bench` at a small scale: the data set is built, every
//! scenario runs against a real server and reports, and the run tidies up after itself. (The
//! figures themselves come from the national data set: docs/performance.md.)

use chrono::{Duration, Utc};
use hubnet_domain::TimeRange;
use hubnet_store::testkit::TestDatabase;
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_hubnet");

async fn hubnet(args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).env("HUBNET_LOG_LEVEL", "warn").output().await.unwrap()
}

/// Active bookings of every organisation over the past and coming year.
async fn booked_hours(url: &str) -> u64 {
    let store = hubnet_store::connect(url, &hubnet_store::StoreOptions::default()).await.unwrap();
    let year = TimeRange::new(Utc::now() - Duration::days(400), Utc::now() + Duration::days(400)).unwrap();
    let mut total = 0;
    for organisation in store.organisations().list_organisations().await.unwrap() {
        total += store
            .follow_up()
            .booking_hours(organisation.id, year)
            .await
            .unwrap()
            .iter()
            .map(|s| s.bookings)
            .sum::<u64>();
    }
    store.close().await;
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_data_builds_a_network_and_bench_measures_it_and_tidies_up() {
    let database = TestDatabase::sqlite().unwrap();
    let url = database.url.clone();
    let built = hubnet(&["bench-data", "--database-url", &url, "--scale", "0.003"]).await;
    let out = String::from_utf8_lossy(&built.stdout);
    assert!(built.status.success(), "{out}{}", String::from_utf8_lossy(&built.stderr));
    assert!(out.contains("built 2 organisations, 3 sites, 300 spaces, 750 people"), "{out}");
    let before = booked_hours(&url).await;
    assert!(before > 40_000, "a year of bookings at three sites: {before}");

    // Building again into the same database is refused: it holds a network.
    let again = hubnet(&["bench-data", "--database-url", &url, "--scale", "0.003"]).await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("empty database"));

    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let json_arg = json.to_str().unwrap();
    let args = ["bench", "--database-url", &url, "--requests", "400", "--seconds", "10", "--book-concurrency", "4,8"];
    let ran = hubnet(&[&args[..], &["--read-concurrency", "4", "--json", json_arg]].concat()).await;
    let table = String::from_utf8_lossy(&ran.stdout);
    assert!(ran.status.success(), "{table}{}", String::from_utf8_lossy(&ran.stderr));
    assert!(table.contains("site availability") && table.contains("start-up to ready"), "{table}");

    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["backend"], "sqlite");
    let baselines = report["baselines"].as_array().unwrap();
    assert_eq!(baselines.len(), 2, "raw SQLite with NORMAL and FULL");
    assert!(baselines.iter().all(|b| b["bookings"].as_u64().unwrap() > 0));
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3, "NORMAL, FULL and the reads");
    for run in runs {
        assert!(run["peak_rss_mb"].as_f64().unwrap() > 1.0);
        assert!(run["startup_ms"].as_f64().unwrap() > 0.0);
        for result in run["results"].as_array().unwrap() {
            let answers = result["answers"].as_object().unwrap();
            let ok = answers.iter().filter(|(k, _)| k.starts_with('2')).map(|(_, v)| v.as_u64().unwrap()).sum::<u64>();
            assert!(ok > 0, "{result}");
            // Refusals are the contended bookings' conflicts, nothing else.
            assert!(answers.keys().all(|k| k.starts_with('2') || k == "409 booking_conflict"), "{result}");
        }
    }
    let scenarios: Vec<&str> =
        runs.iter().flat_map(|r| r["results"].as_array().unwrap()).map(|m| m["scenario"].as_str().unwrap()).collect();
    assert_eq!(
        scenarios,
        [
            "create booking",
            "create booking",
            "create booking",
            "create booking",
            "site availability",
            "nearest free desks, 100 km",
            "my week page"
        ]
    );
    let utilisation = report["utilisation"].as_array().unwrap();
    assert!(!utilisation.is_empty() && utilisation.iter().all(|u| u["bookings_counted"].as_u64().unwrap() > 1000));
    // Two ratios, two latencies, two utilisation runs, memory and start-up.
    let checks = report["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 8, "{checks:?}");

    // What the run booked is gone again.
    assert_eq!(booked_hours(&url).await, before);
    database.drop_database().await;
}
