//! The one sync (ARCHITECTURE §5): our subscription row is written from the provider's
//! *current* state, whatever made us look — the checkout's success redirect, a webhook, the
//! test-mode provider's buttons, or `tollgate billing sync`. Reading the current state rather
//! than an event's copy makes the result the same for any order, repetition or delay of events.

use super::customers;
use super::provider::{BillingError, BillingProvider};
use super::subscriptions;
use crate::db::{Db, DbError};
use crate::domain::provider_subscription::{current, ours};
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
}

pub async fn sync_customer(
    db: &Db,
    provider: &dyn BillingProvider,
    catalog: &Catalog,
    customer: &str,
) -> Result<Synced, BillingError> {
    let Some(user_id) = customers::user_of(db, customer).await? else {
        tracing::info!("billing sync: a customer that is not ours; nothing to do");
        return Ok(Synced::UnknownCustomer);
    };
    let all = provider.subscriptions(customer).await?;
    let Some(sub) = current(&all) else {
        return Ok(Synced::NoSubscription { user_id });
    };
    let (subscription, details) = match ours(catalog, sub) {
        Ok(ours) => ours,
        Err(e) => {
            tracing::warn!(error = %e, user_id, "billing sync: left the subscription as it was");
            return Ok(Synced::NotOurs);
        }
    };
    // What a payment bought: on disk before anyone is told.
    let mut tx = db.begin_durable().await?;
    subscriptions::upsert_in(&mut tx, db.now(), user_id, &subscription).await?;
    subscriptions::record_details_in(&mut tx, user_id, &details).await?;
    tx.commit().await.map_err(DbError::from)?;
    tracing::info!(user_id, plan = %subscription.plan, status = %subscription.status, "billing sync: subscription written");
    Ok(Synced::Subscription {
        user_id,
        subscription,
    })
}
