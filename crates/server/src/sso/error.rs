//! What single sign-on answers when it fails: the provider could not be reached, the sign-in
//! expired or was cancelled, the provider's answer is refused, or the account cannot be used.

use axum::http::StatusCode;
use hubnet_domain::sso::SignInRefusal;

use crate::error::{Arg, ErrorPayload, Problem};

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// The identity provider could not be reached or answered wrongly (502).
    #[error("identity provider: {0}")]
    Provider(String),
    /// The sign-in's state does not match this browser's, or it took too long.
    #[error("the single sign-on expired or began in another browser")]
    Expired,
    /// The provider did not sign the person in (they cancelled, or it refused).
    #[error("the identity provider did not sign the person in")]
    Cancelled,
    #[error(transparent)]
    Refused(SignInRefusal),
    /// The address belongs to another organisation's person, or to another account.
    #[error("the address belongs to another account")]
    AccountTaken,
    #[error("the account is deactivated")]
    AccountDeactivated,
}

impl Problem for SsoError {
    fn status(&self) -> StatusCode {
        match self {
            Self::Provider(_) => StatusCode::BAD_GATEWAY,
            Self::Expired | Self::Cancelled => StatusCode::BAD_REQUEST,
            Self::Refused(_) | Self::AccountDeactivated => StatusCode::FORBIDDEN,
            Self::AccountTaken => StatusCode::CONFLICT,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Provider(_) => "sso_provider_failed",
            Self::Expired => "sso_expired",
            Self::Cancelled => "sso_cancelled",
            Self::Refused(SignInRefusal::NoEmail) => "sso_no_email",
            Self::Refused(SignInRefusal::DomainNotAllowed(_)) => "sso_domain_not_allowed",
            Self::AccountTaken => "sso_account_taken",
            Self::AccountDeactivated => "account_deactivated",
        }
    }

    fn describe(&self, payload: &mut ErrorPayload) {
        if let Self::Refused(SignInRefusal::DomainNotAllowed(domain)) = self {
            payload.arg("domain", Arg::Text(domain.clone()));
        }
    }
}
