//! The network: sites with their access rules and the people registered at them, their floors and
//! spaces, and the version number that moves whenever any of it changes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::{Coordinates, Floor, FloorId, PersonId, Site, SiteId, Space, SpaceId};

use crate::{Page, Result};

/// Sites, floors and spaces, who has registered at a site, and the network's version.
#[async_trait]
pub trait Sites: Send + Sync {
    async fn list_sites(&self, page: Page<SiteId>) -> Result<Vec<Site>>;
    async fn get_site(&self, id: SiteId) -> Result<Site>;
    /// Sites whose position lies in the box between `min` and `max` (inclusive).
    async fn sites_in_box(&self, min: Coordinates, max: Coordinates) -> Result<Vec<Site>>;
    async fn save_site(&self, site: &Site) -> Result<()>;
    async fn register(&self, site: SiteId, person: PersonId, at: DateTime<Utc>) -> Result<()>;
    async fn is_registered(&self, site: SiteId, person: PersonId) -> Result<bool>;

    async fn list_floors(&self, site: SiteId) -> Result<Vec<Floor>>;
    async fn get_floor(&self, id: FloorId) -> Result<Floor>;
    async fn save_floor(&self, floor: &Floor) -> Result<()>;

    async fn list_spaces(&self, site: SiteId) -> Result<Vec<Space>>;
    async fn get_space(&self, id: SpaceId) -> Result<Space>;
    async fn save_space(&self, space: &Space) -> Result<()>;

    /// A number that moves whenever sites, their access lists, floors or spaces change: a copy
    /// of the network is current while it stays the same ([`crate::cached::CachedStore`]).
    async fn network_version(&self) -> Result<i64>;
}
