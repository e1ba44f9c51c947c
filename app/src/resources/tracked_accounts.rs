//! Tracked accounts: a count-limited resource. Adding and deleting lock the user's count of
//! `tracked_accounts` first, then count the live rows in the same transaction, so the limit
//! is always checked against the rows themselves — whatever else changed them.

use crate::access::{Access, AccessError, Subject};
use crate::db::{Db, DbError};
use crate::domain::tracked_account::NewTrackedAccount;
use crate::domain::Denial;
use sqlx::{Any, Row, Transaction};

#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("refused by the plan")]
    Denied(Denial),
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
    let rows = sqlx::query(
        "SELECT id, name, account_number, created_at FROM tracked_accounts
         WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TrackedAccountRow {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                masked_number: NewTrackedAccount::masked(
                    &row.try_get::<String, _>("account_number")?,
                ),
                created_at: row.try_get("created_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}

pub async fn add(
    access: &Access,
    db: &Db,
    user_id: i64,
    account: &NewTrackedAccount,
) -> Result<i64, AddError> {
    let subject = Subject::User(user_id);
    let feature = &access.product().tracked_accounts;
    let slot = match access.slot_terms(&subject, feature).await? {
        Ok(slot) => slot,
        Err(denial) => return Err(AddError::Denied(denial)),
    };
    let mut tx = db.pool().begin().await?;
    access.lock_count(&mut tx, &subject, feature).await?;
    let live = count_live(&mut tx, user_id).await?;
    if let Err(denial) = access.take_slot(&mut tx, &slot, live).await? {
        tx.rollback().await?;
        return Err(AddError::Denied(denial));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tracked_accounts (user_id, name, account_number, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(&account.name)
    .bind(&account.account_number)
    .bind(db.now())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes one of the user's own accounts; false when they have no such account (someone
/// else's id included).
pub async fn delete(access: &Access, db: &Db, user_id: i64, id: i64) -> Result<bool, AccessError> {
    let subject = Subject::User(user_id);
    let feature = &access.product().tracked_accounts;
    let mut tx = db.pool().begin().await?;
    access.lock_count(&mut tx, &subject, feature).await?;
    let deleted = sqlx::query("DELETE FROM tracked_accounts WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if deleted == 1 {
        let live = count_live(&mut tx, user_id).await?;
        access
            .record_count(&mut tx, &subject, feature, live)
            .await?;
    }
    tx.commit().await?;
    Ok(deleted == 1)
}

/// The user's live rows: what the `tracked_accounts` limit counts.
async fn count_live(tx: &mut Transaction<'_, Any>, user_id: i64) -> Result<u64, DbError> {
    let live: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM tracked_accounts WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(u64::try_from(live).unwrap_or(0))
}
