//! What Tollgate asks of a billing provider (ARCHITECTURE §5). Two adapters: Stripe, and the
//! built-in test-mode provider (`billing::local`, the default without `STRIPE_SECRET_KEY`).
//! Everything above this trait — checkout rules, the one sync, the webhook's effects — is the
//! same for both.

use crate::db::DbError;
use crate::domain::clawback::ChargeMoney;
use crate::domain::invoice::Invoice;
use crate::domain::provider_subscription::ProviderSubscription;
use futures_util::future::BoxFuture;
use std::fmt::Debug;

/// The provider's customer for one of our users.
#[derive(Debug, Clone)]
pub struct NewCustomer {
    pub user_id: i64,
    pub email: String,
    /// Sent as the provider's idempotency key: a retry (or a race) gets the same customer.
    pub idempotency_key: String,
}

/// What a checkout sells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckoutItem {
    /// A plan's recurring price, with the free trial this customer is offered (0: none).
    Subscription { price_key: String, trial_days: u32 },
    /// A credit pack's one-off price (Checkout in payment mode).
    Payment { price_key: String },
}

#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    pub customer: String,
    pub item: CheckoutItem,
    /// Where the provider sends the buyer after paying; `{CHECKOUT_SESSION_ID}` in it is
    /// replaced by the session's id (Stripe's template).
    pub success_url: String,
    /// Where the provider sends a buyer who gives up.
    pub cancel_url: String,
}

/// A checkout the buyer can be sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedCheckout {
    pub id: String,
    pub url: String,
}

/// A checkout session as the provider sees it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutSession {
    pub id: String,
    pub customer: Option<String>,
    /// Finished by the buyer.
    pub complete: bool,
    /// The money is in (or nothing was due, as for a trial). A delayed payment method can
    /// complete a checkout before it is paid.
    pub paid: bool,
}

/// A payment as the provider sees it now: how much of it was refunded, whether it is disputed,
/// and the checkout session that took it (found through its payment intent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub id: String,
    pub money: ChargeMoney,
    pub checkout_session: Option<String>,
}

/// Why the provider could not answer.
#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// The provider failed or could not be reached: try again later.
    #[error("the billing provider failed: {0}")]
    Provider(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Access(#[from] crate::access::AccessError),
}

pub trait BillingProvider: Send + Sync + Debug {
    /// `"stripe"` or `"local"`: test-mode pages exist only for the local provider.
    fn name(&self) -> &'static str;

    fn create_customer(&self, new: NewCustomer) -> BoxFuture<'_, Result<String, BillingError>>;

    fn start_checkout(
        &self,
        request: CheckoutRequest,
    ) -> BoxFuture<'_, Result<StartedCheckout, BillingError>>;

    /// `None` when the provider has no such session.
    fn checkout_session<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<CheckoutSession>, BillingError>>;

    /// Charge `id` now; `None` when the provider has no such charge.
    fn charge<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Charge>, BillingError>>;

    /// Every subscription of `customer`, ended ones included, as they are now.
    fn subscriptions<'a>(
        &'a self,
        customer: &'a str,
    ) -> BoxFuture<'a, Result<Vec<ProviderSubscription>, BillingError>>;

    /// Where `customer` manages their subscription (Stripe's Customer Portal, or the
    /// test-mode portal), coming back to `return_url`.
    fn portal<'a>(
        &'a self,
        customer: &'a str,
        return_url: &'a str,
    ) -> BoxFuture<'a, Result<String, BillingError>>;

    /// `customer`'s newest invoices (at most `limit`), newest first.
    fn invoices<'a>(
        &'a self,
        customer: &'a str,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Invoice>, BillingError>>;
}
