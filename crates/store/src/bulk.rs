//! Bulk loading of bookings: millions of rows into an empty `bookings` table, for the national
//! benchmark data set (`hubnet bench-data`) and for moving history over from another system.
//!
//! Row by row through the constraints would take hours at that size, so the loader takes the
//! table's guards off, loads, and puts them back, reading their definitions from the database
//! itself so that what comes back is exactly what the migrations made:
//! - SQLite: the overlap triggers and the indexes are dropped and recreated; foreign keys are
//!   checked once at the end (`PRAGMA foreign_key_check`). Triggers do not look back at rows
//!   already there, so the loader insists on an empty table and the caller on overlap-free rows.
//! - PostgreSQL: the primary key, foreign keys, exclusion constraints and indexes are dropped,
//!   the rows arrive by `COPY`, and the constraints are added again, which checks every row:
//!   one overlapping booking and the load fails as a whole.

use chrono::{DateTime, Utc};
use hubnet_domain::{Booking, SpaceKind};
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::{Result, StoreError, map_error};

/// One booking as stored.
#[derive(Debug, Clone)]
pub struct BulkBooking {
    pub booking: Booking,
    pub kind: SpaceKind,
    pub updated_at: DateTime<Utc>,
}

/// Loads every chunk from `rows` into the empty bookings table of the database at `url` (its
/// schema already migrated, and no hubnet server writing to it). Answers how many rows it loaded.
pub async fn load_bookings(url: &str, rows: mpsc::Receiver<Vec<BulkBooking>>) -> Result<u64> {
    if url.starts_with("sqlite:") { load_sqlite(url, rows).await } else { load_postgres(url, rows).await }
}

fn internal(context: &str) -> impl Fn(sqlx::Error) -> StoreError + '_ {
    move |e| StoreError::Internal(format!("{context}: {e}"))
}

async fn ensure_empty_sqlite(conn: &mut SqliteConnection) -> Result<()> {
    let any: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM bookings LIMIT 1").fetch_optional(&mut *conn).await.map_err(map_error)?;
    if any.is_some() {
        return Err(StoreError::Internal("bulk loading needs an empty bookings table".into()));
    }
    Ok(())
}

/// Rows per INSERT statement: 11 parameters each, well under SQLite's limit of 32,766.
const SQLITE_ROWS_PER_STATEMENT: usize = 128;

async fn load_sqlite(url: &str, mut rows: mpsc::Receiver<Vec<BulkBooking>>) -> Result<u64> {
    use std::str::FromStr as _;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Invalid(hubnet_domain::InvalidValue::new("database_url", e.to_string())))?
        .foreign_keys(false)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
        .pragma("cache_size", "-262144");
    let mut conn = SqliteConnection::connect_with(&options).await.map_err(map_error)?;
    ensure_empty_sqlite(&mut conn).await?;
    let guards: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'bookings' AND type IN ('index', 'trigger') \
         AND sql IS NOT NULL ORDER BY type, name",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(map_error)?;
    for (kind, name, _) in &guards {
        let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
        sqlx::raw_sql(AssertSqlSafe(format!("DROP {kind} \"{name}\"")))
            .execute(&mut conn)
            .await
            .map_err(internal("dropping a guard"))?;
    }

    let loaded = match insert_all(&mut conn, &mut rows).await {
        Ok(loaded) => loaded,
        Err(error) => {
            // Back to where we started: an empty table with all its guards.
            let _ = sqlx::query("DELETE FROM bookings").execute(&mut conn).await;
            restore_sqlite_guards(&mut conn, &guards).await?;
            return Err(error);
        }
    };
    restore_sqlite_guards(&mut conn, &guards).await?;
    let broken: Vec<(String, i64)> =
        sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check('bookings') LIMIT 5")
            .fetch_all(&mut conn)
            .await
            .map_err(map_error)?;
    if !broken.is_empty() {
        sqlx::query("DELETE FROM bookings").execute(&mut conn).await.map_err(map_error)?;
        return Err(StoreError::Internal(format!("bulk-loaded bookings refer to missing records: {broken:?}")));
    }
    sqlx::raw_sql("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await.map_err(map_error)?;
    conn.close().await.map_err(map_error)?;
    Ok(loaded)
}

async fn insert_all(conn: &mut SqliteConnection, rows: &mut mpsc::Receiver<Vec<BulkBooking>>) -> Result<u64> {
    let full = insert_statement(SQLITE_ROWS_PER_STATEMENT);
    let single = insert_statement(1);
    let mut loaded = 0u64;
    while let Some(chunk) = rows.recv().await {
        let mut tx = conn.begin().await.map_err(map_error)?;
        let mut groups = chunk.chunks_exact(SQLITE_ROWS_PER_STATEMENT);
        for group in groups.by_ref() {
            bind_all(sqlx::query(AssertSqlSafe(full.as_str())), group)
                .execute(&mut *tx)
                .await
                .map_err(internal("loading bookings"))?;
        }
        for row in groups.remainder() {
            bind_all(sqlx::query(AssertSqlSafe(single.as_str())), std::slice::from_ref(row))
                .execute(&mut *tx)
                .await
                .map_err(internal("loading bookings"))?;
        }
        tx.commit().await.map_err(map_error)?;
        loaded += chunk.len() as u64;
    }
    Ok(loaded)
}

/// Recreates the indexes and then the triggers that use them ("index" sorts before "trigger"),
/// skipping any that still exist.
async fn restore_sqlite_guards(conn: &mut SqliteConnection, guards: &[(String, String, String)]) -> Result<()> {
    for (_, name, sql) in guards {
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await
            .map_err(map_error)?;
        if exists.is_none() {
            sqlx::raw_sql(AssertSqlSafe(sql.clone()))
                .execute(&mut *conn)
                .await
                .map_err(internal("restoring a guard"))?;
        }
    }
    Ok(())
}

fn insert_statement(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO bookings (id, space_id, site_id, space_kind, person_id, created_by, start_at, end_at, status, \
         created_at, updated_at) VALUES ",
    );
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push_str("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    sql
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    rows: &'q [BulkBooking],
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    for row in rows {
        let b = &row.booking;
        query = query
            .bind(Uuid::from(b.id))
            .bind(Uuid::from(b.space_id))
            .bind(Uuid::from(b.site_id))
            .bind(row.kind.key())
            .bind(Uuid::from(b.person_id))
            .bind(Uuid::from(b.created_by))
            .bind(b.start.timestamp())
            .bind(b.end.timestamp())
            .bind(b.status.key())
            .bind(b.created_at.timestamp())
            .bind(row.updated_at.timestamp());
    }
    query
}

async fn load_postgres(url: &str, mut rows: mpsc::Receiver<Vec<BulkBooking>>) -> Result<u64> {
    let mut conn = PgConnection::connect(url).await.map_err(map_error)?;
    let any: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM bookings LIMIT 1").fetch_optional(&mut conn).await.map_err(map_error)?;
    if any.is_some() {
        return Err(StoreError::Internal("bulk loading needs an empty bookings table".into()));
    }
    sqlx::raw_sql("SET maintenance_work_mem = '1GB'; SET synchronous_commit = off")
        .execute(&mut conn)
        .await
        .map_err(map_error)?;
    // Primary key first, exclusion constraints next, foreign keys last: the order they are
    // added back in. Plain indexes are those no constraint owns.
    let constraints: Vec<(String, String)> = sqlx::query_as(
        "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE conrelid = 'bookings'::regclass AND contype IN ('p', 'x', 'f') \
         ORDER BY array_position(ARRAY['p', 'x', 'f'], contype::text), conname",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(map_error)?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
         WHERE i.indrelid = 'bookings'::regclass \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(map_error)?;
    // One transaction: if anything fails (an overlap found when the constraints come back, say),
    // the table is as it was, guards and all.
    let mut tx = conn.begin().await.map_err(map_error)?;
    for (name, _) in constraints.iter().rev() {
        sqlx::raw_sql(AssertSqlSafe(format!("ALTER TABLE bookings DROP CONSTRAINT \"{name}\"")))
            .execute(&mut *tx)
            .await
            .map_err(internal("dropping a constraint"))?;
    }
    for (name, _) in &indexes {
        sqlx::raw_sql(AssertSqlSafe(format!("DROP INDEX \"{name}\"")))
            .execute(&mut *tx)
            .await
            .map_err(internal("dropping an index"))?;
    }

    let mut copy = tx
        .copy_in_raw(
            "COPY bookings (id, space_id, site_id, space_kind, person_id, created_by, start_at, end_at, status, \
             created_at, updated_at) FROM STDIN",
        )
        .await
        .map_err(internal("starting COPY"))?;
    let mut loaded = 0u64;
    let mut buffer = String::new();
    while let Some(chunk) = rows.recv().await {
        buffer.clear();
        for row in &chunk {
            copy_line(&mut buffer, row);
        }
        copy.send(buffer.as_bytes()).await.map_err(internal("copying bookings"))?;
        loaded += chunk.len() as u64;
    }
    copy.finish().await.map_err(internal("finishing COPY"))?;

    for (name, definition) in constraints.iter().take_while(|(_, d)| d.starts_with("PRIMARY")) {
        add_constraint(&mut tx, name, definition).await?;
    }
    for (_, definition) in &indexes {
        sqlx::raw_sql(AssertSqlSafe(definition.clone()))
            .execute(&mut *tx)
            .await
            .map_err(internal("restoring an index"))?;
    }
    for (name, definition) in constraints.iter().skip_while(|(_, d)| d.starts_with("PRIMARY")) {
        add_constraint(&mut tx, name, definition).await?;
    }
    tx.commit().await.map_err(map_error)?;
    // Index-only scans need the visibility map that VACUUM writes.
    sqlx::raw_sql("VACUUM ANALYZE bookings").execute(&mut conn).await.map_err(map_error)?;
    conn.close().await.map_err(map_error)?;
    Ok(loaded)
}

async fn add_constraint(conn: &mut PgConnection, name: &str, definition: &str) -> Result<()> {
    sqlx::raw_sql(AssertSqlSafe(format!("ALTER TABLE bookings ADD CONSTRAINT \"{name}\" {definition}")))
        .execute(&mut *conn)
        .await
        .map_err(|e| StoreError::Internal(format!("restoring constraint {name}: {e}")))?;
    Ok(())
}

/// One row in COPY's text format: tab-separated, timestamps as UTC with their offset.
fn copy_line(out: &mut String, row: &BulkBooking) {
    use std::fmt::Write as _;
    let b = &row.booking;
    let time = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%S+00");
    let _ = writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        Uuid::from(b.id),
        Uuid::from(b.space_id),
        Uuid::from(b.site_id),
        row.kind.key(),
        Uuid::from(b.person_id),
        Uuid::from(b.created_by),
        time(b.start),
        time(b.end),
        b.status.key(),
        time(b.created_at),
        time(row.updated_at),
    );
}
