//! [`Import`](crate::Import) on SQLite: a batch in one write transaction, through the upserts the
//! capabilities share.

use async_trait::async_trait;
use hubnet_domain::{SpaceId, SpaceKind};

use super::SqliteStore;
use super::bookings::{insert_booking, space_kind};
use super::organisations::{upsert_organisation, upsert_unit};
use super::people::{insert_role, upsert_person};
use super::sites::{insert_registration, upsert_floor, upsert_site, upsert_space};
use crate::{Import, ImportBatch, Result};

#[async_trait]
impl Import for SqliteStore {
    async fn import(&self, batch: &ImportBatch) -> Result<()> {
        let batch = batch.clone();
        self.write(false, move |conn| {
            Box::pin(async move {
                for organisation in &batch.organisations {
                    upsert_organisation(conn, organisation).await?;
                }
                for unit in &batch.units {
                    upsert_unit(conn, unit).await?;
                }
                for person in &batch.people {
                    upsert_person(conn, person).await?;
                }
                for site in &batch.sites {
                    upsert_site(conn, site).await?;
                }
                for floor in &batch.floors {
                    upsert_floor(conn, floor).await?;
                }
                let kinds: std::collections::HashMap<SpaceId, SpaceKind> =
                    batch.spaces.iter().map(|s| (s.id, s.kind)).collect();
                for space in &batch.spaces {
                    upsert_space(conn, space).await?;
                }
                for grant in &batch.roles {
                    insert_role(conn, grant).await?;
                }
                for (site, person, at) in &batch.registrations {
                    insert_registration(conn, *site, *person, *at).await?;
                }
                for booking in &batch.bookings {
                    let kind = match kinds.get(&booking.space_id) {
                        Some(kind) => *kind,
                        None => space_kind(conn, booking.space_id).await?,
                    };
                    insert_booking(conn, booking, kind).await?;
                }
                Ok(())
            })
        })
        .await
    }
}
