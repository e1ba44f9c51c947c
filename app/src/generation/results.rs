//! Finished generations kept by Idempotency-Key for a day, so a client that lost a response
//! (a dropped connection, a timeout on its side) can send the same request again and read the
//! same text: the model is not run again and nothing is charged again.

use crate::access::Subject;
use crate::db::{Db, DbError};
use crate::domain::IdempotencyKey;
use sha2::{Digest, Sha256};

/// How long a finished text can be fetched again with its key (the window Stripe uses too).
pub const KEPT_FOR_SECS: i64 = 24 * 60 * 60;

/// What a key's earlier request left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// The finished text of the same prompt.
    Text(String),
    /// The key was used for a different prompt: not a retry but a mistake.
    OtherPrompt,
}

fn fingerprint(prompt: &str) -> String {
    hex::encode(Sha256::digest(prompt.as_bytes()))
}

/// Stores the finished text of `key` (for `prompt`), and drops texts older than a day, in one
/// transaction (one commit, one fsync on SQLite).
pub async fn save(
    db: &Db,
    subject: &Subject,
    key: &IdempotencyKey,
    prompt: &str,
    text: &str,
    now: i64,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO generation_results (subject, idempotency_key, prompt_sha256, text, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject, idempotency_key) DO NOTHING",
    )
    .bind(subject.key())
    .bind(key.as_str())
    .bind(fingerprint(prompt))
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

/// What `key` left when its request finished less than a day ago, compared with `prompt`.
pub async fn find(
    db: &Db,
    subject: &Subject,
    key: &IdempotencyKey,
    prompt: &str,
    now: i64,
) -> Result<Option<Kept>, DbError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT prompt_sha256, text FROM generation_results
         WHERE subject = $1 AND idempotency_key = $2 AND created_at >= $3",
    )
    .bind(subject.key())
    .bind(key.as_str())
    .bind(now - KEPT_FOR_SECS)
    .fetch_optional(db.pool())
    .await?;
    let Some((prompt_sha256, text)) = row else {
        return Ok(None);
    };
    Ok(Some(if prompt_sha256 == fingerprint(prompt) {
        Kept::Text(text)
    } else {
        Kept::OtherPrompt
    }))
}
