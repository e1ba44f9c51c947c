//! Pending OAuth round trips: one row per "Sign in with …" click, consumed by the callback.

use crate::auth::token::SecretToken;
use crate::db::{Db, DbError};

/// How long a person may take on the provider's consent screen.
pub const STATE_LIFETIME_SECS: i64 = 10 * 60;

/// A started round trip: `state` goes in the authorize URL, `browser` in a cookie, and the
/// PKCE verifier never leaves the server.
pub struct Started {
    pub state: SecretToken,
    pub browser: SecretToken,
    pub pkce_verifier: SecretToken,
}

/// Records a round trip. `browser` is the binding cookie this browser already holds, if any:
/// it is reused, so a sign-in started in a second tab does not invalidate the first one's
/// (each round trip still has its own single-use `state`).
pub async fn start(
    db: &Db,
    provider: &str,
    next: &str,
    browser: Option<SecretToken>,
) -> Result<Started, DbError> {
    let started = Started {
        state: SecretToken::generate(),
        browser: browser.unwrap_or_else(SecretToken::generate),
        pkce_verifier: SecretToken::generate(),
    };
    sqlx::query(
        "INSERT INTO oauth_states (state_hash, provider, browser_hash, pkce_verifier, next_path, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(started.state.hash())
    .bind(provider)
    .bind(started.browser.hash())
    .bind(started.pkce_verifier.expose())
    .bind(next)
    .bind(db.now() + STATE_LIFETIME_SECS)
    .execute(db.pool())
    .await?;
    Ok(started)
}

/// Consumes the round trip of `state` if this browser started it for `provider` and it is
/// still fresh; returns (PKCE verifier, next path). The row is deleted whatever the outcome, so
/// a state (and the code that came with it) can never be used twice.
pub async fn finish(
    db: &Db,
    provider: &str,
    state: &str,
    browser: Option<&str>,
) -> Result<Option<(String, String)>, DbError> {
    let Some(state) = SecretToken::from_presented(state) else {
        return Ok(None);
    };
    let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
        "DELETE FROM oauth_states WHERE state_hash = $1
         RETURNING provider, browser_hash, pkce_verifier, next_path, expires_at",
    )
    .bind(state.hash())
    .fetch_optional(db.pool())
    .await?;
    let Some((stored_provider, stored_browser, verifier, next_path, expires_at)) = row else {
        return Ok(None);
    };
    let browser_hash = browser
        .and_then(SecretToken::from_presented)
        .map(|b| b.hash());
    let valid = stored_provider == provider
        && browser_hash.as_deref() == Some(stored_browser.as_str())
        && expires_at > db.now();
    Ok(valid.then_some((verifier, next_path)))
}
