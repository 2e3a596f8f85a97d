//! "Recommended for you" on the Find page: the places a person may use on the chosen date,
//! ranked by their organisation's policy, each with its reasons in words, in fi, sv and en.

use axum::http::StatusCode;

use crate::helpers::{TestApp, brunflo_hub, karin, regional_rule};
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
    let path = format!("/api/v1/organisations/{}/policy", net.region.id);
    assert_eq!(app.post(&path, &net.region_admin, regional_rule("2026-11-23")).await.status, StatusCode::CREATED);
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
async fn a_place_that_needs_approval_says_so_with_the_rules_words_and_offers_no_plain_book_button() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let karin = karin(&app).await;
    let (hub, _) = brunflo_hub(&app).await;
    let path = format!("/api/v1/organisations/{}/policy", net.region.id);
    let rule =
        serde_json::json!({"valid_from": "2026-11-23", "rules": [{"rule": "hub_approval", "applies_to": "everyone"}]});
    assert_eq!(app.post(&path, &net.region_admin, rule).await.status, StatusCode::CREATED);
    with_password(&app, &karin, PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(karin.person.email.as_str(), PASSWORD).await;
    let section = recommended(&browser.get("/find?date=2026-11-24").await.html);
    assert!(!section.contains("<details"), "nothing is refused: {section}");
    let shown = items(&section);
    let at_hub = shown.iter().find(|item| item.contains(&format!("/sites/{hub}?"))).expect("the Brunflo hub is listed");
    assert!(
        at_hub.contains(
            "Kräver godkännande av din organisation</strong>: Din organisation godkänner dagar på coworkinghubbar i förväg."
        ),
        "{at_hub}"
    );
    assert_eq!(booked_space(at_hub), None, "{at_hub}");
    // The own office is allowed (no distance rule here, so not preferred) and comes first.
    assert!(shown[0].contains("ostersund sv") && shown[0].contains("Tillåten enligt din organisations regler"));
    assert!(booked_space(shown[0]).is_some());
    app.finish().await;
}
