//! The database: one pool, SQLite or PostgreSQL chosen at run time from the URL.
//!
//! Queries are written once in the SQL both engines share (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`), run through sqlx's `Any` driver; only the schema has one migration file per
//! engine, because column types differ. Timestamps are stored as integer Unix seconds so they
//! compare the same way on both.

mod migrations;
mod url;

pub use url::{Backend, DatabaseUrl};

use crate::clock::Clock;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
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
}

/// A transaction that several services' writes can join (e.g. a webhook recording its event,
/// a subscription and a credit grant as one).
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A cheap-to-clone handle on the connection pool.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
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
        let max_connections = match url.backend() {
            // SQLite has one writer at a time; a few readers are enough for one process.
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url.expose())
            .await
            .map_err(|source| DbError::Connect {
                url: url.redacted(),
                source,
            })?;
        if url.backend() == Backend::Sqlite {
            // WAL lets readers proceed while one connection writes; it persists in the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Self {
            pool,
            backend: url.backend(),
            clock: Clock::default(),
        })
    }

    /// Applies every migration not yet applied; safe to run on every start and concurrently
    /// from several processes (sqlx takes an advisory lock on PostgreSQL).
    pub async fn migrate(&self) -> Result<usize, DbError> {
        migrations::run(&self.pool, self.backend).await
    }

    /// Opens a transaction for writes to join; nothing is kept unless it is committed.
    pub async fn begin(&self) -> Result<Tx, DbError> {
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
        self.pool.close().await;
    }
}
