//! API keys for `Authorization: Bearer tg_…`: created and revoked on `/account`, stored as a
//! hash like session tokens, shown in full exactly once.

use super::token::SecretToken;
use super::users::{self, User};
use crate::db::{Db, DbError};

const PREFIX: &str = "tg_";
/// `last_used_at` is written at most this often per key, so busy API clients do not turn
/// every request into a write.
const TOUCH_EVERY_SECS: i64 = 60;

/// Validates a key's display name: 1–60 characters.
pub fn parse_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("Give the key a name, such as the app or script that will use it.".into());
    }
    if name.chars().count() > 60 {
        return Err("Key names are at most 60 characters.".into());
    }
    Ok(name.to_owned())
}

/// Creates a key; returns the full key text, which is never retrievable again.
pub async fn create(db: &Db, user_id: i64, name: &str) -> Result<String, DbError> {
    let token = SecretToken::generate();
    let full = format!("{PREFIX}{}", token.expose());
    sqlx::query(
        "INSERT INTO api_keys (user_id, name, prefix, token_hash, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(name)
    .bind(&full[..PREFIX.len() + 6])
    .bind(token.hash())
    .bind(db.now())
    .execute(db.pool())
    .await?;
    Ok(full)
}

/// A live key as stored (the key itself is never stored, only its hash and first characters).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: i64,
    pub name: String,
    /// The first characters, e.g. `tg_AbC123`, to recognise it.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// The user's live keys, newest first.
pub async fn list(db: &Db, user_id: i64) -> Result<Vec<ApiKeyRow>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, name, prefix, created_at, last_used_at FROM api_keys
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?)
}

/// Revokes one of the user's own keys; false when there is no such live key of theirs.
pub async fn revoke(db: &Db, user_id: i64, key_id: i64) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(db.now())
    .bind(key_id)
    .bind(user_id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The stored hash of a presented key (`tg_…`), or `None` when it is not shaped like one.
pub fn presented_hash(presented: &str) -> Option<String> {
    let token = presented
        .trim()
        .strip_prefix(PREFIX)
        .and_then(SecretToken::from_presented)?;
    Some(token.hash())
}

/// The condition on `api_keys k` that finds a live key by its hash (`$1`), written once for
/// every query that resolves a key (the access module's charge read too).
macro_rules! live_api_key {
    () => {
        "k.token_hash = $1 AND k.revoked_at IS NULL"
    };
}
pub(crate) use live_api_key;

/// The owner of the live key with `hash` (see [`presented_hash`]), or `None` for anything
/// else. A banned owner is returned too: the access decision then answers "suspended", which
/// tells them more than "invalid key".
pub async fn resolve(db: &Db, hash: &str) -> Result<Option<User>, DbError> {
    let row: Option<KeyOfUser> = sqlx::query_as(concat!(
        "SELECT k.id AS key_id, k.last_used_at AS last_used_at,
                u.id AS id, u.email AS email, u.name AS name, u.avatar_url AS avatar_url,
                u.role AS role, u.banned AS banned
         FROM api_keys k JOIN users u ON u.id = k.user_id WHERE ",
        live_api_key!()
    ))
    .bind(hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    touch(db, row.key_id, row.last_used_at).await?;
    Ok(Some(row.user.into()))
}

/// Records that key `key_id` (last used at `last_used_at`) was used now, at most once every
/// [`TOUCH_EVERY_SECS`].
pub async fn touch(db: &Db, key_id: i64, last_used_at: Option<i64>) -> Result<(), DbError> {
    let now = db.now();
    if last_used_at.is_none_or(|t| now - t >= TOUCH_EVERY_SECS) {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(key_id)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

/// An API key joined with its owner.
#[derive(sqlx::FromRow)]
struct KeyOfUser {
    key_id: i64,
    last_used_at: Option<i64>,
    #[sqlx(flatten)]
    user: users::UserRow,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_required_and_short() {
        assert_eq!(parse_name("  CI bot ").unwrap(), "CI bot");
        assert!(parse_name("  ").is_err());
        assert!(parse_name(&"x".repeat(61)).is_err());
    }
}
