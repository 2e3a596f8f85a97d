//! A copy of the network and of who may do what, in memory.
//!
//! Every request reads who its token belongs to, and searches and bookings read sites and
//! spaces; at national scale these reads cost more than the booking itself. [`CachedStore`]
//! wraps a store and keeps what it has read: sites, each site's spaces, and the principal (person
//! and roles) behind each token it has seen. It drops it all when any of that changes:
//! - at once, when the change goes through this process: sites, floors and spaces saved
//!   (`save_site`, `save_floor`, `save_space`), people and roles changed (`save_person`,
//!   `replace_roles`, `set_language`), `revoke_token`, `sso_person`, SCIM's writes of people and
//!   units, `import` and `erase_person`;
//! - within [`RECHECK`], when another server made it: the database counts every change to
//!   sites, access lists, floors, spaces, tokens, people and roles (`network_version`,
//!   migrations 0003 and 0004), and the copy is compared with that count at most once per
//!   [`RECHECK`].
//!
//! Bookings themselves are never copied: which spaces are taken always comes from the
//! database, and the database's constraints decide every conflict whatever a copy says.
//!
//! A capability the cache neither copies nor must invalidate is the inner store's, handed out in
//! one line (`fn policies(&self) -> &dyn Policies { self.inner.policies() }`): organisations,
//! sign-in, policies, bookings and follow-up. For the others (people, tokens, SSO, SCIM, sites,
//! import, audit) the cache answers `self` and implements the capability's trait, passing through
//! the methods it leaves alone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::access::Principal;
use hubnet_domain::{
    Coordinates, Floor, FloorId, OrganisationId, Person, PersonId, Site, SiteId, Space, SpaceId, TokenId, Unit, UnitId,
};

use crate::audit::{AuditEntry, AuditQuery, Erasure};
use crate::{
    Audit, Backend, Bookings, FollowUp, Import, ImportBatch, Organisations, Page, People, Policies, Result, Scim,
    SignIn, Sites, Sso, Store, StoreError, TokenInfo, Tokens, scim,
};

/// Longest a copy may lag behind a change made through another server.
pub const RECHECK: Duration = Duration::from_secs(1);

/// Most principals kept; past it the cache starts again.
const MAX_PRINCIPALS: usize = 100_000;

#[derive(Default)]
struct Copy {
    /// Bumped by every invalidation: a read that began before one does not store its result.
    generation: u64,
    version: Option<i64>,
    checked: Option<Instant>,
    sites: Option<Arc<Vec<Site>>>,
    spaces: HashMap<SiteId, Arc<Vec<Space>>>,
    /// Which site each copied space is at.
    space_sites: HashMap<SpaceId, SiteId>,
    /// The principal behind each token hash seen (only tokens that worked).
    principals: HashMap<[u8; 32], Principal>,
}

impl Copy {
    fn clear(&mut self) {
        self.generation += 1;
        self.sites = None;
        self.spaces.clear();
        self.space_sites.clear();
        self.principals.clear();
    }
}

/// A store that answers network, space and principal reads from memory (see the module docs).
pub struct CachedStore {
    inner: Arc<dyn Store>,
    copy: Mutex<Copy>,
    recheck: Duration,
}

impl CachedStore {
    pub fn new(inner: Arc<dyn Store>) -> Self {
        Self::with_recheck(inner, RECHECK)
    }

    /// Compares the copy with the database at most once per `recheck` (zero: on every read).
    pub fn with_recheck(inner: Arc<dyn Store>, recheck: Duration) -> Self {
        Self { inner, copy: Mutex::new(Copy::default()), recheck }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Copy>> {
        self.copy.lock().map_err(|_| StoreError::Internal("the network copy is poisoned".into()))
    }

    /// Drops the copy if the database's network version has moved since it was last compared
    /// (at most once per `recheck`). Answers the generation that reads may store into.
    async fn current(&self) -> Result<u64> {
        {
            let mut copy = self.lock()?;
            if copy.checked.is_some_and(|at| at.elapsed() < self.recheck) {
                return Ok(copy.generation);
            }
            // Claimed: requests arriving meanwhile use the copy as it is.
            copy.checked = Some(Instant::now());
        }
        let version = match self.inner.sites().network_version().await {
            Ok(version) => version,
            Err(error) => {
                self.lock()?.checked = None;
                return Err(error);
            }
        };
        let mut copy = self.lock()?;
        if copy.version != Some(version) {
            // Always: data stored since the check began may be older than `version`.
            copy.clear();
            copy.version = Some(version);
        }
        Ok(copy.generation)
    }

    /// Forgets everything after a change made through this process.
    fn invalidate(&self) {
        if let Ok(mut copy) = self.copy.lock() {
            copy.clear();
            copy.checked = None;
        }
    }

    /// Invalidates when dropped: after a write, also one whose caller went away mid-way (a
    /// cancelled request's write may still commit).
    fn invalidate_after(&self) -> InvalidateOnDrop<'_> {
        InvalidateOnDrop(self)
    }

    /// Every site of the network.
    pub async fn all_sites(&self) -> Result<Arc<Vec<Site>>> {
        let generation = self.current().await?;
        if let Some(sites) = &self.lock()?.sites {
            return Ok(Arc::clone(sites));
        }
        let mut sites: Vec<Site> = Vec::new();
        loop {
            let page = self.inner.sites().list_sites(Page { after: sites.last().map(|s| s.id), limit: 1000 }).await?;
            if page.is_empty() {
                break;
            }
            sites.extend(page);
        }
        let sites = Arc::new(sites);
        let mut copy = self.lock()?;
        if copy.generation == generation {
            copy.sites = Some(Arc::clone(&sites));
        }
        Ok(sites)
    }

    /// A site's spaces (bookable or not), by floor and name, from the copy.
    pub async fn spaces(&self, site: SiteId) -> Result<Arc<Vec<Space>>> {
        let generation = self.current().await?;
        if let Some(spaces) = self.lock()?.spaces.get(&site) {
            return Ok(Arc::clone(spaces));
        }
        let spaces = Arc::new(self.inner.sites().list_spaces(site).await?);
        let mut copy = self.lock()?;
        if copy.generation == generation {
            for space in spaces.iter() {
                copy.space_sites.insert(space.id, site);
            }
            copy.spaces.insert(site, Arc::clone(&spaces));
        }
        Ok(spaces)
    }

    /// Loads every site and its spaces into the copy, one site after another (in the
    /// background, not to compete with requests), so that the first searches after start-up
    /// need not. Answers how many sites it loaded.
    pub async fn warm(&self) -> Result<usize> {
        let sites = self.all_sites().await?;
        for site in sites.iter() {
            self.spaces(site.id).await?;
        }
        Ok(sites.len())
    }
}

struct InvalidateOnDrop<'a>(&'a CachedStore);

impl Drop for InvalidateOnDrop<'_> {
    fn drop(&mut self) {
        self.0.invalidate();
    }
}

#[async_trait]
impl Store for CachedStore {
    fn backend(&self) -> Backend {
        self.inner.backend()
    }

    async fn ping(&self) -> Result<()> {
        self.inner.ping().await
    }

    async fn close(&self) {
        self.inner.close().await;
    }

    async fn is_empty(&self) -> Result<bool> {
        self.inner.is_empty().await
    }

    fn organisations(&self) -> &dyn Organisations {
        self.inner.organisations()
    }

    fn people(&self) -> &dyn People {
        self
    }

    fn tokens(&self) -> &dyn Tokens {
        self
    }

    fn sign_in(&self) -> &dyn SignIn {
        self.inner.sign_in()
    }

    fn sso(&self) -> &dyn Sso {
        self
    }

    fn scim(&self) -> &dyn Scim {
        self
    }

    fn policies(&self) -> &dyn Policies {
        self.inner.policies()
    }

    fn sites(&self) -> &dyn Sites {
        self
    }

    fn bookings(&self) -> &dyn Bookings {
        self.inner.bookings()
    }

    fn follow_up(&self) -> &dyn FollowUp {
        self.inner.follow_up()
    }

    fn import(&self) -> &dyn Import {
        self
    }

    fn audit(&self) -> &dyn Audit {
        self
    }
}

#[async_trait]
impl People for CachedStore {
    async fn list_people(&self, organisation: OrganisationId, page: Page<PersonId>) -> Result<Vec<Person>> {
        self.inner.people().list_people(organisation, page).await
    }

    async fn get_person(&self, id: PersonId) -> Result<Person> {
        self.inner.people().get_person(id).await
    }

    async fn person_by_email(&self, email: &str) -> Result<Person> {
        self.inner.people().person_by_email(email).await
    }

    async fn save_person(&self, person: &Person) -> Result<()> {
        let _invalidate = self.invalidate_after();
        self.inner.people().save_person(person).await
    }

    async fn roles_of(&self, person: PersonId) -> Result<Vec<hubnet_domain::Role>> {
        self.inner.people().roles_of(person).await
    }

    async fn replace_roles(&self, person: PersonId, roles: &[hubnet_domain::Role]) -> Result<()> {
        let _invalidate = self.invalidate_after();
        self.inner.people().replace_roles(person, roles).await
    }

    async fn principal_of(&self, person: PersonId) -> Result<Principal> {
        self.inner.people().principal_of(person).await
    }

    async fn set_language(&self, person: PersonId, language: hubnet_domain::Language) -> Result<()> {
        // Principals in the copy carry the person's language.
        let _invalidate = self.invalidate_after();
        self.inner.people().set_language(person, language).await
    }
}

#[async_trait]
impl Tokens for CachedStore {
    async fn create_token(
        &self,
        id: TokenId,
        person: PersonId,
        hash: &[u8; 32],
        label: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.inner.tokens().create_token(id, person, hash, label, at).await
    }

    async fn principal_by_token(&self, hash: &[u8; 32]) -> Result<Principal> {
        let generation = self.current().await?;
        if let Some(principal) = self.lock()?.principals.get(hash) {
            return Ok(principal.clone());
        }
        let principal = self.inner.tokens().principal_by_token(hash).await?;
        let mut copy = self.lock()?;
        if copy.generation == generation {
            // Bounded: a flood of distinct tokens cannot grow it without end.
            if copy.principals.len() >= MAX_PRINCIPALS {
                copy.principals.clear();
            }
            copy.principals.insert(*hash, principal.clone());
        }
        Ok(principal)
    }

    async fn list_tokens(&self, person: PersonId) -> Result<Vec<TokenInfo>> {
        self.inner.tokens().list_tokens(person).await
    }

    async fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> Result<()> {
        let _invalidate = self.invalidate_after();
        self.inner.tokens().revoke_token(id, at).await
    }
}

#[async_trait]
impl Sso for CachedStore {
    async fn list_identity_providers(
        &self,
        organisation: Option<hubnet_domain::OrganisationId>,
    ) -> Result<Vec<hubnet_domain::sso::IdentityProvider>> {
        self.inner.sso().list_identity_providers(organisation).await
    }

    async fn get_identity_provider(
        &self,
        id: hubnet_domain::IdentityProviderId,
    ) -> Result<hubnet_domain::sso::IdentityProvider> {
        self.inner.sso().get_identity_provider(id).await
    }

    async fn save_identity_provider(&self, provider: &hubnet_domain::sso::IdentityProvider) -> Result<()> {
        self.inner.sso().save_identity_provider(provider).await
    }

    async fn delete_identity_provider(&self, id: hubnet_domain::IdentityProviderId) -> Result<()> {
        self.inner.sso().delete_identity_provider(id).await
    }

    async fn sso_person(&self, sign_in: &crate::SsoSignIn) -> Result<crate::SsoOutcome> {
        let _invalidate = self.invalidate_after();
        self.inner.sso().sso_person(sign_in).await
    }
}

#[async_trait]
impl Scim for CachedStore {
    async fn set_scim_token(&self, organisation: OrganisationId, hash: &[u8; 32], at: DateTime<Utc>) -> Result<()> {
        self.inner.scim().set_scim_token(organisation, hash, at).await
    }

    async fn delete_scim_token(&self, organisation: OrganisationId) -> Result<()> {
        self.inner.scim().delete_scim_token(organisation).await
    }

    async fn scim_organisation(&self, hash: &[u8; 32]) -> Result<OrganisationId> {
        self.inner.scim().scim_organisation(hash).await
    }

    async fn scim_people(
        &self,
        organisation: OrganisationId,
        filter: &scim::PersonMatch,
        offset: u64,
        limit: u32,
    ) -> Result<scim::PeoplePage> {
        self.inner.scim().scim_people(organisation, filter, offset, limit).await
    }

    async fn scim_person(&self, organisation: OrganisationId, id: PersonId) -> Result<scim::ProvisionedPerson> {
        self.inner.scim().scim_person(organisation, id).await
    }

    async fn create_scim_person(
        &self,
        person: &scim::ProvisionedPerson,
        at: DateTime<Utc>,
    ) -> Result<scim::ProvisionedPerson> {
        // A person who comes back may have been in the copy as inactive.
        let _invalidate = self.invalidate_after();
        self.inner.scim().create_scim_person(person, at).await
    }

    async fn update_scim_person(
        &self,
        person: &scim::ProvisionedPerson,
        at: DateTime<Utc>,
    ) -> Result<scim::ProvisionOutcome> {
        let _invalidate = self.invalidate_after();
        self.inner.scim().update_scim_person(person, at).await
    }

    async fn delete_scim_person(
        &self,
        organisation: OrganisationId,
        id: PersonId,
        at: DateTime<Utc>,
    ) -> Result<scim::ProvisionOutcome> {
        let _invalidate = self.invalidate_after();
        self.inner.scim().delete_scim_person(organisation, id, at).await
    }

    async fn scim_units(&self, organisation: OrganisationId) -> Result<Vec<scim::ProvisionedUnit>> {
        self.inner.scim().scim_units(organisation).await
    }

    async fn scim_unit(&self, organisation: OrganisationId, id: UnitId) -> Result<scim::ProvisionedUnit> {
        self.inner.scim().scim_unit(organisation, id).await
    }

    async fn save_scim_unit(&self, unit: &Unit, external_id: Option<&str>, members: &scim::Members) -> Result<()> {
        // Principals in the copy carry their person's unit.
        let _invalidate = self.invalidate_after();
        self.inner.scim().save_scim_unit(unit, external_id, members).await
    }

    async fn delete_scim_unit(&self, organisation: OrganisationId, id: UnitId) -> Result<()> {
        let _invalidate = self.invalidate_after();
        self.inner.scim().delete_scim_unit(organisation, id).await
    }
}

#[async_trait]
impl Sites for CachedStore {
    async fn list_sites(&self, page: Page<SiteId>) -> Result<Vec<Site>> {
        self.inner.sites().list_sites(page).await
    }

    async fn get_site(&self, id: SiteId) -> Result<Site> {
        match self.all_sites().await?.iter().find(|s| s.id == id) {
            Some(site) => Ok(site.clone()),
            // Made elsewhere in the last second, or not there at all.
            None => self.inner.sites().get_site(id).await,
        }
    }

    async fn sites_in_box(&self, min: Coordinates, max: Coordinates) -> Result<Vec<Site>> {
        Ok(self.all_sites().await?.iter().filter(|s| s.coordinates.is_within(min, max)).cloned().collect())
    }

    async fn save_site(&self, site: &Site) -> Result<()> {
        let _invalidate = self.invalidate_after();
        self.inner.sites().save_site(site).await
    }

    async fn register(&self, site: SiteId, person: PersonId, at: DateTime<Utc>) -> Result<()> {
        self.inner.sites().register(site, person, at).await
    }

    async fn is_registered(&self, site: SiteId, person: PersonId) -> Result<bool> {
        self.inner.sites().is_registered(site, person).await
    }

    async fn list_floors(&self, site: SiteId) -> Result<Vec<Floor>> {
        self.inner.sites().list_floors(site).await
    }

    async fn get_floor(&self, id: FloorId) -> Result<Floor> {
        self.inner.sites().get_floor(id).await
    }

    async fn save_floor(&self, floor: &Floor) -> Result<()> {
        let _invalidate = self.invalidate_after();
        self.inner.sites().save_floor(floor).await
    }

    async fn list_spaces(&self, site: SiteId) -> Result<Vec<Space>> {
        Ok(self.spaces(site).await?.as_ref().clone())
    }

    async fn get_space(&self, id: SpaceId) -> Result<Space> {
        self.current().await?;
        let site = self.lock()?.space_sites.get(&id).copied();
        if let Some(site) = site
            && let Some(space) = self.spaces(site).await?.iter().find(|s| s.id == id)
        {
            return Ok(space.clone());
        }
        let space = self.inner.sites().get_space(id).await?;
        // Its site's spaces come into the copy for next time.
        self.spaces(space.site_id).await?;
        Ok(space)
    }

    async fn save_space(&self, space: &Space) -> Result<()> {
        let _invalidate = self.invalidate_after();
        self.inner.sites().save_space(space).await
    }

    async fn network_version(&self) -> Result<i64> {
        self.inner.sites().network_version().await
    }
}

#[async_trait]
impl Import for CachedStore {
    async fn import(&self, batch: &ImportBatch) -> Result<()> {
        let _invalidate = self.invalidate_after();
        self.inner.import().import(batch).await
    }
}

#[async_trait]
impl Audit for CachedStore {
    async fn append_audit(&self, entry: &AuditEntry) -> Result<()> {
        self.inner.audit().append_audit(entry).await
    }

    async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        self.inner.audit().list_audit(query).await
    }

    async fn erased_at(&self, person: PersonId) -> Result<Option<DateTime<Utc>>> {
        self.inner.audit().erased_at(person).await
    }

    /// An erased person's tokens and roles go: the copy of who may do what is dropped.
    async fn erase_person(&self, person: PersonId, at: DateTime<Utc>, audit: &AuditEntry) -> Result<Erasure> {
        let _invalidate = self.invalidate_after();
        self.inner.audit().erase_person(person, at, audit).await
    }
}
