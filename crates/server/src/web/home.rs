//! "My home": a person gives the municipality they live in (never an address), from whose centre
//! Find and the recommendations measure distances, or removes it.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::find::{Choice, municipality_name};
use super::page::{Chrome, Tr, error_page, render};
use super::session::WebSession;
use crate::AppState;
use crate::error::AppError;
use crate::geography;

#[derive(Template)]
#[template(path = "me_home.html")]
struct HomePage {
    page: Chrome,
    municipalities: Vec<Choice>,
}

#[derive(Debug, Default, Deserialize)]
pub struct HomeQuery {
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct HomeForm {
    csrf: String,
    municipality: String,
}

pub async fn home_page(session: WebSession, Query(query): Query<HomeQuery>) -> Response {
    let language = session.language();
    let t = Tr(language);
    let current = session.principal.person.home_municipality;
    let mut municipalities: Vec<Choice> = geography::municipalities()
        .iter()
        .map(|m| Choice {
            value: m.code.to_string(),
            label: format!(
                "{} ({})",
                municipality_name(m, language),
                t.get(&format!("web-country-{}", m.code.country().code()))
            ),
            selected: current == Some(m.code),
        })
        .collect();
    municipalities.sort_by(|a, b| a.label.cmp(&b.label));
    municipalities
        .insert(0, Choice { value: String::new(), label: t.get("web-home-none"), selected: current.is_none() });
    let mut page = Chrome::new(language, "web-home-title", Some(&session), "/me/home", "");
    if query.notice.as_deref() == Some("saved") {
        page = page.success(t.get("web-home-saved"));
    }
    render(&HomePage { page, municipalities })
}

pub async fn save_home(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Form(form): Form<HomeForm>,
) -> Response {
    let result = async {
        session.check_csrf(&form.csrf)?;
        let municipality = match form.municipality.trim() {
            "" => None,
            code => Some(code.parse().map_err(|_| AppError::invalid("municipality", "not a municipality code"))?),
        };
        crate::api::people::set_home(&state, &session.principal, municipality).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/me/home?notice=saved").into_response(),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}
