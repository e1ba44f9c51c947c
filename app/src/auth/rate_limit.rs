//! Fixed-window rate limits kept in the database, so they hold across every app process.

use super::unix_now;
use crate::db::{Db, DbError};
use sqlx::Row;

/// A limit: at most `max` hits per `window_secs` for one bucket (e.g. `email:ada@example.com`).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

/// Magic-link requests: per address (stops mail-bombing one person) and per IP (stops one
/// client spraying many addresses).
pub const LINKS_PER_EMAIL: Limit = Limit {
    max: 5,
    window_secs: 15 * 60,
};
pub const LINKS_PER_IP: Limit = Limit {
    max: 20,
    window_secs: 15 * 60,
};

/// New guests (each gets the catalog's guest allowance) named per IP per day, before the
/// address is asked to sign in: without it a client that drops its cookie on every request
/// would generate for free forever. `max` comes from `GUESTS_PER_IP`.
pub const GUESTS_PER_IP: Limit = Limit {
    max: 20,
    window_secs: 24 * 60 * 60,
};

/// Counts a hit; `Err(seconds)` says how long until the window reopens when over the limit.
/// The increment is one upsert, atomic on both engines.
pub async fn hit(db: &Db, bucket: &str, limit: Limit) -> Result<Result<(), i64>, DbError> {
    let now = unix_now();
    let window_start = now - now.rem_euclid(limit.window_secs);
    let row = sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
         RETURNING hits",
    )
    .bind(bucket)
    .bind(window_start)
    .fetch_one(db.pool())
    .await?;
    let hits: i64 = row.try_get("hits")?;
    Ok(if hits > limit.max {
        Err(window_start + limit.window_secs - now)
    } else {
        Ok(())
    })
}
