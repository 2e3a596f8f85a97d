//! The `hubnet` binary itself: the command line, several servers on one database, shutdown on
//! SIGTERM, CSV import and the demo. Servers listen on 127.0.0.1 port 0 and stop when the test
//! ends (their standard input closes, and they are killed on drop).

use std::process::Stdio;
use std::time::Duration;

use chrono::{Days, Utc};
use hubnet_domain::Site;
use hubnet_domain::booking::opening_hours_on;
use hubnet_store::testkit::TestDatabase;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::{Who, seed};

const BIN: &str = env!("CARGO_BIN_EXE_hubnet");

/// A `hubnet serve` process.
struct Server {
    child: Child,
    base: String,
    /// What it printed before it was ready.
    printed: Vec<String>,
}

impl Server {
    /// Starts a server and waits until it prints its address (and, with `--demo`, its accounts).
    async fn start(database_url: &str, extra: &[&str], dir: &std::path::Path) -> Self {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--exit-on-stdin-eof", "--database-url", database_url])
            .args(extra)
            .current_dir(dir)
            .env("HUBNET_LOG_LEVEL", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start hubnet serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut printed = Vec::new();
        let mut base = None;
        let demo = extra.contains(&"--demo");
        let wait = async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(address) = line.strip_prefix("hubnet listening on ") {
                    base = Some(address.to_owned());
                }
                let done = base.is_some() && (!demo || line.starts_with("API docs"));
                printed.push(line);
                if done {
                    break;
                }
            }
        };
        tokio::time::timeout(Duration::from_mins(1), wait).await.expect("the server started within a minute");
        Self { child, base: base.expect("the server printed its address"), printed }
    }

    async fn stop(mut self) -> std::process::ExitStatus {
        // Closing standard input asks the server to shut down gracefully.
        drop(self.child.stdin.take());
        tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await.expect("stopped in time").unwrap()
    }
}

fn client() -> reqwest::Client {
    hubnet_server::install_tls();
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

async fn call(method: reqwest::Method, url: String, token: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = client().request(method, url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The first day from tomorrow on when `site` is open, as YYYY-MM-DD.
fn next_open_day(site: &Site) -> String {
    let today = Utc::now().with_timezone(&site.time_zone).date_naive();
    (1..30)
        .filter_map(|n| today.checked_add_days(Days::new(n)))
        .find(|d| opening_hours_on(site, *d).is_ok())
        .unwrap()
        .to_string()
}

async fn run(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(BIN).args(args).current_dir(dir).env("HUBNET_LOG_LEVEL", "warn").output().await.unwrap()
}

#[tokio::test]
async fn a_token_from_the_command_line_books_a_desk_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::sqlite().unwrap();
    let store = database.open().await;
    let net = seed(store.as_ref()).await;
    store.close().await;

    let issued =
        run(&["token", "issue", "--email", "aino@agency.example", "--database-url", &database.url], dir.path()).await;
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    let stdout = String::from_utf8(issued.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "the token alone: {stdout:?}");
    let token = stdout.trim();
    assert!(token.starts_with("hn_") && token.len() == 46, "{token}");
    let unknown =
        run(&["token", "issue", "--email", "nobody@agency.example", "--database-url", &database.url], dir.path()).await;
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("nobody@agency.example"));

    let server = Server::start(&database.url, &[], dir.path()).await;
    let day = next_open_day(&net.helsinki);
    let body = json!({"space_id": net.helsinki_desks[0].id, "date": day, "period": "full_day"});
    let (status, booking) =
        call(reqwest::Method::POST, format!("{}/api/v1/bookings", server.base), token, Some(body.clone())).await;
    assert_eq!(status, 201, "{booking}");
    let (status, refused) =
        call(reqwest::Method::POST, format!("{}/api/v1/bookings", server.base), &net.agency_admin.token, Some(body))
            .await;
    assert_eq!((status, refused["error"]["code"].as_str()), (409, Some("booking_conflict")));
    let health = client().get(format!("{}/healthz", server.base)).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert!(server.stop().await.success());
    database.drop_database().await;
}

/// Several servers on one database: sixty people ask for one desk across all of them at once.
async fn several_servers_never_double_book(database: TestDatabase, servers: usize) {
    let dir = tempfile::tempdir().unwrap();
    let store = database.open().await;
    let net = seed(store.as_ref()).await;
    let mut people: Vec<Who> = Vec::new();
    for n in 0..60 {
        let person = hubnet_domain::Person {
            id: uuid::Uuid::now_v7().into(),
            email: hubnet_domain::Email::parse(&format!("many{n}@agency.example")).unwrap(),
            ..net.aino.person.clone()
        };
        store.people().save_person(&person).await.unwrap();
        let (token, hash) = hubnet_server::auth::new_token().unwrap();
        store.tokens().create_token(uuid::Uuid::now_v7().into(), person.id, &hash, "t", Utc::now()).await.unwrap();
        people.push(Who { person, token });
    }
    store.close().await;
    let mut running = Vec::new();
    for _ in 0..servers {
        running.push(Server::start(&database.url, &[], dir.path()).await);
    }
    let day = next_open_day(&net.helsinki);
    let desk = net.helsinki_desks[2].id;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(people.len()));
    let tasks: Vec<_> = people
        .into_iter()
        .enumerate()
        .map(|(n, who)| {
            let url = format!("{}/api/v1/bookings", running[n % servers].base);
            let barrier = std::sync::Arc::clone(&barrier);
            let body = json!({"space_id": desk, "date": day, "period": "morning"});
            tokio::spawn(async move {
                barrier.wait().await;
                let (status, body) = call(reqwest::Method::POST, url, &who.token, Some(body)).await;
                (status, body["error"]["code"].as_str().unwrap_or("").to_owned())
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    let won = outcomes.iter().filter(|(s, _)| *s == 201).count();
    let lost = outcomes.iter().filter(|(s, c)| *s == 409 && c == "booking_conflict").count();
    assert_eq!((won, lost), (1, 59), "{outcomes:?}");
    for server in running {
        assert!(server.stop().await.success());
    }
    let store = database.open().await;
    let held = store
        .bookings()
        .list_bookings(&hubnet_store::BookingFilter {
            site: Some(net.helsinki.id),
            active_only: true,
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    store.close().await;
    database.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_servers_on_one_postgres_database_never_double_book() {
    if let Some(database) = TestDatabase::postgres().await {
        several_servers_never_double_book(database, 3).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_sqlite_file_never_double_book() {
    several_servers_never_double_book(TestDatabase::sqlite().unwrap(), 2).await;
}

#[tokio::test]
async fn sigterm_stops_the_server_after_its_work_is_committed() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::sqlite().unwrap();
    let store = database.open().await;
    let net = seed(store.as_ref()).await;
    store.close().await;
    let server = Server::start(&database.url, &[], dir.path()).await;
    let day = next_open_day(&net.helsinki);
    let bookings: Vec<_> = net
        .helsinki_desks
        .iter()
        .zip([&net.aino, &net.agency_admin, &net.platform])
        .map(|(desk, who)| {
            let url = format!("{}/api/v1/bookings", server.base);
            let (token, body) = (who.token.clone(), json!({"space_id": desk.id, "date": day, "period": "afternoon"}));
            tokio::spawn(async move { call(reqwest::Method::POST, url, &token, Some(body)).await.0 })
        })
        .collect();
    let mut statuses = Vec::new();
    for booking in bookings {
        statuses.push(booking.await.unwrap());
    }
    assert_eq!(statuses, vec![201, 201, 201]);
    let pid = server.child.id().unwrap().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
    assert!(killed.success());
    let mut server = server;
    let status = tokio::time::timeout(Duration::from_secs(30), server.child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    let store = database.open().await;
    let held = store
        .bookings()
        .list_bookings(&hubnet_store::BookingFilter {
            site: Some(net.helsinki.id),
            active_only: true,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(held.len(), 3);
    store.close().await;
}

#[tokio::test]
async fn the_demo_is_seeded_once_and_its_accounts_work() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let server = Server::start(&url, &["--demo"], dir.path()).await;
    let printed = server.printed.join("\n");
    assert!(printed.contains("Seeded the demo network"), "{printed}");
    let admin_token = server
        .printed
        .iter()
        .find(|l| l.contains("admin@hubnet.example"))
        .and_then(|l| l.split_whitespace().last())
        .unwrap_or_else(|| panic!("no admin account in {printed}"))
        .to_owned();
    let (status, sites) =
        call(reqwest::Method::GET, format!("{}/api/v1/sites?limit=1000", server.base), &admin_token, None).await;
    assert_eq!(status, 200);
    let sites = sites.as_array().unwrap();
    assert!(sites.len() >= 20, "{} sites", sites.len());
    assert!(sites.iter().any(|s| s["name"]["en"] == "Work 2.0 Lab" && s["access"]["registration_required"] == true));
    assert!(server.stop().await.success());

    let again = Server::start(&url, &["--demo"], dir.path()).await;
    assert!(!again.printed.join("\n").contains("Seeded"), "the demo was seeded twice");
    let (_, sites_again) =
        call(reqwest::Method::GET, format!("{}/api/v1/sites?limit=1000", again.base), &admin_token, None).await;
    assert_eq!(sites_again.as_array().unwrap().len(), sites.len());
    assert!(again.stop().await.success());
}

#[tokio::test]
async fn a_bad_configuration_is_refused_at_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let output =
        Command::new(BIN).args(["serve", "--listen", "localhost"]).current_dir(dir.path()).output().await.unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("listen must be an address and port"), "{stderr}");
    let output = Command::new(BIN)
        .args(["migrate"])
        .env("HUBNET_DATABASE_URL", "mysql://nope")
        .current_dir(dir.path())
        .output()
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("database_url must start with"));
    let migrated =
        run(&["migrate", "--database-url", &format!("sqlite://{}", dir.path().join("m.db").display())], dir.path())
            .await;
    assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn import_writes_every_row_or_none_and_reports_each_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("import.db").display());
    let organisations = write(
        dir.path(),
        "organisations.csv",
        "code,name_fi,name_sv,name_en,kind,country\n\
         heinola,Heinolan kaupunki,Heinola stad,City of Heinola,municipality,FI\n\
         regionjh,,Region Jämtland Härjedalen,Region Jämtland Härjedalen,region,SE\n",
    );
    let sites = write(
        dir.path(),
        "sites.csv",
        "code,organisation,kind,name_fi,name_sv,name_en,address,municipality,opening_hours,access,registration_required,price_per_seat_day\n\
         kaupungintalo,heinola,own_office,Kaupungintalo,Stadshuset,Town hall,Rauhankatu 3,FI-111,mon-fri 08:00-16:00,owner_only,,\n\
         hubb-are,regionjh,coworking_hub,,Hubben i Åre,Åre hub,Storgatan 1,Åre,mon-fri 08:00-17:00,network,no,250 SEK\n",
    );
    let people = write(
        dir.path(),
        "people.csv",
        "email,name,organisation,unit,language,home_municipality,roles\n\
         ville@heinola.example,Ville Heinonen,heinola,Kaupunkikehitys,fi,Heinola,org_admin site_host:kaupungintalo\n\
         sara@regionjh.example,Sara Berg,regionjh,,sv,SE-2321,\n",
    );
    let spaces = write(
        dir.path(),
        "spaces.csv",
        "site,floor,level,name,kind,capacity,amenities,accessibility,bookable,assigned_to\n\
         kaupungintalo,1,1,1.01,desk,,screen docking_station,wheelchair_accessible,,\n\
         kaupungintalo,1,1,1.02,desk,,screen,,,ville@heinola.example\n\
         kaupungintalo,1,1,Kymijoki,meeting_room,8,video_conferencing,hearing_loop,,\n\
         hubb-are,Plan 1,1,H1,desk,,,,,\n",
    );
    let args = |extra: &[&str]| {
        let mut args = vec![
            "import",
            "--database-url",
            &url,
            "--organisations",
            &organisations,
            "--sites",
            &sites,
            "--people",
            &people,
        ];
        args.extend_from_slice(extra);
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let spaces_args = args(&["--spaces", &spaces]);
    let ok = run(&spaces_args.iter().map(String::as_str).collect::<Vec<_>>(), dir.path()).await;
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(
        String::from_utf8_lossy(&ok.stdout)
            .contains("imported 2 organisations, 1 units, 2 sites, 2 floors, 4 spaces, 2 people, 2 roles"),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );

    // Importing again updates in place; a file with bad rows writes nothing and names each row.
    let bad_people = write(
        dir.path(),
        "bad_people.csv",
        "email,name,organisation,unit,language,home_municipality,roles\n\
         ville@heinola.example,Ville H.,heinola,,fi,FI-111,\n\
         short,row\n\
         not-an-email,Someone,heinola,,fi,,\n\
         kaisa@heinola.example,Kaisa,nosuchorg,,fi,,\n\
         olli@heinola.example,Olli,heinola,,klingon,,\n",
    );
    let bad = run(&["import", "--database-url", &url, "--people", &bad_people], dir.path()).await;
    assert!(!bad.status.success());
    let report = String::from_utf8_lossy(&bad.stderr);
    for expected in [
        "nothing was imported: 4 rows have errors",
        "bad_people.csv:3: CSV error",
        "bad_people.csv:4: email:",
        "bad_people.csv:5: organisation:",
        "bad_people.csv:6: language:",
    ] {
        assert!(report.contains(expected), "{expected} not in {report}");
    }

    let database_store = hubnet_store::connect(&url, &hubnet_store::StoreOptions::default()).await.unwrap();
    let ville = database_store.people().person_by_email("ville@heinola.example").await.unwrap();
    assert_eq!(ville.name, "Ville Heinonen", "the refused import changed a row");
    assert_eq!(ville.home_municipality.unwrap().to_string(), "FI-111");
    let stored = database_store.organisations().list_organisations().await.unwrap();
    let heinola = stored.iter().find(|o| o.code.as_str() == "heinola").unwrap();
    let town_hall = database_store.sites().list_sites(hubnet_store::Page { after: None, limit: 10 }).await.unwrap();
    let town_hall = town_hall.iter().find(|s| s.code.as_str() == "kaupungintalo").unwrap();
    assert_eq!(town_hall.organisation_id, heinola.id);
    assert_eq!(town_hall.opening_hours.to_string(), "mon-fri 08:00-16:00");
    let spaces = database_store.sites().list_spaces(town_hall.id).await.unwrap();
    let fixed = spaces.iter().find(|s| s.name == "1.02").unwrap();
    assert_eq!((fixed.bookable, fixed.assigned_to), (false, Some(ville.id)));
    let roles = database_store.people().roles_of(ville.id).await.unwrap();
    assert_eq!(roles.len(), 2);
    database_store.close().await;

    let again = run(&spaces_args.iter().map(String::as_str).collect::<Vec<_>>(), dir.path()).await;
    assert!(again.status.success(), "re-importing the same files: {}", String::from_utf8_lossy(&again.stderr));
    let dry =
        run(&["import", "--database-url", &url, "--organisations", &organisations, "--dry-run"], dir.path()).await;
    assert!(String::from_utf8_lossy(&dry.stdout).contains("nothing written"));
}
