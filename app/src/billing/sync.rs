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

use super::customers;
use super::outcome::Outcome;
use super::provider::{BillingError, BillingProvider};
use super::subscriptions;
use crate::db::{Db, DbError, Tx};
use crate::domain::provider_subscription::{current, ours, SubscriptionDetails};
use crate::domain::{Catalog, Subscription};

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Synced {
    /// The user's subscription is now this.
    Subscription {
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
    catalog: &Catalog,
    customer: &str,
) -> Result<Option<Reading>, BillingError> {
    let Some((user_id, ticket)) = customers::take_sync_ticket(db, customer).await? else {
        return Ok(None);
    };
    let all = provider.subscriptions(customer).await?;
    let state = match current(&all).map(|sub| ours(catalog, sub)) {
        None => ReadState::NoSubscription,
        Some(Ok((subscription, details))) => ReadState::Subscription(subscription, details),
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
            Synced::Subscription {
                user_id,
                subscription: subscription.clone(),
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
    catalog: &Catalog,
    customer: &str,
) -> Result<Synced, BillingError> {
    let Some(reading) = read(db, provider, catalog, customer).await? else {
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
