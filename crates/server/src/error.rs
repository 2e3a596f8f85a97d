//! One error type for every handler, and the middleware that turns any error response (ours or
//! the framework's) into `{"error": {"code", "message"}}` in the caller's language.
//!
//! Handlers return [`AppError`]; its response carries an [`ErrorPayload`] and no body yet. The
//! [`localize`] middleware, which knows the request's `Accept-Language`, writes the body. Codes
//! are stable and double as translation keys.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hubnet_domain::{InvalidValue, Language};
use hubnet_store::StoreError;
use serde::Serialize;

use crate::i18n::{self, Args};

/// Every error a request can end in.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no valid credentials")]
    Unauthenticated,
    #[error("access denied")]
    AccessDenied,
    #[error("not found")]
    NotFound,
    #[error("already exists: {0}")]
    AlreadyExists(&'static str),
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("invalid input: {field}: {detail}")]
    InvalidInput { field: String, detail: String },
    #[error("the person has been erased and cannot be changed")]
    PersonErased,
    /// A capability's own error (a booking refused, a sign-in that failed, ...): it says its
    /// status, code and message arguments itself ([`Problem`]).
    #[error("{0}")]
    Problem(Box<dyn Problem>),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::InvalidInput { field: field.into(), detail: detail.into() }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::AccessDenied => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::AlreadyExists(_) | Self::PersonErased => StatusCode::CONFLICT,
            Self::MalformedJson(_) => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::InvalidInput { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Problem(problem) => problem.status(),
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::AccessDenied => "access_denied",
            Self::NotFound => "not_found",
            Self::AlreadyExists(_) => "already_exists",
            Self::MalformedJson(_) => "malformed_json",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::InvalidInput { .. } => "invalid_input",
            Self::PersonErased => "person_erased",
            Self::Problem(problem) => problem.code(),
            Self::Unavailable(_) => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    /// The capability's error inside, if it is a `P`.
    pub fn problem<P: Problem>(&self) -> Option<&P> {
        match self {
            Self::Problem(problem) => {
                let error: &(dyn std::error::Error + 'static) = &**problem;
                error.downcast_ref::<P>()
            }
            _ => None,
        }
    }

    /// What the error says to a person, in their language (the same text as the API's
    /// `message`).
    pub fn message(&self, language: Language) -> String {
        self.payload().render(language).error.message
    }

    fn payload(&self) -> ErrorPayload {
        let mut payload = ErrorPayload { code: self.code(), message_key: self.code(), ..ErrorPayload::default() };
        match self {
            Self::AlreadyExists(field) => {
                payload.field = Some((*field).to_owned());
                payload.args.push(("field", Arg::Text((*field).to_owned())));
            }
            Self::InvalidInput { field, detail } => {
                payload.field = Some(field.clone());
                payload.detail = Some(detail.clone());
                payload.args.push(("field", Arg::Text(field.clone())));
            }
            Self::MalformedJson(detail) => payload.detail = Some(detail.clone()),
            Self::Problem(problem) => problem.describe(&mut payload),
            _ => {}
        }
        payload
    }
}

/// A capability's own error: each capability (bookings, single sign-on, SCIM, ...) keeps its
/// errors in its own `error.rs` and says here what each one answers, so this file needs no
/// variant for it. `?` turns a problem into an [`AppError`]; how it is shown (JSON, SCIM, a page)
/// is decided at the edge ([`crate::localize`]).
pub trait Problem: std::error::Error + Send + Sync + 'static {
    fn status(&self) -> StatusCode;
    /// The stable code, which is also the message's translation key unless
    /// [`describe`](Self::describe) names another.
    fn code(&self) -> &'static str;
    /// Adds the field, detail and message arguments the error carries.
    fn describe(&self, _payload: &mut ErrorPayload) {}
}

impl<P: Problem> From<P> for AppError {
    fn from(problem: P) -> Self {
        Self::Problem(Box::new(problem))
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Booking(e) => e.into(),
            StoreError::Duplicate(field) => Self::AlreadyExists(field),
            StoreError::MissingReference => {
                Self::invalid("reference", "a referenced record does not exist or belongs elsewhere")
            }
            // The database refused to change an erased person (erasure raced with the change).
            StoreError::Invalid(invalid) if invalid.field == "person" && invalid.reason == "person_erased" => {
                Self::PersonErased
            }
            StoreError::Invalid(invalid) => invalid.into(),
            StoreError::Unavailable(e) => Self::Unavailable(e),
            StoreError::Internal(e) => Self::Internal(e),
        }
    }
}

impl From<InvalidValue> for AppError {
    fn from(invalid: InvalidValue) -> Self {
        Self::invalid(invalid.field, invalid.reason)
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => {
                let detail = e.body_text();
                Self::invalid(field_of(&detail).unwrap_or_else(|| "body".to_owned()), detail)
            }
            JsonRejection::JsonSyntaxError(e) => Self::MalformedJson(e.body_text()),
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMediaType,
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            other => Self::MalformedJson(other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        let detail = rejection.body_text();
        Self::invalid(field_of(&detail).unwrap_or_else(|| "query".to_owned()), detail)
    }
}

impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        // An id that cannot be parsed names nothing that exists.
        Self::NotFound
    }
}

/// The field serde complained about. axum reports the path to it (`opening_hours.mon: ...`,
/// `amenities[0]: ...`); a missing or unknown field is named in backticks, after the path of
/// the object it belongs to, if any.
fn field_of(detail: &str) -> Option<String> {
    let rest = detail.split_once("target type: ").map_or(detail, |(_, rest)| rest);
    let (path, message) = match rest.split_once(": ") {
        Some((path, message))
            if !path.is_empty() && path.chars().all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c)) =>
        {
            (path, message)
        }
        _ => ("", rest),
    };
    let named = message.find("field `").and_then(|start| {
        let name = &message[start + 7..];
        name.find('`').map(|end| &name[..end])
    });
    match (path, named) {
        ("", None) => None,
        ("", Some(name)) => Some(name.to_owned()),
        (path, None) => Some(path.to_owned()),
        // For an unknown key the path already ends with it.
        (path, Some(name)) if path == name || path.ends_with(&format!(".{name}")) => Some(path.to_owned()),
        (path, Some(name)) => Some(format!("{path}.{name}")),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, code = self.code(), "request failed");
        }
        let mut response = status.into_response();
        if matches!(self, Self::Unauthenticated) {
            // RFC 6750: tell the client which scheme to use.
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response.extensions_mut().insert(self.payload());
        response
    }
}

/// An argument of a translated message.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    /// A text in each language.
    Localized(hubnet_domain::LocalizedText),
    /// Other messages, translated and joined with commas.
    Keys(Vec<String>),
    Number(i64),
    Date(chrono::NaiveDate),
    /// Another message, translated in the same language.
    Key(String),
}

/// What an error response says, before it is put into the caller's language.
#[derive(Debug, Clone, Default)]
pub struct ErrorPayload {
    code: &'static str,
    message_key: &'static str,
    field: Option<String>,
    detail: Option<String>,
    args: Vec<(&'static str, Arg)>,
}

impl ErrorPayload {
    /// The error's stable code.
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The request field the error is about.
    pub fn field(&mut self, field: impl Into<String>) -> &mut Self {
        self.field = Some(field.into());
        self
    }

    /// Technical detail for developers, in English.
    pub fn detail(&mut self, detail: impl Into<String>) -> &mut Self {
        self.detail = Some(detail.into());
        self
    }

    /// A value the message names.
    pub fn arg(&mut self, name: &'static str, value: Arg) -> &mut Self {
        self.args.push((name, value));
        self
    }

    /// Says the error with another message than its code's.
    pub fn message_key(&mut self, key: &'static str) -> &mut Self {
        self.message_key = key;
        self
    }

    pub(crate) fn for_status(status: StatusCode) -> Self {
        let code = match status {
            StatusCode::UNAUTHORIZED => "unauthenticated",
            StatusCode::FORBIDDEN => "access_denied",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::REQUEST_TIMEOUT => "request_timeout",
            StatusCode::SERVICE_UNAVAILABLE => "service_unavailable",
            s if s.is_server_error() => "internal_error",
            StatusCode::BAD_REQUEST => "malformed_json",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid_input",
            _ => "not_found",
        };
        Self { code, message_key: code, ..Self::default() }
    }

    pub(crate) fn render(&self, language: Language) -> ErrorBody {
        let mut args = Args::new();
        for (name, arg) in &self.args {
            let value = match arg {
                Arg::Text(s) => s.clone().into(),
                Arg::Number(n) => (*n).into(),
                Arg::Date(d) => i18n::date(language, *d).into(),
                Arg::Key(key) => i18n::text(language, key, &Args::new()).into(),
                Arg::Localized(text) => text.get(language).to_owned().into(),
                Arg::Keys(keys) => {
                    keys.iter().map(|k| i18n::text(language, k, &Args::new())).collect::<Vec<_>>().join(", ").into()
                }
            };
            args.insert((*name).into(), value);
        }
        if self.code == "invalid_input" && !args.contains_key("field") {
            args.insert("field".into(), "body".into());
        }
        ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: i18n::text(language, self.message_key, &args),
                field: self.field.clone(),
                detail: self.detail.clone(),
            },
        }
    }
}

/// The JSON body of every 4xx and 5xx response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable code, such as `booking_conflict`.
    #[schema(example = "booking_conflict")]
    pub code: &'static str,
    /// The message in the language of `Accept-Language` (fi, sv or en; English by default).
    pub message: String,
    /// The request field the error is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Technical detail for developers, in English.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `axum::Json` whose rejections are [`AppError`]s.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` whose rejections are [`AppError`]s.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` whose rejections are [`AppError`]s.
#[derive(Debug, Clone, Copy, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_fields_in_serde_messages() {
        let prefix = "Failed to deserialize the JSON body into the target type: ";
        let cases = [
            ("amenities[0]: unknown variant `jacuzzi`, expected one of `screen` at line 1 column 5", "amenities[0]"),
            ("opening_hours: unknown field `funday`, expected one of `mon` at line 1 column 9", "opening_hours.funday"),
            (
                "opening_hours.funday: unknown field `funday`, expected one of `mon` at line 1 column 9",
                "opening_hours.funday",
            ),
            ("colour: unknown field `colour`, expected one of `space_id` at line 1 column 9", "colour"),
            ("opening_hours.mon: missing field `closes` at line 1 column 9", "opening_hours.mon.closes"),
            ("unknown field `colour`, expected one of `space_id` at line 1 column 9", "colour"),
        ];
        for (message, field) in cases {
            assert_eq!(field_of(&format!("{prefix}{message}")).as_deref(), Some(field), "{message}");
        }
        assert_eq!(field_of(&format!("{prefix}invalid type: sequence, expected a map")), None);
    }

    #[test]
    fn finds_the_field_in_serde_messages() {
        assert_eq!(
            field_of(
                "Failed to deserialize the JSON body into the target type: missing field `space_id` at line 1 column 2"
            )
            .as_deref(),
            Some("space_id")
        );
        assert_eq!(field_of("Failed to deserialize the JSON body into the target type: lat: latitude 91 is not between -90 and 90 at line 1").as_deref(), Some("lat"));
    }

    #[test]
    fn every_code_has_a_message_in_every_language() {
        let codes = [
            "unauthenticated",
            "access_denied",
            "site_not_open_to_you",
            "not_found",
            "method_not_allowed",
            "booking_conflict",
            "already_exists",
            "payload_too_large",
            "unsupported_media_type",
            "malformed_json",
            "invalid_input",
            "unknown_postal_code",
            "postal_code_in_another_municipality",
            "invalid_time_range",
            "space_not_bookable",
            "registration_required",
            "in_the_past",
            "too_far_ahead",
            "site_closed",
            "site_closed_holiday",
            "outside_opening_hours",
            "already_booked_at_that_time",
            "booking_already_ended",
            "scim_invalid_filter",
            "scim_invalid_path",
            "scim_invalid_syntax",
            "booking_not_pending",
            "cannot_decide_own_booking",
            "sso_provider_failed",
            "sso_expired",
            "sso_cancelled",
            "sso_no_email",
            "sso_domain_not_allowed",
            "sso_account_taken",
            "account_deactivated",
            "policy_own_office_required",
            "policy_site_kind_not_allowed",
            "policy_monthly_hub_days_used",
            "policy_budget_exhausted",
            "policy_budget_currency_mismatch",
            "policy_hub_approval_required",
            "policy-kinds-own_office",
            "policy-kinds-shared_office",
            "policy-kinds-coworking_hub",
            "policy-kinds-service_point",
            "person_already_erased",
            "person_erased",
            "request_timeout",
            "service_unavailable",
            "internal_error",
        ];
        let args = Args::from([
            ("field".into(), "x".into()),
            ("max_days".into(), 1.into()),
            ("date".into(), "d".into()),
            ("holiday".into(), "h".into()),
            ("opens".into(), "07:00".into()),
            ("closes".into(), "20:00".into()),
            ("domain".into(), "example.org".into()),
            ("office".into(), "o".into()),
            ("distance_km".into(), 1.into()),
            ("threshold_km".into(), 70.into()),
            ("kind".into(), "k".into()),
            ("allowed".into(), "a".into()),
            ("used_days".into(), 8.into()),
            ("month".into(), "11/2026".into()),
            ("budget".into(), "1 SEK".into()),
            ("remaining".into(), "1 SEK".into()),
            ("cost".into(), "1 SEK".into()),
            ("budget_currency".into(), "SEK".into()),
            ("price_currency".into(), "EUR".into()),
            ("postal_code".into(), "00100".into()),
            ("municipality".into(), "Espoo".into()),
            ("actual".into(), "Helsinki".into()),
        ]);
        // Every code the policy can refuse with has its message.
        for code in hubnet_domain::policy::Reason::CODES {
            assert!(codes.contains(&code), "{code} is not checked here");
        }
        for language in Language::ALL {
            for code in codes {
                assert!(i18n::try_text(language, code, &args).is_some(), "{code} has no {language} message");
            }
            for holiday in
                [hubnet_domain::holidays::HolidayName::MidsummerEve, hubnet_domain::holidays::HolidayName::NewYearsEve]
            {
                assert!(i18n::try_text(language, &format!("holiday-{}", holiday.key()), &Args::new()).is_some());
            }
        }
    }
}
