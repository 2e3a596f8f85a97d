//! A hubnet app on a fresh database with a small network of two organisations, and ways to call it.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use chrono::{DateTime, TimeZone, Utc};
use hubnet_domain::org::Code;
use hubnet_domain::{
    AccessTerms, Coordinates, Country, Email, Floor, Language, LocalizedText, Organisation, OrganisationId,
    OrganisationKind, Person, Price, Role, RoleGrant, Site, SiteKind, Space, SpaceKind, UnitId, WeeklyHours,
};
use hubnet_server::{AppState, Clock, Config, app};
use hubnet_store::testkit::TestDatabase;
use hubnet_store::{ImportBatch, Store};
use serde_json::Value;
use tower::ServiceExt as _;

/// Monday 23 November 2026, 08:00 in Helsinki: "now" for every in-process test.
pub fn now() -> DateTime<Utc> {
    chrono_tz::Europe::Helsinki.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap().with_timezone(&Utc)
}

fn id<T: From<uuid::Uuid>>() -> T {
    T::from(uuid::Uuid::now_v7())
}

/// The people of the test network and their tokens.
pub struct Who {
    pub person: Person,
    pub token: String,
}

pub struct Net {
    pub agency: Organisation,
    pub region: Organisation,
    /// The agency's own office in Helsinki: owner only, weekdays 07-20, closed on holidays.
    pub helsinki: Site,
    /// The region's own office in Östersund: owner only.
    pub ostersund: Site,
    /// The agency's shared lab in Helsinki: open to the network, registration required.
    pub lab: Site,
    /// The region's co-working hub in Åre: open to the network, priced.
    #[allow(dead_code, reason = "part of the network; tests reach it through hub_desks")]
    pub hub: Site,
    pub helsinki_desks: Vec<Space>,
    pub helsinki_room: Space,
    pub ostersund_desks: Vec<Space>,
    pub lab_desks: Vec<Space>,
    pub hub_desks: Vec<Space>,
    pub aino: Who,
    pub agency_admin: Who,
    pub bjorn: Who,
    pub region_admin: Who,
    pub platform: Who,
    pub lab_host: Who,
}

fn organisation(code: &str, kind: OrganisationKind, country: Country) -> Organisation {
    Organisation {
        id: id(),
        code: Code::parse(code, "code").unwrap(),
        name: LocalizedText::same(code, "name").unwrap(),
        kind,
        country,
    }
}

fn site(owner: &Organisation, code: &str, municipality: &str, lat: f64, lon: f64, access: AccessTerms) -> Site {
    let municipality: hubnet_domain::MunicipalityCode = municipality.parse().unwrap();
    Site {
        id: id(),
        code: Code::parse(code, "code").unwrap(),
        kind: SiteKind::OwnOffice,
        organisation_id: owner.id,
        name: LocalizedText::new(&format!("{code} fi"), &format!("{code} sv"), &format!("{code} en"), "name").unwrap(),
        address: "Katu 1".into(),
        municipality,
        coordinates: Coordinates::new(lat, lon).unwrap(),
        time_zone: municipality.country().default_time_zone(),
        opening_hours: WeeklyHours::weekdays("07:00".parse().unwrap(), "20:00".parse().unwrap()).unwrap(),
        closed_on_holidays: true,
        access,
        price_per_seat_day: None,
        booking_horizon_days: 60,
    }
}

fn spaces(batch: &mut ImportBatch, site: &Site, prefix: &str, desks: usize) -> Vec<Space> {
    let floor = Floor { id: id(), site_id: site.id, name: LocalizedText::same("1", "name").unwrap(), level: 1 };
    batch.floors.push(floor.clone());
    let made: Vec<Space> = (1..=desks)
        .map(|n| Space {
            id: id(),
            site_id: site.id,
            floor_id: floor.id,
            kind: SpaceKind::Desk,
            name: format!("{prefix}{n}"),
            capacity: 1,
            amenities: vec![],
            accessibility: vec![],
            bookable: true,
            assigned_to: None,
            approval_required: false,
        })
        .collect();
    batch.spaces.extend(made.iter().cloned());
    made
}

fn person(batch: &mut ImportBatch, organisation: &Organisation, email: &str, home: &str) -> Person {
    let municipality: hubnet_domain::MunicipalityCode = home.parse().unwrap();
    let person = Person {
        id: id(),
        organisation_id: organisation.id,
        unit_id: None,
        name: email.split('@').next().unwrap().to_owned(),
        email: Email::parse(email).unwrap(),
        language: Language::Fi,
        home_municipality: Some(municipality),
        home: Some(hubnet_server::geography::municipality(municipality).unwrap().centre),
        active: true,
    };
    batch.people.push(person.clone());
    person
}

async fn token(store: &dyn Store, person: Person) -> Who {
    let (token, hash) = hubnet_server::auth::new_token().unwrap();
    store.tokens().create_token(id(), person.id, &hash, "test", now()).await.unwrap();
    Who { person, token }
}

/// Writes the test network into `store`.
pub async fn seed(store: &dyn Store) -> Net {
    let mut batch = ImportBatch::default();
    let agency = organisation("agency", OrganisationKind::StateAgency, Country::Finland);
    let region = organisation("region", OrganisationKind::Region, Country::Sweden);
    batch.organisations = vec![agency.clone(), region.clone()];
    let helsinki = site(&agency, "helsinki", "FI-091", 60.1699, 24.9384, AccessTerms::owner_only());
    let ostersund = site(&region, "ostersund", "SE-2380", 63.1792, 14.6357, AccessTerms::owner_only());
    let mut lab = site(
        &agency,
        "lab",
        "FI-091",
        60.1990,
        24.9330,
        AccessTerms { registration_required: true, ..AccessTerms::network() },
    );
    lab.kind = SiteKind::SharedOffice;
    let mut hub = site(&region, "hub-are", "SE-2321", 63.3990, 13.0810, AccessTerms::network());
    hub.kind = SiteKind::CoworkingHub;
    hub.price_per_seat_day = Some(Price { amount_minor: 25000, currency: hubnet_domain::money::Currency::Sek });
    batch.sites = vec![helsinki.clone(), ostersund.clone(), lab.clone(), hub.clone()];
    let helsinki_desks = spaces(&mut batch, &helsinki, "A", 3);
    let mut helsinki_room = helsinki_desks[0].clone();
    helsinki_room.id = id();
    helsinki_room.kind = SpaceKind::MeetingRoom;
    helsinki_room.name = "Päijänne".into();
    helsinki_room.capacity = 8;
    batch.spaces.push(helsinki_room.clone());
    let ostersund_desks = spaces(&mut batch, &ostersund, "B", 2);
    let lab_desks = spaces(&mut batch, &lab, "L", 2);
    let hub_desks = spaces(&mut batch, &hub, "H", 2);
    let aino = person(&mut batch, &agency, "aino@agency.example", "FI-111");
    let agency_admin = person(&mut batch, &agency, "admin@agency.example", "FI-091");
    let bjorn = person(&mut batch, &region, "bjorn@region.example", "SE-2321");
    let region_admin = person(&mut batch, &region, "admin@region.example", "SE-2380");
    let platform = person(&mut batch, &agency, "root@hubnet.example", "FI-091");
    let lab_host = person(&mut batch, &agency, "host@agency.example", "FI-091");
    batch.roles = vec![
        RoleGrant { person_id: agency_admin.id, role: Role::OrgAdmin { organisation_id: agency.id } },
        RoleGrant { person_id: region_admin.id, role: Role::OrgAdmin { organisation_id: region.id } },
        RoleGrant { person_id: platform.id, role: Role::PlatformAdmin },
        RoleGrant { person_id: lab_host.id, role: Role::SiteHost { site_id: lab.id } },
    ];
    store.import().import(&batch).await.unwrap();
    Net {
        aino: token(store, aino).await,
        agency_admin: token(store, agency_admin).await,
        bjorn: token(store, bjorn).await,
        region_admin: token(store, region_admin).await,
        platform: token(store, platform).await,
        lab_host: token(store, lab_host).await,
        agency,
        region,
        helsinki,
        ostersund,
        lab,
        hub,
        helsinki_desks,
        helsinki_room,
        ostersund_desks,
        lab_desks,
        hub_desks,
    }
}

// Policies: a region person near the region's office, a hub near her, the region's rule.

/// Karin lives in Östersund, 2 km from the region's office there; she reads Swedish.
pub async fn karin(app: &TestApp) -> Who {
    let karin = person_in(app, app.net.region.id, None, "karin@region.example").await;
    let person = Person { name: "Karin Berg".into(), ..karin.person };
    app.store.people().save_person(&person).await.unwrap();
    Who { person, ..karin }
}

/// Another person of `organisation`, in `unit`, living in Östersund, with a token.
pub async fn person_in(app: &TestApp, organisation: OrganisationId, unit: Option<UnitId>, email: &str) -> Who {
    let code = hubnet_domain::MunicipalityCode::new(Country::Sweden, "2380").unwrap();
    let person = Person {
        id: id(),
        organisation_id: organisation,
        unit_id: unit,
        name: email.split('@').next().unwrap_or(email).into(),
        email: Email::parse(email).unwrap(),
        language: Language::Sv,
        home_municipality: Some(code),
        home: Some(hubnet_server::geography::municipality(code).unwrap().centre),
        active: true,
    };
    app.store.people().save_person(&person).await.unwrap();
    token(app.store.as_ref(), person).await
}

/// A co-working hub of another organisation (the agency) in Brunflo, 17 km from Östersund, open
/// to all; its id and the id of its one desk.
pub async fn brunflo_hub(app: &TestApp) -> (String, String) {
    brunflo_hub_priced(app, None).await
}

/// [`brunflo_hub`], selling a seat-day for `price_sek_minor` öre when given.
pub async fn brunflo_hub_priced(app: &TestApp, price_sek_minor: Option<i64>) -> (String, String) {
    let net = &app.net;
    let price = price_sek_minor.map(|amount| serde_json::json!({"amount_minor": amount, "currency": "SEK"}));
    let site = serde_json::json!({"code": "brunflo-hub", "kind": "coworking_hub", "organisation_id": net.agency.id,
        "price_per_seat_day": price,
        "name": {"fi": "Brunflon hubi", "sv": "Brunflo hubb", "en": "Brunflo hub"}, "address": "Torget 1",
        "municipality": "SE-2380", "coordinates": {"lat": 63.0754, "lon": 14.8211}, "access": {"who": "network"},
        "opening_hours": {"mon": {"opens": "08:00", "closes": "17:00"}, "tue": {"opens": "08:00", "closes": "17:00"}}});
    let site = app.post("/api/v1/sites", &net.agency_admin, site).await;
    assert_eq!(site.status, StatusCode::CREATED, "{}", site.body);
    let id = site.body["id"].as_str().unwrap().to_owned();
    let floor = app
        .post(
            &format!("/api/v1/sites/{id}/floors"),
            &net.agency_admin,
            serde_json::json!({"name": {"en": "1"}, "level": 1}),
        )
        .await;
    let floor = floor.body["id"].as_str().unwrap().to_owned();
    let desk = serde_json::json!({"floor_id": floor, "kind": "desk", "name": "H1"});
    let desk = app.post(&format!("/api/v1/sites/{id}/spaces"), &net.agency_admin, desk).await;
    assert_eq!(desk.status, StatusCode::CREATED, "{}", desk.body);
    (id, desk.body["id"].as_str().unwrap().to_owned())
}

/// Writes a version of the region's policy as its admin (`body` as for
/// `POST /api/v1/organisations/{id}/policy`), which must be accepted.
pub async fn write_region_policy(app: &TestApp, body: Value) {
    let path = format!("/api/v1/organisations/{}/policy", app.net.region.id);
    let written = app.post(&path, &app.net.region_admin, body).await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.body);
}

/// Makes the site `id` ask for its host's approval of every booking.
pub async fn site_asks_for_approval(app: &TestApp, id: &str) {
    let mut site = app.store.sites().get_site(id.parse().unwrap()).await.unwrap();
    site.access.approval_required = true;
    app.store.sites().save_site(&site).await.unwrap();
}

/// The Jämtland Härjedalen rule as the body of `POST /api/v1/organisations/{id}/policy`.
pub fn regional_rule(valid_from: &str) -> Value {
    serde_json::json!({"valid_from": valid_from,
        "rules": serde_json::from_str::<Value>(hubnet_domain::policy::JAMTLAND_HARJEDALEN_JSON).unwrap()})
}

/// An app in process, on a fresh database seeded with the test network.
pub struct TestApp {
    pub app: Router,
    pub store: Arc<dyn Store>,
    pub net: Net,
    database: Option<TestDatabase>,
}

/// A response: status, headers and body (JSON, or a string for other bodies).
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }
}

impl TestApp {
    pub async fn sqlite() -> Self {
        Self::on(TestDatabase::sqlite().unwrap()).await
    }

    pub async fn postgres() -> Option<Self> {
        Some(Self::on(TestDatabase::postgres().await?).await)
    }

    async fn on(database: TestDatabase) -> Self {
        // Server errors are logged; show them in a failing test's output.
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn").try_init();
        let store = database.open().await;
        let net = seed(store.as_ref()).await;
        let config = Config::with_database(&database.url).unwrap();
        let mut state = AppState::new(Arc::clone(&store), config);
        state.clock = Clock::fixed(now());
        Self { app: app(state), store, net, database: Some(database) }
    }

    pub async fn finish(mut self) {
        self.store.close().await;
        if let Some(database) = self.database.take() {
            database.drop_database().await;
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 16 << 20).await.unwrap();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Reply { status, headers, body }
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                request = request.header("content-type", "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).unwrap()).await
    }

    pub async fn get(&self, path: &str, who: &Who) -> Reply {
        self.call(Method::GET, path, Some(&who.token), None).await
    }

    pub async fn post(&self, path: &str, who: &Who, body: Value) -> Reply {
        self.call(Method::POST, path, Some(&who.token), Some(body)).await
    }

    pub async fn put(&self, path: &str, who: &Who, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(&who.token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, who: &Who) -> Reply {
        self.call(Method::DELETE, path, Some(&who.token), None).await
    }

    /// Books `space` for `who` by period on `date` (YYYY-MM-DD).
    pub async fn book_day(&self, who: &Who, space: &Space, date: &str) -> Reply {
        self.post(
            "/api/v1/bookings",
            who,
            serde_json::json!({"space_id": space.id, "date": date, "period": "full_day"}),
        )
        .await
    }

    /// The active bookings of a site, as the platform admin sees them.
    pub async fn active_bookings(&self, site: &Site) -> Vec<Value> {
        let reply = self.get(&format!("/api/v1/bookings?site={}&limit=1000", site.id), &self.net.platform).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body.as_array().unwrap().clone()
    }
}

/// A JSON request by `who` that asks for answers in `language` (`Accept-Language`).
pub async fn in_language(app: &TestApp, who: &Who, language: &str, method: Method, path: &str, body: Value) -> Reply {
    let request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {}", who.token))
        .header("content-type", "application/json")
        .header("accept-language", language)
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

/// Helsinki wall-clock time on a date in 2026, as RFC 3339.
pub fn helsinki(month: u32, day: u32, hour: u32, minute: u32) -> String {
    chrono_tz::Europe::Helsinki.with_ymd_and_hms(2026, month, day, hour, minute, 0).unwrap().to_rfc3339()
}
