//! Credit packs: a one-off checkout (payment mode), whose credits are granted exactly once when
//! the provider says it is paid — on the return from checkout or by the webhook, whichever comes
//! first, under a ledger key made from the checkout id. And what any completed checkout asks of
//! us: a pack's credits, or a sync of the customer's subscription.

use super::checkout::{CheckoutError, CheckoutRefused};
use super::outcome::Outcome;
use super::provider::{BillingError, CheckoutItem, CheckoutRequest};
use super::sync::{self, Reading};
use super::{customers, Billing};
use crate::access::Subject;
use crate::auth::users::User;
use crate::db::{DbError, Tx};
use crate::domain::IdempotencyKey;

/// A pack being bought, as recorded when its checkout started.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Purchase {
    pub checkout_id: String,
    pub user_id: i64,
    pub pack_id: String,
    pub feature: String,
    pub credits: i64,
}

/// What a completed checkout asks of us, read from the provider before any transaction.
#[derive(Debug, Clone)]
pub enum Completion {
    /// A pack, paid: grant its credits (once).
    Pack(Purchase),
    /// A pack whose payment has not arrived (a delayed method): nothing yet; the webhook's
    /// `checkout.session.async_payment_succeeded` brings it.
    NotPaid,
    /// A plan: the customer's subscription as read now (`None`: not our customer).
    Subscription(Option<Reading>),
    /// No such checkout at the provider.
    Unknown,
}

impl Billing {
    /// Starts the provider's checkout for credit pack `pack_id`; the URL to send the buyer to.
    pub async fn start_pack_checkout(
        &self,
        user: &User,
        pack_id: &str,
    ) -> Result<String, CheckoutError> {
        let Some(pack) = self.catalog.credit_pack(pack_id) else {
            return Err(CheckoutError::Refused(CheckoutRefused::UnknownPack));
        };
        let provider = self.provider.as_ref();
        let customer = customers::ensure(&self.db, provider, user.id, &user.email).await?;
        let started = provider
            .start_checkout(CheckoutRequest {
                customer,
                item: CheckoutItem::Payment {
                    price_key: pack.price_key.to_string(),
                },
                success_url: format!(
                    "{}/billing/success?session_id={{CHECKOUT_SESSION_ID}}",
                    self.app_url
                ),
                cancel_url: format!("{}/pricing", self.app_url),
            })
            .await?;
        // What the payment will buy: on disk before the buyer can pay.
        let mut tx = self.db.begin_durable().await?;
        sqlx::query(
            "INSERT INTO credit_purchases
                 (checkout_id, user_id, pack_id, feature, credits, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&started.id)
        .bind(user.id)
        .bind(&pack.id)
        .bind(pack.feature.as_str())
        .bind(i64::try_from(pack.credits).unwrap_or(i64::MAX))
        .bind(self.db.now())
        .execute(&mut *tx)
        .await
        .map_err(DbError::from)?;
        tx.commit().await.map_err(DbError::from)?;
        tracing::info!(user_id = user.id, pack = %pack.id, "credit pack checkout started");
        Ok(started.url)
    }

    /// Reads what checkout `session_id` asks of us from the provider. `owner`, when given, is
    /// the customer the session must belong to (the signed-in buyer); `None` when it does not.
    pub(super) async fn read_completion(
        &self,
        session_id: &str,
        owner: Option<&str>,
    ) -> Result<Option<Completion>, BillingError> {
        let Some(session) = self.provider.checkout_session(session_id).await? else {
            return Ok(Some(Completion::Unknown));
        };
        if owner.is_some_and(|owner| session.customer.as_deref() != Some(owner)) {
            return Ok(None);
        }
        let purchase: Option<Purchase> = sqlx::query_as(
            "SELECT checkout_id, user_id, pack_id, feature, credits FROM credit_purchases
             WHERE checkout_id = $1",
        )
        .bind(&session.id)
        .fetch_optional(self.db.pool())
        .await
        .map_err(DbError::from)?;
        Ok(Some(match (purchase, session.customer) {
            (Some(purchase), _) if session.complete && session.paid => Completion::Pack(purchase),
            (Some(_), _) => Completion::NotPaid,
            (None, Some(customer)) => Completion::Subscription(
                sync::read(&self.db, self.provider.as_ref(), &self.access, &customer).await?,
            ),
            (None, None) => Completion::Unknown,
        }))
    }

    /// Makes `completion` in the caller's durable transaction; one word for what it did.
    pub(super) async fn write_completion_in(
        &self,
        tx: &mut Tx,
        completion: &Completion,
    ) -> Result<Outcome, BillingError> {
        let now = self.db.now();
        Ok(match completion {
            Completion::Pack(purchase) => {
                let Some(feature) = self.access.credit_feature(&purchase.feature) else {
                    tracing::error!(pack = %purchase.pack_id, feature = %purchase.feature, "a paid pack's feature left plans.toml; grant it by hand");
                    return Ok(Outcome::FeatureGone);
                };
                // The purchase row first (a refund of it locks it first too: no deadlock).
                sqlx::query(
                    "UPDATE credit_purchases SET granted_at = COALESCE(granted_at, $2)
                     WHERE checkout_id = $1",
                )
                .bind(&purchase.checkout_id)
                .bind(now)
                .execute(&mut **tx)
                .await
                .map_err(DbError::from)?;
                let key = IdempotencyKey::parse(&format!("pack-{}", purchase.checkout_id))
                    .map_err(BillingError::Provider)?;
                let credits = u64::try_from(purchase.credits).unwrap_or(0);
                let granted = self
                    .access
                    .grant_credits_in(
                        tx,
                        &Subject::User(purchase.user_id),
                        &feature,
                        credits,
                        &key,
                    )
                    .await?;
                if granted {
                    Outcome::CreditsGranted
                } else {
                    Outcome::CreditsAlreadyGranted
                }
            }
            Completion::NotPaid => Outcome::NotPaid,
            Completion::Subscription(Some(reading)) => {
                sync::write_in(tx, now, reading).await?.outcome()
            }
            Completion::Subscription(None) => Outcome::UnknownCustomer,
            Completion::Unknown => Outcome::UnknownCheckout,
        })
    }

    /// A checkout finished at the provider (the test-mode pay button, or the buyer's return):
    /// what it bought is given now, once.
    pub async fn complete_checkout(
        &self,
        session_id: &str,
        owner: Option<&str>,
    ) -> Result<Option<Outcome>, BillingError> {
        let Some(completion) = self.read_completion(session_id, owner).await? else {
            return Ok(None);
        };
        let mut tx = self.db.begin_durable().await?;
        let outcome = self.write_completion_in(&mut tx, &completion).await?;
        tx.commit().await.map_err(DbError::from)?;
        tracing::info!(%outcome, "checkout completed");
        Ok(Some(outcome))
    }
}

impl Billing {
    /// Completes every pack checkout not granted yet (of `email`'s account, or everyone's):
    /// the way back when the buyer never returned and the webhook was lost. (email, pack,
    /// outcome) per purchase; a paid one is granted once, an unpaid one stays pending.
    pub async fn complete_pending_packs(
        &self,
        email: Option<&str>,
    ) -> Result<Vec<(String, String, Outcome)>, BillingError> {
        let pending: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT p.checkout_id, u.email, p.pack_id FROM credit_purchases p
             JOIN users u ON u.id = p.user_id
             WHERE p.granted_at IS NULL AND ($1 IS NULL OR u.email = $1)
             ORDER BY p.created_at",
        )
        .bind(email)
        .fetch_all(self.db.pool())
        .await
        .map_err(DbError::from)?;
        let mut done = Vec::with_capacity(pending.len());
        for (checkout, email, pack) in pending {
            let outcome = self
                .complete_checkout(&checkout, None)
                .await?
                .unwrap_or(Outcome::UnknownCheckout);
            done.push((email, pack, outcome));
        }
        Ok(done)
    }
}
