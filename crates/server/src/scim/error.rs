//! What SCIM answers for a request hubnet cannot read: a filter, a PATCH path or a request
//! structure it does not support. (The SCIM error schema they are written in is the edge's:
//! [`crate::localize`] and [`super::error_response`].)

use axum::http::StatusCode;

use crate::error::{ErrorPayload, Problem};

#[derive(Debug, thiserror::Error)]
pub enum ScimError {
    /// A SCIM `filter` hubnet does not support or cannot parse.
    #[error("invalid SCIM filter: {0}")]
    InvalidFilter(String),
    /// A SCIM PATCH path that names no attribute hubnet keeps, or one that cannot change.
    #[error("invalid SCIM path: {0}")]
    InvalidPath(String),
    /// A SCIM request whose structure is wrong (no `Operations`, an unknown `op`).
    #[error("malformed SCIM request: {0}")]
    InvalidSyntax(String),
}

impl Problem for ScimError {
    fn status(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }

    fn code(&self) -> &'static str {
        match self {
            Self::InvalidFilter(_) => "scim_invalid_filter",
            Self::InvalidPath(_) => "scim_invalid_path",
            Self::InvalidSyntax(_) => "scim_invalid_syntax",
        }
    }

    fn describe(&self, payload: &mut ErrorPayload) {
        let (Self::InvalidFilter(detail) | Self::InvalidPath(detail) | Self::InvalidSyntax(detail)) = self;
        payload.detail(detail.clone());
    }
}
