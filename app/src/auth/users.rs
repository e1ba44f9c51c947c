//! Accounts: one row per verified email address.

use crate::db::{Db, DbError};
use crate::domain::EmailAddress;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub(crate) fn from_db(raw: &str) -> Self {
        if raw == "admin" {
            Role::Admin
        } else {
            Role::User
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub avatar_url: Option<String>,
    pub role: Role,
    pub banned: bool,
}

/// A `users` row as stored (the role as text, `banned` as 0/1). Joins embed it with
/// `#[sqlx(flatten)]` and select its columns under these names.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    email: String,
    name: String,
    avatar_url: Option<String>,
    role: String,
    banned: i64,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: row.id,
            email: row.email,
            name: row.name,
            avatar_url: row.avatar_url,
            role: Role::from_db(&row.role),
            banned: row.banned != 0,
        }
    }
}

pub async fn find_by_email(db: &Db, email: &EmailAddress) -> Result<Option<User>, DbError> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, email, name, avatar_url, role, banned FROM users WHERE email = $1",
    )
    .bind(email.as_str())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(User::from))
}

/// The address someone signs in with: a plain address (which may create an account), or an
/// older odd address (accepted before the strict rule) of an account that already exists —
/// those keep working, nothing is migrated behind their owners' backs. `Err` is the sentence
/// for the sign-in form.
pub async fn sign_in_address(db: &Db, raw: &str) -> Result<Result<EmailAddress, String>, DbError> {
    let refusal = match EmailAddress::parse(raw) {
        Ok(email) => return Ok(Ok(email)),
        Err(refusal) => refusal,
    };
    if let Ok(existing) = EmailAddress::lookup(raw) {
        if find_by_email(db, &existing).await?.is_some() {
            return Ok(Ok(existing));
        }
    }
    Ok(Err(refusal))
}

/// The account of `email`, created on first sign-in. One statement, so two first sign-ins at
/// once (two tabs, two providers) still end with one account.
pub async fn find_or_create(
    db: &Db,
    email: &EmailAddress,
    name: Option<&str>,
    avatar_url: Option<&str>,
) -> Result<User, DbError> {
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(email.local_part());
    let row: UserRow = sqlx::query_as(
        "INSERT INTO users (email, name, avatar_url, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO UPDATE SET avatar_url = COALESCE(users.avatar_url, excluded.avatar_url)
         RETURNING id, email, name, avatar_url, role, banned",
    )
    .bind(email.as_str())
    .bind(name)
    .bind(avatar_url)
    .bind(db.now())
    .fetch_one(db.pool())
    .await?;
    Ok(row.into())
}

/// Records that the user is past their first sign-in; true only the first time (the plan
/// picker is shown then, once).
pub async fn welcome(db: &Db, user_id: i64) -> Result<bool, DbError> {
    let first =
        sqlx::query("UPDATE users SET welcomed_at = $2 WHERE id = $1 AND welcomed_at IS NULL")
            .bind(user_id)
            .bind(db.now())
            .execute(db.pool())
            .await?;
    Ok(first.rows_affected() == 1)
}

/// What became of a ban or unban.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BanOutcome {
    Done,
    NoSuchAccount,
    /// The account is the last admin who is not banned: banning it would leave nobody able to
    /// lift bans from the admin page.
    LastAdmin,
}

/// Bans or unbans an account; a ban also ends every session at once (and the user's API keys
/// stop at their next use: key lookups join `banned = 0`). The last unbanned admin cannot be
/// banned: admin rows are locked first (a no-op `UPDATE`, the row lock on PostgreSQL and the
/// write lock on SQLite), so two admins banning each other at once cannot both succeed.
pub async fn set_banned(
    db: &Db,
    email: &EmailAddress,
    banned: bool,
) -> Result<BanOutcome, DbError> {
    let mut tx = db.begin_durable().await?;
    sqlx::query("UPDATE users SET role = role WHERE role = 'admin'")
        .execute(&mut *tx)
        .await?;
    let target: Option<(i64, String)> =
        sqlx::query_as("SELECT id, role FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let Some((id, role)) = target else {
        return Ok(BanOutcome::NoSuchAccount);
    };
    if banned && role == Role::Admin.as_str() {
        let other_admins: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND banned = 0 AND id <> $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if other_admins == 0 {
            return Ok(BanOutcome::LastAdmin);
        }
    }
    sqlx::query("UPDATE users SET banned = $1 WHERE id = $2")
        .bind(i64::from(banned))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if banned {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(BanOutcome::Done)
}

/// Returns `false` when no account has that email.
pub async fn set_role(db: &Db, email: &EmailAddress, role: Role) -> Result<bool, DbError> {
    let result = sqlx::query("UPDATE users SET role = $1 WHERE email = $2")
        .bind(role.as_str())
        .bind(email.as_str())
        .execute(db.pool())
        .await?;
    Ok(result.rows_affected() > 0)
}

/// An account as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminListing {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub banned: bool,
    pub live_sessions: i64,
}

/// Every account with its live session count, newest first (the admin page).
pub async fn list_for_admin(db: &Db, limit: i64) -> Result<Vec<AdminListing>, DbError> {
    let rows: Vec<AdminRow> = sqlx::query_as(
        "SELECT u.id AS id, u.email AS email, u.name AS name, u.role AS role, u.banned AS banned,
                (SELECT COUNT(*) FROM sessions s
                 WHERE s.user_id = u.id AND s.expires_at > $1 AND s.created_at > $3) AS sessions
         FROM users u ORDER BY u.id DESC LIMIT $2",
    )
    .bind(db.now())
    .bind(limit)
    .bind(db.now() - super::sessions::SESSION_ABSOLUTE_SECS)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AdminListing {
            id: row.id,
            email: row.email,
            name: row.name,
            role: Role::from_db(&row.role),
            banned: row.banned != 0,
            live_sessions: row.sessions,
        })
        .collect())
}

/// A row of [`list_for_admin`]'s query.
#[derive(sqlx::FromRow)]
struct AdminRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    banned: i64,
    sessions: i64,
}
