//! Every role of one organisation against another's private things, as tables of
//! (who, what, expected answer): through the API (on SQLite, and on PostgreSQL when there is one)
//! and through the pages. A is the agency, B the region. After every refused request, everything
//! the tables touch is read back by the organisations' own admins and must be as it was.
//!
//! B's own people and the platform admin have rows too: they show that a refusal comes from the
//! role, not from a wrong path or id (the same request by the right person works).

use std::collections::BTreeMap;
use std::fmt;

use axum::http::{Method, StatusCode};
use hubnet_server::web::session::urlencode;
use serde_json::{Value, json};

use crate::audit::{grant, newcomer};
use crate::helpers::{TestApp, Who};
use crate::web::{Browser, hidden, with_password};

/// Who makes a request: each role of organisation A, the platform admin (a person of A), and
/// B's own people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum As {
    Member,
    Host,
    Admin,
    Analyst,
    Hr,
    Platform,
    BMember,
    BHost,
    BAnalyst,
    BHr,
    BAdmin,
}

use As::{Admin, Analyst, BAdmin, BAnalyst, BHost, BHr, BMember, Host, Hr, Member, Platform};

impl fmt::Display for As {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Member => "member of A",
            Host => "host of A's lab",
            Admin => "admin of A",
            Analyst => "analyst of A",
            Hr => "HR of A",
            Platform => "platform admin",
            BMember => "member of B",
            BHost => "host of B's office",
            BAnalyst => "analyst of B",
            BHr => "HR of B",
            BAdmin => "admin of B",
        })
    }
}

/// Every role of A, without the platform admin.
const OF_A: &[As] = &[Member, Host, Admin, Analyst, Hr];
/// Every role of A and the platform admin: for what no role changes, such as a site's terms.
const ALL_OF_A: &[As] = &[Member, Host, Admin, Analyst, Hr, Platform];
/// A's read-only roles.
const READERS: &[As] = &[Analyst, Hr];

/// An expected answer: status and error code ("" for a success).
type Answer = (u16, &'static str);
const OK: Answer = (200, "");
const CREATED: Answer = (201, "");
const NO_CONTENT: Answer = (204, "");
const HIDDEN: Answer = (404, "not_found");
const DENIED: Answer = (403, "access_denied");
const NOT_OPEN: Answer = (403, "site_not_open_to_you");

/// The test network with every role in both organisations, and B's private things.
struct World {
    analyst: Who,
    hr: Who,
    b_host: Who,
    b_analyst: Who,
    b_hr: Who,
    /// Björn's confirmed booking at B's owner-only office (Östersund), Tuesday.
    confirmed: String,
    /// Björn's booking at B's office waiting for approval (its desk asks for it), Wednesday.
    pending: String,
    /// Aino's booking at A's office, Tuesday, and her booking of its meeting room waiting for
    /// approval, Wednesday.
    aino_booking: String,
    aino_pending: String,
    /// A unit of B, B's identity provider and B's SCIM token.
    unit: String,
    provider: String,
    b_scim: String,
    app: TestApp,
}

impl World {
    fn who(&self, who: As) -> &Who {
        let net = &self.app.net;
        match who {
            Member => &net.aino,
            Host => &net.lab_host,
            Admin => &net.agency_admin,
            Analyst => &self.analyst,
            Hr => &self.hr,
            Platform => &net.platform,
            BMember => &net.bjorn,
            BHost => &self.b_host,
            BAnalyst => &self.b_analyst,
            BHr => &self.b_hr,
            BAdmin => &net.region_admin,
        }
    }
}

/// Books `space` for a whole day as `who`; answers the booking's id.
async fn booked(app: &TestApp, who: &Who, space: &hubnet_domain::Space, date: &str, status: &str) -> String {
    let reply = app.book_day(who, space, date).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["status"], status);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// `admin` makes `space` ask for approval of its bookings.
async fn ask_approval(app: &TestApp, admin: &Who, space: &hubnet_domain::Space) {
    let path = format!("/api/v1/spaces/{}", space.id);
    let mut body = app.get(&path, admin).await.body;
    for key in ["id", "site_id"] {
        body.as_object_mut().unwrap().remove(key);
    }
    body["approval_required"] = json!(true);
    let reply = app.put(&path, admin, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

fn provider(issuer: &str) -> Value {
    json!({"name": "Region (Entra ID)", "issuer": issuer, "client_id": "region-client",
        "client_secret": "s3cret", "email_domains": ["region.example"]})
}

async fn world(app: TestApp) -> World {
    let net = &app.net;
    let (a, b) = (net.agency.id, net.region.id);
    let analyst = newcomer(&app, &net.agency, "analyst@agency.example").await;
    grant(&app, &net.agency_admin, &analyst, json!([{"role": "analyst", "organisation_id": a}])).await;
    let hr = newcomer(&app, &net.agency, "hr@agency.example").await;
    grant(&app, &net.agency_admin, &hr, json!([{"role": "hr", "organisation_id": a}])).await;
    let b_host = newcomer(&app, &net.region, "host@region.example").await;
    grant(&app, &net.region_admin, &b_host, json!([{"role": "site_host", "site_id": net.ostersund.id}])).await;
    let b_analyst = newcomer(&app, &net.region, "analyst@region.example").await;
    grant(&app, &net.region_admin, &b_analyst, json!([{"role": "analyst", "organisation_id": b}])).await;
    let b_hr = newcomer(&app, &net.region, "hr@region.example").await;
    grant(&app, &net.region_admin, &b_hr, json!([{"role": "hr", "organisation_id": b}])).await;

    ask_approval(&app, &net.region_admin, &net.ostersund_desks[1]).await;
    ask_approval(&app, &net.agency_admin, &net.helsinki_room).await;
    let confirmed = booked(&app, &net.bjorn, &net.ostersund_desks[0], "2026-11-24", "confirmed").await;
    let pending = booked(&app, &net.bjorn, &net.ostersund_desks[1], "2026-11-25", "pending_approval").await;
    let aino_booking = booked(&app, &net.aino, &net.helsinki_desks[0], "2026-11-24", "confirmed").await;
    let aino_pending = booked(&app, &net.aino, &net.helsinki_room, "2026-11-25", "pending_approval").await;

    let units = format!("/api/v1/organisations/{b}/units");
    let made = app.post(&units, &net.region_admin, json!({"name": {"en": "Planning"}})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let unit = made.body["id"].as_str().unwrap().to_owned();
    let providers = format!("/api/v1/organisations/{b}/identity-providers");
    let made = app.post(&providers, &net.region_admin, provider("https://login.region.example/v2.0")).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let provider = made.body["id"].as_str().unwrap().to_owned();
    let scim_token = format!("/api/v1/organisations/{b}/scim-token");
    let scim = app.call(Method::POST, &scim_token, Some(&net.region_admin.token), None).await;
    assert_eq!(scim.status, StatusCode::CREATED, "{}", scim.body);
    let b_scim = scim.body["token"].as_str().unwrap().to_owned();
    World {
        analyst,
        hr,
        b_host,
        b_analyst,
        b_hr,
        confirmed,
        pending,
        aino_booking,
        aino_pending,
        unit,
        provider,
        b_scim,
        app,
    }
}

/// Everything the tables could change, read back by each organisation's own admin (B's SCIM
/// token by using it), with the newest change in each audit log: a refused request adds none.
async fn snapshot(w: &World) -> BTreeMap<String, Value> {
    let net = &w.app.net;
    let (a_admin, b_admin) = (&net.agency_admin, &net.region_admin);
    let (a, b) = (net.agency.id, net.region.id);
    let mut reads: Vec<(&Who, String)> = vec![
        (b_admin, "/api/v1/organisations".into()),
        (b_admin, "/api/v1/sites?limit=1000".into()),
        (b_admin, format!("/api/v1/people?organisation={b}&limit=1000")),
        (a_admin, format!("/api/v1/people?organisation={a}&limit=1000")),
        (b_admin, format!("/api/v1/organisations/{b}/units")),
        (a_admin, format!("/api/v1/organisations/{a}/units")),
        (b_admin, format!("/api/v1/organisations/{b}/identity-providers")),
        (a_admin, format!("/api/v1/organisations/{a}/identity-providers")),
    ];
    for (admin, site) in [(b_admin, &net.ostersund), (b_admin, &net.hub), (a_admin, &net.helsinki), (a_admin, &net.lab)]
    {
        for what in ["floors", "spaces"] {
            reads.push((admin, format!("/api/v1/sites/{}/{what}", site.id)));
        }
        reads.push((admin, format!("/api/v1/bookings?site={}&include_inactive=true&limit=1000", site.id)));
    }
    for who in [BMember, BHost, BAnalyst, BHr, BAdmin] {
        reads.push((b_admin, format!("/api/v1/people/{}/roles", w.who(who).person.id)));
    }
    for who in ALL_OF_A {
        reads.push((a_admin, format!("/api/v1/people/{}/roles", w.who(*who).person.id)));
    }
    let mut state = BTreeMap::new();
    for (admin, path) in reads {
        let reply = w.app.get(&path, admin).await;
        state.insert(path, json!({"status": reply.status.as_u16(), "body": reply.body}));
    }
    for (admin, organisation) in [(a_admin, a), (b_admin, b)] {
        state.insert(
            format!("the newest change in {organisation}'s audit log"),
            last_change(w, admin, organisation).await,
        );
    }
    let scim = w.app.call(Method::GET, "/scim/v2/Users?count=1", Some(&w.b_scim), None).await;
    state.insert("B's SCIM token works".into(), json!(scim.status.as_u16()));
    for who in ALL_OF_A {
        let registered = w.app.store.sites().is_registered(net.ostersund.id, w.who(*who).person.id).await.unwrap();
        state.insert(format!("{who} registered at B's office"), json!(registered));
    }
    state
}

/// The newest entry of the organisation's audit log that records a change rather than a read
/// of personal data (reads are recorded all the time, by the snapshots too).
async fn last_change(w: &World, admin: &Who, organisation: hubnet_domain::OrganisationId) -> Value {
    let mut after = String::new();
    loop {
        let path = format!("/api/v1/organisations/{organisation}/audit?limit=1000{after}");
        let reply = w.app.get(&path, admin).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let entries = reply.body.as_array().unwrap();
        let read = |e: &&Value| matches!(e["action"].as_str(), Some("person.viewed" | "people.listed"));
        if let Some(change) = entries.iter().find(|e| !read(e)) {
            return change.clone();
        }
        match entries.last() {
            Some(last) => after = format!("&after={}", last["id"].as_str().unwrap()),
            None => return Value::Null,
        }
    }
}

/// What differs between two snapshots: for lists, the items gone and the items added.
fn changes(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>) -> String {
    let short = |v: &Value| v.to_string().chars().take(400).collect::<String>();
    let items = |v: Option<&Value>| match v.map(|v| v.get("body").unwrap_or(v)) {
        Some(Value::Array(items)) => items.clone(),
        Some(other) => vec![other.clone()],
        None => Vec::new(),
    };
    let mut found = Vec::new();
    for key in before.keys().chain(after.keys()) {
        let (old, new) = (before.get(key), after.get(key));
        if old == new || found.iter().any(|(k, _): &(&String, String)| *k == key) {
            continue;
        }
        let (old_items, new_items) = (items(old), items(new));
        let gone: Vec<String> = old_items.iter().filter(|i| !new_items.contains(i)).map(short).collect();
        let added: Vec<String> = new_items.iter().filter(|i| !old_items.contains(i)).map(short).collect();
        found.push((key, format!("{key}: gone {gone:?}, added {added:?}")));
    }
    found.into_iter().map(|(_, change)| change).collect::<Vec<_>>().join("; ")
}

// Through the API

struct Call {
    method: Method,
    path: String,
    body: Option<Value>,
}

fn get(path: String) -> Call {
    Call { method: Method::GET, path, body: None }
}

fn post(path: String, body: Value) -> Call {
    Call { method: Method::POST, path, body: Some(body) }
}

fn put(path: String, body: Value) -> Call {
    Call { method: Method::PUT, path, body: Some(body) }
}

fn delete(path: String) -> Call {
    Call { method: Method::DELETE, path, body: None }
}

/// A request without a body.
fn send(method: Method, path: String) -> Call {
    Call { method, path, body: None }
}

/// (who, what, the request, the expected answer): one request for each of `who`.
struct Row {
    who: &'static [As],
    what: &'static str,
    call: Call,
    expect: Answer,
}

fn row(who: &'static [As], what: &'static str, call: Call, expect: Answer) -> Row {
    Row { who, what, call, expect }
}

fn utilisation(organisation: hubnet_domain::OrganisationId) -> String {
    let (from, to) = (urlencode("2026-11-23T00:00:00Z"), urlencode("2026-11-30T00:00:00Z"));
    format!("/api/v1/organisations/{organisation}/utilisation?from={from}&to={to}")
}

/// A site as its admin reads it, renamed, as a body for `PUT /sites/{id}`.
async fn renamed_site(w: &World, admin: As, site: &hubnet_domain::Site) -> Value {
    let mut body = w.app.get(&format!("/api/v1/sites/{}", site.id), w.who(admin)).await.body;
    body.as_object_mut().unwrap().remove("id");
    body["name"]["en"] = json!("Taken over");
    body
}

/// A's roles, the platform admin and B's people against B's private things. Refusals first,
/// then the same request by those allowed; what B's people change comes late, and erasure last.
#[expect(clippy::too_many_lines, reason = "one table, read top to bottom")]
async fn across_organisations(w: &World) -> Vec<Row> {
    let net = &w.app.net;
    let b = net.region.id;
    let bjorn = net.bjorn.person.id;
    let office = net.ostersund.id;
    let desk = &net.ostersund_desks[0];
    let floor = desk.floor_id;
    let (confirmed, pending) = (&w.confirmed, &w.pending);
    let people = format!("/api/v1/people?organisation={b}");
    let person = format!("/api/v1/people/{bjorn}");
    let by_person = format!("/api/v1/bookings?person={bjorn}");
    let at_office = format!("/api/v1/bookings?site={office}");
    let waiting = format!("/api/v1/bookings?site={office}&status=pending_approval");
    let booking = format!("/api/v1/bookings/{confirmed}");
    let providers = format!("/api/v1/organisations/{b}/identity-providers");
    let one_provider = format!("/api/v1/identity-providers/{}", w.provider);
    let scim_token = format!("/api/v1/organisations/{b}/scim-token");
    let site = renamed_site(w, BAdmin, &net.ostersund).await;
    let new_floor = json!({"name": {"fi": "Ullakko", "sv": "Vind", "en": "Attic"}, "level": 9});
    let space = json!({"floor_id": floor, "kind": "desk", "name": "Taken", "bookable": true});
    let new_space = json!({"floor_id": floor, "kind": "desk", "name": "B9", "bookable": true});
    let new_site = json!({"code": "taken-over", "kind": "own_office", "organisation_id": b,
        "name": {"fi": "Vallattu", "sv": "Övertagen", "en": "Taken over"}, "address": "Gatan 1",
        "municipality": "SE-2380", "opening_hours": {"mon": {"opens": "08:00", "closes": "16:00"}}});
    let region = json!({"code": "region", "name": {"en": "Renamed"}, "kind": "region", "country": "SE"});
    let unit = json!({"name": {"en": "Intruders"}});
    let newcomer = json!({"organisation_id": b, "name": "Intruder", "email": "intruder@region.example"});
    let changed = json!({"organisation_id": b, "name": "Renamed", "email": "bjorn@region.example"});
    let analyst_of_b = json!([{"role": "analyst", "organisation_id": b}]);
    let hr_of_b = json!([{"role": "hr", "organisation_id": b}]);
    let lab_host = json!([{"role": "site_host", "site_id": net.lab.id}]);
    let own_day = json!({"space_id": desk.id, "date": "2026-11-26", "period": "full_day"});
    let for_bjorn =
        json!({"space_id": net.hub_desks[0].id, "date": "2026-11-27", "period": "full_day", "person_id": bjorn});
    let reason = json!({"reason": "Not for you."});
    vec![
        // B's people: invisible to A.
        row(OF_A, "list B's people", get(people.clone()), HIDDEN),
        row(&[BMember, BHr, BAdmin, Platform], "list B's people", get(people), OK),
        row(OF_A, "read a person of B", get(person.clone()), HIDDEN),
        row(&[BMember, BHost, BHr, BAdmin, Platform], "read a person of B", get(person.clone()), OK),
        row(OF_A, "read a person of B's roles", get(format!("{person}/roles")), HIDDEN),
        row(&[BMember, BHr, BAdmin, Platform], "read a person of B's roles", get(format!("{person}/roles")), OK),
        row(OF_A, "download a person of B's data", get(format!("{person}/export")), HIDDEN),
        row(&[BHr, BAnalyst], "download a person of B's data", get(format!("{person}/export")), DENIED),
        row(&[BMember, BAdmin, Platform], "download a person of B's data", get(format!("{person}/export")), OK),
        row(OF_A, "read B's units", get(format!("/api/v1/organisations/{b}/units")), HIDDEN),
        row(
            &[BMember, BAnalyst, BAdmin, Platform],
            "read B's units",
            get(format!("/api/v1/organisations/{b}/units")),
            OK,
        ),
        // B's bookings: a person's are invisible; the office is visible, its bookings are not.
        row(OF_A, "list a person of B's bookings", get(by_person.clone()), HIDDEN),
        row(&[BHost, BAnalyst, BHr], "list a person of B's bookings", get(by_person.clone()), HIDDEN),
        row(&[BMember, BAdmin, Platform], "list a person of B's bookings", get(by_person), OK),
        row(OF_A, "list the bookings at B's office", get(at_office.clone()), DENIED),
        row(&[BMember, BAnalyst, BHr], "list the bookings at B's office", get(at_office.clone()), DENIED),
        row(&[BHost, BAdmin, Platform], "list the bookings at B's office", get(at_office), OK),
        row(OF_A, "list the bookings waiting at B's office", get(waiting.clone()), DENIED),
        row(&[BHost, BAdmin, Platform], "list the bookings waiting at B's office", get(waiting), OK),
        row(OF_A, "read a booking at B's office", get(booking.clone()), HIDDEN),
        row(&[BMember, BHost, BAdmin, Platform], "read a booking at B's office", get(booking.clone()), OK),
        // Booking: B's owner-only office is closed to everyone of A, whatever their role.
        row(ALL_OF_A, "book B's owner-only office", post("/api/v1/bookings".into(), own_day.clone()), NOT_OPEN),
        row(&[BMember], "book B's owner-only office", post("/api/v1/bookings".into(), own_day), CREATED),
        row(
            ALL_OF_A,
            "register at B's owner-only office",
            post(format!("/api/v1/sites/{office}/registration"), json!({})),
            NOT_OPEN,
        ),
        row(
            &[BMember],
            "register at B's owner-only office",
            post(format!("/api/v1/sites/{office}/registration"), json!({})),
            NO_CONTENT,
        ),
        row(OF_A, "book for a person of B", post("/api/v1/bookings".into(), for_bjorn.clone()), HIDDEN),
        row(&[BHost, BHr], "book for a person of B", post("/api/v1/bookings".into(), for_bjorn.clone()), DENIED),
        row(&[Platform], "book for a person of B", post("/api/v1/bookings".into(), for_bjorn), CREATED),
        // B's sites: visible to all, changed by their hosts and B's admins.
        row(OF_A, "change B's office", put(format!("/api/v1/sites/{office}"), site.clone()), DENIED),
        row(
            &[BMember, BAnalyst, BHr],
            "change B's office",
            put(format!("/api/v1/sites/{office}"), site.clone()),
            DENIED,
        ),
        row(&[BHost, Platform], "change B's office", put(format!("/api/v1/sites/{office}"), site), OK),
        row(
            OF_A,
            "add a floor to B's office",
            post(format!("/api/v1/sites/{office}/floors"), new_floor.clone()),
            DENIED,
        ),
        row(
            &[BHost, Platform],
            "add a floor to B's office",
            post(format!("/api/v1/sites/{office}/floors"), new_floor.clone()),
            CREATED,
        ),
        row(OF_A, "change B's floor", put(format!("/api/v1/floors/{floor}"), new_floor.clone()), DENIED),
        row(&[BHost, Platform], "change B's floor", put(format!("/api/v1/floors/{floor}"), new_floor), OK),
        row(
            OF_A,
            "add a space to B's office",
            post(format!("/api/v1/sites/{office}/spaces"), new_space.clone()),
            DENIED,
        ),
        row(&[BHost], "add a space to B's office", post(format!("/api/v1/sites/{office}/spaces"), new_space), CREATED),
        row(OF_A, "change B's desk", put(format!("/api/v1/spaces/{}", desk.id), space.clone()), DENIED),
        row(&[BHost, Platform], "change B's desk", put(format!("/api/v1/spaces/{}", desk.id), space), OK),
        row(OF_A, "create a site for B", post("/api/v1/sites".into(), new_site.clone()), DENIED),
        row(&[BHost, BMember], "create a site for B", post("/api/v1/sites".into(), new_site.clone()), DENIED),
        row(&[Platform], "create a site for B", post("/api/v1/sites".into(), new_site), CREATED),
        // B's follow-up, audit log, single sign-on and provisioning.
        row(OF_A, "read B's utilisation", get(utilisation(b)), DENIED),
        row(&[BMember, BHost], "read B's utilisation", get(utilisation(b)), DENIED),
        row(&[BAnalyst, BHr, BAdmin, Platform], "read B's utilisation", get(utilisation(b)), OK),
        row(OF_A, "read B's audit log", get(format!("/api/v1/organisations/{b}/audit")), DENIED),
        row(
            &[BMember, BHost, BAnalyst, BHr],
            "read B's audit log",
            get(format!("/api/v1/organisations/{b}/audit")),
            DENIED,
        ),
        row(&[BAdmin, Platform], "read B's audit log", get(format!("/api/v1/organisations/{b}/audit")), OK),
        row(OF_A, "list B's identity providers", get(providers.clone()), HIDDEN),
        row(&[BMember, BHr], "list B's identity providers", get(providers.clone()), HIDDEN),
        row(&[BAdmin, Platform], "list B's identity providers", get(providers.clone()), OK),
        row(OF_A, "add an identity provider to B", post(providers.clone(), provider("https://idp.example/a")), HIDDEN),
        row(&[BAdmin], "add an identity provider to B", post(providers, provider("https://idp.example/b")), CREATED),
        row(OF_A, "change B's identity provider", put(one_provider.clone(), provider("https://idp.example/c")), HIDDEN),
        row(
            &[BAdmin, Platform],
            "change B's identity provider",
            put(one_provider.clone(), provider("https://idp.example/d")),
            OK,
        ),
        row(OF_A, "delete B's identity provider", delete(one_provider.clone()), HIDDEN),
        row(&[Platform], "delete B's identity provider", delete(one_provider), NO_CONTENT),
        row(OF_A, "make B's SCIM token", send(Method::POST, scim_token.clone()), DENIED),
        row(OF_A, "revoke B's SCIM token", send(Method::DELETE, scim_token.clone()), DENIED),
        row(&[BMember, BHr], "make B's SCIM token", send(Method::POST, scim_token.clone()), DENIED),
        row(&[BAdmin, Platform], "make B's SCIM token", send(Method::POST, scim_token.clone()), CREATED),
        row(&[BAdmin], "revoke B's SCIM token", send(Method::DELETE, scim_token), NO_CONTENT),
        // B itself, its people and their roles.
        row(OF_A, "rename B", put(format!("/api/v1/organisations/{b}"), region.clone()), DENIED),
        row(&[BAdmin, Platform], "rename B", put(format!("/api/v1/organisations/{b}"), region), OK),
        row(OF_A, "read a unit of B", get(format!("/api/v1/units/{}", w.unit)), HIDDEN),
        row(&[BMember, BAnalyst, BAdmin, Platform], "read a unit of B", get(format!("/api/v1/units/{}", w.unit)), OK),
        row(OF_A, "rename a unit of B", put(format!("/api/v1/units/{}", w.unit), unit.clone()), HIDDEN),
        row(&[BMember, BHr], "rename a unit of B", put(format!("/api/v1/units/{}", w.unit), unit.clone()), DENIED),
        row(&[BAdmin], "rename a unit of B", put(format!("/api/v1/units/{}", w.unit), unit.clone()), OK),
        row(OF_A, "add a unit to B", post(format!("/api/v1/organisations/{b}/units"), unit.clone()), DENIED),
        row(&[BAdmin], "add a unit to B", post(format!("/api/v1/organisations/{b}/units"), unit), CREATED),
        row(OF_A, "add a person to B", post("/api/v1/people".into(), newcomer.clone()), DENIED),
        row(&[BHr], "add a person to B", post("/api/v1/people".into(), newcomer.clone()), DENIED),
        row(&[BAdmin], "add a person to B", post("/api/v1/people".into(), newcomer), CREATED),
        row(OF_A, "change a person of B", put(person.clone(), changed.clone()), HIDDEN),
        row(&[BHr], "change a person of B", put(person.clone(), changed.clone()), DENIED),
        row(&[BAdmin, Platform], "change a person of B", put(person.clone(), changed), OK),
        row(OF_A, "grant a person of B a role in B", put(format!("{person}/roles"), analyst_of_b.clone()), HIDDEN),
        row(
            &[BHost, BHr],
            "grant a person of B a role in B",
            put(format!("{person}/roles"), analyst_of_b.clone()),
            DENIED,
        ),
        row(&[BAdmin], "grant a person of B a role in B", put(format!("{person}/roles"), analyst_of_b), OK),
        row(&[Host], "make a person of B a host of the host's lab", put(format!("{person}/roles"), lab_host), HIDDEN),
        row(
            ALL_OF_A,
            "grant a person of A a role in B",
            put(format!("/api/v1/people/{}/roles", net.aino.person.id), hr_of_b.clone()),
            DENIED,
        ),
        row(
            &[BAdmin],
            "grant a person of A a role in B",
            put(format!("/api/v1/people/{}/roles", net.aino.person.id), hr_of_b),
            HIDDEN,
        ),
        // Deciding and cancelling B's bookings.
        row(
            OF_A,
            "approve a booking waiting at B's office",
            post(format!("/api/v1/bookings/{pending}/approve"), json!({})),
            HIDDEN,
        ),
        row(
            OF_A,
            "decline a booking waiting at B's office",
            post(format!("/api/v1/bookings/{pending}/decline"), reason.clone()),
            HIDDEN,
        ),
        row(
            &[BAnalyst, BHr],
            "approve a booking waiting at B's office",
            post(format!("/api/v1/bookings/{pending}/approve"), json!({})),
            HIDDEN,
        ),
        row(
            &[BMember],
            "approve a booking waiting at B's office",
            post(format!("/api/v1/bookings/{pending}/approve"), json!({})),
            DENIED,
        ),
        row(
            &[Platform],
            "approve a booking waiting at B's office",
            post(format!("/api/v1/bookings/{pending}/approve"), json!({})),
            OK,
        ),
        row(
            &[BHost],
            "decline a booking waiting at B's office",
            post(format!("/api/v1/bookings/{pending}/decline"), reason),
            (409, "booking_not_pending"),
        ),
        row(OF_A, "cancel a booking at B's office", delete(booking.clone()), HIDDEN),
        row(&[BAnalyst, BHr], "cancel a booking at B's office", delete(booking.clone()), HIDDEN),
        row(&[BHost], "cancel a booking at B's office", delete(booking), OK),
        // Erasure, last: it ends Björn's bookings and roles.
        row(OF_A, "erase a person of B", post(format!("{person}/erase"), json!({})), HIDDEN),
        row(&[BHr, BHost], "erase a person of B", post(format!("{person}/erase"), json!({})), DENIED),
        row(&[Platform], "erase a person of B", post(format!("{person}/erase"), json!({})), OK),
        row(
            &[BAdmin],
            "erase a person of B",
            post(format!("{person}/erase"), json!({})),
            (409, "person_already_erased"),
        ),
    ]
}

/// Inside A: the analyst and HR read what the roles table says and change nothing; A's admin
/// shows that each refused request works for the right role.
async fn inside_a(w: &World) -> Vec<Row> {
    let net = &w.app.net;
    let a = net.agency.id;
    let aino = format!("/api/v1/people/{}", net.aino.person.id);
    let office = net.helsinki.id;
    let desk = &net.helsinki_desks[1];
    let booking = format!("/api/v1/bookings/{}", w.aino_booking);
    let by_person = format!("/api/v1/bookings?person={}", net.aino.person.id);
    let at_office = format!("/api/v1/bookings?site={office}");
    let site = renamed_site(w, Admin, &net.helsinki).await;
    let space = json!({"floor_id": desk.floor_id, "kind": "desk", "name": "Renamed", "bookable": true});
    let new_site = json!({"code": "new-office", "kind": "own_office", "organisation_id": a,
        "name": {"fi": "Uusi", "sv": "Ny", "en": "New"}, "address": "Katu 2",
        "municipality": "FI-111", "opening_hours": {"mon": {"opens": "08:00", "closes": "16:00"}}});
    let agency = json!({"code": "agency", "name": {"en": "Renamed"}, "kind": "state_agency", "country": "FI"});
    let newcomer = json!({"organisation_id": a, "name": "New", "email": "new@agency.example"});
    let changed = json!({"organisation_id": a, "name": "Renamed", "email": "aino@agency.example"});
    let analyst_of_a = json!([{"role": "analyst", "organisation_id": a}]);
    let lab_host = json!([{"role": "site_host", "site_id": net.lab.id}]);
    let office_host = json!([{"role": "site_host", "site_id": net.lab.id}, {"role": "site_host", "site_id": office}]);
    let lab_host_and_analyst =
        json!([{"role": "site_host", "site_id": net.lab.id}, {"role": "analyst", "organisation_id": a}]);
    let for_aino =
        json!({"space_id": desk.id, "date": "2026-11-26", "period": "full_day", "person_id": net.aino.person.id});
    let approve = format!("/api/v1/bookings/{}/approve", w.aino_pending);
    vec![
        // What they read.
        row(READERS, "read A's utilisation", get(utilisation(a)), OK),
        row(&[Member, Host], "read A's utilisation", get(utilisation(a)), DENIED),
        row(&[Member, Host, Analyst, Hr], "list A's people", get(format!("/api/v1/people?organisation={a}")), OK),
        row(READERS, "read a colleague", get(aino.clone()), OK),
        row(READERS, "read a colleague's roles", get(format!("{aino}/roles")), OK),
        row(&[Host, Analyst, Hr], "download a colleague's data", get(format!("{aino}/export")), DENIED),
        row(&[Admin], "download a colleague's data", get(format!("{aino}/export")), OK),
        row(READERS, "list a colleague's bookings", get(by_person.clone()), HIDDEN),
        row(&[Admin], "list a colleague's bookings", get(by_person), OK),
        row(READERS, "read a colleague's booking", get(booking.clone()), HIDDEN),
        row(&[Admin], "read a colleague's booking", get(booking.clone()), OK),
        row(READERS, "list the bookings at A's office", get(at_office.clone()), DENIED),
        row(&[Admin], "list the bookings at A's office", get(at_office), OK),
        row(READERS, "read A's audit log", get(format!("/api/v1/organisations/{a}/audit")), DENIED),
        row(&[Admin], "read A's audit log", get(format!("/api/v1/organisations/{a}/audit")), OK),
        row(
            READERS,
            "list A's identity providers",
            get(format!("/api/v1/organisations/{a}/identity-providers")),
            HIDDEN,
        ),
        row(&[Admin], "list A's identity providers", get(format!("/api/v1/organisations/{a}/identity-providers")), OK),
        // What they may not change.
        row(
            READERS,
            "make A's SCIM token",
            send(Method::POST, format!("/api/v1/organisations/{a}/scim-token")),
            DENIED,
        ),
        row(READERS, "change A's office", put(format!("/api/v1/sites/{office}"), site.clone()), DENIED),
        row(&[Admin], "change A's office", put(format!("/api/v1/sites/{office}"), site), OK),
        row(READERS, "change a desk at A's office", put(format!("/api/v1/spaces/{}", desk.id), space.clone()), DENIED),
        row(&[Admin], "change a desk at A's office", put(format!("/api/v1/spaces/{}", desk.id), space), OK),
        row(READERS, "create a site for A", post("/api/v1/sites".into(), new_site.clone()), DENIED),
        row(&[Admin], "create a site for A", post("/api/v1/sites".into(), new_site), CREATED),
        row(READERS, "rename A", put(format!("/api/v1/organisations/{a}"), agency.clone()), DENIED),
        row(&[Admin], "rename A", put(format!("/api/v1/organisations/{a}"), agency), OK),
        row(READERS, "add a person to A", post("/api/v1/people".into(), newcomer.clone()), DENIED),
        row(&[Admin], "add a person to A", post("/api/v1/people".into(), newcomer), CREATED),
        row(READERS, "change a colleague", put(aino.clone(), changed.clone()), DENIED),
        row(&[Admin], "change a colleague", put(aino.clone(), changed), OK),
        // A site's host hands on the host role of their site, and no other role.
        row(&[Host], "make a colleague a host of the host's lab", put(format!("{aino}/roles"), lab_host.clone()), OK),
        row(&[Host], "make a colleague a host of A's office", put(format!("{aino}/roles"), office_host), DENIED),
        row(&[Host], "make a colleague an analyst of A", put(format!("{aino}/roles"), lab_host_and_analyst), DENIED),
        row(READERS, "make a colleague a host of the lab", put(format!("{aino}/roles"), lab_host), DENIED),
        row(READERS, "grant a colleague a role", put(format!("{aino}/roles"), analyst_of_a.clone()), DENIED),
        row(&[Admin], "grant a colleague a role", put(format!("{aino}/roles"), analyst_of_a), OK),
        row(READERS, "book for a colleague", post("/api/v1/bookings".into(), for_aino.clone()), DENIED),
        row(&[Admin], "book for a colleague", post("/api/v1/bookings".into(), for_aino), CREATED),
        row(READERS, "approve a colleague's booking waiting at A's office", post(approve.clone(), json!({})), HIDDEN),
        row(&[Admin], "approve a colleague's booking waiting at A's office", post(approve, json!({})), OK),
        row(READERS, "cancel a colleague's booking", delete(booking.clone()), HIDDEN),
        row(&[Admin], "cancel a colleague's booking", delete(booking), OK),
        row(READERS, "erase a colleague", post(format!("{aino}/erase"), json!({})), DENIED),
        row(&[Admin], "erase a colleague", post(format!("{aino}/erase"), json!({})), OK),
    ]
}

/// Runs each row for each of its people, in order; answers how many requests were made and
/// what failed, each failure naming its row.
async fn run(w: &World, rows: Vec<Row>) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut count = 0;
    let mut before = snapshot(w).await;
    for row in rows {
        for &who in row.who {
            count += 1;
            let Call { method, path, body } = &row.call;
            let reply = w.app.call(method.clone(), path, Some(&w.who(who).token), body.clone()).await;
            let got = (reply.status.as_u16(), reply.code());
            if got != row.expect {
                let body: String = reply.body.to_string().chars().take(300).collect();
                failures.push(format!("{who}: {}: expected {:?}, got {got:?} {body}", row.what, row.expect));
            }
            let after = snapshot(w).await;
            if row.expect.0 >= 400 && after != before {
                failures.push(format!("{who}: {}: refused, yet changed {}", row.what, changes(&before, &after)));
            }
            before = after;
        }
    }
    (count, failures)
}

async fn through_the_api(app: TestApp) {
    let w = world(app).await;
    let (across, mut failures) = run(&w, across_organisations(&w).await).await;
    let (inside, more) = run(&w, inside_a(&w).await).await;
    failures.extend(more);
    assert!(failures.is_empty(), "{} of {} requests failed:\n{}", failures.len(), across + inside, failures.join("\n"));
    w.app.finish().await;
}

#[tokio::test]
async fn every_role_of_one_organisation_is_refused_anothers_private_things_through_the_api() {
    through_the_api(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn every_role_of_one_organisation_is_refused_anothers_private_things_through_the_api_on_postgres() {
    if let Some(app) = TestApp::postgres().await {
        through_the_api(app).await;
    }
}

// Through the pages

const PASSWORD: &str = "correct horse battery";

/// (who, what, a page or a form, the expected answer), through a signed-in browser; the form
/// gets the session's CSRF secret. A refusal is a page that shows the error code.
struct PageRow {
    who: &'static [As],
    what: &'static str,
    path: String,
    /// `None` opens the page; a form is posted.
    form: Option<Vec<(&'static str, String)>>,
    expect: Answer,
    /// Text that must be on the page, and text that must not.
    shows: String,
    lacks: String,
}

impl PageRow {
    fn showing(mut self, text: impl Into<String>) -> Self {
        self.shows = text.into();
        self
    }

    fn lacking(mut self, text: impl Into<String>) -> Self {
        self.lacks = text.into();
        self
    }
}

fn open(who: &'static [As], what: &'static str, path: String, expect: Answer) -> PageRow {
    PageRow { who, what, path, form: None, expect, shows: String::new(), lacks: String::new() }
}

fn submit(
    who: &'static [As],
    what: &'static str,
    path: String,
    form: &[(&'static str, &str)],
    expect: Answer,
) -> PageRow {
    let form = form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    PageRow { who, what, path, form: Some(form), expect, shows: String::new(), lacks: String::new() }
}

const SEE_OTHER: Answer = (303, "");
const PAGE_OK: Answer = (200, "");

/// The host page's site form, filled in: renamed, open on weekdays.
const SITE_FORM: &[(&str, &str)] = &[
    ("name_fi", "Vallattu"),
    ("name_sv", "Övertagen"),
    ("name_en", "Taken over"),
    ("mon_opens", "07:00"),
    ("mon_closes", "20:00"),
    ("tue_opens", "07:00"),
    ("tue_closes", "20:00"),
    ("wed_opens", "07:00"),
    ("wed_closes", "20:00"),
    ("thu_opens", "07:00"),
    ("thu_closes", "20:00"),
    ("fri_opens", "07:00"),
    ("fri_closes", "20:00"),
    ("sat_closed", "on"),
    ("sun_closed", "on"),
    ("who", "owner_only"),
];

#[expect(clippy::too_many_lines, reason = "one table, read top to bottom")]
fn page_rows(w: &World) -> Vec<PageRow> {
    let net = &w.app.net;
    let office = net.ostersund.id;
    let desk = net.ostersund_desks[0].id.to_string();
    let floor = net.ostersund_desks[0].floor_id.to_string();
    let site = SITE_FORM;
    let (confirmed, pending) = (&w.confirmed, &w.pending);
    let book = [("space_id", desk.as_str()), ("date", "2026-11-26"), ("period", "full_day")];
    let a_office = net.helsinki.id;
    let a_site = [("name_fi", "Vallattu"), ("name_sv", "Övertagen"), ("name_en", "Taken over")];
    vec![
        // B's office on the host pages: it does not exist for A.
        open(OF_A, "list the sites one runs", "/host".into(), PAGE_OK).lacking(format!("/host/sites/{office}")),
        open(&[BHost, Platform], "list the sites one runs", "/host".into(), PAGE_OK)
            .showing(format!("/host/sites/{office}")),
        open(OF_A, "open B's office's host page", format!("/host/sites/{office}"), HIDDEN),
        open(&[BHost, Platform], "open B's office's host page", format!("/host/sites/{office}"), PAGE_OK),
        submit(OF_A, "rename B's office", format!("/host/sites/{office}"), site, HIDDEN),
        submit(&[BHost], "rename B's office", format!("/host/sites/{office}"), site, SEE_OTHER),
        submit(
            OF_A,
            "add a floor to B's office",
            format!("/host/sites/{office}/floors"),
            &[("floor_name", "Attic"), ("level", "9")],
            HIDDEN,
        ),
        submit(
            &[Platform],
            "add a floor to B's office",
            format!("/host/sites/{office}/floors"),
            &[("floor_name", "Attic"), ("level", "9")],
            SEE_OTHER,
        ),
        submit(
            OF_A,
            "add a space to B's office",
            format!("/host/sites/{office}/spaces"),
            &[("floor_id", &floor), ("name", "B9"), ("kind", "desk"), ("bookable", "on")],
            HIDDEN,
        ),
        submit(
            &[BHost],
            "add a space to B's office",
            format!("/host/sites/{office}/spaces"),
            &[("floor_id", &floor), ("name", "B9"), ("kind", "desk"), ("bookable", "on")],
            SEE_OTHER,
        ),
        submit(
            OF_A,
            "rename B's desk",
            format!("/host/spaces/{desk}"),
            &[("name", "Taken"), ("bookable", "on")],
            HIDDEN,
        ),
        submit(
            &[Platform],
            "rename B's desk",
            format!("/host/spaces/{desk}"),
            &[("name", "Taken"), ("bookable", "on")],
            SEE_OTHER,
        ),
        // B's audit log.
        open(OF_A, "read B's audit log", format!("/admin/audit?organisation={}", net.region.id), DENIED),
        open(
            &[BAdmin, Platform],
            "read B's audit log",
            format!("/admin/audit?organisation={}", net.region.id),
            PAGE_OK,
        ),
        // B's owner-only office: shown, but not bookable by anyone of A.
        open(ALL_OF_A, "see B's owner-only office", format!("/sites/{office}?date=2026-11-26"), PAGE_OK)
            .lacking("action=\"/book\""),
        submit(ALL_OF_A, "book B's owner-only office", "/book".into(), &book, NOT_OPEN),
        submit(&[BMember], "book B's owner-only office", "/book".into(), &book, SEE_OTHER),
        submit(ALL_OF_A, "register at B's owner-only office", format!("/sites/{office}/register"), &[], NOT_OPEN),
        submit(&[BMember], "register at B's owner-only office", format!("/sites/{office}/register"), &[], SEE_OTHER),
        // Deciding and cancelling B's bookings.
        submit(
            OF_A,
            "approve a booking waiting at B's office",
            format!("/host/bookings/{pending}/approve"),
            &[],
            HIDDEN,
        ),
        submit(
            OF_A,
            "decline a booking waiting at B's office",
            format!("/host/bookings/{pending}/decline"),
            &[("reason", "Not for you.")],
            HIDDEN,
        ),
        submit(
            &[BMember],
            "decline a booking waiting at B's office",
            format!("/host/bookings/{pending}/decline"),
            &[("reason", "Not for you.")],
            DENIED,
        ),
        submit(
            &[BHost],
            "decline a booking waiting at B's office",
            format!("/host/bookings/{pending}/decline"),
            &[("reason", "Not for you.")],
            SEE_OTHER,
        ),
        submit(OF_A, "cancel a booking at B's office", format!("/bookings/{confirmed}/cancel"), &[], HIDDEN),
        submit(&[BHost], "cancel a booking at B's office", format!("/bookings/{confirmed}/cancel"), &[], SEE_OTHER),
        // Inside A: the analyst and HR host nothing and read no audit log.
        open(READERS, "open A's office's host page", format!("/host/sites/{a_office}"), HIDDEN),
        open(&[Admin], "open A's office's host page", format!("/host/sites/{a_office}"), PAGE_OK),
        submit(READERS, "rename A's office", format!("/host/sites/{a_office}"), &a_site, HIDDEN),
        open(&[Member, Host, Analyst, Hr], "read A's audit log", "/admin/audit".into(), DENIED),
        open(&[Admin], "read A's audit log", "/admin/audit".into(), PAGE_OK),
        submit(
            READERS,
            "approve a colleague's booking waiting at A's office",
            format!("/host/bookings/{}/approve", w.aino_pending),
            &[],
            HIDDEN,
        ),
        submit(READERS, "cancel a colleague's booking", format!("/bookings/{}/cancel", w.aino_booking), &[], HIDDEN),
        submit(
            &[Admin],
            "approve a colleague's booking waiting at A's office",
            format!("/host/bookings/{}/approve", w.aino_pending),
            &[],
            SEE_OTHER,
        ),
    ]
}

#[tokio::test]
async fn every_role_of_one_organisation_is_refused_anothers_private_things_through_the_pages() {
    let w = world(TestApp::sqlite().await).await;
    let everyone = [Member, Host, Admin, Analyst, Hr, Platform, BMember, BHost, BAdmin];
    let mut browsers = Vec::new();
    for who in everyone {
        let person = w.who(who);
        with_password(&w.app, person, PASSWORD).await;
        let mut browser = Browser::new(&w.app);
        let signed_in = browser.sign_in(person.person.email.as_str(), PASSWORD).await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{who} signs in");
        let csrf = hidden(&browser.get("/week").await.html, "csrf");
        browsers.push((who, browser, csrf));
    }
    let mut failures = Vec::new();
    let mut count = 0;
    let mut before = snapshot(&w).await;
    for row in page_rows(&w) {
        for who in row.who {
            count += 1;
            let (_, browser, csrf) = browsers.iter_mut().find(|(b, _, _)| b == who).unwrap();
            let page = match &row.form {
                None => browser.get(&row.path).await,
                Some(form) => {
                    let mut fields: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
                    fields.extend(form.iter().map(|(k, v)| (*k, v.as_str())));
                    browser.post(&row.path, &fields).await
                }
            };
            let (status, code) = row.expect;
            let shows_code = code.is_empty() || page.html.contains(&format!("<code>{code}</code>"));
            if page.status.as_u16() != status || !shows_code {
                let html: String = page.html.chars().take(300).collect();
                failures.push(format!("{who}: {}: expected {:?}, got {} {html}", row.what, row.expect, page.status));
            }
            if !row.lacks.is_empty() && page.html.contains(&row.lacks) {
                failures.push(format!("{who}: {}: the page offers {}", row.what, row.lacks));
            }
            if !page.html.contains(&row.shows) {
                failures.push(format!("{who}: {}: the page does not offer {}", row.what, row.shows));
            }
            let after = snapshot(&w).await;
            if status >= 400 && after != before {
                failures.push(format!("{who}: {}: refused, yet changed {}", row.what, changes(&before, &after)));
            }
            before = after;
        }
    }
    assert!(failures.is_empty(), "{} of {count} pages failed:\n{}", failures.len(), failures.join("\n"));
    drop(browsers);
    w.app.finish().await;
}
