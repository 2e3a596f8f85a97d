//! Bulk loading of bookings: millions of rows into an empty `bookings` table, for the national
//! benchmark data set (`hubnet bench-data`) and for moving history over from another system.
//!
//! Row by row through the constraints would take hours at that size, so the loader takes the
//! table's guards off, loads, and puts them back, reading their definitions from the database
//! itself so that what comes back is exactly what the migrations made:
//! - SQLite: the triggers and the indexes are dropped and recreated, all in one transaction;
//!   foreign keys and the 25-hour bound are checked once at the end. Triggers do not look back
//!   at rows already there, so the loader insists on an empty table and the caller on
//!   overlap-free rows.
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
    /// The booking person's organisation.
    pub organisation_id: hubnet_domain::OrganisationId,
    pub kind: SpaceKind,
    pub updated_at: DateTime<Utc>,
}

/// What the producer of a bulk load sends: rows, then `End`. A load whose channel closes
/// before `End` (the producer failed) is rolled back.
#[derive(Debug, Clone)]
pub enum BulkChunk {
    Rows(Vec<BulkBooking>),
    End,
}

/// Loads every chunk from `rows` into the empty bookings table of the database at `url` (its
/// schema already migrated), in one transaction. Answers how many rows it loaded.
pub async fn load_bookings(url: &str, rows: mpsc::Receiver<BulkChunk>) -> Result<u64> {
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

async fn load_sqlite(url: &str, mut rows: mpsc::Receiver<BulkChunk>) -> Result<u64> {
    use std::str::FromStr as _;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Invalid(hubnet_domain::InvalidValue::new("database_url", e.to_string())))?
        .foreign_keys(false)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
        .pragma("cache_size", "-262144");
    let mut conn = SqliteConnection::connect_with(&options).await.map_err(map_error)?;
    // One transaction, DDL included: an interrupted or failed load leaves the table as it was,
    // guards and all, and no server writes meanwhile.
    sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await.map_err(map_error)?;
    let loaded = match load_sqlite_in_transaction(&mut conn, &mut rows).await {
        Ok(loaded) => loaded,
        Err(error) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut conn).await;
            return Err(error);
        }
    };
    sqlx::query("COMMIT").execute(&mut conn).await.map_err(map_error)?;
    sqlx::raw_sql("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await.map_err(map_error)?;
    conn.close().await.map_err(map_error)?;
    Ok(loaded)
}

async fn load_sqlite_in_transaction(conn: &mut SqliteConnection, rows: &mut mpsc::Receiver<BulkChunk>) -> Result<u64> {
    ensure_empty_sqlite(conn).await?;
    let guards: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'bookings' AND type IN ('index', 'trigger') \
         AND sql IS NOT NULL ORDER BY type, name",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    for (kind, name, _) in &guards {
        let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
        sqlx::raw_sql(AssertSqlSafe(format!("DROP {kind} \"{name}\"")))
            .execute(&mut *conn)
            .await
            .map_err(internal("dropping a guard"))?;
    }
    let full = insert_statement(SQLITE_ROWS_PER_STATEMENT);
    let single = insert_statement(1);
    let mut loaded = 0u64;
    loop {
        let chunk = match rows.recv().await {
            Some(BulkChunk::Rows(chunk)) => chunk,
            Some(BulkChunk::End) => break,
            None => return Err(StoreError::Internal("the bookings stopped coming before the end".into())),
        };
        let mut groups = chunk.chunks_exact(SQLITE_ROWS_PER_STATEMENT);
        for group in groups.by_ref() {
            bind_all(sqlx::query(AssertSqlSafe(full.as_str())), group)
                .execute(&mut *conn)
                .await
                .map_err(internal("loading bookings"))?;
        }
        for row in groups.remainder() {
            bind_all(sqlx::query(AssertSqlSafe(single.as_str())), std::slice::from_ref(row))
                .execute(&mut *conn)
                .await
                .map_err(internal("loading bookings"))?;
        }
        loaded += chunk.len() as u64;
    }
    // Indexes first ("index" sorts before "trigger"), then the triggers that use them.
    for (_, _, sql) in guards {
        sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *conn).await.map_err(internal("restoring a guard"))?;
    }
    // What the triggers would have refused row by row, checked over all the rows at once.
    let too_long: Option<i64> = sqlx::query_scalar("SELECT 1 FROM bookings WHERE end_at - start_at > 90000 LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_error)?;
    if too_long.is_some() {
        return Err(StoreError::Internal("a bulk-loaded booking lasts more than 25 hours".into()));
    }
    let broken: Vec<(String, i64)> =
        sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check('bookings') LIMIT 5")
            .fetch_all(&mut *conn)
            .await
            .map_err(map_error)?;
    if !broken.is_empty() {
        return Err(StoreError::Internal(format!("bulk-loaded bookings refer to missing records: {broken:?}")));
    }
    Ok(loaded)
}

fn insert_statement(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO bookings (id, space_id, site_id, space_kind, person_id, created_by, start_at, end_at, status, \
         created_at, updated_at, organisation_id) VALUES ",
    );
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push_str("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
            .bind(row.updated_at.timestamp())
            .bind(Uuid::from(row.organisation_id));
    }
    query
}

async fn load_postgres(url: &str, mut rows: mpsc::Receiver<BulkChunk>) -> Result<u64> {
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
             created_at, updated_at, organisation_id) FROM STDIN",
        )
        .await
        .map_err(internal("starting COPY"))?;
    let mut loaded = 0u64;
    let mut buffer = String::new();
    loop {
        let chunk = match rows.recv().await {
            Some(BulkChunk::Rows(chunk)) => chunk,
            Some(BulkChunk::End) => break,
            // Dropping the transaction unfinished rolls everything back.
            None => return Err(StoreError::Internal("the bookings stopped coming before the end".into())),
        };
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
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
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
        Uuid::from(row.organisation_id),
    );
}
