//! `/Groups`: the units of the caller's organisation, with the people in them as members.
//!
//! `displayName` is the unit's name (a name set through SCIM is the same in fi, sv and en; a
//! unit named in three languages shows the one of the organisation's country). A person belongs
//! to at most one unit: adding them to a group takes them out of the one they were in. A
//! deleted group's people belong to no unit, and its child units move up to its parent.

use std::collections::HashMap;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use hubnet_domain::{Country, Language, LocalizedText, PersonId, Unit, UnitId};
use hubnet_store::scim::{Members, ProvisionedUnit};
use serde_json::{Value, json};

use super::patch::Op;
use super::users::refused;
use super::{
    ListQuery, ScimClient, external_id, list_response, location, member, meta, object, optional_string, respond,
};
use crate::audit::{self as audit_log, Subject, changed_fields};
use crate::error::{AppError, Json, Query};
use crate::scim::error::ScimError;
use crate::state::AppState;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::ids::new_id;

const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/Groups", get(list_groups).post(create_group))
        .route("/Groups/{id}", get(get_group).put(replace_group).patch(patch_group).delete(delete_group))
}

/// The language a unit's name is shown in: the organisation's country's.
async fn language(state: &AppState, client: ScimClient) -> Result<Language, AppError> {
    Ok(match state.store.organisations().get_organisation(client.organisation).await?.country {
        Country::Finland => Language::Fi,
        Country::Sweden => Language::Sv,
    })
}

fn resource(unit: &ProvisionedUnit, language: Language, headers: &HeaderMap, with_members: bool) -> Value {
    let mut resource = json!({
        "schemas": [GROUP],
        "id": unit.unit.id,
        "displayName": unit.unit.name.get(language),
        "meta": meta("Group", &location(headers, "Groups", &unit.unit.id), unit.updated_at),
    });
    if let Some(external_id) = &unit.external_id {
        resource["externalId"] = json!(external_id);
    }
    if with_members {
        resource["members"] = unit
            .members
            .iter()
            .map(|m| json!({"value": m.id, "display": m.name, "$ref": location(headers, "Users", &m.id), "type": "User"}))
            .collect();
    }
    resource
}

/// The people a `members` value names: `[{"value": "<id>"}, ...]` (or one such object).
fn member_ids(value: &Value) -> Result<Vec<PersonId>, AppError> {
    let one = |item: &Value| -> Result<PersonId, AppError> {
        item.as_object()
            .and_then(|m| member(m, "value"))
            .and_then(Value::as_str)
            .and_then(|id| id.trim().parse().ok())
            .ok_or_else(|| AppError::invalid("members", "each member is {\"value\": \"<user id>\"}"))
    };
    match value {
        Value::Array(items) => items.iter().map(one).collect(),
        Value::Object(_) => Ok(vec![one(value)?]),
        Value::Null => Ok(Vec::new()),
        _ => Err(AppError::invalid("members", "a list of members")),
    }
}

/// A group's `displayName`, required.
fn display_name(value: Option<&Value>) -> Result<LocalizedText, AppError> {
    let name = value
        .map(|v| optional_string(v, "displayName"))
        .transpose()?
        .flatten()
        .ok_or_else(|| AppError::invalid("displayName", "displayName is required"))?;
    Ok(LocalizedText::same(&name, "displayName")?)
}

/// How the operations of a PATCH change the members, in order.
#[derive(Debug, Default)]
struct MemberChanges {
    replace: Option<Vec<PersonId>>,
    add: Vec<PersonId>,
    remove: Vec<PersonId>,
}

impl MemberChanges {
    fn add(&mut self, id: PersonId) {
        if let Some(list) = &mut self.replace {
            if !list.contains(&id) {
                list.push(id);
            }
        } else {
            self.remove.retain(|r| *r != id);
            if !self.add.contains(&id) {
                self.add.push(id);
            }
        }
    }

    fn remove(&mut self, id: PersonId) {
        if let Some(list) = &mut self.replace {
            list.retain(|r| *r != id);
        } else {
            self.add.retain(|a| *a != id);
            if !self.remove.contains(&id) {
                self.remove.push(id);
            }
        }
    }

    fn replace(&mut self, ids: Vec<PersonId>) {
        self.replace = Some(ids);
        self.add.clear();
        self.remove.clear();
    }

    fn into_members(self) -> Members {
        match self.replace {
            Some(list) => Members::Replace(list),
            None if self.add.is_empty() && self.remove.is_empty() => Members::Keep,
            None => Members::Change { add: self.add, remove: self.remove },
        }
    }
}

async fn visible(state: &AppState, client: ScimClient, id: &str) -> Result<ProvisionedUnit, AppError> {
    let id: UnitId = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(state.store.scim().scim_unit(client.organisation, id).await?)
}

async fn list_groups(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let query = ListQuery::parse(&query)?;
    let language = language(&state, client).await?;
    let units = state.store.scim().scim_units(client.organisation).await?;
    let matches: Vec<&ProvisionedUnit> = match &query.filter {
        None => units.iter().collect(),
        Some(f) if f.attribute == "displayname" => {
            units.iter().filter(|u| u.unit.name.get(language).to_lowercase() == f.value.to_lowercase()).collect()
        }
        Some(f) if f.attribute == "externalid" => {
            units.iter().filter(|u| u.external_id.as_deref() == Some(f.value.as_str())).collect()
        }
        Some(f) if f.attribute == "id" => units.iter().filter(|u| u.unit.id.to_string() == f.value.trim()).collect(),
        Some(f) => {
            return Err(ScimError::InvalidFilter(format!(
                "groups are filtered by displayName, externalId or id, not {}",
                f.attribute
            ))
            .into());
        }
    };
    let with_members = !query.excluded.iter().any(|a| a == "members");
    let skip = usize::try_from(query.start_index - 1).unwrap_or(usize::MAX);
    let resources: Vec<Value> = matches
        .iter()
        .skip(skip)
        .take(query.count as usize)
        .map(|u| resource(u, language, &headers, with_members))
        .collect();
    Ok(respond(StatusCode::OK, &list_response(matches.len() as u64, query.start_index, &resources)))
}

async fn get_group(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let query = ListQuery::parse(&query)?;
    let unit = visible(&state, client, &id).await?;
    let with_members = !query.excluded.iter().any(|a| a == "members");
    Ok(respond(StatusCode::OK, &resource(&unit, language(&state, client).await?, &headers, with_members)))
}

async fn create_group(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let attributes = object(&body)?;
    let unit = Unit {
        id: new_id(),
        organisation_id: client.organisation,
        parent_id: None,
        name: display_name(member(attributes, "displayName"))?,
    };
    let external = member(attributes, "externalId").map(external_id).transpose()?.flatten();
    let members = Members::Replace(member(attributes, "members").map(member_ids).transpose()?.unwrap_or_default());
    state.store.scim().save_scim_unit(&unit, external.as_deref(), &members).await.map_err(refused)?;
    let subject = Subject::new(SubjectKind::Unit, unit.id);
    audit_log::record_by(
        &state,
        audit_log::SCIM,
        client.organisation,
        AuditAction::UnitCreated,
        subject,
        members_detail(&members),
    )
    .await?;
    let created = state.store.scim().scim_unit(client.organisation, unit.id).await?;
    Ok(respond(StatusCode::CREATED, &resource(&created, language(&state, client).await?, &headers, true)))
}

async fn replace_group(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let current = visible(&state, client, &id).await?;
    let attributes = object(&body)?;
    let language = language(&state, client).await?;
    let name = display_name(member(attributes, "displayName"))?;
    let unit = Unit { name: renamed(&current.unit, name, language), ..current.unit.clone() };
    let external = member(attributes, "externalId").map(external_id).transpose()?.flatten();
    let members = Members::Replace(member(attributes, "members").map(member_ids).transpose()?.unwrap_or_default());
    state.store.scim().save_scim_unit(&unit, external.as_deref(), &members).await.map_err(refused)?;
    unit_updated(&state, client, &current.unit, &unit, &members).await?;
    let stored = state.store.scim().scim_unit(client.organisation, unit.id).await?;
    Ok(respond(StatusCode::OK, &resource(&stored, language, &headers, true)))
}

/// What a membership change did, by count (the people are in the unit's record).
fn members_detail(members: &Members) -> Value {
    match members {
        Members::Keep => json!({ "members": "kept" }),
        Members::Replace(ids) => json!({ "members": { "replaced_with": ids.len() } }),
        Members::Change { add, remove } => json!({ "members": { "added": add.len(), "removed": remove.len() } }),
    }
}

/// Records a change SCIM made to a unit: the fields that changed and the membership change.
async fn unit_updated(
    state: &AppState,
    client: ScimClient,
    before: &Unit,
    after: &Unit,
    members: &Members,
) -> Result<(), AppError> {
    let mut detail = changed_fields(before, after);
    detail["members"] = members_detail(members)["members"].clone();
    let subject = Subject::new(SubjectKind::Unit, after.id);
    audit_log::record_by(state, audit_log::SCIM, client.organisation, AuditAction::UnitUpdated, subject, detail).await
}

/// The unit's names after SCIM names it: unchanged when SCIM sends the name it shows, so
/// that a unit's translations survive a provider that only repeats the name.
fn renamed(unit: &Unit, name: LocalizedText, language: Language) -> LocalizedText {
    if unit.name.get(language) == name.get(language) { unit.name.clone() } else { name }
}

async fn patch_group(
    State(state): State<AppState>,
    client: ScimClient,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let current = visible(&state, client, &id).await?;
    let language = language(&state, client).await?;
    let mut name = None;
    let mut external = current.external_id.clone();
    let mut members = MemberChanges::default();
    for operation in super::operations(&body)? {
        let value = operation.value.as_ref().unwrap_or(&Value::Null);
        let changes: Vec<(String, Option<super::filter::Filter>, &Value)> = match &operation.path {
            Some(path) => vec![(path.attribute.clone(), path.filter.clone(), value)],
            None => value
                .as_object()
                .ok_or_else(|| {
                    AppError::from(ScimError::InvalidSyntax(
                        "an operation without a path has an object of attributes as value".into(),
                    ))
                })?
                .iter()
                .map(|(k, v)| (super::filter::normalise_attribute(k), None, v))
                .collect(),
        };
        for (attribute, filter, value) in changes {
            match (attribute.as_str(), operation.op) {
                ("members", Op::Add) => member_ids(value)?.into_iter().for_each(|id| members.add(id)),
                ("members", Op::Replace) => members.replace(member_ids(value)?),
                ("members", Op::Remove) => match filter {
                    Some(f) if f.attribute == "value" => {
                        let id = f.value.trim().parse().map_err(|_| AppError::invalid("members", "not a user id"))?;
                        members.remove(id);
                    }
                    Some(f) => {
                        return Err(ScimError::InvalidPath(format!(
                            "members are chosen by value, not {}",
                            f.attribute
                        ))
                        .into());
                    }
                    None if value.is_null() => members.replace(Vec::new()),
                    None => member_ids(value)?.into_iter().for_each(|id| members.remove(id)),
                },
                ("displayname", Op::Remove) => return Err(AppError::invalid("displayName", "cannot be removed")),
                ("displayname", _) => name = Some(display_name(Some(value))?),
                ("externalid", Op::Remove) => external = None,
                ("externalid", _) => external = external_id(value)?,
                ("schemas", _) => {}
                (other, _) => {
                    return Err(ScimError::InvalidPath(format!("hubnet keeps no group attribute {other}")).into());
                }
            }
        }
    }
    let unit = match name {
        Some(name) => Unit { name: renamed(&current.unit, name, language), ..current.unit.clone() },
        None => current.unit.clone(),
    };
    let members = members.into_members();
    state.store.scim().save_scim_unit(&unit, external.as_deref(), &members).await.map_err(refused)?;
    unit_updated(&state, client, &current.unit, &unit, &members).await?;
    let stored = state.store.scim().scim_unit(client.organisation, unit.id).await?;
    Ok(respond(StatusCode::OK, &resource(&stored, language, &headers, true)))
}

async fn delete_group(
    State(state): State<AppState>,
    client: ScimClient,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<StatusCode, AppError> {
    let unit = visible(&state, client, &id).await?;
    state.store.scim().delete_scim_unit(client.organisation, unit.unit.id).await?;
    let subject = Subject::new(SubjectKind::Unit, unit.unit.id);
    audit_log::record_by(&state, audit_log::SCIM, client.organisation, AuditAction::UnitDeleted, subject, json!({}))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> PersonId {
        PersonId::from_uuid(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn operations_on_members_add_up_in_order() {
        let mut changes = MemberChanges::default();
        changes.add(id(1));
        changes.add(id(2));
        changes.remove(id(1));
        changes.remove(id(3));
        assert_eq!(changes.into_members(), Members::Change { add: vec![id(2)], remove: vec![id(1), id(3)] });

        let mut changes = MemberChanges::default();
        changes.add(id(1));
        changes.replace(vec![id(2)]);
        changes.add(id(3));
        changes.remove(id(2));
        assert_eq!(changes.into_members(), Members::Replace(vec![id(3)]));
        assert_eq!(MemberChanges::default().into_members(), Members::Keep);
    }

    #[test]
    fn reads_members_as_entra_sends_them() {
        let one = uuid::Uuid::from_u128(1);
        assert_eq!(member_ids(&json!([{"value": one.to_string()}])).unwrap(), vec![id(1)]);
        assert_eq!(member_ids(&json!({"Value": one.to_string()})).unwrap(), vec![id(1)]);
        assert!(member_ids(&json!([{"value": "not-an-id"}])).is_err());
    }
}
