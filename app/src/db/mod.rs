//! The database: one pool, SQLite or PostgreSQL chosen at run time from the URL.
//!
//! Queries are written once in the SQL both engines share (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`), run through sqlx's `Any` driver; only the schema has one migration file per
//! engine, because column types differ. Timestamps are stored as integer Unix seconds so they
//! compare the same way on both.
//!
//! Writes come in two kinds (docs/architecture.md, "What a power loss can cost"):
//! - **usage** ([`Db::begin`]): charges, refunds, counts, rate limits, kept texts. On SQLite
//!   they all go through one writer connection of this process, so writers queue in memory
//!   instead of sleeping in SQLite's busy handler, and commit with `synchronous = NORMAL` (WAL:
//!   never corrupt, nothing lost when the process dies; a power loss can roll back the last
//!   moments of usage). No commit copies the log back into the file; a task does
//!   ([`checkpoint`]). On PostgreSQL they commit with `synchronous_commit = off` (the same
//!   trade: consistent, the last fraction of a second may be lost if the server machine dies).
//! - **durable** ([`Db::begin_durable`]): anything a payment bought (subscriptions, credit
//!   grants, billing events). Committed with `synchronous = FULL` / `synchronous_commit = on`:
//!   on disk before the caller is told it succeeded (and before a webhook is acknowledged).

pub mod changes;
mod checkpoint;
mod migrations;
mod recent_changes;
mod url;

pub use url::{Backend, DatabaseUrl};

use crate::clock::Clock;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Connection, Executor};
use std::time::Duration;

/// Why the database cannot be used; `Display` never contains the password of the URL.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to the database at {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot create the directory for the SQLite file {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    /// A stored number that cannot be what it says (a negative count, an amount past what the
    /// column holds): refused loudly rather than clamped into a plausible lie.
    #[error("impossible number in the database: {0}")]
    OutOfRange(String),
    /// One failure told to each of several requests it failed at once (a group commit whose
    /// transaction could not begin or commit).
    #[error("{0}")]
    Shared(std::sync::Arc<DbError>),
}

/// A transaction that several services' writes can join (e.g. a webhook recording its event,
/// a subscription and a credit grant as one).
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A pooled connection unused for longer than this is pinged before it is handed out.
const IDLE_CHECK_AFTER: Duration = Duration::from_secs(30);

/// A cheap-to-clone handle on the connection pools.
#[derive(Clone, Debug)]
pub struct Db {
    /// Reads, and durable writes.
    pool: AnyPool,
    /// Usage writes: SQLite's one connection per process; PostgreSQL connections that commit
    /// without waiting for the WAL flush.
    writer: AnyPool,
    backend: Backend,
    /// Kept for connections outside the pools (PostgreSQL's `LISTEN`, see [`changes`]).
    url: DatabaseUrl,
    clock: Clock,
}

impl Db {
    /// Opens a pool on `url`; a SQLite file and its directory are created when missing.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        if let Some(dir) = url.sqlite_parent_dir() {
            std::fs::create_dir_all(&dir).map_err(|source| DbError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let connect = |max_connections: u32, synchronous: &'static str| {
            AnyPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                // sqlx pings every connection before each use by default: one more round trip
                // per query (measured: round trips are most of the metered path's cost). Only
                // a connection idle for a while is checked, so one the server dropped (a
                // PostgreSQL restart) is replaced before a query fails on it.
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for > IDLE_CHECK_AFTER {
                            conn.ping().await?;
                        }
                        Ok(true)
                    })
                })
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        if !synchronous.is_empty() {
                            conn.execute(synchronous).await?;
                        }
                        Ok(())
                    })
                })
                .connect(url.expose())
        };
        let failed = |source| DbError::Connect {
            url: url.redacted(),
            source,
        };
        let (pool, writer) = match url.backend() {
            Backend::Sqlite => {
                // Readers (and the rare durable write) beside one writer for usage. Each SQLite
                // connection is a thread of the driver's; three keep two cores busy without the
                // context switches of eight (measured: /dashboard 19 % → 22 % of /healthz).
                let pool = connect(
                    3,
                    "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0",
                )
                .await
                .map_err(failed)?;
                // WAL lets readers proceed while one connection writes; it persists in the file.
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&pool)
                    .await?;
                let writer = connect(
                    1,
                    "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0",
                )
                .await
                .map_err(failed)?;
                checkpoint::copy_back_in_the_background(pool.clone());
                (pool, writer)
            }
            Backend::Postgres => {
                let pool = connect(16, "").await.map_err(failed)?;
                // Usage commits do not wait for the WAL flush (see the module doc); set once
                // per connection, not per transaction.
                let writer = connect(8, "SET synchronous_commit = off")
                    .await
                    .map_err(failed)?;
                (pool, writer)
            }
        };
        Ok(Self {
            pool,
            writer,
            backend: url.backend(),
            url: url.clone(),
            clock: Clock::default(),
        })
    }

    /// Applies every migration not yet applied; safe to run on every start and concurrently
    /// from several processes (sqlx takes an advisory lock on PostgreSQL).
    pub async fn migrate(&self) -> Result<usize, DbError> {
        migrations::run(&self.pool, self.backend, None).await
    }

    /// Applies migrations up to version `last` only: for tests that put rows in an older schema
    /// and check that the next migration keeps them.
    pub async fn migrate_up_to(&self, last: i64) -> Result<usize, DbError> {
        migrations::run(&self.pool, self.backend, Some(last)).await
    }

    /// Opens a transaction for usage writes (see the module doc for what a power loss can
    /// cost them); nothing is kept unless it is committed. On SQLite this waits for the
    /// process's one writer connection, so never call it while holding another `begin()`.
    pub async fn begin(&self) -> Result<Tx, DbError> {
        Ok(self.writer.begin().await?)
    }

    /// The connections usage writes go through, for a usage write that is one statement (its
    /// own transaction, with the durability of [`Db::begin`]'s).
    pub(crate) fn usage_pool(&self) -> &AnyPool {
        &self.writer
    }

    /// Opens a transaction for what a payment bought: once committed it is on disk.
    pub async fn begin_durable(&self) -> Result<Tx, DbError> {
        Ok(self.pool.begin().await?)
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Now, in Unix seconds, from the one clock (see [`crate::clock`]).
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The clock itself, to set it (tests, QA).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Closes every connection; used on shutdown so SQLite checkpoints its WAL.
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}
