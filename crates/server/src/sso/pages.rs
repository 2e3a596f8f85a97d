//! The organisation's single sign-on identity providers as a page, for its admins: the providers
//! with the redirect URI to register at each, a form to add one, and per provider a form to
//! change it and one to remove it. Every change goes through the same functions as the API
//! (`crate::sso`), so checks, validation and the audit log are the same.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hubnet_domain::{IdentityProviderId, OrganisationId};
use serde::Deserialize;

use super::{ProviderInput, ProviderView};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::page::{Choice, Chrome, Fields, Tr, checked, error_message, error_page, field};
use crate::web::session::WebSession;

/// The page, merged into [`crate::web::router`].
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/sso", get(sso_page).post(save_sso))
}

/// A provider's fields as a form shows them: never its secret.
#[derive(Debug, Default, Clone)]
pub struct ProviderForm {
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    /// Comma-separated.
    pub email_domains: String,
    /// The field the last attempt was refused for, if it was this form's.
    pub invalid: Option<String>,
}

impl ProviderForm {
    fn of(view: &ProviderView) -> Self {
        let p = &view.provider;
        Self {
            name: p.name.clone(),
            issuer: p.issuer.clone(),
            client_id: p.client_id.clone(),
            email_domains: p.email_domains.join(", "),
            invalid: None,
        }
    }

    /// What was typed, without the secret.
    fn read(fields: &Fields) -> Self {
        let text = |name| field(fields, name).unwrap_or_default().to_owned();
        Self {
            name: text("name"),
            issuer: text("issuer"),
            client_id: text("client_id"),
            email_domains: text("email_domains"),
            invalid: None,
        }
    }

    /// Whether the attempt was refused for this field.
    pub fn bad(&self, name: &str) -> bool {
        self.invalid.as_deref() == Some(name)
    }

    /// The API's input: the domains split at commas, an empty secret left out (on a change, the
    /// stored one stays).
    fn input(&self, secret: &str) -> ProviderInput {
        ProviderInput {
            name: self.name.clone(),
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret: (!secret.is_empty()).then(|| secret.to_owned()),
            email_domains: self
                .email_domains
                .split(',')
                .filter(|d| !d.trim().is_empty())
                .map(|d| d.trim().to_owned())
                .collect(),
        }
    }
}

pub struct ProviderRow {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub email_domains: String,
    pub redirect_uri: String,
    pub has_client_secret: bool,
    pub form: ProviderForm,
    /// Removal was asked without ticking the confirmation.
    pub confirm_invalid: bool,
}

#[derive(Template)]
#[template(path = "admin_sso.html")]
struct SsoPage {
    page: Chrome,
    organisations: Vec<Choice>,
    organisation: String,
    providers: Vec<ProviderRow>,
    new: ProviderForm,
}

#[derive(Debug, Default, Deserialize)]
pub struct SsoQuery {
    organisation: Option<String>,
    notice: Option<String>,
}

/// What the admin sent, when the page comes back to them refused.
enum Typed {
    Nothing,
    Add(ProviderForm),
    Change(IdentityProviderId, ProviderForm),
    Remove(IdentityProviderId),
}

async fn sso_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Query(query): Query<SsoQuery>,
) -> Response {
    answer(&state, &headers, &session, &query, Typed::Nothing, None).await
}

/// Adds, changes (`provider` and `save`) or removes (`provider` and `remove`, with `confirm`
/// ticked) a provider. A refusal comes back with what was typed, except the secret, and why.
async fn save_sso(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Form(fields): Form<Fields>,
) -> Response {
    let organisation = match crate::web::admin::administered(&session, &fields) {
        Ok(organisation) => organisation,
        Err(error) => return error_page(&headers, Some(&session), &error),
    };
    let Ok(provider) = field(&fields, "provider").map(str::parse::<IdentityProviderId>).transpose() else {
        return error_page(&headers, Some(&session), &AppError::NotFound);
    };
    let (typed, result) = apply(&state, &headers, &session, organisation, provider, &fields).await;
    match result {
        Ok((organisation, notice)) => {
            Redirect::to(&format!("/admin/sso?organisation={organisation}&notice={notice}")).into_response()
        }
        Err(error @ (AppError::NotFound | AppError::AccessDenied)) => error_page(&headers, Some(&session), &error),
        Err(error) => {
            let query = SsoQuery { organisation: Some(organisation.to_string()), notice: None };
            answer(&state, &headers, &session, &query, typed, Some(&error)).await
        }
    }
}

/// Adds, changes or removes as the form asks, through the API's functions: what was typed, and
/// the changed provider's organisation and the notice to show, or why not.
async fn apply(
    state: &AppState,
    headers: &HeaderMap,
    session: &WebSession,
    organisation: OrganisationId,
    provider: Option<IdentityProviderId>,
    fields: &Fields,
) -> (Typed, Result<(OrganisationId, &'static str), AppError>) {
    let me = &session.principal;
    let secret = field(fields, "client_secret").unwrap_or_default();
    match provider {
        None => {
            let form = ProviderForm::read(fields);
            let result = super::add(state, me, organisation, form.input(secret), headers).await;
            (Typed::Add(form), result.map(|v| (v.provider.organisation_id, "added")))
        }
        Some(id) if field(fields, "remove").is_some() => {
            let result = if checked(fields, "confirm") {
                super::remove(state, me, id).await.map(|p| (p.organisation_id, "removed"))
            } else {
                Err(AppError::invalid("confirm", "tick to confirm the removal"))
            };
            (Typed::Remove(id), result)
        }
        Some(id) => {
            let form = ProviderForm::read(fields);
            let result = super::replace(state, me, id, form.input(secret), headers).await;
            (Typed::Change(id, form), result.map(|v| (v.provider.organisation_id, "saved")))
        }
    }
}

/// The page, with what was typed and a refusal when there is one (then with its status).
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    session: &WebSession,
    query: &SsoQuery,
    typed: Typed,
    error: Option<&AppError>,
) -> Response {
    crate::web::page::form_answer(headers, session, page(state, headers, session, query, typed, error).await, error)
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    session: &WebSession,
    query: &SsoQuery,
    typed: Typed,
    error: Option<&AppError>,
) -> Result<SsoPage, AppError> {
    let me = &session.principal;
    let language = session.language();
    let t = Tr(language);
    // Another organisation's providers do not exist for this admin (404).
    let (organisations, organisation) = crate::web::admin::pick_organisation(
        state,
        session,
        query.organisation.as_deref(),
        |o| me.administers(o),
        AppError::NotFound,
    )
    .await?;
    let chosen = organisation.id;
    let invalid = match error {
        Some(AppError::InvalidInput { field, .. }) => Some(field.clone()),
        _ => None,
    };
    let mut new = ProviderForm::default();
    let providers = super::list(state, me, chosen, headers)
        .await?
        .iter()
        .map(|view| {
            let p = &view.provider;
            let mut form = ProviderForm::of(view);
            let mut confirm_invalid = false;
            match &typed {
                Typed::Change(id, typed) if *id == p.id => {
                    form = ProviderForm { invalid: invalid.clone(), ..typed.clone() };
                }
                Typed::Remove(id) if *id == p.id => confirm_invalid = invalid.as_deref() == Some("confirm"),
                _ => {}
            }
            ProviderRow {
                id: p.id.to_string(),
                name: p.name.clone(),
                issuer: p.issuer.clone(),
                client_id: p.client_id.clone(),
                email_domains: p.email_domains.join(", "),
                redirect_uri: view.redirect_uri.clone(),
                has_client_secret: view.has_client_secret,
                form,
                confirm_invalid,
            }
        })
        .collect();
    if let Typed::Add(typed) = typed {
        new = ProviderForm { invalid, ..typed };
    }
    let here = format!("/admin/sso?organisation={chosen}");
    let mut page = Chrome::new(language, "web-idp-title", Some(session), &here, "sso");
    if let Some(error) = error {
        page = page.error(message(t, error));
    } else if let Some(notice @ ("added" | "saved" | "removed")) = query.notice.as_deref() {
        page = page.success(t.get(&format!("web-idp-{notice}")));
    }
    Ok(SsoPage { page, organisations, organisation: chosen.to_string(), providers, new })
}

/// A refusal in words, the field named as this page's form names it.
fn message(t: Tr, error: &AppError) -> String {
    let key = match error {
        AppError::InvalidInput { field, .. } => match field.as_str() {
            "name" => "web-idp-name",
            "issuer" => "web-idp-issuer",
            "client_id" => "web-idp-client-id",
            "client_secret" => "web-idp-client-secret",
            "email_domains" => "web-idp-email-domains",
            "confirm" => return t.get("web-idp-confirm-missing"),
            _ => return error_message(t, error),
        },
        _ => return error_message(t, error),
    };
    t.with("invalid_input", "field", &t.get(key))
}
