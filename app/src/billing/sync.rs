//! The one sync (ARCHITECTURE §5): our subscription row is written from the provider's
//! *current* state, whatever made us look — the checkout's success redirect, a webhook, the
//! test-mode provider's buttons, or `tollgate billing sync`. Reading the current state rather
//! than an event's copy makes the result the same for any order, repetition or delay of events.
//!
//! Two syncs of one customer can overlap (two webhooks at once, on two processes), and the one
//! that read the provider first may finish last. So each sync takes a ticket (a per-customer
//! counter in the database) *before* it reads the provider, and writes only if no sync with a
//! later ticket has written. Why that converges: a change at the provider is followed by an
//! event, whose sync takes its ticket after the change and so reads it (or something newer);
//! whatever is written last in ticket order was read after the change.
//!
//! A switch made at the provider (its portal) to a plan whose limits the account's usage
//! exceeds is written as billed, but the old plan is *kept* (`kept_plan_id`, `kept_until`):
//! its limits apply until the account removes enough (`Billing::release_kept_plan`) or, at
//! the latest, `BILLING_GRACE_DAYS` after the switch; the dashboard says what to remove.

use super::customers;
use super::outcome::Outcome;
use super::provider::{BillingError, BillingProvider};
use super::subscriptions;
use crate::access::{Access, Subject};
use crate::db::{Db, DbError, Tx};
use crate::domain::provider_subscription::{
    current, kept_plan, may_keep_plan, ours, SubscriptionDetails,
};
use crate::domain::{PlanChange, Subscription};

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Synced {
    /// The user's subscription is now this.
    Subscription {
        user_id: i64,
        subscription: Subscription,
    },
    /// The provider bills a cheaper plan the usage exceeds: written, the old plan kept a while.
    Held {
        user_id: i64,
        subscription: Subscription,
    },
    /// The provider has no subscription for the customer: nothing to write.
    NoSubscription { user_id: i64 },
    /// A customer we never recorded (another app's, or a test event): ignored.
    UnknownCustomer,
    /// The provider's subscription is on a price `plans.toml` does not name: ignored, logged.
    NotOurs,
    /// A sync that started later has already written: this older reading is dropped.
    Stale,
}

impl Synced {
    /// What the sync did, for logs and the event log.
    pub fn outcome(&self) -> Outcome {
        match self {
            Synced::Subscription { .. } => Outcome::Synced,
            Synced::Held { .. } => Outcome::PlanKept,
            Synced::NoSubscription { .. } => Outcome::NoSubscription,
            Synced::UnknownCustomer => Outcome::UnknownCustomer,
            Synced::NotOurs => Outcome::NotOurs,
            Synced::Stale => Outcome::Stale,
        }
    }
}

/// The provider's state of one customer, read under a ticket, not written yet.
#[derive(Debug, Clone)]
pub struct Reading {
    customer: String,
    user_id: i64,
    ticket: i64,
    state: ReadState,
}

#[derive(Debug, Clone)]
enum ReadState {
    Subscription(Subscription, SubscriptionDetails),
    NoSubscription,
    NotOurs,
}

/// Takes a ticket and reads `customer`'s subscriptions from the provider; `None` for a
/// customer we never recorded.
pub async fn read(
    db: &Db,
    provider: &dyn BillingProvider,
    access: &Access,
    customer: &str,
) -> Result<Option<Reading>, BillingError> {
    let Some((user_id, ticket)) = customers::take_sync_ticket(db, customer).await? else {
        return Ok(None);
    };
    let all = provider.subscriptions(customer).await?;
    let state = match current(&all).map(|sub| ours(access.catalog(), sub)) {
        None => ReadState::NoSubscription,
        Some(Ok((subscription, details))) => {
            hold_if_over(db, access, user_id, subscription, details).await?
        }
        Some(Err(e)) => {
            tracing::warn!(error = %e, user_id, "billing sync: left the subscription as it was");
            ReadState::NotOurs
        }
    };
    Ok(Some(Reading {
        customer: customer.to_owned(),
        user_id,
        ticket,
        state,
    }))
}

/// Keeps the stored plan for a while when the provider switched to one the account's usage
/// exceeds (see the module doc).
async fn hold_if_over(
    db: &Db,
    access: &Access,
    user_id: i64,
    mut subscription: Subscription,
    details: SubscriptionDetails,
) -> Result<ReadState, BillingError> {
    let stored = subscriptions::find(db, user_id).await?;
    let now = db.now();
    let over_limits = may_keep_plan(stored.as_ref(), &subscription, now)
        && matches!(
            access
                .can_change_plan(&Subject::User(user_id), &subscription.plan)
                .await?,
            PlanChange::Blocked(_)
        );
    let keep_days = access.catalog().past_due_grace_days;
    // Always computed, so an ended hold's deadline is remembered across syncs.
    subscription.kept = kept_plan(stored.as_ref(), &subscription, over_limits, keep_days, now);
    if let Some(kept) = subscription.kept_at(now) {
        tracing::info!(user_id, billed = %subscription.plan, %kept, "billing sync: old plan kept");
    }
    Ok(ReadState::Subscription(subscription, details))
}

/// Writes `reading` in the caller's (durable) transaction, unless a later ticket has written.
pub async fn write_in(tx: &mut Tx, now: i64, reading: &Reading) -> Result<Synced, DbError> {
    let newest = sqlx::query(
        "UPDATE billing_customers SET synced_ticket = $2
         WHERE customer_id = $1 AND synced_ticket < $2",
    )
    .bind(&reading.customer)
    .bind(reading.ticket)
    .execute(&mut **tx)
    .await?;
    if newest.rows_affected() == 0 {
        return Ok(Synced::Stale);
    }
    let user_id = reading.user_id;
    Ok(match &reading.state {
        ReadState::Subscription(subscription, details) => {
            subscriptions::upsert_in(tx, now, user_id, subscription).await?;
            subscriptions::record_details_in(tx, user_id, details).await?;
            let subscription = subscription.clone();
            if subscription.kept_at(now).is_some() {
                Synced::Held {
                    user_id,
                    subscription,
                }
            } else {
                Synced::Subscription {
                    user_id,
                    subscription,
                }
            }
        }
        ReadState::NoSubscription => Synced::NoSubscription { user_id },
        ReadState::NotOurs => Synced::NotOurs,
    })
}

/// Reads and writes one customer's subscription now.
pub async fn sync_customer(
    db: &Db,
    provider: &dyn BillingProvider,
    access: &Access,
    customer: &str,
) -> Result<Synced, BillingError> {
    let Some(reading) = read(db, provider, access, customer).await? else {
        tracing::info!("billing sync: a customer that is not ours; nothing to do");
        return Ok(Synced::UnknownCustomer);
    };
    // What a payment bought: on disk before anyone is told.
    let mut tx = db.begin_durable().await?;
    let synced = write_in(&mut tx, db.now(), &reading).await?;
    tx.commit().await.map_err(DbError::from)?;
    tracing::info!(
        user_id = reading.user_id,
        outcome = %synced.outcome(),
        "billing sync"
    );
    Ok(synced)
}
