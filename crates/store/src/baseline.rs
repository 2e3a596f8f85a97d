//! What the benchmark harness (`hubnet bench`) needs from the database beside the [`crate::Store`]:
//! the raw database's own booking throughput, to compare hubnet against on the same disk in the
//! same run, and tidying up after a run.

use std::str::FromStr as _;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection, SqliteConnection};
use uuid::Uuid;

use crate::bulk::BulkBooking;
use crate::{Result, StoreError, map_error};

/// Raw SQLite doing hubnet's check-and-insert one booking per transaction, as fast as it can, on
/// one connection of the C library (through rusqlite, statements prepared once): `BEGIN
/// IMMEDIATE`, the INSERT (whose triggers check for overlaps), `COMMIT`. Stops after `rows` or
/// `limit`, whichever comes first; answers how many it wrote in how long. The rows stay: remove
/// them with [`remove_bookings_created_since`].
pub async fn sqlite_check_and_insert(
    url: &str,
    durable: bool,
    rows: Vec<BulkBooking>,
    limit: Duration,
) -> Result<(u64, Duration)> {
    let path =
        SqliteConnectOptions::from_str(url).map_err(|e| StoreError::Internal(e.to_string()))?.get_filename().to_owned();
    tokio::task::spawn_blocking(move || raw_sqlite(&path, durable, &rows, limit))
        .await
        .map_err(|e| StoreError::Internal(e.to_string()))?
        .map_err(|e| StoreError::Internal(format!("raw SQLite: {e}")))
}

fn raw_sqlite(
    path: &std::path::Path,
    durable: bool,
    rows: &[BulkBooking],
    limit: Duration,
) -> rusqlite::Result<(u64, Duration)> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(if durable {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON"
    } else {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON"
    })?;
    let mut begin = conn.prepare("BEGIN IMMEDIATE")?;
    let mut commit = conn.prepare("COMMIT")?;
    let mut insert = conn.prepare(
        "INSERT INTO bookings (id, space_id, site_id, space_kind, person_id, created_by, start_at, end_at, \
         status, created_at, updated_at, organisation_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, (SELECT organisation_id FROM people WHERE id = ?5))",
    )?;
    let started = Instant::now();
    let mut written = 0u64;
    for row in rows {
        if started.elapsed() >= limit {
            break;
        }
        let b = &row.booking;
        begin.execute([])?;
        let inserted = insert.execute(rusqlite::params![
            &b.id.as_uuid().as_bytes()[..],
            &b.space_id.as_uuid().as_bytes()[..],
            &b.site_id.as_uuid().as_bytes()[..],
            row.kind.key(),
            &b.person_id.as_uuid().as_bytes()[..],
            &b.created_by.as_uuid().as_bytes()[..],
            b.start.timestamp(),
            b.end.timestamp(),
            b.status.key(),
            b.created_at.timestamp(),
        ]);
        commit.execute([])?;
        inserted?;
        written += 1;
    }
    Ok((written, started.elapsed()))
}

/// The statement pgbench runs for the PostgreSQL baseline: hubnet's booking INSERT (the same
/// advisory locks, the same exclusion constraints), for the next row of the targets table that
/// [`prepare_pgbench`] fills, taken from a sequence so that no two transactions share a row.
pub const PGBENCH_SCRIPT: &str = "WITH k AS (SELECT nextval('hubnet_bench_next') AS n), \
t AS (SELECT x.* FROM hubnet_bench_targets x JOIN k ON x.n = k.n), \
serialise AS (SELECT pg_advisory_xact_lock(t.space_lock) AS space_lock, pg_advisory_xact_lock(t.person_lock) AS person_lock FROM t) \
INSERT INTO bookings (id, space_id, site_id, space_kind, person_id, created_by, start_at, end_at, status, created_at, updated_at, organisation_id) \
SELECT gen_random_uuid(), t.space_id, t.site_id, t.space_kind, t.person_id, t.person_id, t.start_at, t.end_at, 'confirmed', now(), now(), \
(SELECT p.organisation_id FROM people p WHERE p.id = t.person_id) \
FROM t, serialise;\n";

/// Fills the table pgbench's script reads its bookings from.
pub async fn prepare_pgbench(url: &str, rows: &[BulkBooking]) -> Result<()> {
    let mut conn = PgConnection::connect(url).await.map_err(map_error)?;
    sqlx::raw_sql(
        "DROP TABLE IF EXISTS hubnet_bench_targets; DROP SEQUENCE IF EXISTS hubnet_bench_next; \
         CREATE SEQUENCE hubnet_bench_next; CREATE TABLE hubnet_bench_targets (n bigint PRIMARY KEY, \
         space_id uuid NOT NULL, site_id uuid NOT NULL, space_kind text NOT NULL, person_id uuid NOT NULL, \
         start_at timestamptz NOT NULL, end_at timestamptz NOT NULL, space_lock bigint NOT NULL, person_lock bigint NOT NULL)",
    )
    .execute(&mut conn)
    .await
    .map_err(map_error)?;
    for (chunk_index, chunk) in rows.chunks(1000).enumerate() {
        let mut query = sqlx::QueryBuilder::<sqlx::Postgres>::new(
            "INSERT INTO hubnet_bench_targets (n, space_id, site_id, space_kind, person_id, start_at, end_at, \
             space_lock, person_lock) ",
        );
        query.push_values(chunk.iter().enumerate(), |mut values, (i, row)| {
            let b = &row.booking;
            values
                .push_bind(i64::try_from(chunk_index * 1000 + i + 1).unwrap_or(i64::MAX))
                .push_bind(Uuid::from(b.space_id))
                .push_bind(Uuid::from(b.site_id))
                .push_bind(row.kind.key())
                .push_bind(Uuid::from(b.person_id))
                .push_bind(b.start)
                .push_bind(b.end)
                .push_bind(crate::postgres::lock_key(b.space_id.into()))
                .push_bind(crate::postgres::lock_key(b.person_id.into()));
        });
        query.build().execute(&mut conn).await.map_err(map_error)?;
    }
    conn.close().await.map_err(map_error)?;
    Ok(())
}

/// Removes the bookings made at or after `since` (a benchmark's own) and the pgbench targets
/// table; with `token_label` (the run's final tidy-up), also the API tokens so labelled and the
/// web sessions made since then. Answers how many bookings it
/// removed.
pub async fn remove_bookings_created_since(url: &str, since: DateTime<Utc>, token_label: Option<&str>) -> Result<u64> {
    if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Internal(e.to_string()))?
            .busy_timeout(Duration::from_secs(30));
        let mut conn = SqliteConnection::connect_with(&options).await.map_err(map_error)?;
        let removed = sqlx::query("DELETE FROM bookings WHERE created_at >= $1")
            .bind(since.timestamp())
            .execute(&mut conn)
            .await
            .map_err(map_error)?
            .rows_affected();
        sqlx::query("DELETE FROM api_tokens WHERE $1 <> '' AND label = $1")
            .bind(token_label.unwrap_or_default())
            .execute(&mut conn)
            .await
            .map_err(map_error)?;
        if token_label.is_some() {
            sqlx::query("DELETE FROM sessions WHERE created_at >= $1")
                .bind(since.timestamp())
                .execute(&mut conn)
                .await
                .map_err(map_error)?;
            sqlx::query("DELETE FROM policy_versions WHERE changed_by IS NULL AND changed_at >= $1")
                .bind(since.timestamp())
                .execute(&mut conn)
                .await
                .map_err(map_error)?;
        }
        conn.close().await.map_err(map_error)?;
        Ok(removed)
    } else {
        let mut conn = PgConnection::connect(url).await.map_err(map_error)?;
        let removed = sqlx::query("DELETE FROM bookings WHERE created_at >= $1")
            .bind(since)
            .execute(&mut conn)
            .await
            .map_err(map_error)?
            .rows_affected();
        sqlx::query("DELETE FROM api_tokens WHERE $1 <> '' AND label = $1")
            .bind(token_label.unwrap_or_default())
            .execute(&mut conn)
            .await
            .map_err(map_error)?;
        sqlx::query("DELETE FROM sessions WHERE created_at >= $1")
            .bind(since)
            .execute(&mut conn)
            .await
            .map_err(map_error)?;
        if token_label.is_some() {
            sqlx::query("DELETE FROM policy_versions WHERE changed_by IS NULL AND changed_at >= $1")
                .bind(since)
                .execute(&mut conn)
                .await
                .map_err(map_error)?;
        }
        // Separately: VACUUM cannot run inside the implicit transaction of a multi-statement string.
        sqlx::raw_sql("DROP TABLE IF EXISTS hubnet_bench_targets; DROP SEQUENCE IF EXISTS hubnet_bench_next")
            .execute(&mut conn)
            .await
            .map_err(map_error)?;
        sqlx::raw_sql("VACUUM ANALYZE bookings").execute(&mut conn).await.map_err(map_error)?;
        conn.close().await.map_err(map_error)?;
        Ok(removed)
    }
}
