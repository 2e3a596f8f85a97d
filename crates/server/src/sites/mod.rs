//! Sites and their floors and spaces, and registering at a site that asks for it. The network is
//! a shared directory: everyone signed in sees every site; only its owner's admins and its hosts
//! change it.
//!
//! Here: the use cases the JSON API (`api.rs`) and the pages (`pages.rs`: a site's page with its
//! floor plans and Register; `host.rs`: the host pages) share, each checking who may do it,
//! validating, saving and writing the audit log alike: add or change a site, a floor, a space, and
//! register.

pub mod api;
pub mod host;
pub mod pages;
use crate::audit::{self, Subject, changed_fields};
use crate::auth::require;
use crate::error::AppError;
use crate::geography;
use crate::state::AppState;
use hubnet_domain::BookingError;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::ids::new_id;
use hubnet_domain::org::Code;
use hubnet_domain::site::parse_time_zone;
use hubnet_domain::space::normalise;
use hubnet_domain::{
    AccessTerms, Coordinates, Floor, FloorId, LocalizedText, MunicipalityCode, OrganisationId, Price, Principal, Site,
    SiteId, SiteKind, WeeklyHours,
};
use hubnet_domain::{AccessibilityFeature, Amenity, PersonId, Space, SpaceId, SpaceKind};
use serde::Deserialize;
use utoipa::ToSchema;

/// A site as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    #[schema(value_type = String, example = "helsinki-lab")]
    pub code: Code,
    pub kind: SiteKind,
    /// The owner; for a co-working hub, its provider.
    pub organisation_id: OrganisationId,
    pub name: LocalizedText,
    pub address: String,
    pub municipality: MunicipalityCode,
    /// Defaults to the municipality's centre.
    #[serde(default)]
    pub coordinates: Option<Coordinates>,
    /// IANA zone; defaults to Europe/Helsinki or Europe/Stockholm by country.
    #[serde(default)]
    pub time_zone: Option<String>,
    pub opening_hours: WeeklyHours,
    #[serde(default = "default_true")]
    pub closed_on_holidays: bool,
    #[serde(default = "AccessTerms::owner_only")]
    pub access: AccessTerms,
    #[serde(default)]
    pub price_per_seat_day: Option<Price>,
    #[serde(default = "default_horizon")]
    pub booking_horizon_days: u16,
}

const fn default_true() -> bool {
    true
}

const fn default_horizon() -> u16 {
    Site::DEFAULT_HORIZON_DAYS
}

impl SiteInput {
    pub async fn into_site(self, state: &AppState, id: SiteId) -> Result<Site, AppError> {
        let municipality = geography::municipality(self.municipality)
            .ok_or_else(|| AppError::invalid("municipality", format!("no municipality {}", self.municipality)))?;
        let time_zone = match self.time_zone.as_deref() {
            Some(name) => parse_time_zone(name)?,
            None => self.municipality.country().default_time_zone(),
        };
        for organisation in &self.access.organisations {
            state
                .store
                .organisations()
                .get_organisation(*organisation)
                .await
                .map_err(|_| AppError::invalid("access.organisations", format!("no organisation {organisation}")))?;
        }
        let mut access = self.access;
        access.organisations = hubnet_domain::space::normalise(access.organisations);
        let site = Site {
            id,
            code: self.code,
            kind: self.kind,
            organisation_id: self.organisation_id,
            name: self.name,
            address: self.address.trim().to_owned(),
            municipality: self.municipality,
            coordinates: self.coordinates.unwrap_or(municipality.centre),
            time_zone,
            opening_hours: self.opening_hours,
            closed_on_holidays: self.closed_on_holidays,
            access,
            price_per_seat_day: self.price_per_seat_day,
            booking_horizon_days: self.booking_horizon_days,
        };
        site.validate()?;
        Ok(site)
    }
}

/// Records a change of a site for its owner (and, when it changed hands, for the new owner).
pub async fn site_updated(state: &AppState, me: &Principal, before: &Site, after: &Site) -> Result<(), AppError> {
    let detail = changed_fields(before, after);
    let subject = Subject::new(SubjectKind::Site, after.id);
    audit::record(state, me, before.organisation_id, AuditAction::SiteUpdated, subject, detail.clone()).await?;
    if after.organisation_id != before.organisation_id {
        audit::record(state, me, after.organisation_id, AuditAction::SiteUpdated, subject, detail).await?;
    }
    Ok(())
}

/// A floor as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FloorInput {
    pub name: LocalizedText,
    /// 0 is the entrance level; negative is below ground.
    #[serde(default)]
    pub level: i16,
}

/// A space as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpaceInput {
    pub floor_id: FloorId,
    pub kind: SpaceKind,
    pub name: String,
    /// People it seats (1 for a desk, the default).
    #[serde(default = "one")]
    pub capacity: u16,
    #[serde(default)]
    pub amenities: Vec<Amenity>,
    #[serde(default)]
    pub accessibility: Vec<AccessibilityFeature>,
    /// Whether people may book it; a fixed space belongs to `assigned_to`.
    #[serde(default = "yes")]
    pub bookable: bool,
    #[serde(default)]
    pub assigned_to: Option<PersonId>,
    /// Bookings of this space wait for a host's approval, even where its site does not ask.
    #[serde(default)]
    pub approval_required: bool,
}

const fn one() -> u16 {
    1
}

const fn yes() -> bool {
    true
}

impl SpaceInput {
    /// The space this input describes; `kept` is whom it is assigned to already (an update that
    /// keeps the assignee is not checked again).
    pub async fn into_space(
        self,
        state: &AppState,
        id: SpaceId,
        site: SiteId,
        kept: Option<hubnet_domain::PersonId>,
    ) -> Result<Space, AppError> {
        let floor = state
            .store
            .sites()
            .get_floor(self.floor_id)
            .await
            .map_err(|_| AppError::invalid("floor_id", "no such floor"))?;
        if floor.site_id != site {
            return Err(AppError::invalid("floor_id", "the floor belongs to another site"));
        }
        if let Some(person) = self.assigned_to.filter(|p| Some(*p) != kept) {
            // Someone who may use the site: active, of an organisation it admits. Unknown people
            // and those the site does not admit get the same answer.
            let site = state.store.sites().get_site(site).await?;
            let fits = match state.store.people().get_person(person).await {
                Ok(p) => p.active && site.admits(p.organisation_id),
                Err(hubnet_store::StoreError::NotFound) => false,
                Err(other) => return Err(other.into()),
            };
            if !fits {
                return Err(AppError::invalid("assigned_to", "no active person who may use this site"));
            }
        }
        let space = Space {
            id,
            site_id: site,
            floor_id: self.floor_id,
            kind: self.kind,
            name: self.name.trim().to_owned(),
            capacity: self.capacity,
            amenities: normalise(self.amenities),
            accessibility: normalise(self.accessibility),
            bookable: self.bookable,
            assigned_to: self.assigned_to,
            approval_required: self.approval_required,
        };
        space.validate()?;
        Ok(space)
    }
}

/// Whether `me` may change `site`, handing it to `owner`: its hosts and the owner's admins may
/// change it; only admins of both organisations may hand it to another owner (403 otherwise).
pub fn check_change(me: &Principal, site: &Site, owner: OrganisationId) -> Result<(), AppError> {
    require(me.can_manage_site(site))?;
    if owner != site.organisation_id {
        require(me.administers(site.organisation_id) && me.administers(owner))?;
    }
    Ok(())
}

/// Adds a site (admins of the owning organisation) and records it for the owner.
pub async fn create_site(state: &AppState, me: &Principal, input: SiteInput) -> Result<Site, AppError> {
    require(me.administers(input.organisation_id))?;
    let site = input.into_site(state, new_id()).await?;
    state.store.sites().save_site(&site).await?;
    let detail = serde_json::json!({ "code": site.code.as_str() });
    let subject = Subject::new(SubjectKind::Site, site.id);
    audit::record(state, me, site.organisation_id, AuditAction::SiteCreated, subject, detail).await?;
    Ok(site)
}

/// Saves `after` in place of `before` (see [`check_change`] for who may), and records which
/// fields changed.
pub async fn save_site(state: &AppState, me: &Principal, before: &Site, after: Site) -> Result<Site, AppError> {
    check_change(me, before, after.organisation_id)?;
    after.validate()?;
    state.store.sites().save_site(&after).await?;
    site_updated(state, me, before, &after).await?;
    Ok(after)
}

/// Registers `me` at a site that admits their organisation: they accept its terms, once.
pub async fn register(state: &AppState, me: &Principal, site: SiteId) -> Result<Site, AppError> {
    let site = state.store.sites().get_site(site).await?;
    if !site.admits(me.organisation_id()) {
        return Err(BookingError::SiteNotOpenToYou.into());
    }
    state.store.sites().register(site.id, me.person_id(), state.now()).await?;
    Ok(site)
}

/// Adds a floor to a site its hosts and the owner's admins manage, and records it.
pub async fn add_floor(
    state: &AppState,
    me: &Principal,
    site: &Site,
    name: LocalizedText,
    level: i16,
) -> Result<Floor, AppError> {
    require(me.can_manage_site(site))?;
    name.validate("name")?;
    let floor = Floor { id: new_id(), site_id: site.id, name, level };
    state.store.sites().save_floor(&floor).await?;
    let detail = serde_json::json!({ "site_id": site.id });
    let subject = Subject::new(SubjectKind::Floor, floor.id);
    audit::record(state, me, site.organisation_id, AuditAction::FloorCreated, subject, detail).await?;
    Ok(floor)
}

/// Renames a floor or changes its level, and records which fields changed.
pub async fn change_floor(
    state: &AppState,
    me: &Principal,
    site: &Site,
    existing: &Floor,
    input: FloorInput,
) -> Result<Floor, AppError> {
    require(me.can_manage_site(site))?;
    input.name.validate("name")?;
    let floor = Floor { name: input.name, level: input.level, ..existing.clone() };
    state.store.sites().save_floor(&floor).await?;
    let subject = Subject::new(SubjectKind::Floor, floor.id);
    let detail = changed_fields(existing, &floor);
    audit::record(state, me, site.organisation_id, AuditAction::FloorUpdated, subject, detail).await?;
    Ok(floor)
}

/// Adds a space to one of the site's floors, and records it.
pub async fn add_space(state: &AppState, me: &Principal, site: &Site, input: SpaceInput) -> Result<Space, AppError> {
    require(me.can_manage_site(site))?;
    let space = input.into_space(state, new_id(), site.id, None).await?;
    state.store.sites().save_space(&space).await?;
    let detail = serde_json::json!({ "site_id": site.id });
    let subject = Subject::new(SubjectKind::Space, space.id);
    audit::record(state, me, site.organisation_id, AuditAction::SpaceCreated, subject, detail).await?;
    Ok(space)
}

/// Replaces a space of the site, and records which fields changed. Its assignee, if kept, is not
/// checked again.
pub async fn change_space(
    state: &AppState,
    me: &Principal,
    site: &Site,
    existing: &Space,
    input: SpaceInput,
) -> Result<Space, AppError> {
    require(me.can_manage_site(site))?;
    let space = input.into_space(state, existing.id, site.id, existing.assigned_to).await?;
    state.store.sites().save_space(&space).await?;
    let detail = changed_fields(existing, &space);
    let subject = Subject::new(SubjectKind::Space, space.id);
    audit::record(state, me, site.organisation_id, AuditAction::SpaceUpdated, subject, detail).await?;
    Ok(space)
}
