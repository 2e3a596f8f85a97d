//! What the SCIM service supports (RFC 7644 §4): its configuration, resource types and schemas,
//! describing only what `users` and `groups` really do. They need the SCIM token like every
//! other SCIM request.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::{MAX_RESULTS, ScimClient, list_response, location, respond};
use crate::error::AppError;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

pub async fn service_provider_config(_client: ScimClient, headers: HeaderMap) -> Response {
    respond(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": MAX_RESULTS},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": false},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "SCIM token",
                "description": "The organisation's SCIM token (hnscim_...), made by an organisation admin with \
                    POST /api/v1/organisations/{id}/scim-token and sent as Authorization: Bearer <token>.",
                "primary": true,
            }],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": format!("{}{}", origin(&headers), "/ServiceProviderConfig"),
            },
        }),
    )
}

/// `https://host/scim/v2` (or the bare path without a Host header).
fn origin(headers: &HeaderMap) -> String {
    location(headers, "x", &"x").trim_end_matches("/x/x").to_owned()
}

fn user_type(headers: &HeaderMap) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person of the organisation",
        "schema": USER,
        "meta": {"resourceType": "ResourceType", "location": format!("{}/ResourceTypes/User", origin(headers))},
    })
}

fn group_type(headers: &HeaderMap) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "Group",
        "name": "Group",
        "endpoint": "/Groups",
        "description": "A unit of the organisation; a person is in at most one",
        "schema": GROUP,
        "meta": {"resourceType": "ResourceType", "location": format!("{}/ResourceTypes/Group", origin(headers))},
    })
}

pub async fn resource_types(_client: ScimClient, headers: HeaderMap) -> Response {
    respond(StatusCode::OK, &list_response(2, 1, &[user_type(&headers), group_type(&headers)]))
}

pub async fn resource_type(
    _client: ScimClient,
    headers: HeaderMap,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    match name.as_str() {
        "User" => Ok(respond(StatusCode::OK, &user_type(&headers))),
        "Group" => Ok(respond(StatusCode::OK, &group_type(&headers))),
        _ => Err(AppError::NotFound),
    }
}

/// An attribute definition (RFC 7643 §7).
fn attribute(name: &str, kind: &str, required: bool, mutability: &str, description: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": description,
        "required": required,
        "caseExact": false,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": "none",
    })
}

fn user_schema(headers: &HeaderMap) -> Value {
    let mut user_name =
        attribute("userName", "string", true, "readWrite", "The person's email address, used to sign in");
    user_name["uniqueness"] = json!("server");
    let mut external_id =
        attribute("externalId", "string", false, "readWrite", "The identity provider's id, unique in the organisation");
    external_id["caseExact"] = json!(true);
    let mut name = attribute("name", "complex", false, "readWrite", "The person's name");
    name["subAttributes"] = json!([
        attribute("givenName", "string", false, "readWrite", "Given name"),
        attribute("familyName", "string", false, "readWrite", "Family name"),
        attribute("formatted", "string", false, "readWrite", "The full name, used when no other is given"),
    ]);
    let mut emails = attribute("emails", "complex", false, "readOnly", "The userName as the work address");
    emails["multiValued"] = json!(true);
    emails["subAttributes"] = json!([
        attribute("value", "string", false, "readOnly", "The address"),
        attribute("type", "string", false, "readOnly", "Always work"),
        attribute("primary", "boolean", false, "readOnly", "Always true"),
    ]);
    let mut groups = attribute("groups", "complex", false, "readOnly", "The person's unit, if any");
    groups["multiValued"] = json!(true);
    groups["subAttributes"] = json!([
        attribute("value", "string", false, "readOnly", "The unit's id"),
        attribute("display", "string", false, "readOnly", "The unit's name"),
    ]);
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": USER,
        "name": "User",
        "description": "A person of the organisation",
        "attributes": [
            user_name,
            external_id,
            name,
            attribute("displayName", "string", false, "readWrite", "The person's name as shown"),
            emails,
            attribute("preferredLanguage", "string", false, "readWrite",
                "fi, sv or en (fi-FI, sv-SE, en-GB are read as these); other languages are ignored"),
            attribute("locale", "string", false, "writeOnly", "Read as preferredLanguage"),
            attribute("active", "boolean", false, "readWrite",
                "false signs the person out everywhere and cancels their bookings to come"),
            groups,
        ],
        "meta": {"resourceType": "Schema", "location": format!("{}/Schemas/{USER}", origin(headers))},
    })
}

fn group_schema(headers: &HeaderMap) -> Value {
    let mut members = attribute("members", "complex", false, "readWrite", "The people in the unit");
    members["multiValued"] = json!(true);
    members["subAttributes"] = json!([
        attribute("value", "string", true, "immutable", "The person's id"),
        attribute("display", "string", false, "readOnly", "The person's name"),
    ]);
    let mut external_id =
        attribute("externalId", "string", false, "readWrite", "The identity provider's id, unique in the organisation");
    external_id["caseExact"] = json!(true);
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": GROUP,
        "name": "Group",
        "description": "A unit of the organisation",
        "attributes": [
            attribute("displayName", "string", true, "readWrite", "The unit's name"),
            external_id,
            members,
        ],
        "meta": {"resourceType": "Schema", "location": format!("{}/Schemas/{GROUP}", origin(headers))},
    })
}

pub async fn schemas(_client: ScimClient, headers: HeaderMap) -> Response {
    respond(StatusCode::OK, &list_response(2, 1, &[user_schema(&headers), group_schema(&headers)]))
}

pub async fn schema(
    _client: ScimClient,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    match id.as_str() {
        USER => Ok(respond(StatusCode::OK, &user_schema(&headers))),
        GROUP => Ok(respond(StatusCode::OK, &group_schema(&headers))),
        _ => Err(AppError::NotFound),
    }
}
