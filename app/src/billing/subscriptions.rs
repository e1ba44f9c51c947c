//! The `subscriptions` table: one row per user with a subscription; no row means Free.

use crate::db::{Db, DbError, Tx};
use crate::domain::provider_subscription::SubscriptionDetails;
use crate::domain::subscription::KeptPlan;
use crate::domain::{BillingInterval, PlanId, Subscription, SubscriptionStatus};

/// A `subscriptions` row as stored; every column may be NULL because a LEFT JOIN (a user
/// without a subscription) embeds it with `#[sqlx(flatten)]`.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SubscriptionRow {
    plan_id: Option<String>,
    status: Option<String>,
    current_period_start: Option<i64>,
    current_period_end: Option<i64>,
    past_due_since: Option<i64>,
    kept_plan_id: Option<String>,
    kept_until: Option<i64>,
}

/// The columns of [`SubscriptionRow`], written once for the queries here.
macro_rules! subscription_columns {
    () => {
        "plan_id, status, current_period_start, current_period_end, past_due_since, kept_plan_id,
         kept_until"
    };
}

impl SubscriptionRow {
    /// `None` when there is no subscription (`plan_id` NULL).
    pub(crate) fn into_subscription(self) -> Option<Subscription> {
        let plan = self.plan_id?;
        let raw_status = self.status.unwrap_or_default();
        let status = SubscriptionStatus::parse(&raw_status).unwrap_or_else(|e| {
            // Unknown statuses grant nothing paid: the safe side for a value we do not understand.
            tracing::warn!(error = %e, "stored subscription status not understood; treating as incomplete");
            SubscriptionStatus::Incomplete
        });
        Some(Subscription {
            plan: PlanId::parse(&plan).unwrap_or_else(|_| PlanId::free()),
            status,
            current_period_start: self.current_period_start,
            current_period_end: self.current_period_end,
            past_due_since: self.past_due_since,
            kept: self.kept_until.map(|until| KeptPlan {
                plan: self.kept_plan_id.and_then(|id| PlanId::parse(&id).ok()),
                until,
            }),
        })
    }
}

pub async fn find(db: &Db, user_id: i64) -> Result<Option<Subscription>, DbError> {
    let row: Option<SubscriptionRow> = sqlx::query_as(concat!(
        "SELECT ",
        subscription_columns!(),
        " FROM subscriptions WHERE user_id = $1"
    ))
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(SubscriptionRow::into_subscription))
}

/// Writes the user's subscription as given. `past_due_since` is kept from the stored row while
/// the status stays `past_due`, so re-syncing does not restart the grace period.
pub async fn upsert(db: &Db, user_id: i64, sub: &Subscription) -> Result<(), DbError> {
    // A subscription is what a payment bought: on disk before anyone is told.
    let mut tx = db.begin_durable().await?;
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
             (user_id, plan_id, status, current_period_start, current_period_end, past_due_since,
              updated_at, kept_plan_id, kept_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (user_id) DO UPDATE SET
             plan_id = excluded.plan_id,
             kept_plan_id = excluded.kept_plan_id,
             kept_until = excluded.kept_until,
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
    .bind(
        sub.kept
            .as_ref()
            .and_then(|kept| kept.plan.as_ref())
            .map(PlanId::as_str),
    )
    .bind(sub.kept.as_ref().map(|kept| kept.until))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes what the sync learned beside the subscription (the row must exist: call after
/// [`upsert_in`] in the same transaction).
pub async fn record_details_in(
    tx: &mut Tx,
    user_id: i64,
    details: &SubscriptionDetails,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE subscriptions SET billing_interval = $2, cancel_at_period_end = $3,
             trial_end = $4, provider_subscription_id = $5
         WHERE user_id = $1",
    )
    .bind(user_id)
    .bind(details.interval.map(BillingInterval::as_str))
    .bind(i64::from(details.cancel_at_period_end))
    .bind(details.trial_end)
    .bind(details.provider_subscription_id.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The user's subscription with what the billing pages show beside it.
pub async fn find_with_details(
    db: &Db,
    user_id: i64,
) -> Result<Option<(Subscription, SubscriptionDetails)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        subscription: SubscriptionRow,
        billing_interval: Option<String>,
        cancel_at_period_end: i64,
        trial_end: Option<i64>,
        provider_subscription_id: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT ",
        subscription_columns!(),
        ", billing_interval, cancel_at_period_end, trial_end, provider_subscription_id
             FROM subscriptions WHERE user_id = $1"
    ))
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(|row| {
        let details = SubscriptionDetails {
            interval: row
                .billing_interval
                .as_deref()
                .and_then(BillingInterval::parse),
            cancel_at_period_end: row.cancel_at_period_end != 0,
            trial_end: row.trial_end,
            provider_subscription_id: row.provider_subscription_id,
        };
        row.subscription
            .into_subscription()
            .map(|subscription| (subscription, details))
    }))
}

/// Stops keeping the old plan (the usage fits the billed one now): false when none was kept.
pub async fn release_kept_plan_in(tx: &mut Tx, user_id: i64) -> Result<bool, DbError> {
    let moved = sqlx::query(
        "UPDATE subscriptions SET kept_plan_id = NULL
         WHERE user_id = $1 AND kept_plan_id IS NOT NULL",
    )
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(moved.rows_affected() == 1)
}
