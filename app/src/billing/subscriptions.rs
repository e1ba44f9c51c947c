//! The `subscriptions` table: one row per user with a subscription; no row means Free.

use crate::db::{Db, DbError, Tx};
use crate::domain::{PlanId, Subscription, SubscriptionStatus};
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) const COLUMNS: &str =
    "plan_id, status, current_period_start, current_period_end, past_due_since";

/// Reads a subscription from a row holding [`COLUMNS`]; `None` when `plan_id` is NULL (a LEFT
/// JOIN without a subscription).
pub(crate) fn from_row(row: &AnyRow) -> Result<Option<Subscription>, sqlx::Error> {
    let Some(plan) = row.try_get::<Option<String>, _>("plan_id")? else {
        return Ok(None);
    };
    let raw_status: String = row.try_get("status")?;
    let status = SubscriptionStatus::parse(&raw_status).unwrap_or_else(|e| {
        // Unknown statuses grant nothing paid: the safe side for a value we do not understand.
        tracing::warn!(error = %e, "stored subscription status not understood; treating as incomplete");
        SubscriptionStatus::Incomplete
    });
    Ok(Some(Subscription {
        plan: PlanId::parse(&plan).unwrap_or_else(|_| PlanId::free()),
        status,
        current_period_start: row.try_get("current_period_start")?,
        current_period_end: row.try_get("current_period_end")?,
        past_due_since: row.try_get("past_due_since")?,
    }))
}

pub async fn find(db: &Db, user_id: i64) -> Result<Option<Subscription>, DbError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE user_id = $1"
    ))
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(row) => from_row(&row)?,
        None => None,
    })
}

/// Writes the user's subscription as given. `past_due_since` is kept from the stored row while
/// the status stays `past_due`, so re-syncing does not restart the grace period.
pub async fn upsert(db: &Db, user_id: i64, sub: &Subscription) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    upsert_in(&mut tx, db.now(), user_id, sub).await?;
    tx.commit().await?;
    Ok(())
}

/// [`upsert`] as part of the caller's transaction, at `now`.
pub async fn upsert_in(
    tx: &mut Tx,
    now: i64,
    user_id: i64,
    sub: &Subscription,
) -> Result<(), DbError> {
    let past_due_since = match sub.status {
        SubscriptionStatus::PastDue => Some(sub.past_due_since.unwrap_or(now)),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO subscriptions
             (user_id, plan_id, status, current_period_start, current_period_end, past_due_since, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET
             plan_id = excluded.plan_id,
             status = excluded.status,
             current_period_start = excluded.current_period_start,
             current_period_end = excluded.current_period_end,
             past_due_since = CASE
                 WHEN excluded.status = 'past_due' AND subscriptions.status = 'past_due'
                 THEN COALESCE(subscriptions.past_due_since, excluded.past_due_since)
                 ELSE excluded.past_due_since END,
             updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(sub.plan.as_str())
    .bind(sub.status.as_str())
    .bind(sub.current_period_start)
    .bind(sub.current_period_end)
    .bind(past_due_since)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
