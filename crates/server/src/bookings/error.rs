//! What a booking answers when it is refused: the rules the domain's [`BookingError`] names (a
//! conflict, a closed site, ...) and [`BookingRefusal`], what the server refuses besides.

use axum::http::StatusCode;
use hubnet_domain::BookingError;

use crate::error::{Arg, ErrorPayload, Problem};

impl Problem for BookingError {
    fn status(&self) -> StatusCode {
        match self {
            Self::SiteNotOpenToYou => StatusCode::FORBIDDEN,
            Self::Conflict | Self::NotPending { .. } => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    fn code(&self) -> &'static str {
        Self::code(self)
    }

    fn describe(&self, payload: &mut ErrorPayload) {
        match self {
            Self::TooFarAhead { max_days } => {
                payload.arg("max_days", Arg::Number(i64::from(*max_days)));
            }
            Self::SiteClosed { date, holiday } => {
                payload.arg("date", Arg::Date(*date));
                if let Some(holiday) = holiday {
                    payload.message_key("site_closed_holiday");
                    payload.arg("holiday", Arg::Key(format!("holiday-{}", holiday.key())));
                }
            }
            Self::OutsideOpeningHours { hours } => {
                payload.arg("opens", Arg::Text(hours.opens.to_string()));
                payload.arg("closes", Arg::Text(hours.closes.to_string()));
            }
            // Where to read the terms and accept them.
            Self::RegistrationRequired { site_id } => {
                payload.detail(format!(
                    "read the terms in access.terms of GET /api/v1/sites/{site_id}, then accept them with \
                     POST /api/v1/sites/{site_id}/registration"
                ));
            }
            Self::NotPending { status } => {
                payload.detail(format!("the booking is {}", status.key()));
            }
            _ => {}
        }
    }
}

/// What the server refuses to do with a booking, besides the domain's rules.
#[derive(Debug, thiserror::Error)]
pub enum BookingRefusal {
    /// A booking that has ended cannot be cancelled.
    #[error("booking already ended")]
    AlreadyEnded,
    /// Whoever made or holds a booking cannot also approve or decline it.
    #[error("cannot decide one's own booking")]
    CannotDecideOwn,
}

impl Problem for BookingRefusal {
    fn status(&self) -> StatusCode {
        match self {
            Self::AlreadyEnded => StatusCode::UNPROCESSABLE_ENTITY,
            Self::CannotDecideOwn => StatusCode::FORBIDDEN,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyEnded => "booking_already_ended",
            Self::CannotDecideOwn => "cannot_decide_own_booking",
        }
    }
}
