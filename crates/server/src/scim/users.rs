//! `/Users`: the people of the caller's organisation.
//!
//! `userName` is the person's email (the address they sign in with); `displayName`, or else
//! `name.givenName` and `name.familyName`, their name; `preferredLanguage` (or `locale`) their
//! language when it is Finnish, Swedish or English; `active` whether they may sign in. Making a
//! person inactive signs them out everywhere and cancels their bookings to come
//! ([`hubnet_store::Scim::update_scim_person`]). DELETE deactivates the person and hides them
//! from SCIM; their history stays, and provisioning the same `userName` again brings them back.

use std::collections::HashMap;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use hubnet_domain::text::parse_name;
use hubnet_domain::{Country, Email, Language, Organisation, Person, PersonId, Unit};
use hubnet_store::StoreError;
use hubnet_store::scim::{PersonMatch, ProvisionedPerson};
use serde_json::{Value, json};

use super::patch::{Op, Path};
use super::{
    ListQuery, ScimClient, external_id, list_response, location, member, meta, object, optional_string, respond,
};
use crate::audit::{self as audit_log, Subject, changed_fields};
use crate::error::{AppError, Json, Query};
use crate::scim::error::ScimError;
use crate::state::AppState;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::ids::new_id;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/Users", get(list_users).post(create_user))
        .route("/Users/{id}", get(get_user).put(replace_user).patch(patch_user).delete(delete_user))
}

/// User attributes hubnet accepts and does not keep: a provider's default mapping sends them,
/// and refusing them would stop the person's provisioning.
const NOT_KEPT: [&str; 17] = [
    "emails",
    "title",
    "nickname",
    "profileurl",
    "usertype",
    "timezone",
    "phonenumbers",
    "addresses",
    "ims",
    "photos",
    "x509certificates",
    "entitlements",
    "roles",
    "name.middlename",
    "name.honorificprefix",
    "name.honorificsuffix",
    "password",
];

/// A person's attributes while a request changes them.
#[derive(Debug, Clone)]
struct Draft {
    email: Option<Email>,
    external_id: Option<String>,
    display_name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    formatted: Option<String>,
    language: Language,
    active: bool,
    /// The request set `displayName`: it is the name.
    display_set: bool,
    /// The request set a part of `name`: the name is made of them, unless `displayName` was set.
    parts_set: bool,
    /// The name before the request, kept when it sets neither.
    current_name: Option<String>,
}

impl Draft {
    fn new(language: Language) -> Self {
        Self {
            email: None,
            external_id: None,
            display_name: None,
            given_name: None,
            family_name: None,
            formatted: None,
            language,
            active: true,
            display_set: false,
            parts_set: false,
            current_name: None,
        }
    }

    fn of(current: &ProvisionedPerson) -> Self {
        Self {
            email: Some(current.person.email.clone()),
            external_id: current.external_id.clone(),
            given_name: current.given_name.clone(),
            family_name: current.family_name.clone(),
            language: current.person.language,
            active: current.person.active,
            current_name: Some(current.person.name.clone()),
            ..Self::new(current.person.language)
        }
    }

    /// Applies the attributes of a POST or PUT body. Read-only attributes are ignored there.
    fn apply_body(&mut self, body: &Value) -> Result<(), AppError> {
        for (key, value) in object(body)? {
            let path = Path::parse(key)?;
            if !matches!(path.attribute.as_str(), "schemas" | "id" | "meta" | "groups") {
                self.set(&path, value)?;
            }
        }
        Ok(())
    }

    /// Sets an attribute (add and replace are the same for single values).
    fn set(&mut self, path: &Path, value: &Value) -> Result<(), AppError> {
        match path.attribute.as_str() {
            "username" => {
                let email = optional_string(value, "userName")?
                    .ok_or_else(|| AppError::invalid("userName", "userName is required"))?;
                self.email = Some(Email::parse(&email).map_err(|e| AppError::invalid("userName", e.reason))?);
            }
            "externalid" => self.external_id = external_id(value)?,
            "displayname" => {
                self.display_name = optional_string(value, "displayName")?;
                self.display_set = true;
            }
            "name" => match value {
                Value::Object(parts) => {
                    for (key, part) in parts {
                        let sub = Path { attribute: format!("name.{}", key.to_ascii_lowercase()), ..path.clone() };
                        self.set(&sub, part)?;
                    }
                }
                Value::Null => self.clear_name(),
                _ => return Err(AppError::invalid("name", "must be an object")),
            },
            "name.givenname" => {
                self.given_name = optional_string(value, "name.givenName")?;
                self.parts_set = true;
            }
            "name.familyname" => {
                self.family_name = optional_string(value, "name.familyName")?;
                self.parts_set = true;
            }
            "name.formatted" => {
                self.formatted = optional_string(value, "name.formatted")?;
                self.parts_set = true;
            }
            "active" => self.active = super::patch::boolean(value, "active")?,
            "preferredlanguage" | "locale" => {
                // fi-FI, sv-SE, en-GB...; any other language leaves the person's as it is.
                if let Some(tag) = optional_string(value, "preferredLanguage")?
                    && let Some(language) = Language::negotiate(&tag)
                {
                    self.language = language;
                }
            }
            "schemas" => {}
            other if ignored(other) => {}
            other => return Err(ScimError::InvalidPath(format!("hubnet keeps no user attribute {other}")).into()),
        }
        Ok(())
    }

    fn clear_name(&mut self) {
        self.given_name = None;
        self.family_name = None;
        self.formatted = None;
        self.parts_set = true;
    }

    /// Removes an attribute.
    fn remove(&mut self, path: &Path) -> Result<(), AppError> {
        match path.attribute.as_str() {
            "externalid" => self.external_id = None,
            "name" => self.clear_name(),
            "name.givenname" => {
                self.given_name = None;
                self.parts_set = true;
            }
            "name.familyname" => {
                self.family_name = None;
                self.parts_set = true;
            }
            "name.formatted" => {
                self.formatted = None;
                self.parts_set = true;
            }
            // The person keeps the language they have.
            "preferredlanguage" | "locale" => {}
            "username" | "displayname" | "active" => {
                return Err(AppError::invalid(attribute_name(&path.attribute), "cannot be removed"));
            }
            other if ignored(other) => {}
            other => return Err(ScimError::InvalidPath(format!("hubnet keeps no user attribute {other}")).into()),
        }
        Ok(())
    }

    /// The name the attributes give, or the one the person had.
    fn name(&self) -> Result<String, AppError> {
        let non_empty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let joined =
            [&self.given_name, &self.family_name].into_iter().filter_map(non_empty).collect::<Vec<_>>().join(" ");
        let from_parts = || (!joined.is_empty()).then(|| joined.clone()).or_else(|| non_empty(&self.formatted));
        let name = if self.display_set { non_empty(&self.display_name) } else { None }
            .or_else(|| if self.parts_set { from_parts() } else { None })
            .or_else(|| self.current_name.clone())
            .or_else(from_parts)
            .or_else(|| self.email.as_ref().map(|e| e.as_str().split('@').next().unwrap_or_default().to_owned()))
            .ok_or_else(|| AppError::invalid("displayName", "a user needs a name"))?;
        Ok(parse_name(&name, "displayName")?)
    }

    fn into_provisioned(self, base: &Person) -> Result<ProvisionedPerson, AppError> {
        let name = self.name()?;
        let email = self.email.ok_or_else(|| AppError::invalid("userName", "userName is required"))?;
        let clean = |s: Option<String>, field: &'static str| -> Result<Option<String>, AppError> {
            s.map(|s| parse_name(&s, field)).transpose().map_err(AppError::from)
        };
        Ok(ProvisionedPerson {
            person: Person {
                id: base.id,
                organisation_id: base.organisation_id,
                unit_id: base.unit_id,
                name,
                email,
                language: self.language,
                home_municipality: base.home_municipality,
                home: base.home,
                active: self.active,
            },
            external_id: self.external_id,
            given_name: clean(self.given_name.filter(|s| !s.trim().is_empty()), "name.givenName")?,
            family_name: clean(self.family_name.filter(|s| !s.trim().is_empty()), "name.familyName")?,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        })
    }
}

fn ignored(attribute: &str) -> bool {
    attribute.starts_with("urn:ietf:params:scim:schemas:extension:")
        || NOT_KEPT.iter().any(|a| attribute == *a || attribute.starts_with(&format!("{a}.")))
}

/// The attribute as SCIM spells it, for error messages.
fn attribute_name(lower: &str) -> &'static str {
    match lower {
        "username" => "userName",
        "displayname" => "displayName",
        _ => "active",
    }
}

/// What every answer about people needs: the organisation (its language names units) and its
/// units.
struct Context {
    organisation: Organisation,
    units: Vec<Unit>,
    headers: HeaderMap,
}

impl Context {
    async fn load(state: &AppState, client: ScimClient, headers: HeaderMap) -> Result<Self, AppError> {
        Ok(Self {
            organisation: state.store.organisations().get_organisation(client.organisation).await?,
            units: state.store.organisations().list_units(client.organisation).await?,
            headers,
        })
    }

    fn language(&self) -> Language {
        match self.organisation.country {
            Country::Finland => Language::Fi,
            Country::Sweden => Language::Sv,
        }
    }

    fn resource(&self, p: &ProvisionedPerson) -> Value {
        let person = &p.person;
        let mut name = json!({"formatted": person.name});
        if let Some(given) = &p.given_name {
            name["givenName"] = json!(given);
        }
        if let Some(family) = &p.family_name {
            name["familyName"] = json!(family);
        }
        let mut resource = json!({
            "schemas": [USER],
            "id": person.id,
            "userName": person.email,
            "name": name,
            "displayName": person.name,
            "emails": [{"value": person.email, "type": "work", "primary": true}],
            "preferredLanguage": person.language.code(),
            "active": person.active,
            "meta": meta("User", &location(&self.headers, "Users", &person.id), p.updated_at),
        });
        if let Some(external_id) = &p.external_id {
            resource["externalId"] = json!(external_id);
        }
        if let Some(unit) = person.unit_id.and_then(|id| self.units.iter().find(|u| u.id == id)) {
            resource["groups"] = json!([{
                "value": unit.id,
                "display": unit.name.get(self.language()),
                "$ref": location(&self.headers, "Groups", &unit.id),
                "type": "direct",
            }]);
        }
        resource
    }
}

/// Store refusals in SCIM's terms.
pub(super) fn refused(error: StoreError) -> AppError {
    match error {
        StoreError::Duplicate("email") => AppError::AlreadyExists("userName"),
        StoreError::Duplicate("external_id") => AppError::AlreadyExists("externalId"),
        StoreError::MissingReference => AppError::invalid("members", "not a user of this organisation"),
        other => other.into(),
    }
}

/// The person with this id in the caller's organisation; any other id is 404.
async fn visible(state: &AppState, client: ScimClient, id: &str) -> Result<ProvisionedPerson, AppError> {
    let id: PersonId = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(state.store.scim().scim_person(client.organisation, id).await?)
}

async fn list_users(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let query = ListQuery::parse(&query)?;
    let context = Context::load(&state, client, headers).await?;
    let filter = match &query.filter {
        None => PersonMatch::All,
        Some(f) if f.attribute == "username" => PersonMatch::Email(f.value.clone()),
        Some(f) if f.attribute == "externalid" => PersonMatch::ExternalId(f.value.clone()),
        Some(f) if f.attribute == "id" => {
            let found = visible(&state, client, &f.value).await.ok();
            let resources: Vec<Value> = found.iter().map(|p| context.resource(p)).collect();
            let total = resources.len() as u64;
            let shown = if query.start_index == 1 && query.count > 0 { resources } else { Vec::new() };
            return Ok(respond(StatusCode::OK, &list_response(total, query.start_index, &shown)));
        }
        Some(f) => {
            return Err(ScimError::InvalidFilter(format!(
                "users are filtered by userName, externalId or id, not {}",
                f.attribute
            ))
            .into());
        }
    };
    let page = state.store.scim().scim_people(client.organisation, &filter, query.start_index - 1, query.count).await?;
    let resources: Vec<Value> = page.people.iter().map(|p| context.resource(p)).collect();
    Ok(respond(StatusCode::OK, &list_response(page.total, query.start_index, &resources)))
}

async fn get_user(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    let person = visible(&state, client, &id).await?;
    let context = Context::load(&state, client, headers).await?;
    Ok(respond(StatusCode::OK, &context.resource(&person)))
}

async fn create_user(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let context = Context::load(&state, client, headers).await?;
    let mut draft = Draft::new(context.language());
    if member(object(&body)?, "userName").is_none() {
        return Err(AppError::invalid("userName", "userName is required"));
    }
    draft.apply_body(&body)?;
    let email = draft.email.clone().ok_or_else(|| AppError::invalid("userName", "userName is required"))?;
    let base = Person {
        id: new_id(),
        organisation_id: client.organisation,
        unit_id: None,
        name: String::new(),
        email,
        language: context.language(),
        home_municipality: None,
        home: None,
        active: true,
    };
    let person = draft.into_provisioned(&base)?;
    let created = state.store.scim().create_scim_person(&person, state.now()).await.map_err(refused)?;
    let subject = Subject::new(SubjectKind::Person, created.person.id);
    audit_log::record_by(&state, audit_log::SCIM, client.organisation, AuditAction::PersonCreated, subject, json!({}))
        .await?;
    Ok(respond(StatusCode::CREATED, &context.resource(&created)))
}

async fn replace_user(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let current = visible(&state, client, &id).await?;
    if member(object(&body)?, "userName").is_none() {
        return Err(AppError::invalid("userName", "userName is required"));
    }
    // A replacement: what the body leaves out is gone (the name stays unless it gives one).
    let mut draft = Draft { external_id: None, given_name: None, family_name: None, ..Draft::of(&current) };
    draft.apply_body(&body)?;
    save(state, client, headers, current, draft).await
}

async fn patch_user(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let current = visible(&state, client, &id).await?;
    let mut draft = Draft::of(&current);
    for operation in super::operations(&body)? {
        let value = operation.value.as_ref().unwrap_or(&Value::Null);
        match (operation.op, &operation.path) {
            (Op::Remove, Some(path)) => draft.remove(path)?,
            (_, Some(path)) => draft.set(path, value)?,
            (_, None) => {
                let attributes = value.as_object().ok_or_else(|| {
                    AppError::from(ScimError::InvalidSyntax(
                        "an operation without a path has an object of attributes as value".into(),
                    ))
                })?;
                for (key, value) in attributes {
                    draft.set(&Path::parse(key)?, value)?;
                }
            }
        }
    }
    save(state, client, headers, current, draft).await
}

/// A provisioned person as the audit log compares them: the record and the provider's fields.
fn audited(p: &ProvisionedPerson) -> Value {
    let mut record = serde_json::to_value(&p.person).unwrap_or_default();
    record["external_id"] = json!(p.external_id);
    record["given_name"] = json!(p.given_name);
    record["family_name"] = json!(p.family_name);
    record
}

/// Writes a changed person and answers them as stored.
async fn save(
    state: AppState,
    client: ScimClient,
    headers: HeaderMap,
    current: ProvisionedPerson,
    draft: Draft,
) -> Result<Response, AppError> {
    let person = draft.into_provisioned(&current.person)?;
    let outcome = state.store.scim().update_scim_person(&person, state.now()).await.map_err(refused)?;
    let mut detail = changed_fields(&audited(&current), &audited(&person));
    detail["cancelled_bookings"] = json!(outcome.cancelled_bookings);
    let subject = Subject::new(SubjectKind::Person, person.person.id);
    audit_log::record_by(&state, audit_log::SCIM, client.organisation, AuditAction::PersonUpdated, subject, detail)
        .await?;
    let stored = state.store.scim().scim_person(client.organisation, person.person.id).await?;
    let context = Context::load(&state, client, headers).await?;
    Ok(respond(StatusCode::OK, &context.resource(&stored)))
}

async fn delete_user(
    State(state): State<AppState>,
    client: ScimClient,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<StatusCode, AppError> {
    let person = visible(&state, client, &id).await?;
    let outcome = state.store.scim().delete_scim_person(client.organisation, person.person.id, state.now()).await?;
    let detail =
        json!({"changed": ["active"], "deleted_by_provider": true, "cancelled_bookings": outcome.cancelled_bookings});
    let subject = Subject::new(SubjectKind::Person, person.person.id);
    audit_log::record_by(&state, audit_log::SCIM, client.organisation, AuditAction::PersonUpdated, subject, detail)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft_of(name: &str, given: Option<&str>, family: Option<&str>) -> Draft {
        Draft {
            email: Some(Email::parse("a@b.fi").unwrap()),
            given_name: given.map(str::to_owned),
            family_name: family.map(str::to_owned),
            current_name: Some(name.to_owned()),
            ..Draft::new(Language::Fi)
        }
    }

    fn path(p: &str) -> Path {
        Path::parse(p).unwrap()
    }

    #[test]
    fn a_new_given_name_alone_renames_the_person_with_the_family_name_kept() {
        let mut draft = draft_of("Maija Virtanen", Some("Maija"), Some("Virtanen"));
        draft.set(&path("name.givenName"), &json!("Maria")).unwrap();
        assert_eq!(draft.name().unwrap(), "Maria Virtanen");
    }

    #[test]
    fn a_display_name_wins_over_the_parts_and_no_change_keeps_the_name() {
        let mut draft = draft_of("Maija Virtanen", Some("Maija"), Some("Virtanen"));
        assert_eq!(draft.name().unwrap(), "Maija Virtanen");
        draft.set(&path("name.familyName"), &json!("Korhonen")).unwrap();
        draft.set(&path("displayName"), &json!("Maija K.")).unwrap();
        assert_eq!(draft.name().unwrap(), "Maija K.");
    }

    #[test]
    fn languages_come_from_locale_tags_and_unknown_ones_change_nothing() {
        let mut draft = draft_of("x", None, None);
        draft.set(&path("preferredLanguage"), &json!("sv-SE")).unwrap();
        assert_eq!(draft.language, Language::Sv);
        draft.set(&path("locale"), &json!("de-DE")).unwrap();
        assert_eq!(draft.language, Language::Sv);
        draft.set(&path("locale"), &json!("en_GB")).unwrap();
        assert_eq!(draft.language, Language::En);
    }

    #[test]
    fn attributes_hubnet_does_not_keep_are_accepted_and_unknown_ones_refused() {
        let mut draft = draft_of("x", None, None);
        draft.set(&path("title"), &json!("Analyst")).unwrap();
        draft.set(&path(r#"emails[type eq "work"].value"#), &json!("x@y.fi")).unwrap();
        draft
            .set(&path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"), &json!("IT"))
            .unwrap();
        assert_eq!(draft.set(&path("shoeSize"), &json!(42)).unwrap_err().code(), "scim_invalid_path");
        assert_eq!(draft.remove(&path("userName")).unwrap_err().code(), "invalid_input");
    }
}
