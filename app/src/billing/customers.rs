//! One provider customer per user, created once.

use super::provider::{BillingError, BillingProvider, NewCustomer};
use crate::db::{Db, DbError};

/// The user's provider customer id, if one was recorded.
pub async fn find(db: &Db, user_id: i64) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT customer_id FROM billing_customers WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The user's provider customer, created at the provider on first use. The provider call
/// carries an idempotency key made from the user id, and the unique columns keep one row per
/// user, so two checkouts at once still end with one customer.
pub async fn ensure(
    db: &Db,
    provider: &dyn BillingProvider,
    user_id: i64,
    email: &str,
) -> Result<String, BillingError> {
    if let Some(customer) = find(db, user_id).await? {
        return Ok(customer);
    }
    let customer = provider
        .create_customer(NewCustomer {
            user_id,
            email: email.to_owned(),
            idempotency_key: format!("tollgate-customer-{user_id}"),
        })
        .await?;
    // What links a payment to an account: on disk before anyone pays.
    let mut tx = db.begin_durable().await?;
    sqlx::query(
        "INSERT INTO billing_customers (user_id, customer_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(&customer)
    .bind(db.now())
    .execute(&mut *tx)
    .await
    .map_err(DbError::from)?;
    tx.commit().await.map_err(DbError::from)?;
    // A concurrent first checkout may have recorded its customer first: that one stands.
    find(db, user_id)
        .await?
        .ok_or_else(|| BillingError::Provider("the customer was not recorded".into()))
}

/// The next sync ticket of `customer` and its user; `None` for a customer we never recorded.
pub async fn take_sync_ticket(db: &Db, customer_id: &str) -> Result<Option<(i64, i64)>, DbError> {
    Ok(sqlx::query_as(
        "UPDATE billing_customers SET sync_ticket = sync_ticket + 1
         WHERE customer_id = $1 RETURNING user_id, sync_ticket",
    )
    .bind(customer_id)
    .fetch_optional(db.pool())
    .await?)
}

/// Every recorded customer with its user's email, for `tollgate billing sync`.
pub async fn all(db: &Db) -> Result<Vec<(String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT u.email, c.customer_id FROM billing_customers c JOIN users u ON u.id = c.user_id
         ORDER BY c.user_id",
    )
    .fetch_all(db.pool())
    .await?)
}

/// The user (id and email) a provider customer belongs to.
pub async fn owner(db: &Db, customer_id: &str) -> Result<Option<(i64, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.email FROM billing_customers c JOIN users u ON u.id = c.user_id
         WHERE c.customer_id = $1",
    )
    .bind(customer_id)
    .fetch_optional(db.pool())
    .await?)
}
