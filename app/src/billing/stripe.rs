//! The Stripe adapter (async-stripe 1.x): each method is one or two Stripe API calls, mapped
//! into the provider-neutral types of `billing::provider`. Prices are found by their lookup
//! keys from `plans.toml`; the customer is created once per user under an idempotency key.

use super::provider::{
    BillingError, BillingProvider, Charge, CheckoutItem, CheckoutRequest, CheckoutSession,
    NewCustomer, StartedCheckout,
};
use crate::domain::clawback::ChargeMoney;
use crate::domain::invoice::{Invoice, InvoiceStatus};
use crate::domain::provider_subscription::ProviderSubscription;
use crate::domain::SubscriptionStatus;
use futures_util::future::BoxFuture;
use std::collections::HashMap;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_billing::billing_portal_session::CreateBillingPortalSession;
use stripe_billing::invoice::ListInvoice;
use stripe_billing::subscription::{ListSubscription, ListSubscriptionStatus};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionCustomerUpdate,
    CreateCheckoutSessionCustomerUpdateAddress, CreateCheckoutSessionCustomerUpdateName,
    CreateCheckoutSessionLineItems, CreateCheckoutSessionSubscriptionData,
    CreateCheckoutSessionTaxIdCollection, ListCheckoutSession, RetrieveCheckoutSession,
};
use stripe_core::charge::RetrieveCharge;
use stripe_core::customer::CreateCustomer;
use stripe_product::price::ListPrice;
use stripe_shared::{CheckoutSessionMode, CheckoutSessionPaymentStatus, CheckoutSessionStatus};

/// The Stripe API version async-stripe rc.10 speaks; the webhook endpoint must be created at it.
pub const API_VERSION: &str = "2026-09-30.endive";

pub struct StripeBilling {
    client: Client,
}

impl std::fmt::Debug for StripeBilling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The client holds the secret key: never printed.
        f.write_str("StripeBilling")
    }
}

/// Stripe's own words for a refusal, or what failed on the way.
fn failed(e: StripeError) -> BillingError {
    match e {
        StripeError::Stripe(errors, status) => BillingError::Provider(format!(
            "Stripe answered {status}: {}",
            errors.message.as_deref().unwrap_or("no message")
        )),
        other => BillingError::Provider(format!("Stripe could not be reached: {other}")),
    }
}

impl StripeBilling {
    /// A client for `secret_key`; `api_base` points it elsewhere than `https://api.stripe.com/`
    /// (a fake in tests).
    pub fn new(secret_key: &str, api_base: Option<&str>) -> Result<Self, String> {
        let mut builder = ClientBuilder::new(secret_key);
        if let Some(base) = api_base {
            builder = builder.url(base);
        }
        let client = builder
            .build()
            .map_err(|e| format!("the Stripe client cannot be built: {e}"))?;
        Ok(Self { client })
    }

    async fn price_id(&self, lookup_key: &str) -> Result<String, BillingError> {
        let prices = ListPrice::new()
            .lookup_keys(vec![lookup_key.to_owned()])
            .send(&self.client)
            .await
            .map_err(failed)?;
        prices
            .data
            .iter()
            .find(|p| p.lookup_key.as_deref() == Some(lookup_key))
            .map(|p| p.id.to_string())
            .ok_or_else(|| {
                BillingError::Provider(format!(
                    "Stripe has no price with lookup key `{lookup_key}`: create it (see the README)"
                ))
            })
    }
}

/// One of Stripe's invoices in our words; `None` for one without an id or with a status this
/// version does not know (left out rather than shown wrong).
fn invoice(i: &stripe_shared::Invoice) -> Option<Invoice> {
    use stripe_shared::InvoiceStatus as Stripe;
    let status = match i.status.as_ref()? {
        Stripe::Draft => InvoiceStatus::Draft,
        Stripe::Open => InvoiceStatus::Open,
        Stripe::Paid => InvoiceStatus::Paid,
        Stripe::Uncollectible => InvoiceStatus::Uncollectible,
        Stripe::Void => InvoiceStatus::Void,
        // A status newer than this version: left out rather than shown wrong.
        _ => return None,
    };
    Some(Invoice {
        id: i.id.as_ref()?.to_string(),
        number: i.number.clone(),
        created: i.created,
        total: i.total,
        currency: i.currency.to_string(),
        status,
        url: i.hosted_invoice_url.clone(),
    })
}

fn subscription(s: &stripe_shared::Subscription) -> ProviderSubscription {
    let item = s.items.data.first();
    ProviderSubscription {
        id: s.id.to_string(),
        customer: s.customer.id().to_string(),
        price_key: item.and_then(|i| i.price.lookup_key.clone()),
        status: SubscriptionStatus::parse(s.status.as_str()).ok(),
        current_period_start: item.map(|i| i.current_period_start),
        current_period_end: item.map(|i| i.current_period_end),
        cancel_at_period_end: s.cancel_at_period_end,
        trial_end: s.trial_end,
        ended_at: s.ended_at,
        created: s.created,
    }
}

impl BillingProvider for StripeBilling {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn create_customer(&self, new: NewCustomer) -> BoxFuture<'_, Result<String, BillingError>> {
        Box::pin(async move {
            let key = IdempotencyKey::new(&new.idempotency_key)
                .map_err(|e| BillingError::Provider(format!("idempotency key: {e}")))?;
            let customer = CreateCustomer::new()
                .email(new.email)
                .metadata(HashMap::from([(
                    "user_id".to_owned(),
                    new.user_id.to_string(),
                )]))
                .customize()
                .request_strategy(RequestStrategy::Idempotent(key))
                .send(&self.client)
                .await
                .map_err(failed)?;
            Ok(customer.id.to_string())
        })
    }

    fn start_checkout(
        &self,
        request: CheckoutRequest,
    ) -> BoxFuture<'_, Result<StartedCheckout, BillingError>> {
        Box::pin(async move {
            let (price_key, mode) = match &request.item {
                CheckoutItem::Subscription { price_key, .. } => {
                    (price_key, CheckoutSessionMode::Subscription)
                }
                CheckoutItem::Payment { price_key } => (price_key, CheckoutSessionMode::Payment),
            };
            let price = self.price_id(price_key).await?;
            let mut create = CreateCheckoutSession::new()
                .mode(mode)
                .customer(request.customer)
                .line_items(vec![CreateCheckoutSessionLineItems {
                    price: Some(price),
                    quantity: Some(1),
                    ..Default::default()
                }])
                .allow_promotion_codes(true)
                .success_url(request.success_url)
                .cancel_url(request.cancel_url);
            if let CheckoutItem::Subscription { trial_days, .. } = &request.item {
                let mut subscription_data = CreateCheckoutSessionSubscriptionData::new();
                subscription_data.trial_period_days = (*trial_days > 0).then_some(*trial_days);
                // Collecting tax ids for an existing customer needs leave to update their name
                // and address from what they type.
                let mut customer_update = CreateCheckoutSessionCustomerUpdate::new();
                customer_update.name = Some(CreateCheckoutSessionCustomerUpdateName::Auto);
                customer_update.address = Some(CreateCheckoutSessionCustomerUpdateAddress::Auto);
                create = create
                    .subscription_data(subscription_data)
                    .tax_id_collection(CreateCheckoutSessionTaxIdCollection::new(true))
                    .customer_update(customer_update);
            }
            let session = create.send(&self.client).await.map_err(failed)?;
            let url = session.url.clone().ok_or_else(|| {
                BillingError::Provider("Stripe returned a checkout session without a URL".into())
            })?;
            Ok(StartedCheckout {
                id: session.id.to_string(),
                url,
            })
        })
    }

    fn checkout_session<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<CheckoutSession>, BillingError>> {
        Box::pin(async move {
            // Ids from a URL: only what could be Stripe's is asked for.
            if !id.starts_with("cs_") || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Ok(None);
            }
            match RetrieveCheckoutSession::new(id).send(&self.client).await {
                Ok(session) => Ok(Some(CheckoutSession {
                    id: session.id.to_string(),
                    customer: session.customer.as_ref().map(|c| c.id().to_string()),
                    complete: session.status == Some(CheckoutSessionStatus::Complete),
                    paid: matches!(
                        session.payment_status,
                        CheckoutSessionPaymentStatus::Paid
                            | CheckoutSessionPaymentStatus::NoPaymentRequired
                    ),
                })),
                Err(StripeError::Stripe(_, 404)) => Ok(None),
                Err(e) => Err(failed(e)),
            }
        })
    }

    fn charge<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Charge>, BillingError>> {
        Box::pin(async move {
            if !id.starts_with("ch_") || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Ok(None);
            }
            let charge = match RetrieveCharge::new(id).send(&self.client).await {
                Ok(charge) => charge,
                Err(StripeError::Stripe(_, 404)) => return Ok(None),
                Err(e) => return Err(failed(e)),
            };
            // A charge no longer names its invoice or session: its payment intent leads to the
            // Checkout Session that took it.
            let checkout_session = match &charge.payment_intent {
                Some(intent) => ListCheckoutSession::new()
                    .payment_intent(intent.id().as_str())
                    .limit(1)
                    .send(&self.client)
                    .await
                    .map_err(failed)?
                    .data
                    .into_iter()
                    .next()
                    .map(|session| session.id.to_string()),
                None => None,
            };
            Ok(Some(Charge {
                id: charge.id.to_string(),
                money: ChargeMoney {
                    amount: charge.amount,
                    refunded: charge.amount_refunded,
                    disputed: charge.disputed,
                },
                checkout_session,
            }))
        })
    }

    fn subscriptions<'a>(
        &'a self,
        customer: &'a str,
    ) -> BoxFuture<'a, Result<Vec<ProviderSubscription>, BillingError>> {
        Box::pin(async move {
            let list = ListSubscription::new()
                .customer(customer)
                .status(ListSubscriptionStatus::All)
                .limit(100)
                .send(&self.client)
                .await
                .map_err(failed)?;
            Ok(list.data.iter().map(subscription).collect())
        })
    }

    fn portal<'a>(
        &'a self,
        customer: &'a str,
        return_url: &'a str,
    ) -> BoxFuture<'a, Result<String, BillingError>> {
        Box::pin(async move {
            let session = CreateBillingPortalSession::new()
                .customer(customer)
                .return_url(return_url)
                .send(&self.client)
                .await
                .map_err(failed)?;
            Ok(session.url)
        })
    }

    fn invoices<'a>(
        &'a self,
        customer: &'a str,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Invoice>, BillingError>> {
        Box::pin(async move {
            // Stripe lists newest first; drafts are left to the portal.
            let list = ListInvoice::new()
                .customer(customer)
                .limit(i64::try_from(limit).unwrap_or(100).clamp(1, 100))
                .send(&self.client)
                .await
                .map_err(failed)?;
            Ok(list
                .data
                .iter()
                .filter_map(invoice)
                .filter(|i| i.status != InvoiceStatus::Draft)
                .collect())
        })
    }
}
