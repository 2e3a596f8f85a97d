//! [`Import`](crate::Import) on PostgreSQL: a batch in one transaction, through the upserts the
//! capabilities share.

use async_trait::async_trait;
use hubnet_domain::{SpaceId, SpaceKind};

use super::PgStore;
use super::bookings::{insert_booking, space_kind};
use super::organisations::{upsert_organisation, upsert_unit};
use super::people::{insert_role, upsert_person};
use super::sites::{insert_registration, upsert_floor, upsert_site, upsert_space};
use crate::{Import, ImportBatch, Result, map_error};

#[async_trait]
impl Import for PgStore {
    async fn import(&self, batch: &ImportBatch) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        for organisation in &batch.organisations {
            upsert_organisation(&mut tx, organisation).await?;
        }
        for unit in &batch.units {
            upsert_unit(&mut tx, unit).await?;
        }
        for person in &batch.people {
            upsert_person(&mut tx, person).await?;
        }
        for site in &batch.sites {
            upsert_site(&mut tx, site).await?;
        }
        for floor in &batch.floors {
            upsert_floor(&mut tx, floor).await?;
        }
        let kinds: std::collections::HashMap<SpaceId, SpaceKind> =
            batch.spaces.iter().map(|s| (s.id, s.kind)).collect();
        for space in &batch.spaces {
            upsert_space(&mut tx, space).await?;
        }
        for grant in &batch.roles {
            insert_role(&mut tx, grant).await?;
        }
        for (site, person, at) in &batch.registrations {
            insert_registration(&mut tx, *site, *person, *at).await?;
        }
        for booking in &batch.bookings {
            let kind = match kinds.get(&booking.space_id) {
                Some(kind) => *kind,
                None => space_kind(&mut tx, booking.space_id).await?,
            };
            insert_booking(&mut tx, booking, kind).await?;
        }
        tx.commit().await.map_err(map_error)
    }
}
