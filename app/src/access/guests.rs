//! The guests the server named. Only a guest cookie whose token hash is recorded here counts:
//! a cookie a client made up itself names nobody, so it cannot mint a fresh allowance and
//! skip the per-address cap on new guests.

use crate::db::{Db, DbError};

pub async fn record(db: &Db, token_hash: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO guests (token_hash, created_at) VALUES ($1, $2)
         ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(token_hash)
    .bind(db.now())
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn known(db: &Db, token_hash: &str) -> Result<bool, DbError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT created_at FROM guests WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(db.pool())
            .await?;
    Ok(found.is_some())
}
