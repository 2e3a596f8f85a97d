//! Organisations and their units (a tree inside each organisation).

use async_trait::async_trait;
use hubnet_domain::{Organisation, OrganisationId, Unit, UnitId};

use crate::Result;

/// Organisations and their units.
#[async_trait]
pub trait Organisations: Send + Sync {
    async fn list_organisations(&self) -> Result<Vec<Organisation>>;
    async fn get_organisation(&self, id: OrganisationId) -> Result<Organisation>;
    async fn save_organisation(&self, organisation: &Organisation) -> Result<()>;
    async fn list_units(&self, organisation: OrganisationId) -> Result<Vec<Unit>>;
    async fn get_unit(&self, id: UnitId) -> Result<Unit>;
    /// Inserts or updates a unit; refuses a parent that would make the tree a cycle.
    async fn save_unit(&self, unit: &Unit) -> Result<()>;
}
