//! A person's own pages: "My home" and the download of their own data.
//!
//! "My home": a person gives the municipality they live in (never an address), or in Finland a
//! postal code that hubnet turns into its municipality, from whose centre Find and the
//! recommendations measure distances; or removes it. A refused form comes back as typed.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hubnet_domain::MunicipalityCode;
use serde::Deserialize;

use crate::error::AppError;
use crate::geography;
use crate::people::error::PersonError;
use crate::state::AppState;
use crate::web::page::{Choice, Chrome, Tr, error_message, error_page, municipality_name, render, render_with};
use crate::web::session::WebSession;

/// The pages, merged into [`crate::web::router`].
pub fn router() -> Router<AppState> {
    Router::new().route("/me/home", get(home_page).post(save_home)).route("/me/data", get(my_data))
}

#[derive(Template)]
#[template(path = "me_home.html")]
struct HomePage {
    page: Chrome,
    municipalities: Vec<Choice>,
    postal_code: String,
    /// The postal code field is what was refused.
    postal_code_invalid: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct HomeQuery {
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct HomeForm {
    csrf: String,
    municipality: String,
    #[serde(default)]
    postal_code: String,
}

fn home(session: &WebSession, selected: Option<MunicipalityCode>, postal_code: String) -> HomePage {
    let language = session.language();
    let t = Tr(language);
    let mut municipalities: Vec<Choice> = geography::municipalities()
        .iter()
        .map(|m| Choice {
            value: m.code.to_string(),
            label: format!(
                "{} ({})",
                municipality_name(m, language),
                t.get(&format!("web-country-{}", m.code.country().code()))
            ),
            selected: selected == Some(m.code),
        })
        .collect();
    municipalities.sort_by(|a, b| a.label.cmp(&b.label));
    municipalities
        .insert(0, Choice { value: String::new(), label: t.get("web-home-none"), selected: selected.is_none() });
    let page = Chrome::new(language, "web-home-title", Some(session), "/me/home", "");
    HomePage { page, municipalities, postal_code, postal_code_invalid: false }
}

async fn home_page(session: WebSession, Query(query): Query<HomeQuery>) -> Response {
    let t = Tr(session.language());
    let mut page = home(&session, session.principal.person.home_municipality, String::new());
    if query.notice.as_deref() == Some("saved") {
        let saved = session.principal.person.home_municipality.and_then(geography::municipality);
        page.page = page.page.success(match saved {
            Some(m) => t.with("web-home-saved-in", "municipality", municipality_name(m, t.0)),
            None => t.get("web-home-removed"),
        });
    }
    render(&page)
}

/// Saves the home the form gives: the postal code, when one is typed, decides the municipality.
async fn save_home(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Form(form): Form<HomeForm>,
) -> Response {
    if let Err(error) = session.check_csrf(&form.csrf) {
        return error_page(&headers, Some(&session), &error);
    }
    let chosen = form.municipality.trim();
    let parsed: Option<MunicipalityCode> = chosen.parse().ok();
    let result = async {
        let municipality = match form.postal_code.trim() {
            "" if chosen.is_empty() => None,
            "" => Some(parsed.ok_or_else(|| AppError::invalid("municipality", "not a municipality code"))?),
            code => super::home_municipality(None, Some(code))?,
        };
        super::set_home(&state, &session.principal, municipality).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/me/home?notice=saved").into_response(),
        Err(error) => {
            let t = Tr(session.language());
            let mut page = home(&session, parsed, form.postal_code.trim().to_owned());
            page.postal_code_invalid = matches!(error.problem(), Some(PersonError::UnknownPostalCode(_)));
            page.page = page.page.error(error_message(t, &error));
            render_with(error.status(), &page)
        }
    }
}

/// The person's own data as a JSON file to download (the same as `GET /api/v1/me/export`).
async fn my_data(State(state): State<AppState>, headers: HeaderMap, session: WebSession) -> Response {
    match super::my_data(&state, &session.principal).await {
        Ok(data) => (
            [
                (axum::http::header::CONTENT_TYPE, "application/json"),
                (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"hubnet-my-data.json\""),
                (axum::http::header::CACHE_CONTROL, "no-store"),
            ],
            axum::Json(data),
        )
            .into_response(),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}
