//! The SQLite group-commit writer: every write of a [`SqliteStore`] goes through it.
//!
//! Writes are serialised through one writer connection owned by a task ([`Writer`]). It takes
//! whatever write jobs are waiting (up to [`MAX_BATCH`]), runs them in one `BEGIN IMMEDIATE`
//! transaction, each in its own savepoint (or as one statement, which SQLite undoes alone on
//! error), commits once, and only then answers each caller. Concurrent bookings thus share one
//! durable commit (one fsync) while each is still decided on its own, in arrival order.
//! `BEGIN IMMEDIATE` also serialises against other processes using the same file.

use std::panic::AssertUnwindSafe;
use std::sync::Mutex;

use async_trait::async_trait;
use futures::FutureExt;
use futures::future::BoxFuture;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use super::SqliteStore;
use crate::{Result, StoreError, map_error};

/// Most write jobs in one transaction. Large enough that a burst of concurrent requests shares a
/// commit; small enough that one transaction stays short.
pub const MAX_BATCH: usize = 512;

impl SqliteStore {
    /// Runs `job` on the writer connection inside the current batch's transaction, and answers
    /// once that transaction has committed. `single_statement` jobs skip the savepoint: SQLite
    /// undoes a failed statement by itself.
    pub(super) async fn write<T, F>(&self, single_statement: bool, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.writer.submit(Box::new(Job { run: Some(job), result: None, reply: Some(reply), single_statement }))?;
        answer.await.map_err(|_| StoreError::Unavailable("the writer stopped".into()))?
    }
}

/// How a write job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Its changes stand.
    Kept,
    /// Refused by a rule or constraint: its own changes are undone, the transaction goes on.
    Refused,
    /// Failed in a way that may have ended the whole transaction (disk full, I/O error): the
    /// batch must stop, or later jobs would run outside it.
    Broken,
}

/// One write job, type-erased so that jobs of every result type can share a batch.
#[async_trait]
trait WriteJob: Send {
    fn single_statement(&self) -> bool;
    async fn run(&mut self, conn: &mut SqliteConnection) -> Outcome;
    /// Answers the caller once the batch has committed (or failed to).
    fn finish(&mut self, commit: Result<()>);
}

struct Job<F, T> {
    run: Option<F>,
    result: Option<Result<T>>,
    reply: Option<oneshot::Sender<Result<T>>>,
    single_statement: bool,
}

#[async_trait]
impl<F, T> WriteJob for Job<F, T>
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
{
    fn single_statement(&self) -> bool {
        self.single_statement
    }

    async fn run(&mut self, conn: &mut SqliteConnection) -> Outcome {
        let Some(run) = self.run.take() else { return Outcome::Broken };
        let result = AssertUnwindSafe(run(conn))
            .catch_unwind()
            .await
            .unwrap_or_else(|_| Err(StoreError::Internal("a write job panicked".into())));
        let outcome = match &result {
            Ok(_) => Outcome::Kept,
            Err(
                StoreError::NotFound
                | StoreError::Booking(_)
                | StoreError::Duplicate(_)
                | StoreError::MissingReference
                | StoreError::Invalid(_),
            ) => Outcome::Refused,
            Err(StoreError::Unavailable(_) | StoreError::Internal(_)) => Outcome::Broken,
        };
        self.result = Some(result);
        outcome
    }

    fn finish(&mut self, commit: Result<()>) {
        let answer = match (self.result.take(), commit) {
            (Some(Err(own)), _) => Err(own),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (_, Err(commit)) => Err(commit),
            (None, Ok(())) => Err(StoreError::Internal("a write job was never run".into())),
        };
        if let Some(reply) = self.reply.take() {
            // The caller may have gone away (a cancelled request); its write stands regardless.
            let _ = reply.send(answer);
        }
    }
}

/// The task that owns the writer connection.
pub(super) struct Writer {
    queue: Mutex<Option<mpsc::UnboundedSender<Box<dyn WriteJob>>>>,
    done: tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Writer {
    pub(super) fn start(conn: SqliteConnection) -> Self {
        let (queue, jobs) = mpsc::unbounded_channel();
        let task = tokio::spawn(run_writer(conn, jobs));
        Self { queue: Mutex::new(Some(queue)), done: tokio::sync::Mutex::new(Some(task)) }
    }

    fn submit(&self, job: Box<dyn WriteJob>) -> Result<()> {
        let queue = self.queue.lock().map_err(|_| StoreError::Internal("writer queue poisoned".into()))?;
        queue
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("the store is closed".into()))?
            .send(job)
            .map_err(|_| StoreError::Unavailable("the writer stopped".into()))
    }

    /// Stops taking jobs, lets the writer finish the queued ones, and waits for it.
    pub(super) async fn stop(&self) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.take();
        }
        if let Some(task) = self.done.lock().await.take() {
            let _ = task.await;
        }
    }
}

async fn run_writer(mut conn: SqliteConnection, mut jobs: mpsc::UnboundedReceiver<Box<dyn WriteJob>>) {
    let mut batch: Vec<Box<dyn WriteJob>> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = jobs.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let outcome = run_batch(&mut conn, &mut batch).await;
        if let Err(error) = &outcome {
            tracing::error!(%error, jobs = batch.len(), "SQLite write batch failed");
        }
        for mut job in batch.drain(..) {
            job.finish(outcome.clone());
        }
    }
    let _ = sqlx::query("PRAGMA optimize").execute(&mut conn).await;
    let _ = conn.close().await;
}

async fn run_batch(conn: &mut SqliteConnection, batch: &mut [Box<dyn WriteJob>]) -> Result<()> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.map_err(map_error)?;
    let mut result = Ok(());
    for job in batch.iter_mut() {
        if job.single_statement() {
            // A refused statement undoes itself; anything worse stops the batch.
            if job.run(conn).await == Outcome::Broken {
                result = Err(StoreError::Unavailable("a write in the batch failed; the batch was rolled back".into()));
                break;
            }
            continue;
        }
        if let Err(e) = sqlx::query("SAVEPOINT job").execute(&mut *conn).await {
            result = Err(map_error(e));
            break;
        }
        let end = match job.run(conn).await {
            Outcome::Kept => "RELEASE job",
            Outcome::Refused => "ROLLBACK TO job; RELEASE job",
            Outcome::Broken => {
                result = Err(StoreError::Unavailable("a write in the batch failed; the batch was rolled back".into()));
                break;
            }
        };
        if let Err(e) = sqlx::raw_sql(end).execute(&mut *conn).await {
            result = Err(map_error(e));
            break;
        }
    }
    if result.is_ok() {
        result = sqlx::query("COMMIT").execute(&mut *conn).await.map(drop).map_err(map_error);
    }
    if result.is_err() {
        // Fine to fail: SQLite may already have rolled the transaction back itself.
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    result
}
