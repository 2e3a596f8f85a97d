//! SCIM 2.0 provisioning (RFC 7643, RFC 7644) at `/scim/v2`, as Microsoft Entra ID and other
//! identity providers drive it: `Users` are the people of one organisation, `Groups` its units.
//!
//! A caller authenticates with its organisation's SCIM token (`hnscim_...`, made through
//! `POST /api/v1/organisations/{id}/scim-token`); everything it reads or changes is confined to
//! that organisation, and anything else answers 404 as if it did not exist. Bodies are
//! `application/scim+json` (plain `application/json` is accepted); errors are in the SCIM error
//! schema with hubnet's stable `code` and translated `message` added (see [`error_response`]).
//! What each attribute maps to is in `docs/api.md`, "Provisioning with SCIM".

use std::collections::HashMap;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hubnet_domain::{Language, OrganisationId};
use hubnet_store::StoreError;
use serde_json::{Map, Value, json};

use crate::auth::{SCIM_TOKEN_PREFIX, bearer, hash_token};
use crate::error::{AppError, ErrorBody};
use crate::scim::error::ScimError;
use crate::state::AppState;

pub mod api;
mod discovery;
pub mod error;
pub mod filter;
mod groups;
pub mod patch;
mod users;

/// Where the SCIM service lives.
pub const BASE: &str = "/scim/v2";
/// The media type of SCIM bodies.
pub const MEDIA_TYPE: &str = "application/scim+json";
/// Most resources one list answers (`count` above it is lowered to it).
pub const MAX_RESULTS: u32 = 200;

const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The SCIM routes, to be nested at [`BASE`].
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(users::router())
        .merge(groups::router())
        .route("/ServiceProviderConfig", get(discovery::service_provider_config))
        .route("/ResourceTypes", get(discovery::resource_types))
        .route("/ResourceTypes/{name}", get(discovery::resource_type))
        .route("/Schemas", get(discovery::schemas))
        .route("/Schemas/{id}", get(discovery::schema))
}

/// The organisation whose SCIM token the request carries. Extracting it answers 401
/// `unauthenticated` for a missing, unknown or replaced token.
#[derive(Debug, Clone, Copy)]
pub struct ScimClient {
    pub organisation: OrganisationId,
}

impl FromRequestParts<AppState> for ScimClient {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers, SCIM_TOKEN_PREFIX).ok_or(AppError::Unauthenticated)?;
        match state.store.scim().scim_organisation(&hash_token(token)).await {
            Ok(organisation) => Ok(Self { organisation }),
            Err(StoreError::NotFound) => Err(AppError::Unauthenticated),
            Err(other) => Err(other.into()),
        }
    }
}

/// A SCIM response: the body as `application/scim+json`, with `Location` for a created resource.
pub fn respond(status: StatusCode, body: &Value) -> Response {
    let location = (status == StatusCode::CREATED)
        .then(|| body.pointer("/meta/location").and_then(Value::as_str).map(str::to_owned))
        .flatten();
    let mut response = (status, serde_json::to_vec(body).unwrap_or_default()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// An error response in the SCIM error schema (RFC 7644 §3.12): `status` as a string, a
/// `scimType` where one applies and `detail`, plus hubnet's `code`, `message` (in the request's
/// language) and `field`. SCIM reports invalid values as 400, not 422.
pub fn error_response(mut parts: axum::http::response::Parts, rendered: &ErrorBody, language: Language) -> Response {
    if parts.status == StatusCode::UNPROCESSABLE_ENTITY {
        parts.status = StatusCode::BAD_REQUEST;
    }
    let error = &rendered.error;
    let scim_type = match error.code {
        "scim_invalid_filter" => Some("invalidFilter"),
        "scim_invalid_path" => Some("invalidPath"),
        "scim_invalid_syntax" | "malformed_json" => Some("invalidSyntax"),
        "invalid_input" => Some("invalidValue"),
        "already_exists" => Some("uniqueness"),
        _ => None,
    };
    let mut body = json!({
        "schemas": [ERROR],
        "status": parts.status.as_u16().to_string(),
        "detail": error.detail.clone().unwrap_or_else(|| error.message.clone()),
        "code": error.code,
        "message": error.message,
    });
    if let Some(scim_type) = scim_type {
        body["scimType"] = json!(scim_type);
    }
    if let Some(field) = &error.field {
        body["field"] = json!(field);
    }
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
    parts.headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(language.code()));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(serde_json::to_vec(&body).unwrap_or_default()))
}

/// The address of a resource, absolute when the request says which host it reached (behind a
/// proxy, `X-Forwarded-Proto` says whether over TLS).
pub fn location(headers: &HeaderMap, kind: &str, id: &impl std::fmt::Display) -> String {
    let path = format!("{BASE}/{kind}/{id}");
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return path };
    if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c)) {
        return path;
    }
    let https = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p.contains("https"));
    format!("{}://{host}{path}", if https { "https" } else { "http" })
}

/// The paging and filtering parameters of a list (RFC 7644 §3.4.2).
#[derive(Debug)]
pub struct ListQuery {
    pub filter: Option<filter::Filter>,
    /// 1-based.
    pub start_index: u64,
    pub count: u32,
    /// Attributes the caller does not want (lower case), such as `members`.
    pub excluded: Vec<String>,
}

impl ListQuery {
    pub fn parse(query: &HashMap<String, String>) -> Result<Self, AppError> {
        let get = |name: &str| query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim());
        let number = |name: &'static str| -> Result<Option<i64>, AppError> {
            get(name).map(|v| v.parse::<i64>().map_err(|_| AppError::invalid(name, "not a whole number"))).transpose()
        };
        // Out-of-range values are read as the nearest allowed one (RFC 7644 §3.4.2.4).
        let start_index = u64::try_from(number("startIndex")?.unwrap_or(1).max(1)).unwrap_or(1);
        let count =
            number("count")?.map_or(MAX_RESULTS, |c| u32::try_from(c.clamp(0, MAX_RESULTS.into())).unwrap_or(0));
        let filter = get("filter").filter(|f| !f.is_empty()).map(filter::parse).transpose()?;
        let excluded = get("excludedAttributes")
            .map(|v| v.split(',').map(|a| filter::normalise_attribute(a.trim())).collect())
            .unwrap_or_default();
        Ok(Self { filter, start_index, count, excluded })
    }
}

/// A `ListResponse` of these resources.
pub fn list_response(total: u64, start_index: u64, resources: &[Value]) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// The member of a JSON object whose name matches `name` in any letter case (SCIM attribute
/// names are case-insensitive).
pub fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
}

/// A resource body: a JSON object.
pub fn object(body: &Value) -> Result<&Map<String, Value>, AppError> {
    body.as_object().ok_or_else(|| AppError::from(ScimError::InvalidSyntax("the body must be a JSON object".into())))
}

/// A string attribute, or `None` for null.
pub fn optional_string(value: &Value, field: &'static str) -> Result<Option<String>, AppError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(AppError::invalid(field, "must be a string")),
    }
}

/// An `externalId`: 1 to 256 characters of plain text, or none.
pub fn external_id(value: &Value) -> Result<Option<String>, AppError> {
    let Some(id) = optional_string(value, "externalId")? else { return Ok(None) };
    let id = id.trim();
    if id.is_empty() {
        return Ok(None);
    }
    if id.chars().count() > 256 {
        return Err(AppError::invalid("externalId", "at most 256 characters"));
    }
    hubnet_domain::check_plain_text(id, "externalId")?;
    Ok(Some(id.to_owned()))
}

/// A `meta` object.
pub fn meta(resource_type: &str, location: &str, last_modified: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "resourceType": resource_type,
        "lastModified": last_modified.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "location": location,
    })
}

/// The operations of a PATCH body (RFC 7644 §3.5.2).
pub fn operations(body: &Value) -> Result<Vec<patch::Operation>, AppError> {
    let body = object(body)?;
    if let Some(schemas) = member(body, "schemas")
        && !schemas
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(PATCH_OP))))
    {
        return Err(ScimError::InvalidSyntax(format!("a PATCH body has the schema {PATCH_OP}")).into());
    }
    let operations = member(body, "Operations")
        .and_then(Value::as_array)
        .ok_or_else(|| AppError::from(ScimError::InvalidSyntax("a PATCH body has a list of Operations".into())))?;
    operations.iter().map(patch::Operation::parse).collect()
}
