//! Email magic links: single use, valid 15 minutes, stored as a hash.
//!
//! Opening a link only *shows* who it signs in ([`peek`]); the "Sign in as …" button posts it
//! back ([`redeem`]). Mail scanners that fetch every link (GET or HEAD) therefore use nothing
//! up, and nobody is signed into an account they did not see named first.

use super::token::SecretToken;
use crate::db::{Db, DbError};
use crate::domain::EmailAddress;

pub const LINK_LIFETIME_SECS: i64 = 15 * 60;

/// Why a presented link does not sign anyone in; each has its own message on `/login`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// Not a link we issued (mistyped, truncated by the mail client…).
    Unknown,
    Expired,
    AlreadyUsed,
}

/// Issues a link for `email` that will land on `next` after sign-in.
pub async fn issue(db: &Db, email: &EmailAddress, next: &str) -> Result<SecretToken, DbError> {
    let token = SecretToken::generate();
    let now = db.now();
    sqlx::query("INSERT INTO login_links (token_hash, email, next_path, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token.hash())
        .bind(email.as_str())
        .bind(next)
        .bind(now)
        .bind(now + LINK_LIFETIME_SECS)
        .execute(db.pool())
        .await?;
    Ok(token)
}

/// Uses up the link: one conditional `UPDATE`, so two clicks racing each other cannot both
/// succeed. Returns the email and where to go next.
pub async fn redeem(
    db: &Db,
    token: &SecretToken,
) -> Result<Result<(EmailAddress, String), LinkProblem>, DbError> {
    let now = db.now();
    let row: Option<(String, String)> = sqlx::query_as(
        "UPDATE login_links SET used_at = $1
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
         RETURNING email, next_path",
    )
    .bind(now)
    .bind(token.hash())
    .fetch_optional(db.pool())
    .await?;
    if let Some((email, next)) = row {
        return Ok(EmailAddress::lookup(&email)
            .map(|email| (email, next))
            .map_err(|_| LinkProblem::Unknown));
    }
    // Not redeemed: find out why, to tell the person what to do.
    Ok(Err(match peek(db, token).await? {
        // Valid a moment ago: another click won the race.
        Ok(_) => LinkProblem::AlreadyUsed,
        Err(problem) => problem,
    }))
}

/// Whom the link would sign in, without using it up.
pub async fn peek(
    db: &Db,
    token: &SecretToken,
) -> Result<Result<EmailAddress, LinkProblem>, DbError> {
    let row: Option<(String, Option<i64>, i64)> =
        sqlx::query_as("SELECT email, used_at, expires_at FROM login_links WHERE token_hash = $1")
            .bind(token.hash())
            .fetch_optional(db.pool())
            .await?;
    let Some((email, used_at, expires_at)) = row else {
        return Ok(Err(LinkProblem::Unknown));
    };
    if used_at.is_some() {
        return Ok(Err(LinkProblem::AlreadyUsed));
    }
    if expires_at <= db.now() {
        return Ok(Err(LinkProblem::Expired));
    }
    Ok(EmailAddress::lookup(&email).map_err(|_| LinkProblem::Unknown))
}
