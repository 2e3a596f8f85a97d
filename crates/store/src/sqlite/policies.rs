//! [`Policies`](crate::Policies) on SQLite: policy versions and role tags.

use async_trait::async_trait;
use chrono::NaiveDate;
use hubnet_domain::{OrganisationId, PersonId};

use super::{SqliteStore, uuid};
use crate::rows::{POLICY_COLUMNS, PolicyRow, convert};
use crate::{NewPolicyVersion, Policies, PolicyVersion, Result, map_error};

#[async_trait]
impl Policies for SqliteStore {
    async fn add_policy_version(&self, policy: &NewPolicyVersion) -> Result<PolicyVersion> {
        let p = policy.clone();
        self.write(false, move |conn| {
            Box::pin(async move {
                let version: i64 = sqlx::query_scalar(
                    "INSERT INTO policy_versions (organisation_id, version, valid_from, rules, changed_by, changed_at) \
                     SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM policy_versions \
                     WHERE organisation_id = $1 RETURNING version",
                )
                .bind(uuid(p.organisation_id))
                .bind(p.valid_from.to_string())
                .bind(p.rules.to_string())
                .bind(p.changed_by.map(uuid))
                .bind(p.changed_at.timestamp())
                .fetch_one(&mut *conn)
                .await
                .map_err(map_error)?;
                Ok(PolicyVersion {
                    organisation_id: p.organisation_id,
                    version: u32::try_from(version).unwrap_or(u32::MAX),
                    valid_from: p.valid_from,
                    rules: p.rules,
                    changed_by: p.changed_by,
                    changed_at: p.changed_at,
                })
            })
        })
        .await
    }

    async fn policy_versions(&self, organisation: OrganisationId) -> Result<Vec<PolicyVersion>> {
        let rows: Vec<PolicyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {POLICY_COLUMNS} FROM policy_versions WHERE organisation_id = $1 ORDER BY version DESC"
        )))
        .bind(uuid(organisation))
        .fetch_all(&self.readers)
        .await
        .map_err(map_error)?;
        convert(rows)
    }

    async fn policy_in_force(&self, organisation: OrganisationId, date: NaiveDate) -> Result<Option<PolicyVersion>> {
        let row: Option<PolicyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {POLICY_COLUMNS} FROM policy_versions WHERE organisation_id = $1 AND valid_from <= $2 \
             ORDER BY valid_from DESC, version DESC LIMIT 1"
        )))
        .bind(uuid(organisation))
        .bind(date.to_string())
        .fetch_optional(&self.readers)
        .await
        .map_err(map_error)?;
        row.map(TryInto::try_into).transpose()
    }

    async fn role_tags(&self, person: PersonId) -> Result<Vec<String>> {
        sqlx::query_scalar("SELECT tag FROM person_role_tags WHERE person_id = $1 ORDER BY tag")
            .bind(uuid(person))
            .fetch_all(&self.readers)
            .await
            .map_err(map_error)
    }

    async fn set_role_tags(&self, person: PersonId, tags: &[String]) -> Result<()> {
        let tags = tags.to_vec();
        self.write(false, move |conn| {
            Box::pin(async move {
                sqlx::query("DELETE FROM person_role_tags WHERE person_id = $1")
                    .bind(uuid(person))
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
                for tag in tags {
                    sqlx::query("INSERT INTO person_role_tags (person_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(uuid(person))
                        .bind(tag)
                        .execute(&mut *conn)
                        .await
                        .map_err(map_error)?;
                }
                Ok(())
            })
        })
        .await
    }
}
