//! People: their records, roles and API tokens, a person's home and own data, and erasure. People
//! are personal data: a person is visible to themself, to colleagues in the same organisation and
//! to its admins and HR; to nobody else. An admin's or HR's read of someone else is audited.
//!
//! The use cases both faces need live here (a home from a municipality or a postal code, a
//! person's own data); `api.rs` is the JSON API, `pages.rs` the My home page and the download of
//! one's own data.

pub mod api;
pub mod error;
pub mod pages;

use crate::error::AppError;
use crate::people::error::PersonError;
use crate::state::AppState;
use chrono::DateTime;
use chrono::Utc;
use hubnet_domain::Person;
use hubnet_domain::Principal;
use hubnet_domain::Role;
use hubnet_domain::TokenId;
use serde::Serialize;
use utoipa::ToSchema;

/// The home municipality a person gave: the one named, or the one a Finnish postal code lies in
/// (when both are given they must agree).
pub fn home_municipality(
    municipality: Option<hubnet_domain::MunicipalityCode>,
    postal_code: Option<&str>,
) -> Result<Option<hubnet_domain::MunicipalityCode>, AppError> {
    let Some(code) = postal_code.map(str::trim).filter(|c| !c.is_empty()) else { return Ok(municipality) };
    let area = crate::geography::postal_area(code)
        .ok_or_else(|| AppError::from(PersonError::UnknownPostalCode(code.to_owned())))?;
    match municipality {
        Some(named) if named != area.municipality => {
            Err(PersonError::PostalCodeElsewhere { postal_code: code.to_owned(), municipality: named }.into())
        }
        _ => Ok(Some(area.municipality)),
    }
}

/// Gives `me` the home municipality (its centre as the point), or none: for the API and the page.
pub async fn set_home(
    state: &AppState,
    me: &Principal,
    municipality: Option<hubnet_domain::MunicipalityCode>,
) -> Result<Person, AppError> {
    let home = match municipality {
        Some(code) => Some(
            crate::geography::municipality(code)
                .ok_or_else(|| AppError::invalid("municipality", "hubnet knows no such municipality"))?
                .centre,
        ),
        None => None,
    };
    let person = Person { home_municipality: municipality, home, ..me.person.clone() };
    state.store.people().save_person(&person).await?;
    Ok(person)
}

/// Everything hubnet keeps about the caller: their record, roles and organisation, every booking
/// they hold (cancelled and past ones too) and their API tokens (never the secrets).
#[derive(Debug, Serialize, ToSchema)]
pub struct MyData {
    pub exported_at: DateTime<Utc>,
    pub person: Person,
    pub roles: Vec<Role>,
    pub organisation: hubnet_domain::Organisation,
    pub bookings: Vec<hubnet_domain::Booking>,
    pub tokens: Vec<TokenView>,
}

/// The most bookings one export holds.
const EXPORT_BOOKINGS: u32 = 100_000;

/// What hubnet keeps about the signed-in person, for them to download.
pub async fn my_data(state: &AppState, me: &Principal) -> Result<MyData, AppError> {
    person_data(state, &me.person, me.roles.clone()).await
}

/// What hubnet keeps about a person.
async fn person_data(state: &AppState, person: &Person, roles: Vec<Role>) -> Result<MyData, AppError> {
    let bookings = state
        .store
        .bookings()
        .list_bookings(&hubnet_store::BookingFilter {
            person: Some(person.id),
            active_only: false,
            limit: EXPORT_BOOKINGS,
            ..hubnet_store::BookingFilter::default()
        })
        .await?;
    let tokens = state.store.tokens().list_tokens(person.id).await?;
    Ok(MyData {
        exported_at: state.now(),
        person: person.clone(),
        roles,
        organisation: state.store.organisations().get_organisation(person.organisation_id).await?,
        bookings,
        tokens: tokens
            .into_iter()
            .map(|t| TokenView { id: t.id, label: t.label, created_at: t.created_at, revoked_at: t.revoked_at })
            .collect(),
    })
}

/// An API token as listed: never its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    #[schema(value_type = String, format = Uuid)]
    pub id: TokenId,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}
