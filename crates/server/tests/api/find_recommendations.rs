//! "Recommended for you" on the Find page: the places a person may use on the chosen date,
//! ranked by their organisation's policy, each with its reasons in words, in fi, sv and en.

use axum::http::StatusCode;

use crate::helpers::{TestApp, brunflo_hub, karin, regional_rule, site_asks_for_approval, write_region_policy};
use crate::web::{Browser, hidden, with_password};

const PASSWORD: &str = "correct horse battery";

/// The recommendations section of a Find page, with the entities askama escapes decoded.
fn recommended(html: &str) -> String {
    let start = html.find("id=\"recommended\"").unwrap_or_else(|| panic!("no recommendations in {html}"));
    let section = &html[start..];
    let section = &section[..section.find("</section>").unwrap()];
    section.replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&")
}

/// The places of a part of the section, in the order shown.
fn items(part: &str) -> Vec<&str> {
    part.split("<li class=\"recommendation\"").skip(1).collect()
}

/// The space a place's Book button books, if it has one.
fn booked_space(item: &str) -> Option<String> {
    item.contains("name=\"space_id\"").then(|| hidden(item, "space_id"))
}

#[tokio::test]
async fn the_own_office_comes_first_as_the_rule_prefers_and_the_nearby_hub_is_refused_with_why_in_three_languages() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    brunflo_hub(&app).await;
    // Someone of the agency works at the region's Åre hub that day: Karin sees that another
    // organisation is there, not who.
    let aino = app.book_day(&net.aino, &net.hub_desks[0], "2026-11-24").await;
    assert_eq!(aino.status, StatusCode::CREATED, "{}", aino.body);
    let path = format!("/api/v1/organisations/{}/policy", net.region.id);
    let written = app.post(&path, &net.region_admin, regional_rule("2026-11-23")).await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.body);

    with_password(&app, &karin, PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(karin.person.email.as_str(), PASSWORD).await;
    let ostersund_desks: Vec<String> = net.ostersund_desks.iter().map(|d| d.id.to_string()).collect();
    let mut last = String::new();
    for (language, title, preferred, allowed, others, hub, start, end) in [
        (
            "sv",
            "Rekommenderat för dig",
            "Föredras enligt din organisations regler",
            "Tillåten enligt din organisations regler",
            "Personer från en annan organisation har bokat där",
            "Brunflo hubb",
            "Inte tillåten enligt din organisations regler</strong>: Ditt eget kontor ostersund sv ligger ",
            " km från ditt hem; coworkinghubbar är till för dem som bor mer än 70 km bort.",
        ),
        (
            "fi",
            "Suositellut paikat sinulle",
            "Ensisijainen organisaatiosi sääntöjen mukaan",
            "Sallittu organisaatiosi sääntöjen mukaan",
            "Paikalla on väkeä yhdestä muusta organisaatiosta",
            "Brunflon hubi",
            "Ei sallittu organisaatiosi sääntöjen mukaan</strong>: Oma toimistosi ostersund fi on ",
            " km:n päässä kodistasi; yhteistyötilat ovat niille, jotka asuvat yli 70 km:n päässä.",
        ),
        (
            "en",
            "Recommended for you",
            "Preferred by your organisation's rules",
            "Allowed by your organisation's rules",
            "People from one other organisation booked there",
            "Brunflo hub",
            "Not allowed by your organisation's rules</strong>: Your own office ostersund en is ",
            " km from your home; co-working hubs are for those living over 70 km away.",
        ),
    ] {
        if language != "sv" {
            let csrf = hidden(&last, "csrf");
            let switched = browser.post("/language", &[("csrf", &csrf), ("lang", language), ("next", "/find")]).await;
            assert_eq!(switched.status, StatusCode::SEE_OTHER);
        }
        let page = browser.get("/find?date=2026-11-24").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(page.html.contains(&format!("<html lang=\"{language}\">")));
        let section = recommended(&page.html);
        assert!(section.contains(&format!("<h2 id=\"recommended-heading\">{title}</h2>")), "{section}");
        let (shown, refused) = section.split_once("<details").unwrap_or_else(|| panic!("nothing refused: {section}"));

        // First the own office, preferred, with a desk to book; then the region's own hub in Åre.
        let shown = items(shown);
        assert_eq!(shown.len(), 2, "{section}");
        assert!(shown[0].starts_with(" value=\"1\""), "{}", shown[0]);
        assert!(shown[0].contains(&format!("ostersund {language}")), "{}", shown[0]);
        assert!(shown[0].contains(preferred), "{}", shown[0]);
        assert!(ostersund_desks.contains(&booked_space(shown[0]).unwrap()), "{}", shown[0]);
        assert!(shown[1].contains(&format!("hub-are {language}")), "{}", shown[1]);
        assert!(shown[1].contains(allowed) && !shown[1].contains(preferred), "{}", shown[1]);
        assert!(shown[1].contains(others), "{}", shown[1]);
        assert_eq!(booked_space(shown[1]), Some(net.hub_desks[1].id.to_string()), "Aino has the first desk");
        assert!(!section.contains(&net.aino.person.name), "who is there stays private");

        // Then, collapsed, the agency's hub in Brunflo that the rule refuses, with the rule's words.
        let refused = items(refused);
        assert_eq!(refused.len(), 1, "{section}");
        assert!(refused[0].starts_with(" value=\"3\""), "{}", refused[0]);
        assert!(refused[0].contains(hub), "{}", refused[0]);
        let at = refused[0].find(start).unwrap_or_else(|| panic!("{language}: {}", refused[0]));
        let rest = &refused[0][at + start.len()..];
        let km: u32 = rest[..rest.find(end).unwrap_or_else(|| panic!("{language}: {rest}"))].parse().unwrap();
        assert!(km <= 5, "{km}");
        assert_eq!(booked_space(refused[0]), None, "a refused place has no Book button");
        last = page.html;
    }

    // The Book button books the own office's desk.
    let section = recommended(&last);
    let space = booked_space(items(&section)[0]).unwrap();
    let csrf = hidden(&last, "csrf");
    let booked = browser
        .post("/book", &[("csrf", &csrf), ("space_id", &space), ("date", "2026-11-24"), ("period", "full_day")])
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.html);
    assert!(booked.location.starts_with("/week?notice=booked"), "{}", booked.location);
    let again = recommended(&browser.get("/find?date=2026-11-24").await.html);
    assert!(items(&again)[0].contains("One desk free"), "{again}");
    app.finish().await;
}

#[tokio::test]
async fn without_a_policy_the_places_are_ranked_by_distance_with_a_note_that_there_are_no_rules() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    // The region has a policy; the agency has none. Aino, of the agency, lives in Heinola.
    write_region_policy(&app, regional_rule("2026-11-23")).await;
    with_password(&app, &net.aino, PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(net.aino.person.email.as_str(), PASSWORD).await;
    let page = browser.get("/find?date=2026-11-24").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let section = recommended(&page.html);
    assert!(section.contains("Suositellut paikat sinulle"), "{section}");
    assert!(
        section.contains("Organisaatiosi ei ole asettanut työpaikkoja koskevia sääntöjä, joten paikat on järjestetty etäisyyden mukaan kodistasi."),
        "{section}"
    );
    assert!(!section.contains("<details"), "nothing is refused: {section}");
    // The shared lab lies a little nearer Heinola than the agency's office; nothing of the region.
    let shown = items(&section);
    assert_eq!(shown.len(), 2, "{section}");
    assert!(shown[0].contains("lab fi") && shown[0].contains("yhteinen toimisto"), "{}", shown[0]);
    assert!(shown[1].contains("helsinki fi"), "{}", shown[1]);
    for item in &shown {
        assert!(!item.contains("recommendation__standing"), "no rule to name: {item}");
        assert!(item.contains(" km kodistasi") && item.contains("Ei kustannuksia työnantajallesi"), "{item}");
        assert!(booked_space(item).is_some(), "{item}");
    }
    assert!(!section.contains("ostersund") && !section.contains("hub-are"), "{section}");
    app.finish().await;
}

#[tokio::test]
async fn a_place_that_needs_approval_says_so_with_the_rules_words_and_its_button_asks_for_approval() {
    let app = TestApp::sqlite().await;
    let karin = karin(&app).await;
    let (hub, desk) = brunflo_hub(&app).await;
    let rule =
        serde_json::json!({"valid_from": "2026-11-23", "rules": [{"rule": "hub_approval", "applies_to": "everyone"}]});
    write_region_policy(&app, rule).await;
    with_password(&app, &karin, PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(karin.person.email.as_str(), PASSWORD).await;
    let page = browser.get("/find?date=2026-11-24").await;
    let section = recommended(&page.html);
    assert!(!section.contains("<details"), "nothing is refused: {section}");
    let shown = items(&section);
    let at_hub = shown.iter().find(|item| item.contains(&format!("/sites/{hub}?"))).expect("the Brunflo hub is listed");
    assert!(
        at_hub.contains(
            "Kräver godkännande av din organisation</strong>: Din organisation godkänner dagar på coworkinghubbar i förväg."
        ),
        "{at_hub}"
    );
    // Its button asks for approval, and says so to a screen reader too.
    assert_eq!(booked_space(at_hub).as_deref(), Some(desk.as_str()), "{at_hub}");
    assert!(at_hub.contains("aria-label=\"Be om godkännande att boka H1 på Brunflo hubb\""), "{at_hub}");
    assert!(at_hub.contains(">Be om godkännande</span>") && !at_hub.contains(">Boka</span>"), "{at_hub}");
    // The own office is allowed (no distance rule here, so not preferred) and comes first.
    assert!(shown[0].contains("ostersund sv") && shown[0].contains("Tillåten enligt din organisations regler"));
    assert!(shown[0].contains(">Boka</span>"), "{}", shown[0]);

    // Asking books the desk, waiting for the region's approval.
    let csrf = hidden(&page.html, "csrf");
    let asked = browser
        .post("/book", &[("csrf", &csrf), ("space_id", &desk), ("date", "2026-11-24"), ("period", "full_day")])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.html);
    let week = browser.get(&asked.location).await;
    assert!(week.html.contains("Väntar på godkännande av din organisation"), "{}", week.html);
    let mine = app.get("/api/v1/bookings", &karin).await;
    let mine = mine.body.as_array().unwrap();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(
        (mine[0]["space_id"].as_str(), mine[0]["status"].as_str()),
        (Some(desk.as_str()), Some("pending_approval"))
    );
    app.finish().await;
}

/// The week plan of a Find page: its rows, each from its day heading on, entities decoded.
fn plan_rows(html: &str) -> Vec<String> {
    let start = html.find("id=\"plan\"").unwrap_or_else(|| panic!("no week plan in {html}"));
    let section = &html[start..];
    let section = &section[..section.find("</section>").unwrap()];
    let body = &section[section.find("<tbody>").unwrap()..];
    body.split("<th scope=\"row\">")
        .skip(1)
        .map(|row| row.replace("&#x27;", "'").replace("&#39;", "'").replace("&amp;", "&"))
        .collect()
}

#[tokio::test]
async fn the_week_plan_shows_each_remaining_day_where_karin_is_booked_or_the_best_place_with_a_book_button() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    brunflo_hub(&app).await;
    write_region_policy(&app, regional_rule("2026-11-23")).await;
    // Karin is booked at the office on Wednesday.
    let wednesday = app.book_day(&karin, &net.ostersund_desks[1], "2026-11-25").await;
    assert_eq!(wednesday.status, StatusCode::CREATED, "{}", wednesday.body);
    with_password(&app, &karin, PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(karin.person.email.as_str(), PASSWORD).await;

    // Asked on Tuesday in the week of Monday 23 November, "today": Monday to Friday, no weekend
    // (nothing near Östersund opens then).
    let page = browser.get("/find?date=2026-11-24").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("<h2 id=\"plan-heading\">Din vecka</h2>"), "{}", page.html);
    let rows = plan_rows(&page.html);
    assert_eq!(rows.len(), 5, "{rows:#?}");
    for (row, day) in rows.iter().zip(["Måndag 2026-11-23", "Tisdag", "Onsdag", "Torsdag", "Fredag 2026-11-27"]) {
        assert!(row.starts_with(day), "{row}");
    }
    // Wednesday says where she is booked; the other days offer the office the rule prefers, never
    // the hub it refuses, with a button that books that day.
    assert!(rows[2].contains("Bokad: B2, ostersund sv") && !rows[2].contains("name=\"space_id\""), "{}", rows[2]);
    for (row, date) in [(&rows[1], "2026-11-24"), (&rows[3], "2026-11-26")] {
        assert!(row.contains("ostersund sv") && row.contains("Föredras enligt din organisations regler"), "{row}");
        assert!(!row.contains("Brunflo"), "{row}");
        assert!(row.contains(&format!("name=\"date\" value=\"{date}\"")), "{row}");
        assert!(row.contains(&format!("href=\"/find?date={date}\">Alla platser den dagen")), "{row}");
    }
    // The hub is open on Tuesday and its refusal is what keeps it out of the plan.
    let week = app.get("/api/v1/recommendations/week?date=2026-11-24", &karin).await;
    let tuesday = week.body["days"][1]["places"].as_array().unwrap().clone();
    let brunflo = tuesday.iter().find(|p| p["name"]["sv"] == "Brunflo hubb").expect("the hub on Tuesday");
    assert_eq!(brunflo["verdict"]["verdict"], "refused", "{brunflo}");
    let thursday_desk = hidden(&rows[3], "space_id");
    assert_eq!(thursday_desk, net.ostersund_desks[0].id.to_string());

    // Booking Thursday from the plan books Thursday; the plan then says so.
    let csrf = hidden(&page.html, "csrf");
    let booked = browser
        .post("/book", &[("csrf", &csrf), ("space_id", &thursday_desk), ("date", "2026-11-26"), ("period", "full_day")])
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.html);
    let rows = plan_rows(&browser.get("/find?date=2026-11-24").await.html);
    assert!(rows[3].contains("Bokad: B1, ostersund sv"), "{}", rows[3]);

    // Next week's plan starts on Monday and is in the language chosen.
    let csrf = hidden(&page.html, "csrf");
    let switched = browser.post("/language", &[("csrf", &csrf), ("lang", "en"), ("next", "/find")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let following = browser.get("/find?date=2026-12-02").await;
    assert!(following.html.contains("<h2 id=\"plan-heading\">Your week</h2>"), "{}", following.html);
    let rows = plan_rows(&following.html);
    assert_eq!(rows.len(), 5, "{rows:#?}");
    assert!(rows[0].starts_with("Monday 30 Nov 2026") && rows[4].starts_with("Friday 4 Dec 2026"), "{rows:#?}");
    assert!(rows[0].contains("Preferred by your organisation's rules"), "{}", rows[0]);
    app.finish().await;
}

#[tokio::test]
async fn a_place_whose_host_approves_bookings_gets_an_ask_button_without_any_policy() {
    let app = TestApp::sqlite().await;
    let karin = karin(&app).await;
    let (hub, _) = brunflo_hub(&app).await;
    site_asks_for_approval(&app, &hub).await;
    with_password(&app, &karin, PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(karin.person.email.as_str(), PASSWORD).await;
    let section = recommended(&browser.get("/find?date=2026-11-24").await.html);
    let shown = items(&section);
    let at_hub = shown.iter().find(|item| item.contains(&format!("/sites/{hub}?"))).expect("the Brunflo hub is listed");
    assert!(at_hub.contains(">Be om godkännande</span>"), "{at_hub}");
    assert!(shown.iter().any(|item| item.contains("ostersund sv") && item.contains(">Boka</span>")), "{section}");
    app.finish().await;
}
