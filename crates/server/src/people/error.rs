//! What a person's own data answers when it is refused: a home postal code hubnet does not know or
//! that lies elsewhere, and erasing someone already erased.

use axum::http::StatusCode;
use hubnet_domain::{LocalizedText, MunicipalityCode};

use crate::error::{Arg, ErrorPayload, Problem};

#[derive(Debug, thiserror::Error)]
pub enum PersonError {
    /// No Finnish postal code like this in Posti's file.
    #[error("unknown Finnish postal code {0}")]
    UnknownPostalCode(String),
    /// The postal code lies in another municipality than the one given with it.
    #[error("postal code {postal_code} is not in {municipality}")]
    PostalCodeElsewhere { postal_code: String, municipality: MunicipalityCode },
    #[error("the person has already been erased")]
    AlreadyErased,
}

impl Problem for PersonError {
    fn status(&self) -> StatusCode {
        match self {
            Self::UnknownPostalCode(_) | Self::PostalCodeElsewhere { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::AlreadyErased => StatusCode::CONFLICT,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::UnknownPostalCode(_) => "unknown_postal_code",
            Self::PostalCodeElsewhere { .. } => "postal_code_in_another_municipality",
            Self::AlreadyErased => "person_already_erased",
        }
    }

    fn describe(&self, payload: &mut ErrorPayload) {
        match self {
            Self::UnknownPostalCode(code) => {
                payload.field("postal_code").arg("postal_code", Arg::Text(code.clone()));
            }
            Self::PostalCodeElsewhere { postal_code, municipality } => {
                payload.field("postal_code").arg("postal_code", Arg::Text(postal_code.clone()));
                let names = |code: MunicipalityCode| {
                    let (fi, sv) = crate::geography::municipality(code).map_or_else(
                        || (code.to_string(), code.to_string()),
                        |m| (m.name_fi.clone(), m.name_sv.clone()),
                    );
                    LocalizedText { en: fi.clone(), fi, sv }
                };
                payload.arg("municipality", Arg::Localized(names(*municipality)));
                if let Some(area) = crate::geography::postal_area(postal_code) {
                    payload.arg("actual", Arg::Localized(names(area.municipality)));
                }
            }
            Self::AlreadyErased => {}
        }
    }
}
