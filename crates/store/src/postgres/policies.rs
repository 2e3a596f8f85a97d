//! [`Policies`](crate::Policies) on PostgreSQL: policy versions and role tags.

use async_trait::async_trait;
use chrono::NaiveDate;
use hubnet_domain::{OrganisationId, PersonId};

use super::{PgStore, uuid};
use crate::rows::{PolicyRow, convert};
use crate::{NewPolicyVersion, Policies, PolicyVersion, Result, map_error};

#[async_trait]
impl Policies for PgStore {
    async fn add_policy_version(&self, policy: &NewPolicyVersion) -> Result<PolicyVersion> {
        let p = policy;
        let version: i32 = sqlx::query_scalar(
            "INSERT INTO policy_versions (organisation_id, version, valid_from, rules, changed_by, changed_at) \
             SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM policy_versions \
             WHERE organisation_id = $1 RETURNING version",
        )
        .bind(uuid(p.organisation_id))
        .bind(p.valid_from)
        .bind(p.rules.to_string())
        .bind(p.changed_by.map(uuid))
        .bind(p.changed_at)
        .fetch_one(&self.pool)
        .await
        .map_err(map_error)?;
        Ok(PolicyVersion {
            organisation_id: p.organisation_id,
            version: u32::try_from(version).unwrap_or(u32::MAX),
            valid_from: p.valid_from,
            rules: p.rules.clone(),
            changed_by: p.changed_by,
            changed_at: p.changed_at,
        })
    }

    async fn policy_versions(&self, organisation: OrganisationId) -> Result<Vec<PolicyVersion>> {
        let rows: Vec<PolicyRow> = sqlx::query_as(
            "SELECT organisation_id, version::bigint AS version, valid_from::text AS valid_from, rules, changed_by, \
             floor(extract(epoch FROM changed_at))::bigint AS changed_at FROM policy_versions WHERE organisation_id = $1 \
             ORDER BY version DESC",
        )
        .bind(uuid(organisation))
        .fetch_all(&self.pool)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn policy_in_force(&self, organisation: OrganisationId, date: NaiveDate) -> Result<Option<PolicyVersion>> {
        let row: Option<PolicyRow> = sqlx::query_as(
            "SELECT organisation_id, version::bigint AS version, valid_from::text AS valid_from, rules, changed_by, \
             floor(extract(epoch FROM changed_at))::bigint AS changed_at FROM policy_versions \
             WHERE organisation_id = $1 AND valid_from <= $2 ORDER BY valid_from DESC, version DESC LIMIT 1",
        )
        .bind(uuid(organisation))
        .bind(date)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_error)?;
        row.map(TryInto::try_into).transpose()
    }

    async fn role_tags(&self, person: PersonId) -> Result<Vec<String>> {
        sqlx::query_scalar("SELECT tag FROM person_role_tags WHERE person_id = $1 ORDER BY tag")
            .bind(uuid(person))
            .fetch_all(&self.pool)
            .await
            .map_err(map_error)
    }

    async fn set_role_tags(&self, person: PersonId, tags: &[String]) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        sqlx::query("DELETE FROM person_role_tags WHERE person_id = $1")
            .bind(uuid(person))
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        sqlx::query(
            "INSERT INTO person_role_tags (person_id, tag) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
        )
        .bind(uuid(person))
        .bind(tags)
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
        tx.commit().await.map_err(map_error)
    }
}
