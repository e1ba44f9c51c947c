//! Database sessions: the browser holds a random token, the database its hash.
//!
//! Sessions expire after 30 days without use; each use more than an hour after the last one
//! pushes expiry out again (sliding renewal), so active people stay signed in while the
//! database is written at most once an hour per session. However active, a session ends 90
//! days after sign-in (absolute lifetime), so a stolen cookie cannot be kept alive forever.

use super::token::SecretToken;
use super::users::{self, User};
use crate::db::{Db, DbError};

pub const SESSION_LIFETIME_SECS: i64 = 30 * 24 * 3600;
/// Sign in again after this long, however active the session was.
pub const SESSION_ABSOLUTE_SECS: i64 = 90 * 24 * 3600;
const RENEW_AFTER_SECS: i64 = 3600;

/// The result of presenting a session token.
#[derive(Debug, Clone)]
pub struct ResolvedSession {
    pub session_id: i64,
    pub user: User,
    /// The expiry moved: the cookie's `Max-Age` should be sent again.
    pub renewed: bool,
}

/// Starts a session for `user_id`; the returned token goes into the cookie.
pub async fn create(
    db: &Db,
    user_id: i64,
    user_agent: &str,
    ip: &str,
) -> Result<SecretToken, DbError> {
    let token = SecretToken::generate();
    let now = db.now();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, user_agent, ip, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(token.hash())
    .bind(user_id)
    .bind(truncate(user_agent, 300))
    .bind(truncate(ip, 64))
    .bind(now)
    .bind(now + SESSION_LIFETIME_SECS)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// A session joined with its user.
#[derive(sqlx::FromRow)]
struct SessionOfUser {
    session_id: i64,
    last_seen_at: i64,
    session_created_at: i64,
    #[sqlx(flatten)]
    user: users::UserRow,
}

/// The live session of `token` with its (not banned) user, renewing it when due.
pub async fn resolve(db: &Db, token: &SecretToken) -> Result<Option<ResolvedSession>, DbError> {
    let now = db.now();
    let row: Option<SessionOfUser> = sqlx::query_as(
        "SELECT s.id AS session_id, s.last_seen_at AS last_seen_at,
                s.created_at AS session_created_at,
                u.id AS id, u.email AS email, u.name AS name, u.avatar_url AS avatar_url,
                u.role AS role, u.banned AS banned
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.created_at > $3 AND u.banned = 0",
    )
    .bind(token.hash())
    .bind(now)
    .bind(now - SESSION_ABSOLUTE_SECS)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let SessionOfUser {
        session_id,
        last_seen_at: last_seen,
        session_created_at: created,
        user,
    } = row;
    let user = User::from(user);
    let renewed = now - last_seen >= RENEW_AFTER_SECS;
    if renewed {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3")
            .bind(now)
            .bind((now + SESSION_LIFETIME_SECS).min(created + SESSION_ABSOLUTE_SECS))
            .bind(session_id)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(ResolvedSession {
        session_id,
        user,
        renewed,
    }))
}

/// A live session as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub user_agent: String,
    pub ip: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// The live sessions of a user, most recently used first.
pub async fn list(db: &Db, user_id: i64) -> Result<Vec<SessionRow>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, user_agent, ip, created_at, last_seen_at FROM sessions
         WHERE user_id = $1 AND expires_at > $2 AND created_at > $3
         ORDER BY last_seen_at DESC, id DESC",
    )
    .bind(user_id)
    .bind(db.now())
    .bind(db.now() - SESSION_ABSOLUTE_SECS)
    .fetch_all(db.pool())
    .await?)
}

/// Ends one session of `user_id`; `false` if it was not theirs or already gone.
pub async fn revoke(db: &Db, user_id: i64, session_id: i64) -> Result<bool, DbError> {
    let result = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
        .bind(session_id)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(result.rows_affected() > 0)
}

/// Ends every session of `user_id` except `keep`; returns how many ended.
pub async fn revoke_others(db: &Db, user_id: i64, keep: i64) -> Result<u64, DbError> {
    let result = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(db.pool())
        .await?;
    Ok(result.rows_affected())
}

/// Sign-out: ends the session of `token`.
pub async fn delete(db: &Db, token: &SecretToken) -> Result<(), DbError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token.hash())
        .execute(db.pool())
        .await?;
    Ok(())
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// "Firefox on Linux" from a User-Agent: enough for a person to recognise their device.
pub fn describe_device(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    let os = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(o)) => format!("Browser on {o}"),
        (None, None) => "Unknown device".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::describe_device;

    #[test]
    fn devices_are_named_from_the_user_agent() {
        let chrome_linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(describe_device(chrome_linux), "Chrome on Linux");
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_device(safari_iphone), "Safari on iOS");
        assert_eq!(describe_device("curl/8.0"), "curl");
        assert_eq!(describe_device(""), "Unknown device");
    }
}
