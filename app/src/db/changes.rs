//! Which subjects' usage, credits, plan or standing changed a moment ago — anywhere: this
//! process, another server process on the same database, or the `tollgate` CLI. Database
//! triggers (migration 0008) record every such write; each server process watches them and
//! broadcasts the subjects to its live pages (`GET /api/events`), which then read their state
//! again. The feed carries no state itself, so a missed or extra change costs one read, never
//! a wrong number.
//!
//! - **PostgreSQL**: the triggers `NOTIFY tollgate_changes` with the subject; one `LISTEN`
//!   connection per process receives them when their transaction commits.
//! - **SQLite**: the triggers append to `change_feed`; the process reads rows after the last it
//!   saw twice a second (one indexed query).

use super::recent_changes::RecentChanges;
use super::{Backend, Db, DbError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::broadcast;

/// How often a process reads SQLite's change feed: a second tab's counter moves within this.
const SQLITE_POLL: Duration = Duration::from_millis(500);
/// The rows one SQLite read takes at most; the rest come on the next read.
const SQLITE_BATCH: i64 = 1_000;
/// PostgreSQL's channel, named in the triggers of migration 0008.
const CHANNEL: &str = "tollgate_changes";
/// How long to wait before connecting again after the `LISTEN` connection failed.
const RECONNECT_AFTER: Duration = Duration::from_secs(2);
/// How many changes wait for a slow listener before it is told to look again at everything.
const BUFFER: usize = 4_096;
/// How long SQLite's feed rows are kept (each process reads them within a second).
pub const KEPT_FOR_SECS: i64 = 3_600;

/// One change, as live pages hear it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The state of this subject (its key, e.g. `u:42`) changed.
    Subject(Arc<str>),
    /// Changes may have been missed (the watcher lost its connection): everyone looks again.
    Everyone,
}

impl Change {
    /// Whether a page showing `subject_key`'s state should read it again.
    pub fn concerns(&self, subject_key: &str) -> bool {
        match self {
            Change::Subject(key) => key.as_ref() == subject_key,
            Change::Everyone => true,
        }
    }
}

/// The process's broadcast of changes, and what it heard lately; cheap to clone.
#[derive(Debug, Clone)]
pub struct ChangeFeed {
    sender: broadcast::Sender<Change>,
    recent: Arc<Mutex<RecentChanges>>,
}

impl Default for ChangeFeed {
    /// Until [`ChangeFeed::watch`] starts, every page is told its state may have changed.
    fn default() -> Self {
        Self {
            sender: broadcast::channel(BUFFER).0,
            recent: Arc::new(Mutex::new(RecentChanges::new(i64::MAX))),
        }
    }
}

impl ChangeFeed {
    /// Changes from now on. A receiver that falls `BUFFER` behind gets `Lagged`, which its
    /// reader treats as [`Change::Everyone`].
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.sender.subscribe()
    }

    /// Whether `subject_key`'s state may have changed since a page's state was read at `since`
    /// (the app clock's seconds), as far as this process heard: for a page that starts
    /// listening a moment after it was rendered.
    pub fn changed_since(&self, subject_key: &str, since: i64, now: i64) -> bool {
        self.recent().changed_since(subject_key, since, now)
    }

    fn recent(&self) -> std::sync::MutexGuard<'_, RecentChanges> {
        // Never held across an await, and every update leaves it whole: a poisoned lock is sound.
        self.recent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells live pages, and remembers it for pages about to connect.
    fn send(&self, change: Change, now: i64) {
        match &change {
            Change::Subject(subject) => self.recent().subject_changed(subject.clone(), now),
            Change::Everyone => self.recent().everyone_changed(now),
        }
        // Nobody listening is fine.
        let _ = self.sender.send(change);
    }

    /// Watches `db` for as long as the future runs (the server spawns it and aborts it on
    /// shutdown). Failures are logged and retried; they never end the watch.
    pub async fn watch(self, db: Db) {
        // What happened before the watch began was not heard.
        *self.recent() = RecentChanges::new(db.now());
        match db.backend() {
            Backend::Sqlite => self.poll_sqlite(&db).await,
            Backend::Postgres => self.listen_postgres(&db).await,
        }
    }

    async fn poll_sqlite(&self, db: &Db) {
        let mut ticks = tokio::time::interval(SQLITE_POLL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The last row seen: the feed's end when the watch began, then whatever was read. It
        // moves on also while nobody listens, so a page that starts listening hears every
        // change after that moment (and none from before it).
        let mut last: Option<i64> = None;
        loop {
            ticks.tick().await;
            match read_after(db, last).await {
                Ok((end, subjects)) => {
                    last = Some(end);
                    for subject in subjects {
                        self.send(Change::Subject(subject.into()), db.now());
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "reading the change feed failed; trying again")
                }
            }
        }
    }

    async fn listen_postgres(&self, db: &Db) {
        loop {
            match sqlx::postgres::PgListener::connect(db.url.expose()).await {
                Ok(mut listener) => match listen(&mut listener).await {
                    Ok(schema) => {
                        // Whatever changed while there was no connection was not heard.
                        self.send(Change::Everyone, db.now());
                        self.relay(db, &mut listener, &schema).await;
                    }
                    Err(e) => tracing::warn!(error = %e, "LISTEN for live updates failed"),
                },
                Err(e) => tracing::warn!(
                    error = %e,
                    "connecting to PostgreSQL for live updates failed; trying again"
                ),
            }
            tokio::time::sleep(RECONNECT_AFTER).await;
        }
    }

    /// Passes notifications on until the listener fails for good.
    async fn relay(&self, db: &Db, listener: &mut sqlx::postgres::PgListener, schema: &str) {
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    if let Some(subject) = of_schema(notification.payload(), schema) {
                        self.send(Change::Subject(subject.into()), db.now());
                    }
                }
                // The connection dropped; the next call reconnects and listens again, but
                // what was sent meanwhile is lost.
                Ok(None) => {
                    tracing::warn!("the live-updates connection dropped; reconnecting");
                    self.send(Change::Everyone, db.now());
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the live-updates connection failed");
                    return;
                }
            }
        }
    }
}

/// Listens on the channel; returns the schema our tables live in, as this connection finds
/// them (the triggers name the changed table's schema; several schemas of one database share
/// the channel). Asked of the table itself, not `current_schema()`: a `search_path` that
/// starts with another, existing schema still finds the tables further on.
async fn listen(listener: &mut sqlx::postgres::PgListener) -> Result<String, sqlx::Error> {
    listener.listen(CHANNEL).await?;
    sqlx::query_scalar(
        "SELECT COALESCE(
             (SELECT n.nspname::text FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.oid = to_regclass('usage_ledger')),
             current_schema()::text, '')",
    )
    .fetch_one(listener)
    .await
}

/// The subject of a payload `"<schema> <subject>"` sent from `schema`.
fn of_schema<'p>(payload: &'p str, schema: &str) -> Option<&'p str> {
    // Subjects hold no spaces; a schema name may.
    payload
        .rsplit_once(' ')
        .filter(|(from, _)| *from == schema)
        .map(|(_, subject)| subject)
}

/// The feed's rows after `last` (subjects, each once) and the new last id; with no `last`,
/// only where the feed ends now.
async fn read_after(db: &Db, last: Option<i64>) -> Result<(i64, Vec<String>), DbError> {
    use sqlx::Row;
    let Some(last) = last else {
        let end: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM change_feed")
            .fetch_one(db.pool())
            .await?;
        return Ok((end, Vec::new()));
    };
    let rows =
        sqlx::query("SELECT id, subject FROM change_feed WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(last)
            .bind(SQLITE_BATCH)
            .fetch_all(db.pool())
            .await?;
    let mut end = last;
    let mut subjects = std::collections::BTreeSet::new();
    for row in rows {
        end = row.try_get("id")?;
        subjects.insert(row.try_get::<String, _>("subject")?);
    }
    Ok((end, subjects.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_concerns_its_subject_and_everyone_concerns_all() {
        let change = Change::Subject("u:42".into());
        assert!(change.concerns("u:42"));
        assert!(!change.concerns("u:4"));
        assert!(Change::Everyone.concerns("g:abc"));
    }

    #[test]
    fn a_notification_counts_only_for_the_schema_it_came_from() {
        assert_eq!(of_schema("public u:42", "public"), Some("u:42"));
        assert_eq!(of_schema("tenant_b u:42", "public"), None);
        assert_eq!(of_schema("u:42", "public"), None, "no schema, not ours");
    }
}
