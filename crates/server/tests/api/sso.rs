//! Single sign-on: organisations' identity providers through the API, and the sign-in pages'
//! refusals. (The browser suite signs in through two real OpenID providers: `e2e/tests/sso`.)

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::web::Browser;

fn provider(issuer: &str) -> Value {
    json!({
        "name": "Agency (Entra ID)",
        "issuer": issuer,
        "client_id": "hubnet",
        "client_secret": "s3cret",
        "email_domains": ["Agency.example"],
    })
}

#[tokio::test]
async fn an_organisation_admin_keeps_the_providers_and_nobody_else_sees_them() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let list = format!("/api/v1/organisations/{}/identity-providers", net.agency.id);
    let issuer = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0";

    let created = app.post(&list, &net.agency_admin, provider(issuer)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = &created.body;
    assert_eq!(body["email_domains"], json!(["agency.example"]));
    assert_eq!(body["has_client_secret"], true);
    assert!(body.get("client_secret").is_none(), "{body}");
    assert!(!body.to_string().contains("s3cret"));
    assert!(body["redirect_uri"].as_str().unwrap().ends_with("/sign-in/sso/callback"));
    let one = format!("/api/v1/identity-providers/{}", body["id"].as_str().unwrap());

    // Others do not learn that it exists: a member, another organisation's admin.
    for who in [&net.aino, &net.region_admin] {
        assert_eq!(app.get(&list, who).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.post(&list, who, provider("https://idp.example/x")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.put(&one, who, provider(issuer)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.delete(&one, who).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(app.get(&list, &net.platform).await.body.as_array().unwrap().len(), 1);

    // Bad input is named; the same issuer twice is a conflict.
    for (field, bad) in [
        ("issuer", json!({"issuer": "http://idp.example"})),
        ("email_domains", json!({"email_domains": []})),
        ("client_id", json!({"client_id": " "})),
    ] {
        let mut input = provider("https://idp.example/t");
        for (k, v) in bad.as_object().unwrap() {
            input[k] = v.clone();
        }
        let refused = app.post(&list, &net.agency_admin, input).await;
        assert_eq!((refused.status, refused.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"), "{field}");
        assert_eq!(refused.body["error"]["field"], field);
    }
    let twice = app.post(&list, &net.agency_admin, provider(issuer)).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // Replacing it without a secret keeps the secret.
    let mut change = provider(issuer);
    change.as_object_mut().unwrap().remove("client_secret");
    change["name"] = json!("Agency");
    let replaced = app.put(&one, &net.agency_admin, change).await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
    assert_eq!(
        (replaced.body["name"].as_str(), replaced.body["has_client_secret"].as_bool()),
        (Some("Agency"), Some(true))
    );

    // The sign-in page offers it by name.
    let mut browser = Browser::new(&app);
    let page = browser.get("/sign-in").await;
    assert!(page.html.contains(">Agency</span></a>"), "{}", page.html);
    assert_eq!(app.delete(&one, &net.agency_admin).await.status, StatusCode::NO_CONTENT);
    assert!(!browser.get("/sign-in").await.html.contains(">Agency</span></a>"));

    // Each change is in the organisation's audit log, and the secret never is.
    let log = app.get(&format!("/api/v1/organisations/{}/audit", net.agency.id), &net.agency_admin).await;
    let actions: Vec<&str> = log.body.as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions[..3],
        ["identity_provider.deleted", "identity_provider.updated", "identity_provider.created"],
        "{}",
        log.body
    );
    assert_eq!(log.body[1]["detail"]["changed"], json!(["name"]));
    assert_eq!(log.body[1]["detail"]["client_secret_changed"], false);
    assert!(!log.body.to_string().contains("s3cret"));
    app.finish().await;
}

#[tokio::test]
async fn a_provider_that_cannot_be_reached_or_a_stray_answer_gets_a_page_that_says_so() {
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let list = format!("/api/v1/organisations/{}/identity-providers", net.agency.id);
    // Nothing listens on the discard port.
    let created = app.post(&list, &net.agency_admin, provider("http://127.0.0.1:9/tenant/v2.0")).await;
    let id = created.body["id"].as_str().unwrap();
    let mut browser = Browser::new(&app);
    let page = browser.get(&format!("/sign-in/sso/{id}?next=/find")).await;
    assert_eq!(page.status, StatusCode::BAD_GATEWAY);
    assert!(page.html.contains("sso_provider_failed"), "{}", page.html);

    // An answer without the flow this browser began, or with another state, signs nobody in.
    for path in ["/sign-in/sso/callback?code=x&state=y", "/sign-in/sso/callback?error=access_denied"] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(page.html.contains("sso_expired"), "{}", page.html);
    }
    browser.cookies.insert("hubnet_sso".into(), "bm90LWpzb24".into());
    let page = browser.get("/sign-in/sso/callback?code=x&state=y").await;
    assert!(page.html.contains("sso_expired"));
    assert_eq!(browser.get("/week").await.status, StatusCode::SEE_OTHER);

    // An unknown provider is not found.
    let page = browser.get("/sign-in/sso/0190f5d4-0000-7000-8000-000000000000").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test]
async fn the_regions_admin_keeps_its_providers_on_the_page_and_nobody_else_can() {
    use crate::web::{hidden, tag_with_id, with_password};
    let app = TestApp::sqlite().await;
    let net = &app.net;
    let region = net.region.id.to_string();
    let list = format!("/api/v1/organisations/{region}/identity-providers");
    let issuer = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0";
    let mut browser = crate::policies::region_admin_signed_in(&app).await;
    let page = browser.get(&format!("/admin/sso?organisation={region}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let csrf = hidden(&page.html, "csrf");
    let form = |name, issuer, secret, domains| {
        [
            ("csrf", csrf.clone()),
            ("organisation", region.clone()),
            ("name", String::from(name)),
            ("issuer", String::from(issuer)),
            ("client_id", "hubnet".to_owned()),
            ("client_secret", String::from(secret)),
            ("email_domains", String::from(domains)),
        ]
    };

    // Added through the page, it is listed with the redirect URI and without the secret.
    let fields = form("Region (Entra ID)", issuer, "s3cret", "region.example, Other.example").to_vec();
    let added = browser.post("/admin/sso", &pairs(&fields)).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    let page = browser.get(&added.location).await;
    assert!(page.html.contains("Kirjautumispalvelu on lisätty."), "{}", page.html);
    assert!(page.html.contains(issuer) && page.html.contains("region.example, other.example"), "{}", page.html);
    assert!(page.html.contains("/sign-in/sso/callback</code>"), "{}", page.html);
    assert!(!page.html.contains("s3cret"));
    let providers = app.get(&list, &net.region_admin).await.body;
    let id = providers[0]["id"].as_str().unwrap().to_owned();

    // A bad issuer is refused with what was typed (but the secret), and nothing is saved.
    let fields = form("Second", "not a url", "t0psecret", "second.example").to_vec();
    let refused = browser.post("/admin/sso", &pairs(&fields)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(tag_with_id(&refused.html, "new-issuer").contains("aria-invalid=\"true\""), "{}", refused.html);
    assert!(tag_with_id(&refused.html, "new-issuer").contains("value=\"not a url\""));
    assert!(tag_with_id(&refused.html, "new-name").contains("value=\"Second\""));
    assert!(!refused.html.contains("t0psecret"));
    assert!(refused.html.contains("Tarkista kenttä Myöntäjän osoite (issuer)"), "{}", refused.html);
    assert_eq!(app.get(&list, &net.region_admin).await.body.as_array().unwrap().len(), 1);

    // Changed with the secret left empty, the stored secret stays; a bad change saves nothing.
    let mut fields = form("Region", issuer, "", "region.example").to_vec();
    fields.extend([("provider", id.clone()), ("save", "1".to_owned())]);
    let changed = browser.post("/admin/sso", &pairs(&fields)).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
    let stored = app.store.sso().get_identity_provider(id.parse().unwrap()).await.unwrap();
    assert_eq!((stored.name.as_str(), stored.email_domains.clone()), ("Region", vec!["region.example".to_owned()]));
    assert_eq!(stored.client_secret.as_deref(), Some("s3cret"));
    let mut fields = form("Renamed", issuer, "", "not a domain").to_vec();
    fields.extend([("provider", id.clone()), ("save", "1".to_owned())]);
    let refused = browser.post("/admin/sso", &pairs(&fields)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(tag_with_id(&refused.html, &format!("p-{id}-email_domains")).contains("aria-invalid=\"true\""));
    assert!(tag_with_id(&refused.html, &format!("p-{id}-name")).contains("value=\"Renamed\""));
    assert_eq!(app.store.sso().get_identity_provider(id.parse().unwrap()).await.unwrap().name, "Region");

    // Another organisation's admin neither sees nor changes it.
    let mut other = Browser::new(&app);
    with_password(&app, &net.agency_admin, "another long password").await;
    other.sign_in(net.agency_admin.person.email.as_str(), "another long password").await;
    assert_eq!(other.get(&format!("/admin/sso?organisation={region}")).await.status, StatusCode::NOT_FOUND);
    let their_csrf = hidden(&other.get("/admin/sso").await.html, "csrf");
    for extra in [("save", "1"), ("remove", "1")] {
        let mut fields = form("Taken", issuer, "", "agency.example").to_vec();
        fields[0].1.clone_from(&their_csrf);
        fields.extend([("provider", id.clone()), (extra.0, extra.1.to_owned()), ("confirm", "on".to_owned())]);
        assert_eq!(other.post("/admin/sso", &pairs(&fields)).await.status, StatusCode::NOT_FOUND, "{extra:?}");
        // Nor by naming their own organisation with the region's provider.
        fields[1].1 = net.agency.id.to_string();
        assert_eq!(other.post("/admin/sso", &pairs(&fields)).await.status, StatusCode::NOT_FOUND, "{extra:?}");
    }
    assert_eq!(app.store.sso().get_identity_provider(id.parse().unwrap()).await.unwrap().name, "Region");

    // Removal asks for the confirmation first.
    let remove = [("csrf", csrf.clone()), ("organisation", region.clone()), ("provider", id.clone())];
    let mut fields = remove.to_vec();
    fields.push(("remove", "1".to_owned()));
    let refused = browser.post("/admin/sso", &pairs(&fields)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(tag_with_id(&refused.html, &format!("p-{id}-confirm")).contains("aria-invalid=\"true\""));
    assert_eq!(app.get(&list, &net.region_admin).await.body.as_array().unwrap().len(), 1);
    fields.push(("confirm", "on".to_owned()));
    let removed = browser.post("/admin/sso", &pairs(&fields)).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.html);
    assert_eq!(app.get(&list, &net.region_admin).await.body, json!([]));

    // The log has each change, as the API would have written it.
    let log = app.get(&format!("/api/v1/organisations/{region}/audit"), &net.region_admin).await;
    let actions: Vec<&str> = log.body.as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions[..3],
        ["identity_provider.deleted", "identity_provider.updated", "identity_provider.created"],
        "{}",
        log.body
    );
    assert_eq!(log.body[1]["detail"]["client_secret_changed"], false);
    assert!(!log.body.to_string().contains("s3cret"));
    app.finish().await;
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
