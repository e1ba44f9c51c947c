//! Finished generations kept by Idempotency-Key for a day, so a client that lost a response
//! (a dropped connection, a timeout on its side) can send the same request again and read the
//! same text: the model is not run again and nothing is charged again.

use crate::access::Subject;
use crate::db::{Db, DbError};
use crate::domain::IdempotencyKey;

/// How long a finished text can be fetched again with its key (the window Stripe uses too).
pub const KEPT_FOR_SECS: i64 = 24 * 60 * 60;

/// Stores the finished text of `key`, and drops texts older than a day, in one transaction
/// (one commit, one fsync on SQLite).
pub async fn save(
    db: &Db,
    subject: &Subject,
    key: &IdempotencyKey,
    text: &str,
    now: i64,
) -> Result<(), DbError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO generation_results (subject, idempotency_key, text, created_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (subject, idempotency_key) DO NOTHING",
    )
    .bind(subject.key())
    .bind(key.as_str())
    .bind(text)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM generation_results WHERE created_at < $1")
        .bind(now - KEPT_FOR_SECS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The finished text of `key`, when there is one younger than a day.
pub async fn find(
    db: &Db,
    subject: &Subject,
    key: &IdempotencyKey,
    now: i64,
) -> Result<Option<String>, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT text FROM generation_results
         WHERE subject = $1 AND idempotency_key = $2 AND created_at >= $3",
    )
    .bind(subject.key())
    .bind(key.as_str())
    .bind(now - KEPT_FOR_SECS)
    .fetch_optional(db.pool())
    .await?)
}
