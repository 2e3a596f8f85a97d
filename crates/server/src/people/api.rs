//! People, their roles and their API tokens, a person's own data, and erasure, as JSON. People are
//! personal data: a person is visible to themself, to colleagues in the same organisation and to
//! its admins and HR; to nobody else. An admin's or HR's read of someone else is audited.

use axum::extract::State;
use axum::http::StatusCode;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::text::parse_name;
use hubnet_domain::{
    Coordinates, Email, Language, MunicipalityCode, OrganisationId, Person, PersonId, Principal, Role, TokenId, UnitId,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{MyData, TokenView, home_municipality, my_data, person_data, set_home};
use crate::audit::{self, Subject, changed_fields};
use crate::auth::Auth;
use crate::auth::require;
use crate::error::{AppError, Json, Path, Query};
use crate::geography;
use crate::input::PageQuery;
use crate::people::error::PersonError;
use crate::state::AppState;
use hubnet_domain::ids::new_id;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me))
        .routes(routes!(export_me))
        .routes(routes!(set_my_home))
        .routes(routes!(list_people, create_person))
        .routes(routes!(get_person, update_person))
        .routes(routes!(get_roles, replace_roles))
        .routes(routes!(get_role_tags, replace_role_tags))
        .routes(routes!(export_person))
        .routes(routes!(erase_person))
        .routes(routes!(list_tokens))
        .routes(routes!(revoke_token))
}

/// The signed-in person and their roles.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub person: Person,
    pub roles: Vec<Role>,
}

#[utoipa::path(get, path = "/me", tag = "people",
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
async fn get_me(Auth(me): Auth) -> Json<Me> {
    Json(Me { person: me.person, roles: me.roles })
}

/// Where a person lives, as much as hubnet keeps: a municipality, never an address.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HomeInput {
    /// `FI-049`, `SE-2380`; `null` to forget it.
    #[schema(value_type = Option<String>, example = "FI-049")]
    pub municipality: Option<hubnet_domain::MunicipalityCode>,
    /// In Finland, a postal code instead (or as well): its municipality becomes the home, and the
    /// code itself is not kept.
    #[schema(example = "02100")]
    pub postal_code: Option<String>,
}

/// Sets the caller's own home municipality, given as its code or, in Finland, by a postal code:
/// distances to places are measured from the municipality's centre. Only the municipality is
/// kept.
#[utoipa::path(put, path = "/me/home", tag = "people", request_body = HomeInput,
    responses((status = 200, body = Person), (status = 422, body = crate::error::ErrorBody)))]
async fn set_my_home(
    State(state): State<AppState>,
    Auth(me): Auth,
    Json(input): Json<HomeInput>,
) -> Result<Json<Person>, AppError> {
    let municipality = home_municipality(input.municipality, input.postal_code.as_deref())?;
    Ok(Json(set_home(&state, &me, municipality).await?))
}

/// The caller's own data as JSON, to keep or to take elsewhere (GDPR articles 15 and 20).
#[utoipa::path(get, path = "/me/export", tag = "people",
    responses((status = 200, body = MyData), (status = 401, body = crate::error::ErrorBody)))]
async fn export_me(State(state): State<AppState>, Auth(me): Auth) -> Result<Json<MyData>, AppError> {
    Ok(Json(my_data(&state, &me).await?))
}

/// A person as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub organisation_id: OrganisationId,
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    pub name: String,
    pub email: Email,
    /// Default: Finnish for a Finnish organisation, Swedish for a Swedish one.
    #[serde(default)]
    pub language: Option<Language>,
    /// Home municipality, such as `FI-111` (never a street address).
    #[serde(default)]
    pub home_municipality: Option<MunicipalityCode>,
    /// Where "near home" is measured from; defaults to the home municipality's centre. Kept to
    /// two decimals (about a kilometre), so it can never pin down a home address.
    #[serde(default)]
    pub home: Option<Coordinates>,
    #[serde(default = "default_true")]
    pub active: bool,
}

const fn default_true() -> bool {
    true
}

impl PersonInput {
    async fn into_person(self, state: &AppState, id: PersonId) -> Result<Person, AppError> {
        let organisation = state
            .store
            .organisations()
            .get_organisation(self.organisation_id)
            .await
            .map_err(|_| AppError::invalid("organisation_id", "no such organisation"))?;
        let home = match (self.home, self.home_municipality) {
            (Some(home), _) => Some(round_to_a_kilometre(home)?),
            (None, Some(code)) => Some(
                geography::municipality(code)
                    .ok_or_else(|| AppError::invalid("home_municipality", format!("no municipality {code}")))?
                    .centre,
            ),
            (None, None) => None,
        };
        if let Some(unit) = self.unit_id {
            let unit = state
                .store
                .organisations()
                .get_unit(unit)
                .await
                .map_err(|_| AppError::invalid("unit_id", "no such unit"))?;
            if unit.organisation_id != self.organisation_id {
                return Err(AppError::invalid("unit_id", "the unit belongs to another organisation"));
            }
        }
        Ok(Person {
            id,
            organisation_id: self.organisation_id,
            unit_id: self.unit_id,
            name: parse_name(&self.name, "name")?,
            email: self.email,
            language: self.language.unwrap_or(match organisation.country {
                hubnet_domain::Country::Finland => Language::Fi,
                hubnet_domain::Country::Sweden => Language::Sv,
            }),
            home_municipality: self.home_municipality,
            home,
            active: self.active,
        })
    }
}

/// Two decimals of a degree: about 1.1 km north-south and 0.5 km east-west at these latitudes.
fn round_to_a_kilometre(point: Coordinates) -> Result<Coordinates, AppError> {
    let round = |x: f64| (x * 100.0).round() / 100.0;
    Ok(Coordinates::new(round(point.lat()), round(point.lon()))?)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PeopleQuery {
    /// Whose people (default: the caller's own organisation).
    organisation: Option<OrganisationId>,
    /// Continue after this id (the last one of the previous page).
    after: Option<String>,
    /// At most this many (1-1000, default 100).
    limit: Option<u32>,
}

/// People of one organisation, in id order (members see colleagues; admins and HR see their
/// organisation's people, and each such list is audited).
#[utoipa::path(get, path = "/people", tag = "people", params(PeopleQuery),
    responses((status = 200, body = [Person]), (status = 404, body = crate::error::ErrorBody)))]
async fn list_people(
    State(state): State<AppState>,
    Auth(me): Auth,
    Query(query): Query<PeopleQuery>,
) -> Result<Json<Vec<Person>>, AppError> {
    let organisation = query.organisation.unwrap_or(me.organisation_id());
    if organisation != me.organisation_id() && !me.can_read_people(organisation) {
        return Err(AppError::NotFound);
    }
    let page = PageQuery { after: query.after, limit: query.limit }.page()?;
    let people = state.store.people().list_people(organisation, page).await?;
    if me.can_read_people(organisation) {
        let subject = Subject::new(SubjectKind::Organisation, organisation);
        let detail = serde_json::json!({ "count": people.len() });
        audit::record(&state, &me, organisation, AuditAction::PeopleListed, subject, detail).await?;
    }
    Ok(Json(people))
}

/// A person the caller may see, or 404: people of other organisations do not exist to them.
async fn visible_person(state: &AppState, me: &Principal, id: PersonId) -> Result<Person, AppError> {
    let person = state.store.people().get_person(id).await?;
    if me.can_see_person(&person) { Ok(person) } else { Err(AppError::NotFound) }
}

#[utoipa::path(get, path = "/people/{id}", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses((status = 200, body = Person), (status = 404, body = crate::error::ErrorBody)))]
async fn get_person(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<PersonId>,
) -> Result<Json<Person>, AppError> {
    let person = visible_person(&state, &me, id).await?;
    audit::viewed(&state, &me, &person, "profile").await?;
    Ok(Json(person))
}

/// Adds a person to an organisation (its admins).
#[utoipa::path(post, path = "/people", tag = "people", request_body = PersonInput,
    responses((status = 201, body = Person), (status = 403, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_person(
    State(state): State<AppState>,
    Auth(me): Auth,
    Json(input): Json<PersonInput>,
) -> Result<(StatusCode, Json<Person>), AppError> {
    require(me.administers(input.organisation_id))?;
    let person = input.into_person(&state, new_id()).await?;
    state.store.people().save_person(&person).await?;
    let subject = Subject::new(SubjectKind::Person, person.id);
    let detail = serde_json::json!({});
    audit::record(&state, &me, person.organisation_id, AuditAction::PersonCreated, subject, detail).await?;
    Ok((StatusCode::CREATED, Json(person)))
}

/// Replaces a person's details (admins of their organisation; moving a person to another
/// organisation needs the admin role in both).
#[utoipa::path(put, path = "/people/{id}", tag = "people", request_body = PersonInput,
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses((status = 200, body = Person), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_person(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<PersonId>,
    Json(input): Json<PersonInput>,
) -> Result<Json<Person>, AppError> {
    let existing = visible_person(&state, &me, id).await?;
    require(me.can_manage_person(&existing) && me.administers(input.organisation_id))?;
    require_reach_over(&state, &me, &existing).await?;
    require_not_erased(&state, id).await?;
    let person = input.into_person(&state, id).await?;
    state.store.people().save_person(&person).await?;
    let detail = changed_fields(&existing, &person);
    let subject = Subject::new(SubjectKind::Person, id);
    audit::record(&state, &me, existing.organisation_id, AuditAction::PersonUpdated, subject, detail.clone()).await?;
    if person.organisation_id != existing.organisation_id {
        audit::record(&state, &me, person.organisation_id, AuditAction::PersonUpdated, subject, detail).await?;
    }
    Ok(Json(person))
}

#[utoipa::path(get, path = "/people/{id}/roles", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses((status = 200, body = [Role]), (status = 404, body = crate::error::ErrorBody)))]
async fn get_roles(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<PersonId>,
) -> Result<Json<Vec<Role>>, AppError> {
    let person = visible_person(&state, &me, id).await?;
    audit::viewed(&state, &me, &person, "roles").await?;
    Ok(Json(state.store.people().roles_of(person.id).await?))
}

/// Replaces a person's roles. Each role added or removed must be within the caller's reach:
/// organisation admin of the same organisation, site host of a site the caller manages,
/// platform admin only by a platform admin.
#[utoipa::path(put, path = "/people/{id}/roles", tag = "people", request_body = Vec<Role>,
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses((status = 200, body = [Role]), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn replace_roles(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<PersonId>,
    Json(roles): Json<Vec<Role>>,
) -> Result<Json<Vec<Role>>, AppError> {
    let person = visible_person(&state, &me, id).await?;
    // A site's host hands on the host role of the sites they run, and nothing else: the checks
    // role by role below hold them to that.
    require(me.can_manage_person(&person) || me.roles.iter().any(|r| matches!(r, Role::SiteHost { .. })))?;
    require_reach_over(&state, &me, &person).await?;
    require_not_erased(&state, id).await?;
    let current = state.store.people().roles_of(person.id).await?;
    let added: Vec<Role> = roles.iter().filter(|r| !current.contains(r)).copied().collect();
    let removed: Vec<Role> = current.iter().filter(|r| !roles.contains(r)).copied().collect();
    for role in &added {
        let site = match role {
            Role::SiteHost { site_id } => Some(
                state
                    .store
                    .sites()
                    .get_site(*site_id)
                    .await
                    .map_err(|_| AppError::invalid("site_id", "no such site"))?,
            ),
            _ => None,
        };
        require(me.may_grant(*role, &person, site.as_ref()))?;
    }
    for role in &removed {
        let site = match role {
            Role::SiteHost { site_id } => state.store.sites().get_site(*site_id).await.ok(),
            _ => None,
        };
        require(me.may_revoke(*role, &person, site.as_ref()))?;
    }
    state.store.people().replace_roles(person.id, &roles).await?;
    if !added.is_empty() || !removed.is_empty() {
        let subject = Subject::new(SubjectKind::Person, person.id);
        let detail = serde_json::json!({ "added": added, "removed": removed });
        audit::record(&state, &me, person.organisation_id, AuditAction::RolesReplaced, subject, detail).await?;
    }
    Ok(Json(state.store.people().roles_of(person.id).await?))
}

/// A person's role tags, such as "cross-sector coordinator": what their organisation's policy
/// rules may refer to (whoever may see the person).
#[utoipa::path(get, path = "/people/{id}/role-tags", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses((status = 200, body = [String]), (status = 404, body = crate::error::ErrorBody)))]
async fn get_role_tags(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<PersonId>,
) -> Result<Json<Vec<String>>, AppError> {
    let person = visible_person(&state, &me, id).await?;
    audit::viewed(&state, &me, &person, "role_tags").await?;
    Ok(Json(state.store.policies().role_tags(person.id).await?))
}

/// Replaces a person's role tags (admins of their organisation). Tags are trimmed and
/// lower-cased; at most 20 of 1-60 characters.
#[utoipa::path(put, path = "/people/{id}/role-tags", tag = "people", request_body = Vec<String>,
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses((status = 200, body = [String]), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn replace_role_tags(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<PersonId>,
    Json(tags): Json<Vec<String>>,
) -> Result<Json<Vec<String>>, AppError> {
    let person = visible_person(&state, &me, id).await?;
    require(me.can_manage_person(&person))?;
    require_reach_over(&state, &me, &person).await?;
    require_not_erased(&state, id).await?;
    let tags = hubnet_domain::person::parse_role_tags(&tags)?;
    let current = state.store.policies().role_tags(person.id).await?;
    state.store.policies().set_role_tags(person.id, &tags).await?;
    if current != tags {
        let added: Vec<&String> = tags.iter().filter(|t| !current.contains(t)).collect();
        let removed: Vec<&String> = current.iter().filter(|t| !tags.contains(t)).collect();
        let subject = Subject::new(SubjectKind::Person, person.id);
        let detail = serde_json::json!({ "added": added, "removed": removed });
        audit::record(&state, &me, person.organisation_id, AuditAction::RoleTagsReplaced, subject, detail).await?;
    }
    Ok(Json(tags))
}

/// Refuses to change an erased person: their record stays a placeholder.
async fn require_not_erased(state: &AppState, id: PersonId) -> Result<(), AppError> {
    match state.store.audit().erased_at(id).await? {
        Some(_) => Err(AppError::PersonErased),
        None => Ok(()),
    }
}

/// Everything hubnet keeps about a person, for an admin of their organisation answering their
/// request (or for the person themself, like `/me/export`). An admin's export is audited.
#[utoipa::path(get, path = "/people/{id}/export", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses((status = 200, body = MyData), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn export_person(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<PersonId>,
) -> Result<Json<MyData>, AppError> {
    let person = visible_person(&state, &me, id).await?;
    require(me.can_export_person(&person))?;
    let roles = state.store.people().roles_of(person.id).await?;
    let data = person_data(&state, &person, roles).await?;
    if person.id != me.person_id() {
        let subject = Subject::new(SubjectKind::Person, person.id);
        let detail = serde_json::json!({ "bookings": data.bookings.len() });
        audit::record(&state, &me, person.organisation_id, AuditAction::PersonExported, subject, detail).await?;
    }
    Ok(Json(data))
}

/// What an erasure did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureView {
    /// The record as it stays: placeholder name and address, no home, inactive.
    pub person: Person,
    /// Bookings that had not started, now cancelled.
    pub cancelled_bookings: u64,
    /// Bookings kept, without anything naming the person, so that statistics stay the same.
    pub kept_bookings: u64,
    pub tokens_deleted: u64,
    pub sessions_ended: u64,
}

/// Erases a person (an admin of their organisation; not the person themself, who has their
/// export): their name and address become placeholders, their home, roles, sessions, API
/// tokens and password go, bookings that have not started are cancelled, and past ones stay in
/// the statistics. Irreversible; one transaction with its audit entry. 409
/// `person_already_erased` the second time.
#[utoipa::path(post, path = "/people/{id}/erase", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses((status = 200, body = ErasureView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn erase_person(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<PersonId>,
) -> Result<Json<ErasureView>, AppError> {
    let person = visible_person(&state, &me, id).await?;
    require(me.can_erase(&person))?;
    require_reach_over(&state, &me, &person).await?;
    if state.store.audit().erased_at(id).await?.is_some() {
        return Err(PersonError::AlreadyErased.into());
    }
    let subject = Subject::new(SubjectKind::Person, id);
    let entry =
        audit::entry(&state, &me, person.organisation_id, AuditAction::PersonErased, subject, serde_json::json!({}));
    match state.store.audit().erase_person(id, state.now(), &entry).await? {
        hubnet_store::audit::Erasure::Erased(report) => Ok(Json(ErasureView {
            person: state.store.people().get_person(id).await?,
            cancelled_bookings: report.cancelled_bookings,
            kept_bookings: report.kept_bookings,
            tokens_deleted: report.tokens_deleted,
            sessions_ended: report.sessions_ended,
        })),
        hubnet_store::audit::Erasure::AlreadyErased => Err(PersonError::AlreadyErased.into()),
    }
}

/// Only a platform admin may change a platform admin: an organisation admin must not be able
/// to lock out the people who run the installation.
async fn require_reach_over(state: &AppState, me: &Principal, person: &Person) -> Result<(), AppError> {
    if me.is_platform_admin() || person.id == me.person_id() {
        return Ok(());
    }
    let roles = state.store.people().roles_of(person.id).await?;
    require(!roles.contains(&Role::PlatformAdmin))
}

/// The caller's own API tokens.
#[utoipa::path(get, path = "/tokens", tag = "people",
    responses((status = 200, body = [TokenView]), (status = 401, body = crate::error::ErrorBody)))]
async fn list_tokens(State(state): State<AppState>, Auth(me): Auth) -> Result<Json<Vec<TokenView>>, AppError> {
    let tokens = state.store.tokens().list_tokens(me.person_id()).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|t| TokenView { id: t.id, label: t.label, created_at: t.created_at, revoked_at: t.revoked_at })
            .collect(),
    ))
}

/// Revokes one of the caller's own tokens; it stops working at once.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "Token id")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    Auth(me): Auth,
    Path(id): Path<TokenId>,
) -> Result<StatusCode, AppError> {
    let own = state.store.tokens().list_tokens(me.person_id()).await?;
    let Some(token) = own.iter().find(|t| t.id == id) else {
        return Err(AppError::NotFound);
    };
    state.store.tokens().revoke_token(id, state.now()).await?;
    if token.revoked_at.is_none() {
        let subject = Subject::new(SubjectKind::Token, id);
        let detail = serde_json::json!({ "person_id": me.person_id() });
        audit::record(&state, &me, me.organisation_id(), AuditAction::TokenRevoked, subject, detail).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
