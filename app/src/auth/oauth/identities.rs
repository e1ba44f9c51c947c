//! Which account an OAuth identity belongs to.

use super::Identity;
use crate::auth::users::{self, User};
use crate::db::{Db, DbError};

/// Why an identity cannot sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// No email, or one the provider has not verified: linking by it would let anyone who
    /// types someone else's address at a provider take over their account.
    UnverifiedEmail,
}

/// The account for `identity`: the one it was linked to before, else the account with its
/// verified email (created if new), which it is then linked to. Unverified emails are refused
/// even for a known identity: the provider must vouch for the address every time.
pub async fn account_for(
    db: &Db,
    provider: &str,
    identity: &Identity,
) -> Result<Result<User, LinkRefusal>, DbError> {
    let email = match (&identity.email, identity.email_verified) {
        (Some(email), true) => match users::sign_in_address(db, email).await? {
            Ok(email) => email,
            Err(_) => return Ok(Err(LinkRefusal::UnverifiedEmail)),
        },
        _ => return Ok(Err(LinkRefusal::UnverifiedEmail)),
    };
    let linked: Option<users::UserRow> = sqlx::query_as(
        "SELECT id, email, name, avatar_url, role, banned FROM users
         WHERE id = (SELECT user_id FROM oauth_identities WHERE provider = $1 AND subject = $2)",
    )
    .bind(provider)
    .bind(&identity.subject)
    .fetch_optional(db.pool())
    .await?;
    if let Some(row) = linked {
        return Ok(Ok(row.into()));
    }
    let user = users::find_or_create(
        db,
        &email,
        identity.name.as_deref(),
        identity.avatar_url.as_deref(),
    )
    .await?;
    sqlx::query(
        "INSERT INTO oauth_identities (provider, subject, user_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (provider, subject) DO NOTHING",
    )
    .bind(provider)
    .bind(&identity.subject)
    .bind(user.id)
    .bind(db.now())
    .execute(db.pool())
    .await?;
    Ok(Ok(user))
}
