//! The built-in test-mode provider, the default when `STRIPE_SECRET_KEY` is unset: it keeps
//! Stripe's side of billing (customers, checkout sessions, subscriptions) in `local_billing_*`
//! tables and offers a checkout page with a "Pay — test mode" and a "card declined" button.
//! Paying changes its subscriptions and then runs the very same sync a webhook runs, so every
//! billing state can be reached offline, without a key and without paying.

use super::local_engine::{apply, LocalSubscription, NotNow, PortalAction};
use super::provider::{
    BillingError, BillingProvider, Charge, CheckoutItem, CheckoutRequest, CheckoutSession,
    NewCustomer, StartedCheckout,
};
use crate::auth::token::SecretToken;
use crate::db::{Db, DbError};
use crate::domain::calendar::add_months;
use crate::domain::invoice::Invoice;
use crate::domain::provider_subscription::ProviderSubscription;
use crate::domain::{BillingInterval, Catalog, CatalogPrice, Money, SubscriptionStatus};
use futures_util::future::BoxFuture;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct LocalBilling {
    pub(super) db: Db,
    pub(super) catalog: Arc<Catalog>,
}

/// `cus_local_…`: ids shaped like Stripe's, saying where they come from.
fn new_id(prefix: &str) -> String {
    let token = SecretToken::generate();
    format!("{prefix}_local_{}", &token.expose()[..24])
}

/// The test card the buyer chose on the checkout page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestCard {
    Succeeds,
    Declined,
}

/// What a test-mode checkout sells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestItem {
    Plan {
        name: String,
        interval: BillingInterval,
        trial_days: u32,
    },
    /// A credit pack, e.g. "100 generations".
    Pack { name: String },
}

/// A test-mode checkout as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCheckout {
    pub id: String,
    pub customer: String,
    pub price_key: String,
    pub item: TestItem,
    pub amount: Money,
    pub complete: bool,
    pub success_url: String,
    pub cancel_url: String,
}

/// Why a test payment changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum PayError {
    #[error("Your card was declined (test mode). Nothing was charged; try the other button.")]
    Declined,
    #[error("There is no such checkout.")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

#[derive(sqlx::FromRow)]
struct CheckoutRow {
    id: String,
    customer_id: String,
    lookup_key: String,
    amount_cents: i64,
    trial_days: i64,
    success_url: String,
    cancel_url: String,
    status: String,
}

#[derive(sqlx::FromRow)]
struct SubscriptionRow {
    id: String,
    customer_id: String,
    lookup_key: String,
    status: String,
    current_period_start: i64,
    current_period_end: i64,
    cancel_at_period_end: i64,
    trial_end: Option<i64>,
    pending_lookup_key: Option<String>,
    next_renewal_fails: i64,
    created_at: i64,
}

const SUBSCRIPTION_COLUMNS: &str = "id, customer_id, lookup_key, status, current_period_start,
    current_period_end, cancel_at_period_end, trial_end, pending_lookup_key, next_renewal_fails,
    created_at";

impl SubscriptionRow {
    fn engine(&self) -> Option<LocalSubscription> {
        Some(LocalSubscription {
            id: self.id.clone(),
            customer: self.customer_id.clone(),
            price_key: self.lookup_key.clone(),
            status: SubscriptionStatus::parse(&self.status).ok()?,
            current_period_start: self.current_period_start,
            current_period_end: self.current_period_end,
            cancel_at_period_end: self.cancel_at_period_end != 0,
            trial_end: self.trial_end,
            pending_price_key: self.pending_lookup_key.clone(),
            next_renewal_fails: self.next_renewal_fails != 0,
        })
    }
}

/// Why a test-portal button changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    #[error("There is no subscription to manage; choose a plan on the pricing page.")]
    NoSubscription,
    #[error("{0}")]
    NotNow(#[from] NotNow),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<SubscriptionRow> for ProviderSubscription {
    fn from(row: SubscriptionRow) -> Self {
        ProviderSubscription {
            id: row.id,
            customer: row.customer_id,
            price_key: Some(row.lookup_key),
            status: SubscriptionStatus::parse(&row.status).ok(),
            current_period_start: Some(row.current_period_start),
            current_period_end: Some(row.current_period_end),
            cancel_at_period_end: row.cancel_at_period_end != 0,
            trial_end: row.trial_end,
            // "Cancel now" moves the period's end itself.
            ended_at: None,
            created: row.created_at,
        }
    }
}

impl LocalBilling {
    pub fn new(db: Db, catalog: Arc<Catalog>) -> Self {
        Self { db, catalog }
    }

    async fn checkout_row(&self, id: &str) -> Result<Option<CheckoutRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, customer_id, lookup_key, amount_cents, trial_days, success_url,
                    cancel_url, status
             FROM local_billing_checkouts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?)
    }

    /// The checkout page's content; `None` for an unknown id.
    pub async fn checkout(&self, id: &str) -> Result<Option<TestCheckout>, DbError> {
        let Some(row) = self.checkout_row(id).await? else {
            return Ok(None);
        };
        let item = match self.catalog.price(&row.lookup_key) {
            Some(CatalogPrice::Plan { plan, interval }) => TestItem::Plan {
                name: plan.name.clone(),
                interval,
                trial_days: u32::try_from(row.trial_days).unwrap_or(0),
            },
            Some(CatalogPrice::Pack(pack)) => TestItem::Pack {
                name: pack.name.clone(),
            },
            None => return Ok(None),
        };
        Ok(Some(TestCheckout {
            item,
            amount: Money::from_cents(u64::try_from(row.amount_cents).unwrap_or(0)),
            complete: row.status == "complete",
            success_url: row.success_url.replace("{CHECKOUT_SESSION_ID}", &row.id),
            cancel_url: row.cancel_url,
            id: row.id,
            customer: row.customer_id,
            price_key: row.lookup_key,
        }))
    }

    /// Pays checkout `id` with the test `card`: the subscription starts (trialing when the
    /// checkout offered a trial). Paying twice (a double submit) changes nothing the second
    /// time. Returns where the buyer goes next: the checkout's success URL.
    pub async fn pay(&self, id: &str, card: TestCard) -> Result<String, PayError> {
        let Some(checkout) = self.checkout(id).await? else {
            return Err(PayError::NotFound);
        };
        if checkout.complete {
            return Ok(checkout.success_url);
        }
        if card == TestCard::Declined {
            return Err(PayError::Declined);
        }
        let now = self.db.now();
        let (interval, trial_days) = match &checkout.item {
            TestItem::Plan {
                interval,
                trial_days,
                ..
            } => (*interval, *trial_days),
            // A pack is paid once; nothing starts at the provider.
            TestItem::Pack { .. } => {
                let mut tx = self.db.begin_durable().await?;
                sqlx::query(
                    "UPDATE local_billing_checkouts SET status = 'complete', paid_at = $2,
                         invoice_number = (SELECT COALESCE(MAX(invoice_number), 0) + 1
                             FROM local_billing_checkouts WHERE customer_id = $3)
                     WHERE id = $1 AND status = 'open'",
                )
                .bind(id)
                .bind(self.db.now())
                .bind(&checkout.customer)
                .execute(&mut *tx)
                .await
                .map_err(DbError::from)?;
                tx.commit().await.map_err(DbError::from)?;
                return Ok(checkout.success_url);
            }
        };
        let (status, period_end, trial_end) = if trial_days > 0 {
            let end = now + i64::from(trial_days) * 86_400;
            (SubscriptionStatus::Trialing, end, Some(end))
        } else {
            let months = i64::from(interval.months());
            (SubscriptionStatus::Active, add_months(now, months), None)
        };
        let subscription_id = new_id("sub");
        // Stripe's side of a payment: kept like our own record of it.
        let mut tx = self.db.begin_durable().await?;
        let claimed = sqlx::query(
            "UPDATE local_billing_checkouts SET status = 'complete', subscription_id = $2,
                 paid_at = $3,
                 invoice_number = (SELECT COALESCE(MAX(invoice_number), 0) + 1
                     FROM local_billing_checkouts WHERE customer_id = $4)
             WHERE id = $1 AND status = 'open'",
        )
        .bind(id)
        .bind(&subscription_id)
        .bind(now)
        .bind(&checkout.customer)
        .execute(&mut *tx)
        .await
        .map_err(DbError::from)?;
        if claimed.rows_affected() == 1 {
            sqlx::query(
                "INSERT INTO local_billing_subscriptions
                     (id, customer_id, lookup_key, status, current_period_start,
                      current_period_end, cancel_at_period_end, trial_end, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
            )
            .bind(&subscription_id)
            .bind(&checkout.customer)
            .bind(&checkout.price_key)
            .bind(status.as_str())
            .bind(now)
            .bind(period_end)
            .bind(trial_end)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(DbError::from)?;
        }
        tx.commit().await.map_err(DbError::from)?;
        Ok(checkout.success_url)
    }
}

impl LocalBilling {
    async fn subscription_rows(&self, customer: &str) -> Result<Vec<SubscriptionRow>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM local_billing_subscriptions
             WHERE customer_id = $1 ORDER BY created_at, id"
        ))
        .bind(customer)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// The subscription the test portal manages: the newest live one, else the newest.
    pub async fn current_subscription(
        &self,
        customer: &str,
    ) -> Result<Option<LocalSubscription>, DbError> {
        let all: Vec<LocalSubscription> = self
            .subscription_rows(customer)
            .await?
            .iter()
            .filter_map(SubscriptionRow::engine)
            .collect();
        let live = all.iter().rev().find(|s| s.status.is_live());
        Ok(live.or(all.last()).cloned())
    }

    /// A test-portal button: changes the customer's subscription as Stripe would. The caller
    /// then runs the sync, as Stripe's webhook would make it.
    pub async fn act(&self, customer: &str, action: &PortalAction) -> Result<(), ActError> {
        let sub = self
            .current_subscription(customer)
            .await?
            .ok_or(ActError::NoSubscription)?;
        let changed = apply(&self.catalog, sub, action, self.db.now())?;
        let mut tx = self.db.begin_durable().await?;
        sqlx::query(
            "UPDATE local_billing_subscriptions SET lookup_key = $2, status = $3,
                 current_period_start = $4, current_period_end = $5, cancel_at_period_end = $6,
                 trial_end = $7, pending_lookup_key = $8, next_renewal_fails = $9
             WHERE id = $1",
        )
        .bind(&changed.id)
        .bind(&changed.price_key)
        .bind(changed.status.as_str())
        .bind(changed.current_period_start)
        .bind(changed.current_period_end)
        .bind(i64::from(changed.cancel_at_period_end))
        .bind(changed.trial_end)
        .bind(changed.pending_price_key.as_deref())
        .bind(i64::from(changed.next_renewal_fails))
        .execute(&mut *tx)
        .await
        .map_err(DbError::from)?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(())
    }
}

impl BillingProvider for LocalBilling {
    fn name(&self) -> &'static str {
        "local"
    }

    fn create_customer(&self, new: NewCustomer) -> BoxFuture<'_, Result<String, BillingError>> {
        Box::pin(async move {
            // Like Stripe's idempotency keys: a repeated request gets the first customer.
            sqlx::query(
                "INSERT INTO local_billing_customers (id, idempotency_key, email, user_id, created_at)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING",
            )
            .bind(new_id("cus"))
            .bind(&new.idempotency_key)
            .bind(&new.email)
            .bind(new.user_id)
            .bind(self.db.now())
            .execute(self.db.pool())
            .await
            .map_err(DbError::from)?;
            let id: String = sqlx::query_scalar(
                "SELECT id FROM local_billing_customers WHERE idempotency_key = $1",
            )
            .bind(&new.idempotency_key)
            .fetch_one(self.db.pool())
            .await
            .map_err(DbError::from)?;
            Ok(id)
        })
    }

    fn start_checkout(
        &self,
        request: CheckoutRequest,
    ) -> BoxFuture<'_, Result<StartedCheckout, BillingError>> {
        Box::pin(async move {
            let (mode, price_key, trial_days) = match &request.item {
                CheckoutItem::Subscription {
                    price_key,
                    trial_days,
                } => ("subscription", price_key, *trial_days),
                CheckoutItem::Payment { price_key } => ("payment", price_key, 0),
            };
            let amount = match (mode, self.catalog.price(price_key)) {
                ("subscription", Some(CatalogPrice::Plan { plan, interval })) => {
                    plan.price(interval)
                }
                ("payment", Some(CatalogPrice::Pack(pack))) => pack.price,
                _ => {
                    return Err(BillingError::Provider(format!(
                        "no {mode} price with lookup key {price_key}"
                    )))
                }
            };
            let id = new_id("cs");
            sqlx::query(
                "INSERT INTO local_billing_checkouts
                     (id, customer_id, mode, lookup_key, amount_cents, trial_days, success_url,
                      cancel_url, status, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9)",
            )
            .bind(&id)
            .bind(&request.customer)
            .bind(mode)
            .bind(price_key)
            .bind(i64::try_from(amount.cents).unwrap_or(i64::MAX))
            .bind(i64::from(trial_days))
            .bind(&request.success_url)
            .bind(&request.cancel_url)
            .bind(self.db.now())
            .execute(self.db.pool())
            .await
            .map_err(DbError::from)?;
            Ok(StartedCheckout {
                url: format!("/billing/test-checkout/{id}"),
                id,
            })
        })
    }

    fn checkout_session<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<CheckoutSession>, BillingError>> {
        Box::pin(async move {
            Ok(self.checkout_row(id).await?.map(|row| CheckoutSession {
                complete: row.status == "complete",
                paid: row.status == "complete",
                customer: Some(row.customer_id),
                id: row.id,
            }))
        })
    }

    fn charge<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Charge>, BillingError>> {
        Box::pin(async move { Ok(self.pack_charge(id).await?) })
    }

    fn subscriptions<'a>(
        &'a self,
        customer: &'a str,
    ) -> BoxFuture<'a, Result<Vec<ProviderSubscription>, BillingError>> {
        Box::pin(async move {
            let rows = self.subscription_rows(customer).await?;
            Ok(rows.into_iter().map(ProviderSubscription::from).collect())
        })
    }

    fn portal<'a>(
        &'a self,
        _customer: &'a str,
        _return_url: &'a str,
    ) -> BoxFuture<'a, Result<String, BillingError>> {
        // The test portal knows the signed-in user; it always leads back to /account.
        Box::pin(async { Ok("/billing/test-portal".to_owned()) })
    }

    fn invoices<'a>(
        &'a self,
        customer: &'a str,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Invoice>, BillingError>> {
        Box::pin(async move { Ok(self.local_invoices(customer, limit).await?) })
    }
}
