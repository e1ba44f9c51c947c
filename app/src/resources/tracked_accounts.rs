//! Tracked accounts: a count-limited resource. Adding and deleting go through the access
//! module's count lock (`Access::begin_add` / `begin_remove`), so the limit is always checked
//! against the rows themselves — whatever else changed them.

use crate::access::{Access, AccessError, CountedRows, Refused, Subject};
use crate::db::{Db, DbError};
use crate::domain::tracked_account::NewTrackedAccount;

#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("{}", .0.message)]
    Refused(Refused),
    #[error(transparent)]
    Access(#[from] AccessError),
}

impl From<DbError> for AddError {
    fn from(e: DbError) -> Self {
        AddError::Access(AccessError::Db(e))
    }
}

impl From<sqlx::Error> for AddError {
    fn from(e: sqlx::Error) -> Self {
        AddError::Access(AccessError::from(e))
    }
}

/// A tracked account with its number masked (the full number never leaves this module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedAccountRow {
    pub id: i64,
    pub name: String,
    /// e.g. `•••• 6819`
    pub masked_number: String,
    pub created_at: i64,
}

/// The user's accounts, oldest first, numbers masked.
pub async fn list(db: &Db, user_id: i64) -> Result<Vec<TrackedAccountRow>, DbError> {
    let rows: Vec<StoredAccount> = sqlx::query_as(
        "SELECT id, name, account_number, created_at FROM tracked_accounts
         WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| TrackedAccountRow {
            id: row.id,
            name: row.name,
            masked_number: NewTrackedAccount::masked(&row.account_number),
            created_at: row.created_at,
        })
        .collect())
}

/// A `tracked_accounts` row as stored (the full number stays inside this module).
#[derive(sqlx::FromRow)]
struct StoredAccount {
    id: i64,
    name: String,
    account_number: String,
    created_at: i64,
}

/// Where the `tracked_accounts` limit counts: the user's live rows.
fn rows_of(user_id: i64) -> CountedRows {
    CountedRows {
        table: "tracked_accounts",
        owner_column: "user_id",
        owner: user_id,
    }
}

pub async fn add(
    access: &Access,
    db: &Db,
    user_id: i64,
    account: &NewTrackedAccount,
) -> Result<i64, AddError> {
    let subject = Subject::User(user_id);
    let feature = &access.product().tracked_accounts;
    let mut slot = match access
        .begin_add(&subject, feature, rows_of(user_id))
        .await?
    {
        Ok(slot) => slot,
        Err(refused) => return Err(AddError::Refused(refused)),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tracked_accounts (user_id, name, account_number, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(&account.name)
    .bind(&account.account_number)
    .bind(db.now())
    .fetch_one(&mut **slot.tx())
    .await?;
    slot.commit().await?;
    Ok(id)
}

/// Deletes one of the user's own accounts; false when they have no such account (someone
/// else's id included).
pub async fn delete(access: &Access, user_id: i64, id: i64) -> Result<bool, AccessError> {
    let subject = Subject::User(user_id);
    let feature = &access.product().tracked_accounts;
    let mut slot = access
        .begin_remove(&subject, feature, rows_of(user_id))
        .await?;
    let deleted = sqlx::query("DELETE FROM tracked_accounts WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut **slot.tx())
        .await?
        .rows_affected();
    slot.commit().await?;
    Ok(deleted == 1)
}
