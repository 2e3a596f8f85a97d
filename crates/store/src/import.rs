//! Import: a whole batch of organisations, units, people, sites, floors, spaces, roles,
//! registrations and bookings written at once, as the importer and the demo network do. (Millions
//! of bookings into an empty table are [`crate::bulk`]'s.)

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::{Booking, Floor, Organisation, Person, PersonId, RoleGrant, Site, SiteId, Space, Unit};

use crate::Result;

/// Everything an import (or the demo network) writes, in one transaction. Records are upserted
/// by id: the importer resolves natural keys (codes, emails) to existing ids first.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    pub organisations: Vec<Organisation>,
    pub units: Vec<Unit>,
    pub people: Vec<Person>,
    pub sites: Vec<Site>,
    pub floors: Vec<Floor>,
    pub spaces: Vec<Space>,
    pub roles: Vec<RoleGrant>,
    /// People who have accepted a site's terms: (site, person, when).
    pub registrations: Vec<(SiteId, PersonId, DateTime<Utc>)>,
    pub bookings: Vec<Booking>,
}

impl ImportBatch {
    pub fn is_empty(&self) -> bool {
        self.organisations.is_empty()
            && self.units.is_empty()
            && self.people.is_empty()
            && self.sites.is_empty()
            && self.floors.is_empty()
            && self.spaces.is_empty()
            && self.roles.is_empty()
            && self.registrations.is_empty()
            && self.bookings.is_empty()
    }
}

/// Writing a batch of records.
#[async_trait]
pub trait Import: Send + Sync {
    /// Writes everything in the batch in one transaction, or nothing.
    async fn import(&self, batch: &ImportBatch) -> Result<()>;
}
