//! Sharing on terms: a site's terms text, spaces and sites that ask for approval, and a host's
//! decision on a pending booking, through the API and through the pages.

use axum::http::StatusCode;
use hubnet_domain::{Language, LocalizedText};
use serde_json::{Value, json};

use crate::helpers::{TestApp, Who};
use crate::web::{Browser, hidden, with_password};

const PASSWORD: &str = "correct horse battery";

/// The lab asks for approval of every booking, and has terms in three languages.
async fn lab_with_approval(app: &TestApp) {
    let mut lab = app.net.lab.clone();
    lab.access.approval_required = true;
    lab.access.terms = LocalizedText {
        fi: "Pidä työpiste siistinä.\nPeru, jos et tule.".into(),
        sv: "Håll arbetsplatsen städad.\nAvboka om du inte kommer.".into(),
        en: "Keep your desk tidy.\nCancel if you are not coming.".into(),
    };
    app.store.sites().save_site(&lab).await.unwrap();
}

/// Books a desk at the lab for a whole day, as `who`; answers the booking's id.
async fn book_lab(app: &TestApp, who: &Who, desk: usize, date: &str) -> String {
    let booked = app.book_day(who, &app.net.lab_desks[desk], date).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    assert_eq!(booked.body["status"], "pending_approval");
    assert_eq!(booked.body["decision"], Value::Null);
    booked.body["id"].as_str().unwrap().to_owned()
}

async fn register(app: &TestApp, who: &Who) {
    app.store.sites().register(app.net.lab.id, who.person.id, crate::helpers::now()).await.unwrap();
}

#[tokio::test]
async fn a_host_approves_the_owners_admin_declines_and_the_booker_sees_why() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    lab_with_approval(&app).await;
    register(&app, &net.bjorn).await;
    let first = book_lab(&app, &net.bjorn, 0, "2026-11-24").await;
    let approve = format!("/api/v1/bookings/{first}/approve");

    // Nobody but the site's approvers decides: not a member of the owner who cannot see the
    // booking, not the booker, not an admin of the booker's organisation.
    assert_eq!(app.post(&approve, &net.aino, json!({})).await.status, StatusCode::NOT_FOUND);
    let own = app.post(&approve, &net.bjorn, json!({})).await;
    assert_eq!((own.status, own.code()), (StatusCode::FORBIDDEN, "access_denied"));
    let bookers_admin = app.post(&approve, &net.region_admin, json!({})).await;
    assert_eq!((bookers_admin.status, bookers_admin.code()), (StatusCode::FORBIDDEN, "access_denied"));
    let declined_by_bookers_admin =
        app.post(&format!("/api/v1/bookings/{first}/decline"), &net.region_admin, json!({"reason": "No"})).await;
    assert_eq!(declined_by_bookers_admin.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("/api/v1/bookings/{first}"), &net.bjorn).await.body["status"], "pending_approval");

    // The lab's host approves, once.
    let approved = app.post(&approve, &net.lab_host, json!({})).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(approved.body["status"], "confirmed");
    assert_eq!(approved.body["decision"]["decided_by"], json!(net.lab_host.person.id));
    assert_eq!(approved.body["decision"]["decided_at"], json!(crate::helpers::now()));
    assert_eq!(approved.body["decision"]["reason"], Value::Null);
    let again = app.post(&approve, &net.lab_host, json!({})).await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "booking_not_pending"));
    assert!(!again.message().is_empty());

    // An admin of the lab's owner declines the next one, with a reason; a reason is required.
    let second = book_lab(&app, &net.bjorn, 1, "2026-11-25").await;
    let decline = format!("/api/v1/bookings/{second}/decline");
    for reason in ["", "   ", &"x".repeat(501)] {
        let refused = app.post(&decline, &net.agency_admin, json!({"reason": reason})).await;
        assert_eq!((refused.status, refused.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"));
        assert_eq!(refused.body["error"]["field"], "reason");
    }
    assert_eq!(app.post(&decline, &net.agency_admin, json!({})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reason = "The lab is closed for a network day on Wednesday.";
    let declined = app.post(&decline, &net.agency_admin, json!({"reason": reason})).await;
    assert_eq!(declined.status, StatusCode::OK, "{}", declined.body);
    assert_eq!(
        (declined.body["status"].as_str(), declined.body["decision"]["reason"].as_str()),
        (Some("declined"), Some(reason))
    );

    // The booker sees the outcome, and the space is free again for someone else.
    let seen = app.get(&format!("/api/v1/bookings/{second}"), &net.bjorn).await;
    assert_eq!(
        (seen.body["status"].as_str(), seen.body["decision"]["reason"].as_str()),
        (Some("declined"), Some(reason))
    );
    let mine = app.get("/api/v1/bookings?mine=true&include_inactive=true", &net.bjorn).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 2);
    let aino = book_lab(&app, &net.aino, 1, "2026-11-25").await;
    let by_platform = app.post(&format!("/api/v1/bookings/{aino}/approve"), &net.platform, json!({})).await;
    assert_eq!(by_platform.body["status"], "confirmed", "{}", by_platform.body);

    // Decisions are in the audit log of the lab's owner and of the booker's organisation,
    // without the reason's words.
    for (organisation, admin) in [(&net.agency, &net.agency_admin), (&net.region, &net.region_admin)] {
        let log = app.get(&format!("/api/v1/organisations/{}/audit?limit=1000", organisation.id), admin).await;
        let entries = log.body.as_array().unwrap();
        let about = |id: &str, action: &str| entries.iter().any(|e| e["action"] == action && e["subject_id"] == id);
        assert!(about(&first, "booking.approved"), "{}: {}", organisation.code, log.body);
        assert!(about(&second, "booking.declined"), "{}: {}", organisation.code, log.body);
        assert!(!log.body.to_string().contains("network day"));
    }
    app.finish().await;
}

#[tokio::test]
async fn a_host_lists_the_pending_bookings_of_their_site_and_nobody_else_does() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    lab_with_approval(&app).await;
    register(&app, &net.bjorn).await;
    let first = book_lab(&app, &net.bjorn, 0, "2026-11-24").await;
    let second = book_lab(&app, &net.aino, 1, "2026-11-24").await;
    app.post(&format!("/api/v1/bookings/{second}/approve"), &net.lab_host, json!({})).await;
    let path = format!("/api/v1/bookings?site={}&status=pending_approval", net.lab.id);
    let listed = app.get(&path, &net.lab_host).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let ids: Vec<&str> = listed.body.as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![first.as_str()]);
    // Declined bookings are found by their status, without include_inactive.
    app.post(&format!("/api/v1/bookings/{first}/decline"), &net.lab_host, json!({"reason": "Full"})).await;
    let declined = app.get(&format!("/api/v1/bookings?site={}&status=declined", net.lab.id), &net.lab_host).await;
    assert_eq!(declined.body.as_array().unwrap().len(), 1, "{}", declined.body);
    for outsider in [&net.region_admin, &net.bjorn, &net.aino] {
        assert_eq!(app.get(&path, outsider).await.status, StatusCode::FORBIDDEN);
    }
    app.finish().await;
}

#[tokio::test]
async fn a_space_can_ask_for_approval_where_its_site_does_not_and_nobody_approves_their_own() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let desk = &net.helsinki_desks[0];
    let space = json!({"floor_id": desk.floor_id, "kind": "desk", "name": desk.name, "approval_required": true});
    let saved = app.put(&format!("/api/v1/spaces/{}", desk.id), &net.agency_admin, space).await;
    assert_eq!((saved.status, &saved.body["approval_required"]), (StatusCode::OK, &json!(true)), "{}", saved.body);
    let waiting = app.book_day(&net.aino, desk, "2026-11-24").await;
    assert_eq!(waiting.body["status"], "pending_approval", "{}", waiting.body);
    let next_to_it = app.book_day(&net.aino, &net.helsinki_desks[1], "2026-11-25").await;
    assert_eq!(next_to_it.body["status"], "confirmed");

    // The owner's admin books the desk for themself: another approver must decide.
    let own = app.book_day(&net.agency_admin, desk, "2026-11-25").await;
    let own_id = own.body["id"].as_str().unwrap();
    let refused = app.post(&format!("/api/v1/bookings/{own_id}/approve"), &net.agency_admin, json!({})).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::FORBIDDEN, "cannot_decide_own_booking"));
    let approved = app.post(&format!("/api/v1/bookings/{own_id}/approve"), &net.platform, json!({})).await;
    assert_eq!(approved.body["status"], "confirmed");
    app.finish().await;
}

#[tokio::test]
async fn a_sites_terms_are_kept_in_three_languages_and_a_refusal_leads_to_them() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let path = format!("/api/v1/sites/{}", net.lab.id);
    let mut site = app.get(&path, &net.lab_host).await.body;
    site.as_object_mut().unwrap().remove("id");
    site["access"]["terms"] = json!({"fi": "Ehdot.\n\nToinen kappale.", "sv": "Villkor.", "en": "Terms."});
    let saved = app.put(&path, &net.lab_host, site.clone()).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let read = app.get(&path, &net.bjorn).await;
    assert_eq!(read.body["access"]["terms"]["fi"], "Ehdot.\n\nToinen kappale.");
    assert_eq!(read.body["access"]["terms"]["sv"], "Villkor.");
    site["access"]["terms"]["en"] = json!("Bell\u{7}");
    let refused = app.put(&path, &net.lab_host, site.clone()).await;
    assert_eq!(
        (refused.status, refused.body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("terms"))
    );
    site["access"]["terms"]["en"] = json!("x".repeat(5001));
    assert_eq!(app.put(&path, &net.lab_host, site).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Booking before registering is refused, and the answer says where the terms are.
    let unregistered = app.book_day(&net.bjorn, &net.lab_desks[0], "2026-11-24").await;
    assert_eq!((unregistered.status, unregistered.code()), (StatusCode::UNPROCESSABLE_ENTITY, "registration_required"));
    let detail = unregistered.body["error"]["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("/api/v1/sites/{}/registration", net.lab.id)), "{detail}");
    app.finish().await;
}

#[tokio::test]
async fn a_host_approves_and_declines_through_the_page_and_the_booker_reads_why_on_my_week() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    lab_with_approval(&app).await;
    register(&app, &net.bjorn).await;
    let first = book_lab(&app, &net.bjorn, 0, "2026-11-24").await;
    let second = book_lab(&app, &net.bjorn, 1, "2026-11-25").await;
    with_password(&app, &net.lab_host, PASSWORD).await;
    let mut host = Browser::new(&app);
    host.sign_in(net.lab_host.person.email.as_str(), PASSWORD).await;

    // The host's own list says how many wait; the site's page lists them, the booker from
    // another organisation by their organisation only.
    let mine = host.get("/host").await;
    assert!(mine.html.contains("2 varausta odottaa hyväksyntää"), "{}", mine.html);
    let site_page = format!("/host/sites/{}", net.lab.id);
    let page = host.get(&site_page).await;
    assert!(page.html.contains(&format!("/host/bookings/{first}/approve")), "{}", page.html);
    assert!(page.html.contains(&format!("/host/bookings/{second}/decline")));
    assert!(page.html.contains("Hylkäyksen syy"), "the reason field is labelled");
    assert!(!page.html.contains(&net.bjorn.person.name) && page.html.contains("region"));
    let csrf = hidden(&page.html, "csrf");

    // Without the session's secret nothing happens.
    let forged = host.post(&format!("/host/bookings/{first}/approve"), &[("csrf", "guessed")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let approved = host.post(&format!("/host/bookings/{first}/approve"), &[("csrf", &csrf)]).await;
    assert_eq!(
        (approved.status, approved.location.as_str()),
        (StatusCode::SEE_OTHER, format!("{site_page}?notice=approved").as_str())
    );
    assert!(host.get(&approved.location).await.html.contains("Varaus on hyväksytty."));

    // A decline without a usable reason comes back with what was typed, and changes nothing.
    let decline = format!("/host/bookings/{second}/decline");
    let long = "Liian pitkä. ".repeat(40);
    let refused = host.post(&decline, &[("csrf", &csrf), ("booking", &second), ("reason", &long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(refused.html.contains("Hylkäyksen syy"), "the field is named by its label: {}", refused.html);
    assert!(refused.html.contains(&format!("value=\"{long}\"")) && refused.html.contains("aria-invalid"));
    let reason = "Labra on varattu verkostopäivälle.";
    let declined = host.post(&decline, &[("csrf", &csrf), ("booking", &second), ("reason", reason)]).await;
    assert_eq!(declined.location, format!("{site_page}?notice=declined"), "{}", declined.html);
    let again = host.post(&decline, &[("csrf", &csrf), ("booking", &second), ("reason", reason)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.html.contains("ei enää odota hyväksyntää"), "{}", again.html);
    assert!(host.get("/host").await.html.contains(&format!("/host/sites/{}\"", net.lab.id)));
    assert!(!host.get("/host").await.html.contains("odottaa hyväksyntää</strong>"));

    // Björn, reading in Swedish, sees both outcomes in words on My week.
    app.store.people().set_language(net.bjorn.person.id, Language::Sv).await.unwrap();
    with_password(&app, &net.bjorn, PASSWORD).await;
    let mut bjorn = Browser::new(&app);
    bjorn.sign_in(net.bjorn.person.email.as_str(), PASSWORD).await;
    let week = bjorn.get("/week").await;
    assert!(week.html.contains("Avslagen") && week.html.contains(&format!("Skäl: {reason}")), "{}", week.html);
    assert!(!week.html.contains("Väntar på godkännande"), "nothing waits any more");
    assert!(!week.html.contains(&format!("/bookings/{second}/cancel")), "a declined booking has nothing to cancel");
    assert!(week.html.contains(&format!("/bookings/{first}/cancel")));

    // Björn cannot decide through the pages, nor can his organisation's admin.
    let bjorn_csrf = hidden(&week.html, "csrf");
    let third = book_lab(&app, &net.bjorn, 0, "2026-11-26").await;
    let own = bjorn.post(&format!("/host/bookings/{third}/approve"), &[("csrf", &bjorn_csrf)]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    with_password(&app, &net.region_admin, PASSWORD).await;
    let mut admin = Browser::new(&app);
    admin.sign_in(net.region_admin.person.email.as_str(), PASSWORD).await;
    let admin_csrf = hidden(&admin.get("/week").await.html, "csrf");
    let by_admin = admin.post(&format!("/host/bookings/{third}/approve"), &[("csrf", &admin_csrf)]).await;
    assert_eq!(by_admin.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("/api/v1/bookings/{third}"), &net.bjorn).await.body["status"], "pending_approval");
    app.finish().await;
}

#[tokio::test]
async fn the_site_page_shows_the_terms_in_the_persons_language_with_an_i_accept_button() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    lab_with_approval(&app).await;
    app.store.people().set_language(net.bjorn.person.id, Language::Sv).await.unwrap();
    with_password(&app, &net.bjorn, PASSWORD).await;
    let mut bjorn = Browser::new(&app);
    bjorn.sign_in(net.bjorn.person.email.as_str(), PASSWORD).await;

    // Booking first is refused, and the refusal leads to the terms.
    let csrf = hidden(&bjorn.get("/week").await.html, "csrf");
    let desk = net.lab_desks[0].id.to_string();
    let booked = bjorn
        .post("/book", &[("csrf", &csrf), ("space_id", &desk), ("date", "2026-11-24"), ("period", "full_day")])
        .await;
    assert_eq!(booked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let to_terms = format!("/sites/{}#terms-heading", net.lab.id);
    assert!(booked.html.contains(&to_terms) && booked.html.contains("Läs platsens villkor"), "{}", booked.html);

    let page = bjorn.get(&format!("/sites/{}", net.lab.id)).await;
    assert!(
        page.html.contains(
            "<div id=\"terms\" lang=\"sv\"><p>Håll arbetsplatsen städad.</p><p>Avboka om du inte kommer.</p></div>"
        ),
        "{}",
        page.html
    );
    assert!(!page.html.contains("Pidä työpiste siistinä"));
    assert!(page.html.contains("Jag godkänner villkoren och registrerar mig"));
    let registered = bjorn
        .post(
            &format!("/sites/{}/register", net.lab.id),
            &[("csrf", &csrf), ("next", &format!("/sites/{}", net.lab.id))],
        )
        .await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER);
    assert!(app.store.sites().is_registered(net.lab.id, net.bjorn.person.id).await.unwrap());
    let after = bjorn.get(&format!("/sites/{}", net.lab.id)).await;
    assert!(after.html.contains("Du har godkänt villkoren") && !after.html.contains("Jag godkänner villkoren"));
    assert!(after.html.contains("Bokningar här väntar på att en värd godkänner dem."));

    // Now the booking goes through, and waits for a host, which My week says in words.
    let booked = bjorn
        .post("/book", &[("csrf", &csrf), ("space_id", &desk), ("date", "2026-11-24"), ("period", "full_day")])
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.html);
    let week = bjorn.get(&booked.location).await;
    assert!(week.html.contains("Begärd: L1") && week.html.contains("Väntar på godkännande"), "{}", week.html);

    // A site with terms only in Finnish shows them to an English reader, marked as Finnish.
    let path = format!("/api/v1/sites/{}", net.lab.id);
    let mut site = app.get(&path, &net.lab_host).await.body;
    site.as_object_mut().unwrap().remove("id");
    site["access"]["terms"] = json!({"fi": "Vain suomeksi."});
    assert_eq!(app.put(&path, &net.lab_host, site).await.status, StatusCode::OK);
    app.store.people().set_language(net.bjorn.person.id, Language::En).await.unwrap();
    let english = bjorn.get(&format!("/sites/{}", net.lab.id)).await;
    assert!(english.html.contains("<div id=\"terms\" lang=\"fi\"><p>Vain suomeksi.</p></div>"), "{}", english.html);
    app.finish().await;
}

#[tokio::test]
async fn a_host_writes_the_terms_and_marks_a_space_for_approval_through_the_page() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    with_password(&app, &net.lab_host, PASSWORD).await;
    let mut host = Browser::new(&app);
    host.sign_in(net.lab_host.person.email.as_str(), PASSWORD).await;
    let path = format!("/host/sites/{}", net.lab.id);
    let page = host.get(&path).await;
    let csrf = hidden(&page.html, "csrf");
    let mut fields = vec![("csrf", csrf.as_str()), ("name_fi", "lab fi"), ("name_sv", "lab sv"), ("name_en", "lab en")];
    fields.extend([("who", "network"), ("registration_required", "on")]);
    fields.extend([("terms_fi", "Ensimmäinen.\r\n\r\nToinen."), ("terms_sv", "Första."), ("terms_en", "")]);
    for day in ["mon", "tue", "wed", "thu", "fri"] {
        fields.push((Box::leak(format!("{day}_opens").into_boxed_str()), "07:00"));
        fields.push((Box::leak(format!("{day}_closes").into_boxed_str()), "20:00"));
    }
    for day in ["sat_closed", "sun_closed"] {
        fields.push((day, "on"));
    }
    let saved = host.post(&path, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let terms = app.store.sites().get_site(net.lab.id).await.unwrap().access.terms;
    assert_eq!(
        (terms.fi.as_str(), terms.sv.as_str(), terms.en.as_str()),
        ("Ensimmäinen.\r\n\r\nToinen.", "Första.", "")
    );
    assert!(host.get(&path).await.html.contains("Ensimmäinen.\r\n\r\nToinen.</textarea>"));

    let desk = &net.lab_desks[0];
    let space_form = [("csrf", csrf.as_str()), ("name", "L1"), ("bookable", "on"), ("approval_required", "on")];
    let saved = host.post(&format!("/host/spaces/{}", desk.id), &space_form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert!(app.store.sites().get_space(desk.id).await.unwrap().approval_required);
    assert!(host.get(&path).await.html.contains("vaatii hyväksynnän"));
    let site = host.get(&format!("/sites/{}", net.lab.id)).await;
    assert!(site.html.contains("<th scope=\"row\">L1</th><td>työpiste (vaatii hyväksynnän)</td>"), "{}", site.html);
    assert!(site.html.contains("<th scope=\"row\">L2</th><td>työpiste</td>"));
    app.finish().await;
}

#[tokio::test]
async fn an_import_sets_a_sites_terms_and_the_spaces_that_ask_for_approval() {
    let app = TestApp::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let sites = write(
        "sites.csv",
        "code,organisation,kind,name_en,address,municipality,opening_hours,access,registration_required,terms_fi,terms_sv,terms_en\n\
         pasila,agency,shared_office,Pasila lab,Ratapihantie 9,FI-091,mon-fri 07:00-20:00,network,true,\"Ehdot.\n\nToinen kappale.\",,Terms.\n",
    );
    let spaces = write(
        "spaces.csv",
        "site,floor,name,kind,capacity,approval_required\n\
         pasila,1,Sali,event_space,80,true\n\
         pasila,1,P1,desk,,\n",
    );
    let files = hubnet_server::import::Files { sites: Some(sites), spaces: Some(spaces), ..Default::default() };
    let code = hubnet_server::import::run(app.store.as_ref(), &files, false).await.unwrap();
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    let all = app.store.sites().list_sites(hubnet_store::Page { after: None, limit: 100 }).await.unwrap();
    let site = all.into_iter().find(|s| s.code.as_str() == "pasila").unwrap();
    assert!(site.access.registration_required);
    assert_eq!(
        (site.access.terms.fi.as_str(), site.access.terms.sv.as_str(), site.access.terms.en.as_str()),
        ("Ehdot.\n\nToinen kappale.", "", "Terms.")
    );
    let spaces = app.store.sites().list_spaces(site.id).await.unwrap();
    let approval: Vec<(&str, bool)> = spaces.iter().map(|s| (s.name.as_str(), s.approval_required)).collect();
    assert_eq!(approval, vec![("P1", false), ("Sali", true)]);
    app.finish().await;
}
