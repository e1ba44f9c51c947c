//! SQLite: the write-ahead log is copied back into the database file by a task of its own.
//!
//! By default the commit that happens to take the log past 1,000 pages does that copy (a
//! checkpoint, with its `fsync`s) before it returns. On the one writer connection that stalls
//! every charge queued behind it: under load, one allowed generation in a hundred waited
//! ~100 ms for it (bench p99). Here commits never checkpoint (every connection is opened with
//! `wal_autocheckpoint = 0`, `super::Db::connect`); a task asks for a `PASSIVE`
//! checkpoint every `EVERY` on a reading connection, which copies what no reader still needs
//! without blocking readers or the writer. Readers and the writer go on meanwhile; the log
//! cannot grow without bound, because each pass catches up with everything committed before
//! it. What a power loss can cost is unchanged: committed transactions are in the log, which
//! SQLite replays on the next open.

use sqlx::AnyPool;
use std::time::Duration;

/// How often the log is copied back.
const EVERY: Duration = Duration::from_secs(1);

/// Checkpoints on `pool` every `EVERY` until the pool is closed.
pub(super) fn copy_back_in_the_background(pool: AnyPool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if pool.is_closed() {
                return;
            }
            let done = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await;
            match done {
                Ok(_) => {}
                Err(sqlx::Error::PoolClosed) => return,
                Err(e) => tracing::warn!(error = %e, "copying SQLite's log back failed; retrying"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::db::{DatabaseUrl, Db};

    #[tokio::test]
    async fn commits_reach_the_database_file_without_a_commit_copying_them() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        let db = Db::connect(&DatabaseUrl::parse(&url).unwrap())
            .await
            .unwrap();
        let automatic: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
            .fetch_one(db.usage_pool())
            .await
            .unwrap();
        assert_eq!(automatic, 0, "commits do not checkpoint");
        let mut tx = db.begin().await.unwrap();
        sqlx::query("CREATE TABLE big (b BLOB)")
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO big VALUES (zeroblob(2000000))")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let size = || std::fs::metadata(&file).map_or(0, |m| m.len());
        for _ in 0..50 {
            if size() > 2_000_000 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!(
            "the log was not copied back within 5 s: the file has {} bytes",
            size()
        );
    }
}
