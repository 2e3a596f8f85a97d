//! `hubnet bench-data` and `hubnet bench`: the national data set, and benchmarks that start a
//! real `hubnet serve` on loopback, drive it over HTTP and compare it with the raw database on
//! the same disk in the same run. docs/performance.md explains the method and holds the figures.

pub mod data;
pub mod load;
mod plan;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use chrono::{DateTime, SubsecRound as _, Utc};
use hubnet_domain::{SiteId, TimeRange};
use hubnet_store::bulk::BulkBooking;
use hubnet_store::{Backend, StoreOptions, baseline};
use serde::Serialize;

use self::load::{Measured, drive};
use self::plan::Plan;
use crate::config::Config;
use crate::config::Database;

/// The label of the API tokens a benchmark issues (and removes afterwards).
const TOKEN_LABEL: &str = "hubnet-bench";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// Booking creation at each `--book-concurrency`, with the raw database's baseline.
    Book,
    /// One site's availability for a date.
    Availability,
    /// Free desks within 100 km across the network.
    Nearby,
    /// The My week page of a signed-in person (a session cookie, HTML).
    Week,
    /// One organisation's bookings over a year by site, weekday and hour (in the store).
    Utilisation,
}

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pub database: Database,
    /// Which scenarios to run (comma-separated; default all).
    #[arg(long, value_delimiter = ',', default_values = ["book", "availability", "nearby", "week", "utilisation"])]
    pub scenarios: Vec<Scenario>,
    /// Concurrent clients creating bookings, one run each.
    #[arg(long, value_delimiter = ',', default_values = ["16", "64"])]
    pub book_concurrency: Vec<usize>,
    /// Concurrent clients for availability and nearby searches.
    #[arg(long, default_value_t = 16)]
    pub read_concurrency: usize,
    /// Most requests per run.
    #[arg(long, default_value_t = 20_000)]
    pub requests: usize,
    /// Longest a run may take, in seconds.
    #[arg(long, default_value_t = 20)]
    pub seconds: u64,
    /// Share of booking requests aimed at a few popular desks (and so mostly refused).
    #[arg(long, default_value_t = 0.1)]
    pub contended: f64,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Give every organisation a workplace policy for the run, so that every booking is checked
    /// against one ([`BENCH_POLICY`]); it is removed with the run's bookings.
    #[arg(long)]
    pub policy: bool,
}

/// The policy `--policy` gives every organisation: the own office preferred within 70 km, and a
/// monthly cap on external hub days, which makes a booking at a hub count the month's hub days.
pub const BENCH_POLICY: &str = r#"[
  {"rule": "own_office_within", "km": 70, "mode": "prefer", "applies_to": "everyone"},
  {"rule": "monthly_hub_days", "max_days": 8, "applies_to": "everyone", "exceptions_allowed": true}
]"#;

/// A target and whether the run met it.
#[derive(Debug, Serialize)]
pub struct Check {
    pub target: String,
    pub measured: String,
    pub met: bool,
}

/// Everything a run found.
#[derive(Debug, Serialize)]
pub struct Report {
    pub backend: String,
    pub started_at: DateTime<Utc>,
    pub host: HostInfo,
    pub data: DataInfo,
    pub runs: Vec<ServerRun>,
    pub baselines: Vec<BaselineRun>,
    pub utilisation: Vec<UtilisationRun>,
    pub checks: Vec<Check>,
}

#[derive(Debug, Serialize)]
pub struct HostInfo {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_gib: f64,
}

#[derive(Debug, Serialize)]
pub struct DataInfo {
    pub sites: usize,
    pub people_with_tokens: usize,
}

/// One `hubnet serve` process and what ran against it.
#[derive(Debug, Serialize)]
pub struct ServerRun {
    pub label: String,
    pub startup_ms: f64,
    pub peak_rss_mb: f64,
    pub results: Vec<Measured>,
}

#[derive(Debug, Serialize)]
pub struct BaselineRun {
    pub label: String,
    pub bookings: u64,
    pub seconds: f64,
    pub per_second: f64,
}

#[derive(Debug, Serialize)]
pub struct UtilisationRun {
    pub organisation: String,
    pub people: usize,
    pub bookings_counted: u64,
    pub cells: usize,
    pub median_ms: f64,
    pub runs_ms: Vec<f64>,
}

/// Runs the chosen scenarios and prints the report.
pub async fn run(config: &Config, args: &BenchArgs) -> anyhow::Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.contended) {
        bail!("--contended is a share between 0 and 1");
    }
    let url = config.database_url.expose().to_owned();
    let started_at = Utc::now().trunc_subsecs(0);
    let plan = Plan::prepare(&url, started_at).await?;
    // Whatever fails, the run's bookings, tokens and policies go below.
    let outcome = async {
        if args.policy {
            give_every_organisation_a_policy(&url, started_at).await?;
        }
        run_scenarios(&url, args, &plan, started_at).await
    }
    .await;
    let removed = baseline::remove_bookings_created_since(&url, started_at, Some(TOKEN_LABEL)).await?;
    eprintln!("removed the {removed} bookings and the tokens (and policies) this run made");
    let report = outcome?;
    print!("{}", table(&report));
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_scenarios(url: &str, args: &BenchArgs, plan: &Plan, started_at: DateTime<Utc>) -> anyhow::Result<Report> {
    let limit = Duration::from_secs(args.seconds);
    let mut report = Report {
        backend: match plan.backend {
            Backend::Sqlite => "sqlite".into(),
            Backend::Postgres => "postgresql".into(),
        },
        started_at,
        host: host_info(),
        data: DataInfo { sites: plan.sites.len(), people_with_tokens: plan.bookers.len() },
        runs: Vec::new(),
        baselines: Vec::new(),
        utilisation: Vec::new(),
        checks: Vec::new(),
    };
    let has = |s: Scenario| args.scenarios.contains(&s);

    if has(Scenario::Book) {
        let rows = plan.baseline_rows();
        match plan.backend {
            Backend::Sqlite => {
                for durable in [false, true] {
                    let label = if durable { "raw SQLite, synchronous=FULL" } else { "raw SQLite, synchronous=NORMAL" };
                    eprintln!("baseline: {label}");
                    let (count, took) =
                        baseline::sqlite_check_and_insert(url, durable, rows.clone(), limit / 2).await?;
                    baseline::remove_bookings_created_since(url, started_at, None).await?;
                    report.baselines.push(baseline_run(label, count, took));
                }
                for durable in [false, true] {
                    let label =
                        if durable { "hubnet, SQLite synchronous=FULL" } else { "hubnet, SQLite synchronous=NORMAL" };
                    report.runs.push(book_runs(url, args, plan, label, durable, started_at).await?);
                }
            }
            Backend::Postgres => {
                eprintln!("baseline: pgbench, 16 clients");
                report.baselines.push(pgbench(url, &rows).await?);
                baseline::remove_bookings_created_since(url, started_at, None).await?;
                report.runs.push(book_runs(url, args, plan, "hubnet, PostgreSQL", true, started_at).await?);
            }
        }
    }
    if has(Scenario::Availability) || has(Scenario::Nearby) || has(Scenario::Week) {
        let mut server = Server::start(url, true).await?;
        let mut results = Vec::new();
        if has(Scenario::Availability) {
            eprintln!("availability at concurrency {}", args.read_concurrency);
            let requests = plan.availability(args.requests);
            results.push(drive("site availability", &server.base, requests, args.read_concurrency, limit).await?);
        }
        if has(Scenario::Nearby) {
            eprintln!("nearby at concurrency {}", args.read_concurrency);
            let requests = plan.nearby(args.requests);
            results
                .push(drive("nearest free desks, 100 km", &server.base, requests, args.read_concurrency, limit).await?);
        }
        if has(Scenario::Week) {
            eprintln!("my week at concurrency {}", args.read_concurrency);
            let requests = plan.week(args.requests);
            results.push(drive("my week page", &server.base, requests, args.read_concurrency, limit).await?);
        }
        report.runs.push(server.stop("hubnet, reads", results).await?);
    }
    if has(Scenario::Utilisation) {
        report.utilisation = utilisation(url, plan).await?;
    }
    report.checks = checks(&report);
    Ok(report)
}

/// [`BENCH_POLICY`] for every organisation, in force from `now` on (before any booking of the
/// run, and after any version an organisation already has, which it overrides).
async fn give_every_organisation_a_policy(url: &str, now: DateTime<Utc>) -> anyhow::Result<()> {
    let store = hubnet_store::connect(url, &StoreOptions { sqlite_durable: false, max_connections: 1 }).await?;
    let rules: serde_json::Value = serde_json::from_str(BENCH_POLICY)?;
    let parsed: Vec<hubnet_domain::policy::Rule> = serde_json::from_value(rules.clone())?;
    hubnet_domain::policy::parse_rules(parsed).map_err(|e| anyhow::anyhow!("the bench policy: {e:?}"))?;
    let organisations = store.organisations().list_organisations().await?;
    for organisation in &organisations {
        if store.policies().policy_versions(organisation.id).await?.iter().any(|v| v.valid_from > now.date_naive()) {
            bail!(
                "organisation {} has a policy version starting after today; --policy would not be in force",
                organisation.id
            );
        }
        store
            .policies()
            .add_policy_version(&hubnet_store::NewPolicyVersion {
                organisation_id: organisation.id,
                valid_from: now.date_naive(),
                rules: rules.clone(),
                changed_by: None,
                changed_at: now,
            })
            .await?;
    }
    store.close().await;
    eprintln!("gave {} organisations a workplace policy for the run", organisations.len());
    Ok(())
}

fn baseline_run(label: &str, bookings: u64, took: Duration) -> BaselineRun {
    let seconds = took.as_secs_f64();
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let per_second = bookings as f64 / seconds;
    BaselineRun { label: label.to_owned(), bookings, seconds, per_second }
}

async fn book_runs(
    url: &str,
    args: &BenchArgs,
    plan: &Plan,
    label: &str,
    durable: bool,
    started_at: DateTime<Utc>,
) -> anyhow::Result<ServerRun> {
    let mut server = Server::start(url, durable).await?;
    let mut results = Vec::new();
    for &concurrency in &args.book_concurrency {
        eprintln!("{label}: booking at concurrency {concurrency}");
        let requests = plan.bookings(args.requests, args.contended);
        let limit = Duration::from_secs(args.seconds);
        let measured = drive("create booking", &server.base, requests, concurrency, limit).await;
        // Each run starts from the same data: its bookings go before the next.
        baseline::remove_bookings_created_since(url, started_at, None).await?;
        results.push(measured?);
    }
    server.stop(label, results).await
}

/// Enough for about ten seconds at the 3,000-9,000 bookings a second seen here.
const PGBENCH_TRANSACTIONS_PER_CLIENT: usize = 2500;

async fn pgbench(url: &str, rows: &[BulkBooking]) -> anyhow::Result<BaselineRun> {
    const CLIENTS: usize = 16;
    baseline::prepare_pgbench(url, rows).await?;
    let dir = tempfile::tempdir()?;
    let script = dir.path().join("book.sql");
    std::fs::write(&script, baseline::PGBENCH_SCRIPT)?;
    // A fixed number of transactions per client, never more than there are target rows: past
    // the last row the INSERT would insert nothing, and pgbench would still count it.
    let per_client = (rows.len() / CLIENTS).min(PGBENCH_TRANSACTIONS_PER_CLIENT);
    if per_client == 0 {
        bail!("too few bookers for a pgbench baseline");
    }
    let output = tokio::process::Command::new("pgbench")
        .args(["-n", "-c", &CLIENTS.to_string(), "-j", "2", "-t", &per_client.to_string(), "-f"])
        .arg(&script)
        .arg(url)
        .output()
        .await
        .context("running pgbench (Debian package postgresql-client)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("pgbench failed: {}{}", text, String::from_utf8_lossy(&output.stderr));
    }
    let count = |prefix: &str| -> Option<f64> {
        // "number of transactions actually processed: 4560/4560" with -t; "tps = 3138.2 (...)".
        let first = |rest: &str| rest.split_whitespace().next()?.split('/').next()?.parse().ok();
        text.lines().find_map(|l| l.trim().strip_prefix(prefix)).and_then(first)
    };
    let transactions = count("number of transactions actually processed:").context("pgbench's transaction count")?;
    let failed = count("number of failed transactions:").unwrap_or(0.0);
    let tps = count("tps =").context("pgbench's tps")?;
    if failed > 0.0 {
        bail!("pgbench saw {failed} failed transactions:\n{text}");
    }
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a count")]
    let bookings = transactions as u64;
    Ok(BaselineRun {
        label: "pgbench, same INSERT, 16 clients".into(),
        bookings,
        seconds: transactions / tps,
        per_second: tps,
    })
}

/// A `hubnet serve` child process on a free loopback port.
struct Server {
    child: tokio::process::Child,
    pid: u32,
    base: String,
    startup: Duration,
}

impl Server {
    async fn start(url: &str, durable: bool) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let exe = std::env::current_exe().context("finding the hubnet binary")?;
        let started = Instant::now();
        let mut child = tokio::process::Command::new(exe)
            .args(["serve", "--database-url", url, "--listen", &format!("127.0.0.1:{port}"), "--exit-on-stdin-eof"])
            .env("HUBNET_SQLITE_DURABLE", durable.to_string())
            .env("HUBNET_LOG_LEVEL", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting hubnet serve")?;
        let pid = child.id().context("the server's pid")?;
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        loop {
            if let Ok(response) = client.get(format!("{base}/healthz")).send().await
                && response.status().is_success()
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                bail!("hubnet serve stopped at start-up: {status}");
            }
            if started.elapsed() > Duration::from_mins(1) {
                bail!("hubnet serve was not ready after 60 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(Self { child, pid, base, startup: started.elapsed() })
    }

    /// Reads the peak resident memory, then stops the server (closing its standard input).
    async fn stop(&mut self, label: &str, results: Vec<Measured>) -> anyhow::Result<ServerRun> {
        let peak_rss_mb = peak_rss_kib(self.pid).map_or(0.0, |kib| kib / 1024.0);
        drop(self.child.stdin.take());
        let _ = tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await;
        let _ = self.child.start_kill();
        Ok(ServerRun { label: label.to_owned(), startup_ms: self.startup.as_secs_f64() * 1000.0, peak_rss_mb, results })
    }
}

/// A process's peak resident set size (`VmHWM`), in KiB.
fn peak_rss_kib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn host_info() -> HostInfo {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let kib: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    HostInfo {
        cpus: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        cpu_model,
        memory_gib: (kib / 1024.0 / 1024.0 * 10.0).round() / 10.0,
    }
}

/// The utilisation query for the largest organisation and one of median size, five times each.
async fn utilisation(url: &str, plan: &Plan) -> anyhow::Result<Vec<UtilisationRun>> {
    // The server's own pool: the query runs in slices on several connections at once.
    let store = hubnet_store::connect(url, &StoreOptions::default()).await?;
    let mut runs = Vec::new();
    let year_end = Utc::now();
    let year = TimeRange::new(year_end - chrono::Duration::days(365), year_end)?;
    let picks = [plan.organisations.first(), plan.organisations.get(plan.organisations.len() / 2)];
    for (id, code, people) in picks.into_iter().flatten() {
        eprintln!("utilisation for {code} ({people} people)");
        let mut times = Vec::new();
        let mut counted = 0;
        let mut cells = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let spans = store.follow_up().booking_hours(*id, year).await?;
            let table = hubnet_domain::utilisation::by_site_weekday_hour(&spans_for(&spans, plan), year);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            counted = spans.iter().map(|s| s.bookings).sum();
            cells = table.len();
        }
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        runs.push(UtilisationRun {
            organisation: code.clone(),
            people: *people,
            bookings_counted: counted,
            cells,
            median_ms: sorted[sorted.len() / 2],
            runs_ms: times,
        });
    }
    store.close().await;
    Ok(runs)
}

/// The spans with each site's time zone, for the fold into local weekdays and hours.
fn spans_for(spans: &[hubnet_store::HourSpan], plan: &Plan) -> Vec<(hubnet_store::HourSpan, chrono_tz::Tz)> {
    let zones: HashMap<SiteId, chrono_tz::Tz> = plan.sites.iter().map(|s| (s.id, s.time_zone)).collect();
    spans.iter().filter_map(|s| zones.get(&s.site_id).map(|tz| (s.clone(), *tz))).collect()
}

fn checks(report: &Report) -> Vec<Check> {
    let mut checks = Vec::new();
    let result = |label: &str, scenario: &str, concurrency: usize| {
        report
            .runs
            .iter()
            .filter(|r| r.label == label)
            .flat_map(|r| &r.results)
            .find(|m| m.scenario == scenario && m.concurrency == concurrency)
    };
    let baseline = |label: &str| report.baselines.iter().find(|b| b.label == label);
    let mut ratio = |target: &str, ours: Option<f64>, theirs: Option<f64>, at_least: f64| {
        if let (Some(ours), Some(theirs)) = (ours, theirs) {
            let r = ours / theirs;
            checks.push(Check {
                target: target.to_owned(),
                measured: format!("{ours:.0} made/s vs {theirs:.0}/s = {:.0}%", r * 100.0),
                met: r >= at_least,
            });
        }
    };
    // The durable-write targets are set at concurrency 64: the highest one run.
    let top = report.runs.iter().flat_map(|r| &r.results).filter(|m| m.scenario == "create booking");
    let top = top.map(|m| m.concurrency).max().unwrap_or(64);
    // Bookings made per second (201s), as the baselines count them; a run with any server error
    // or lost request meets nothing.
    let made = |m: &Measured| (m.failed() == 0).then_some(m.ok_per_second);
    let full = result("hubnet, SQLite synchronous=FULL", "create booking", top).and_then(made);
    let normal = result("hubnet, SQLite synchronous=NORMAL", "create booking", top).and_then(made);
    ratio(&format!("SQLite FULL >= 80% of hubnet's own NORMAL (c{top})"), full, normal, 0.8);
    ratio(
        &format!("SQLite NORMAL >= 50% of raw SQLite NORMAL (c{top})"),
        normal,
        baseline("raw SQLite, synchronous=NORMAL").map(|b| b.per_second),
        0.5,
    );
    let concurrencies: std::collections::BTreeSet<usize> = report
        .runs
        .iter()
        .filter(|r| r.label == "hubnet, PostgreSQL")
        .flat_map(|r| r.results.iter().map(|m| m.concurrency))
        .collect();
    for concurrency in concurrencies {
        ratio(
            &format!("PostgreSQL >= 70% of pgbench (hubnet c{concurrency}, pgbench 16 clients)"),
            result("hubnet, PostgreSQL", "create booking", concurrency).and_then(made),
            baseline("pgbench, same INSERT, 16 clients").map(|b| b.per_second),
            0.7,
        );
    }
    for (scenario, limit) in [("site availability", 5.0), ("nearest free desks, 100 km", 20.0)] {
        let read = report.runs.iter().filter(|r| r.label == "hubnet, reads").flat_map(|r| &r.results);
        if let Some(m) = read.into_iter().find(|m| m.scenario == scenario) {
            checks.push(Check {
                target: format!("{scenario}: p99 <= {limit} ms at c{} (target: c16)", m.concurrency),
                measured: format!("p99 {:.2} ms", m.p99_ms),
                met: m.p99_ms <= limit && m.refused() == 0,
            });
        }
    }
    for run in &report.utilisation {
        checks.push(Check {
            target: format!("utilisation, a year of {} ({} people): <= 1 s", run.organisation, run.people),
            measured: format!("median {:.0} ms", run.median_ms),
            met: run.median_ms <= 1000.0,
        });
    }
    if let Some(peak) = report.runs.iter().map(|r| r.peak_rss_mb).max_by(f64::total_cmp) {
        checks.push(Check {
            target: "server memory <= 200 MB resident".into(),
            measured: format!("peak {peak:.0} MB"),
            met: peak <= 200.0,
        });
    }
    if let Some(startup) = report.runs.iter().map(|r| r.startup_ms).max_by(f64::total_cmp) {
        checks.push(Check {
            target: "start-up to ready <= 1 s".into(),
            measured: format!("slowest {startup:.0} ms"),
            met: startup <= 1000.0,
        });
    }
    checks
}

/// The report as a plain-text table.
fn table(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nhubnet bench on {}: {} sites, {} bookers; {} CPUs ({}), {} GiB",
        report.backend,
        report.data.sites,
        report.data.people_with_tokens,
        report.host.cpus,
        report.host.cpu_model,
        report.host.memory_gib
    );
    if !report.baselines.is_empty() {
        let _ = writeln!(out, "\n{:<44} {:>9} {:>8} {:>9}", "baseline", "bookings", "seconds", "per s");
        for b in &report.baselines {
            let _ = writeln!(out, "{:<44} {:>9} {:>8.1} {:>9.0}", b.label, b.bookings, b.seconds, b.per_second);
        }
    }
    let _ = writeln!(
        out,
        "\n{:<36} {:<28} {:>4} {:>7} {:>8} {:>8} {:>7} {:>7} {:>7}  answers",
        "server", "scenario", "c", "reqs", "per s", "2xx/s", "p50 ms", "p95 ms", "p99 ms"
    );
    for run in &report.runs {
        for m in &run.results {
            let answers: Vec<String> = m.answers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            let _ = writeln!(
                out,
                "{:<36} {:<28} {:>4} {:>7} {:>8.0} {:>8.0} {:>7.2} {:>7.2} {:>7.2}  {}",
                run.label,
                m.scenario,
                m.concurrency,
                m.requests,
                m.per_second,
                m.ok_per_second,
                m.p50_ms,
                m.p95_ms,
                m.p99_ms,
                answers.join(", ")
            );
        }
        let _ = writeln!(out, "{:<36} start-up {:.0} ms, peak RSS {:.0} MB", "", run.startup_ms, run.peak_rss_mb);
    }
    for u in &report.utilisation {
        let _ = writeln!(
            out,
            "\nutilisation {} ({} people): {} bookings into {} cells, median {:.0} ms of 5",
            u.organisation, u.people, u.bookings_counted, u.cells, u.median_ms
        );
    }
    let _ = writeln!(out, "\n{:<70} {:<34} met", "target", "measured");
    for c in &report.checks {
        let _ = writeln!(out, "{:<70} {:<34} {}", c.target, c.measured, if c.met { "yes" } else { "NO" });
    }
    out
}
