//! What the admin pages share: the organisation picker (own organisation first) and the check that
//! a posted admin form's CSRF secret holds and its organisation is the person's to administer.

use hubnet_domain::OrganisationId;

use super::page::{Choice, Fields, field};
use super::session::WebSession;
use crate::error::AppError;
use crate::state::AppState;

/// The organisations an admin page offers (those `allowed`), own organisation first, then by
/// name, as choices; and the one the query asks for (the first by default). Another answers
/// `refused`.
pub async fn pick_organisation(
    state: &AppState,
    session: &WebSession,
    asked: Option<&str>,
    allowed: impl Fn(OrganisationId) -> bool,
    refused: AppError,
) -> Result<(Vec<Choice>, hubnet_domain::Organisation), AppError> {
    let me = &session.principal;
    let language = session.language();
    let mut offered: Vec<_> =
        state.store.organisations().list_organisations().await?.into_iter().filter(|o| allowed(o.id)).collect();
    offered.sort_by_key(|o| (o.id != me.organisation_id(), o.name.get(language).to_owned()));
    let chosen: OrganisationId = match asked.filter(|o| !o.is_empty()) {
        Some(id) => id.parse().map_err(|_| AppError::NotFound)?,
        None => offered.first().map(|o| o.id).ok_or(AppError::AccessDenied)?,
    };
    let choices = offered
        .iter()
        .map(|o| Choice { value: o.id.to_string(), label: o.name.get(language).to_owned(), selected: o.id == chosen })
        .collect();
    let organisation = offered.into_iter().find(|o| o.id == chosen).ok_or(refused)?;
    Ok((choices, organisation))
}

/// The organisation an admin page's posted form is for, once its CSRF secret holds and the
/// session's person administers it; another organisation's is not found (404).
pub fn administered(session: &WebSession, fields: &Fields) -> Result<OrganisationId, AppError> {
    session.check_csrf(field(fields, "csrf").unwrap_or_default())?;
    let organisation: OrganisationId =
        field(fields, "organisation").unwrap_or_default().parse().map_err(|_| AppError::NotFound)?;
    if !session.principal.administers(organisation) {
        return Err(AppError::NotFound);
    }
    Ok(organisation)
}
