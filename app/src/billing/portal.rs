//! Managing a subscription: the provider's portal (Stripe's Customer Portal), and the
//! test-mode portal's buttons with the downgrade rule applied before a switch, and its refund
//! and dispute buttons for paid packs.

use super::local::ActError;
use super::local_charges::ChargeAction;
use super::local_engine::PortalAction;
use super::outcome::Outcome;
use super::provider::BillingError;
use super::sync::Synced;
use super::{customers, Billing};
use crate::access::{AccessError, Subject};
use crate::domain::{CatalogPrice, DowngradeBlocked, PlanChange};

#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    /// No provider customer yet: nothing to manage.
    #[error("There is no subscription to manage yet; choose a plan on the pricing page.")]
    NoCustomer,
    #[error(transparent)]
    Billing(#[from] BillingError),
}

/// Why a test-portal button changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum TestPortalRefused {
    /// The test-mode provider is not the one in use.
    #[error("The test-mode portal exists only without STRIPE_SECRET_KEY.")]
    NotTestMode,
    #[error("{}", .0.message)]
    DowngradeBlocked(DowngradeBlocked),
    /// Not a paid pack of the user's.
    #[error("There is no such payment to refund or dispute.")]
    NoSuchPayment,
    #[error(transparent)]
    Act(#[from] ActError),
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error(transparent)]
    Billing(#[from] BillingError),
}

impl Billing {
    /// Where the user manages their subscription; back to `/account` afterwards.
    pub async fn open_portal(&self, user_id: i64) -> Result<String, PortalError> {
        let customer = customers::find(&self.db, user_id)
            .await
            .map_err(BillingError::from)?
            .ok_or(PortalError::NoCustomer)?;
        Ok(self
            .provider
            .portal(&customer, &format!("{}/account", self.app_url))
            .await?)
    }

    /// Presses a test-portal button for `user_id`, then syncs as the webhook would. A switch to
    /// a plan whose limits the user's usage exceeds is refused with what to remove.
    pub async fn test_portal_act(
        &self,
        user_id: i64,
        action: &PortalAction,
    ) -> Result<Synced, TestPortalRefused> {
        let local = self.test_mode().ok_or(TestPortalRefused::NotTestMode)?;
        let customer = customers::find(&self.db, user_id)
            .await
            .map_err(BillingError::from)?
            .ok_or(ActError::NoSubscription)?;
        if let PortalAction::SwitchTo(key) = action {
            if let Some(CatalogPrice::Plan { plan, .. }) = self.catalog.price(key) {
                let change = self
                    .access
                    .can_change_plan(&Subject::User(user_id), &plan.id)
                    .await?;
                if let PlanChange::Blocked(blocked) = change {
                    return Err(TestPortalRefused::DowngradeBlocked(blocked));
                }
            }
        }
        local.act(&customer, action).await?;
        let synced = self.sync(&customer).await?;
        // A renewal that failed: the email Stripe's `invoice.payment_failed` would bring.
        if let (PortalAction::RenewNow, Synced::Subscription { subscription, .. }) =
            (action, &synced)
        {
            if subscription.status == crate::domain::SubscriptionStatus::PastDue {
                self.send_event_email("invoice.payment_failed", Some(&customer))
                    .await;
            }
        }
        Ok(synced)
    }

    /// A test-portal refund or dispute of the user's paid pack `checkout`: the provider's side
    /// changes, then the charge is settled by the webhook's own code (credits taken back).
    pub async fn test_charge_act(
        &self,
        user_id: i64,
        checkout: &str,
        action: ChargeAction,
    ) -> Result<Outcome, TestPortalRefused> {
        let local = self.test_mode().ok_or(TestPortalRefused::NotTestMode)?;
        let customer = customers::find(&self.db, user_id)
            .await
            .map_err(BillingError::from)?
            .ok_or(TestPortalRefused::NoSuchPayment)?;
        let charge = local
            .act_on_charge(&customer, checkout, action)
            .await
            .map_err(BillingError::from)?
            .ok_or(TestPortalRefused::NoSuchPayment)?;
        Ok(self.settle_charge(&charge).await?)
    }
}
