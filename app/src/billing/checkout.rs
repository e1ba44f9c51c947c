//! Paying for a plan: the rules before the provider's checkout, and the eager sync after it, so
//! a user who just paid is on the plan on the very next page, before any webhook.

use super::outcome::Outcome;
use super::provider::{BillingError, CheckoutItem, CheckoutRequest};
use super::{customers, subscriptions, Billing};
use crate::auth::users::User;
use crate::domain::provider_subscription::has_live_paid_subscription;
use crate::domain::{BillingInterval, PlanId, SubscriptionStatus};

/// A checkout that must not start (the pricing page words each: `api::outcomes::PricingError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckoutRefused {
    /// The form named a plan the catalog does not have (an old page, or a forged form).
    UnknownPlan,
    /// The free plan is not bought.
    FreePlan,
    /// The user already pays for a plan: a second checkout would make a second subscription.
    AlreadySubscribed,
    /// The form named a credit pack the catalog does not have.
    UnknownPack,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckoutError {
    #[error("checkout refused: {0:?}")]
    Refused(CheckoutRefused),
    #[error(transparent)]
    Billing(#[from] BillingError),
}

impl From<crate::db::DbError> for CheckoutError {
    fn from(e: crate::db::DbError) -> Self {
        CheckoutError::Billing(e.into())
    }
}

/// Why the return from a checkout changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum FinishError {
    /// No such session, or another customer's: nothing of theirs is synced or shown.
    #[error("That checkout is not one of yours.")]
    NotYours,
    #[error(transparent)]
    Billing(#[from] BillingError),
}

impl Billing {
    /// Starts the provider's checkout for `plan` paid every `interval`; the URL to send the
    /// buyer to. The trial is offered to customers who never had a subscription.
    pub async fn start_plan_checkout(
        &self,
        user: &User,
        plan: &str,
        interval: BillingInterval,
    ) -> Result<String, CheckoutError> {
        let refused = |why| Err(CheckoutError::Refused(why));
        let Some(plan) = PlanId::parse(plan)
            .ok()
            .and_then(|id| self.catalog.plan(&id))
        else {
            return refused(CheckoutRefused::UnknownPlan);
        };
        let Some(price_key) = plan.price_key(interval) else {
            return refused(CheckoutRefused::FreePlan);
        };
        let stored = subscriptions::find_with_details(&self.db, user.id).await?;
        if let Some((subscription, details)) = &stored {
            if has_live_paid_subscription(subscription, details) {
                return refused(CheckoutRefused::AlreadySubscribed);
            }
        }
        let provider = self.provider.as_ref();
        let customer = customers::ensure(&self.db, provider, user.id, &user.email).await?;
        let at_provider = provider.subscriptions(&customer).await?;
        // Our copy may lag (a webhook not yet arrived): the provider's own list decides too.
        if at_provider
            .iter()
            .any(|s| s.status.is_some_and(SubscriptionStatus::is_live))
        {
            return refused(CheckoutRefused::AlreadySubscribed);
        }
        let subscribed_before = !at_provider.is_empty();
        let trial_days = if subscribed_before {
            0
        } else {
            plan.trial_days
        };
        let started = provider
            .start_checkout(CheckoutRequest {
                customer,
                item: CheckoutItem::Subscription {
                    price_key: price_key.to_string(),
                    trial_days,
                },
                success_url: format!(
                    "{}/billing/success?session_id={{CHECKOUT_SESSION_ID}}",
                    self.app_url
                ),
                cancel_url: format!("{}/pricing?billing={}", self.app_url, interval.as_str()),
            })
            .await?;
        tracing::info!(user_id = user.id, plan = %plan.id, "checkout started");
        Ok(started.url)
    }

    /// The buyer is back from checkout `session_id`: give what it bought now (a plan's
    /// subscription synced, a pack's credits granted once) rather than wait for the webhook.
    pub async fn finish_checkout(
        &self,
        user_id: i64,
        session_id: &str,
    ) -> Result<Outcome, FinishError> {
        let Some(customer) = customers::find(&self.db, user_id)
            .await
            .map_err(BillingError::from)?
        else {
            return Err(FinishError::NotYours);
        };
        match self.complete_checkout(session_id, Some(&customer)).await? {
            Some(Outcome::UnknownCheckout) | None => Err(FinishError::NotYours),
            Some(outcome) => Ok(outcome),
        }
    }
}
