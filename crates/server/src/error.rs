//! One error type for every handler, and the middleware that turns any error response (ours or
//! the framework's) into `{"error": {"code", "message"}}` in the caller's language.
//!
//! Handlers return [`AppError`]; its response carries an [`ErrorPayload`] and no body yet. The
//! [`localize`] middleware, which knows the request's `Accept-Language`, writes the body. Codes
//! are stable and double as translation keys.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hubnet_domain::{BookingError, InvalidValue, Language};
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
    #[error(transparent)]
    Booking(#[from] BookingError),
    #[error("booking already ended")]
    BookingAlreadyEnded,
    // Single sign-on
    /// The identity provider could not be reached or answered wrongly (502).
    #[error("identity provider: {0}")]
    SsoProvider(String),
    /// The sign-in's state does not match this browser's, or it took too long.
    #[error("the single sign-on expired or began in another browser")]
    SsoExpired,
    /// The provider did not sign the person in (they cancelled, or it refused).
    #[error("the identity provider did not sign the person in")]
    SsoCancelled,
    #[error(transparent)]
    SsoRefused(hubnet_domain::sso::SignInRefusal),
    /// The address belongs to another organisation's person, or to another account.
    #[error("the address belongs to another account")]
    SsoAccountTaken,
    #[error("the account is deactivated")]
    AccountDeactivated,
    // SCIM
    /// A SCIM `filter` hubnet does not support or cannot parse.
    #[error("invalid SCIM filter: {0}")]
    ScimInvalidFilter(String),
    /// A SCIM PATCH path that names no attribute hubnet keeps, or one that cannot change.
    #[error("invalid SCIM path: {0}")]
    ScimInvalidPath(String),
    /// A SCIM request whose structure is wrong (no `Operations`, an unknown `op`).
    #[error("malformed SCIM request: {0}")]
    ScimInvalidSyntax(String),
    // Approval
    /// Whoever made or holds a booking cannot also approve or decline it.
    #[error("cannot decide one's own booking")]
    CannotDecideOwnBooking,
    // Audit and erasure
    #[error("the person has already been erased")]
    PersonAlreadyErased,
    #[error("the person has been erased and cannot be changed")]
    PersonErased,
    // Home
    /// No Finnish postal code like this in Posti's file.
    #[error("unknown Finnish postal code {0}")]
    UnknownPostalCode(String),
    /// The postal code lies in another municipality than the one given with it.
    #[error("postal code {postal_code} is not in {municipality}")]
    PostalCodeElsewhere { postal_code: String, municipality: hubnet_domain::MunicipalityCode },
    // Workplace policy
    /// The booker's organisation's policy refuses the place.
    #[error("refused by the organisation's policy: {}", .0.reason.code())]
    Policy(Box<hubnet_domain::policy::Finding>),
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
            Self::AccessDenied
            | Self::Booking(BookingError::SiteNotOpenToYou)
            | Self::CannotDecideOwnBooking
            | Self::SsoRefused(_)
            | Self::AccountDeactivated
            | Self::Policy(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::AlreadyExists(_)
            | Self::Booking(BookingError::Conflict | BookingError::NotPending { .. })
            | Self::SsoAccountTaken
            | Self::PersonAlreadyErased
            | Self::PersonErased => StatusCode::CONFLICT,
            Self::MalformedJson(_)
            | Self::SsoExpired
            | Self::SsoCancelled
            | Self::ScimInvalidFilter(_)
            | Self::ScimInvalidPath(_)
            | Self::ScimInvalidSyntax(_) => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::InvalidInput { .. }
            | Self::Booking(_)
            | Self::BookingAlreadyEnded
            | Self::UnknownPostalCode(_)
            | Self::PostalCodeElsewhere { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::SsoProvider(_) => StatusCode::BAD_GATEWAY,
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
            Self::Booking(e) => e.code(),
            Self::BookingAlreadyEnded => "booking_already_ended",
            Self::SsoProvider(_) => "sso_provider_failed",
            Self::SsoExpired => "sso_expired",
            Self::SsoCancelled => "sso_cancelled",
            Self::SsoRefused(hubnet_domain::sso::SignInRefusal::NoEmail) => "sso_no_email",
            Self::SsoRefused(hubnet_domain::sso::SignInRefusal::DomainNotAllowed(_)) => "sso_domain_not_allowed",
            Self::SsoAccountTaken => "sso_account_taken",
            Self::AccountDeactivated => "account_deactivated",
            Self::ScimInvalidFilter(_) => "scim_invalid_filter",
            Self::ScimInvalidPath(_) => "scim_invalid_path",
            Self::ScimInvalidSyntax(_) => "scim_invalid_syntax",
            Self::CannotDecideOwnBooking => "cannot_decide_own_booking",
            Self::PersonAlreadyErased => "person_already_erased",
            Self::PersonErased => "person_erased",
            Self::UnknownPostalCode(_) => "unknown_postal_code",
            Self::PostalCodeElsewhere { .. } => "postal_code_in_another_municipality",
            Self::Policy(finding) => finding.reason.code(),
            Self::Unavailable(_) => "service_unavailable",
            Self::Internal(_) => "internal_error",
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
            Self::MalformedJson(detail)
            | Self::ScimInvalidFilter(detail)
            | Self::ScimInvalidPath(detail)
            | Self::ScimInvalidSyntax(detail) => payload.detail = Some(detail.clone()),
            Self::SsoRefused(hubnet_domain::sso::SignInRefusal::DomainNotAllowed(domain)) => {
                payload.args.push(("domain", Arg::Text(domain.clone())));
            }
            Self::UnknownPostalCode(code) => {
                payload.field = Some("postal_code".into());
                payload.args.push(("postal_code", Arg::Text(code.clone())));
            }
            Self::PostalCodeElsewhere { postal_code, municipality } => {
                payload.field = Some("postal_code".into());
                payload.args.push(("postal_code", Arg::Text(postal_code.clone())));
                let names = |code: hubnet_domain::MunicipalityCode| {
                    let (fi, sv) = crate::geography::municipality(code).map_or_else(
                        || (code.to_string(), code.to_string()),
                        |m| (m.name_fi.clone(), m.name_sv.clone()),
                    );
                    hubnet_domain::LocalizedText { en: fi.clone(), fi, sv }
                };
                payload.args.push(("municipality", Arg::Localized(names(*municipality))));
                if let Some(area) = crate::geography::postal_area(postal_code) {
                    payload.args.push(("actual", Arg::Localized(names(area.municipality))));
                }
            }
            Self::Policy(finding) => policy_args(&finding.reason, &mut payload.args),
            Self::Booking(BookingError::TooFarAhead { max_days }) => {
                payload.args.push(("max_days", Arg::Number(i64::from(*max_days))));
            }
            Self::Booking(BookingError::SiteClosed { date, holiday }) => {
                payload.args.push(("date", Arg::Date(*date)));
                if let Some(holiday) = holiday {
                    payload.message_key = "site_closed_holiday";
                    payload.args.push(("holiday", Arg::Key(format!("holiday-{}", holiday.key()))));
                }
            }
            Self::Booking(BookingError::OutsideOpeningHours { hours }) => {
                payload.args.push(("opens", Arg::Text(hours.opens.to_string())));
                payload.args.push(("closes", Arg::Text(hours.closes.to_string())));
            }
            // Where to read the terms and accept them.
            Self::Booking(BookingError::RegistrationRequired { site_id }) => {
                payload.detail = Some(format!(
                    "read the terms in access.terms of GET /api/v1/sites/{site_id}, then accept them with \
                     POST /api/v1/sites/{site_id}/registration"
                ));
            }
            Self::Booking(BookingError::NotPending { status }) => {
                payload.detail = Some(format!("the booking is {}", status.key()));
            }
            _ => {}
        }
        payload
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Booking(e) => Self::Booking(e),
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

/// The values a policy refusal's message names.
fn policy_args(reason: &hubnet_domain::policy::Reason, args: &mut Vec<(&'static str, Arg)>) {
    use hubnet_domain::policy::Reason;
    let kinds = |kinds: &[hubnet_domain::SiteKind]| {
        Arg::Keys(kinds.iter().map(|k| format!("policy-kinds-{}", k.key())).collect())
    };
    let money = |minor: i64, currency: hubnet_domain::money::Currency| {
        let whole = minor / 100;
        let cents = (minor % 100).abs();
        let amount = if cents == 0 { whole.to_string() } else { format!("{whole}.{cents:02}") };
        Arg::Text(format!("{amount} {}", currency.code()))
    };
    match reason {
        Reason::OwnOfficeRequired { office, distance_km, threshold_km, kind } => {
            args.push(("office", Arg::Localized(office.clone())));
            args.push(("distance_km", Arg::Number(i64::from(*distance_km))));
            args.push(("threshold_km", Arg::Number(i64::from(*threshold_km))));
            args.push(("kind", kinds(&[*kind])));
        }
        Reason::SiteKindNotAllowed { kind, allowed } => {
            args.push(("kind", kinds(&[*kind])));
            args.push(("allowed", kinds(allowed)));
        }
        Reason::MonthlyHubDaysUsed { max_days, used_days, month } => {
            args.push(("max_days", Arg::Number(i64::from(*max_days))));
            args.push(("used_days", Arg::Number(i64::from(*used_days))));
            args.push(("month", Arg::Text(month.clone())));
        }
        Reason::BudgetExhausted { budget_minor, remaining_minor, cost_minor, currency, month, .. } => {
            args.push(("budget", money(*budget_minor, *currency)));
            args.push(("remaining", money(*remaining_minor, *currency)));
            args.push(("cost", money(*cost_minor, *currency)));
            args.push(("month", Arg::Text(month.clone())));
        }
        Reason::BudgetCurrencyMismatch { budget_currency, price_currency, .. } => {
            args.push(("budget_currency", Arg::Text(budget_currency.code().to_owned())));
            args.push(("price_currency", Arg::Text(price_currency.code().to_owned())));
        }
        Reason::HubApprovalRequired => {}
    }
}

/// An argument of a translated message.
#[derive(Debug, Clone)]
enum Arg {
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

    fn for_status(status: StatusCode) -> Self {
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

    fn render(&self, language: Language) -> ErrorBody {
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

/// The language of the request: `Accept-Language`, else English.
pub fn request_language(headers: &HeaderMap) -> Language {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Language::negotiate).unwrap_or_default()
}

/// Writes the body of every error response in the caller's language. Responses from the
/// framework (unknown route, wrong method, body too large, timeout) get a code from their status.
pub async fn localize(request: Request, next: Next) -> Response {
    let scim = request.uri().path().starts_with(crate::scim::BASE);
    let wants_page = !scim && !request.uri().path().starts_with("/api/") && accepts_html(request.headers());
    let language = crate::web::page::language(request.headers(), None);
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // Pages answer their own errors as pages.
    if response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html")) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let payload = parts.extensions.remove::<ErrorPayload>().unwrap_or_else(|| ErrorPayload::for_status(status));
    let rendered = payload.render(language);
    if scim {
        // SCIM clients read errors in the SCIM error schema; it carries the code and message too.
        return crate::scim::error_response(parts, &rendered, language);
    }
    if wants_page {
        // A browser that reached no page (an unknown address, a broken form) gets one.
        return crate::web::page::bare_error_page(language, status, rendered.error.code, rendered.error.message);
    }
    let body = serde_json::to_vec(&rendered).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(language.code()));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// Whether the client asked for HTML, as browsers do when they load a page.
fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| accept.contains("text/html"))
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
