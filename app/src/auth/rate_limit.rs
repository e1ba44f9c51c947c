//! Fixed-window rate limits kept in the database, so they hold across every app process.

use crate::db::{Db, DbError};

/// A limit: at most `max` hits per `window_secs` for one bucket (e.g. `email:ada@example.com`).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

/// Magic-link requests for one address from one client address: what a person retrying needs.
/// Keyed by both, so requests from someone else's IP never spend the owner's own budget.
pub const LINKS_PER_EMAIL_FROM_IP: Limit = Limit {
    max: 5,
    window_secs: 15 * 60,
};

/// Magic-link requests for one address from anywhere: stops mail-bombing one person from many
/// addresses, loose enough that locking the owner out takes several networks at once.
pub const LINKS_PER_EMAIL: Limit = Limit {
    max: 20,
    window_secs: 15 * 60,
};

/// Magic-link requests per IP (stops one client spraying many addresses); `max` comes from
/// `LOGIN_LINKS_PER_IP`.
pub const LINKS_PER_IP: Limit = Limit {
    max: 20,
    window_secs: 15 * 60,
};

/// "Sign in with …" clicks per IP (each stores a pending round trip): the same budget as
/// magic links (`LOGIN_LINKS_PER_IP`), in a bucket of its own.
pub const OAUTH_STARTS_PER_IP: Limit = LINKS_PER_IP;

/// New guests (each gets the catalog's guest allowance) named per IP per day, before the
/// address is asked to sign in: without it a client that drops its cookie on every request
/// would generate for free forever. `max` comes from `GUESTS_PER_IP`.
pub const GUESTS_PER_IP: Limit = Limit {
    max: 20,
    window_secs: 24 * 60 * 60,
};

/// Counts a hit in one bucket; `Err(seconds)` says how long until the window reopens.
pub async fn hit(db: &Db, bucket: &str, limit: Limit) -> Result<Result<(), i64>, DbError> {
    hit_all(db, &[(bucket, limit)]).await
}

/// Counts one hit in every bucket, or in none: the buckets are tried in order, each with a
/// conditional upsert that counts only below its limit, in one transaction that is rolled back
/// at the first bucket that refuses. So a refused request spends no other bucket's budget (one
/// IP cannot use up a victim's per-address budget with requests its own limit refuses), and
/// counts nowhere — a window that is full stays full either way.
/// `Err(seconds)` says how long until the refusing bucket's window reopens.
pub async fn hit_all(db: &Db, buckets: &[(&str, Limit)]) -> Result<Result<(), i64>, DbError> {
    let now = db.now();
    let mut tx = db.begin().await?;
    for (bucket, limit) in buckets {
        let window_start = now - now.rem_euclid(limit.window_secs);
        let counted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
             WHERE rate_limits.hits < $3
             RETURNING hits",
        )
        .bind(*bucket)
        .bind(window_start)
        .bind(limit.max)
        .fetch_optional(&mut *tx)
        .await?;
        if counted.is_none() {
            tx.rollback().await?;
            return Ok(Err(window_start + limit.window_secs - now));
        }
    }
    tx.commit().await?;
    Ok(Ok(()))
}
