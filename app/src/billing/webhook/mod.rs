//! `POST /api/webhooks/stripe` (ARCHITECTURE §5 contract): verify the signature on the raw
//! body, record the event id in the same transaction as its effects (a second delivery changes
//! nothing), and act by re-reading the provider's current state (the one sync), so the order
//! and number of deliveries do not matter. A correctly signed event we do not act on is
//! recorded and answered 2xx, or Stripe would retry it for days.

pub mod event;
pub mod signature;

use super::outcome::Outcome;
use super::provider::BillingError;
use super::sync::{self, Synced};
use super::Billing;
use crate::db::{Db, DbError, Tx};
use event::Effect;
use signature::SignatureError;

/// What a delivery came to (all answered 2xx).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Recorded with what it did.
    Processed(Outcome),
    /// An event id already recorded: nothing changed.
    Duplicate,
    /// Signed, but no event in it: logged, nothing to record or do.
    Unreadable,
}

/// A delivery refused (4xx: not Stripe's, nothing changed) or not processed now (5xx: Stripe
/// delivers it again later).
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("This server has no STRIPE_WEBHOOK_SECRET, so it cannot tell Stripe's deliveries from forgeries; set it to the endpoint's signing secret (whsec_…).")]
    NotConfigured,
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("The billing provider or the database could not be reached; deliver again later.")]
    Unavailable(#[source] BillingError),
}

impl From<BillingError> for WebhookError {
    fn from(e: BillingError) -> Self {
        WebhookError::Unavailable(e)
    }
}

impl From<DbError> for WebhookError {
    fn from(e: DbError) -> Self {
        WebhookError::Unavailable(e.into())
    }
}

impl Billing {
    pub async fn receive_webhook(
        &self,
        body: &[u8],
        signature_header: Option<&str>,
    ) -> Result<Received, WebhookError> {
        let secret = self
            .webhook_secret
            .as_ref()
            .ok_or(WebhookError::NotConfigured)?;
        signature::verify(signature_header, body, secret.expose(), self.db.now())?;
        let Some(event) = event::read(body) else {
            tracing::warn!("a signed webhook delivery held no event; ignored");
            return Ok(Received::Unreadable);
        };
        if seen(&self.db, &event.id).await? {
            return Ok(Received::Duplicate);
        }
        // The provider is read before the transaction: no lock is held across the network.
        let planned = self.plan(&event).await?;
        let mut tx = self.db.begin_durable().await?;
        if !record_in(&mut tx, &event, body, self.db.now()).await? {
            // Delivered twice at once: the other delivery recorded it first.
            return Ok(Received::Duplicate);
        }
        let outcome = self.write_in(&mut tx, &planned).await?;
        set_outcome_in(&mut tx, &event.id, outcome).await?;
        tx.commit().await.map_err(DbError::from)?;
        tracing::info!(event = %event.id, kind = %event.kind, %outcome, "webhook processed");
        // Once per event: a redelivery returned above as a duplicate.
        self.send_event_email(&event.kind, event.customer.as_deref())
            .await;
        Ok(Received::Processed(outcome))
    }

    /// Acts on recorded event `event_id` again (`tollgate billing replay`): its effect reads
    /// the provider's current state, so a replay is always safe. `None`: no such event.
    pub async fn replay_event(&self, event_id: &str) -> Result<Option<Outcome>, WebhookError> {
        let payload: Option<String> =
            sqlx::query_scalar("SELECT payload FROM billing_events WHERE event_id = $1")
                .bind(event_id)
                .fetch_optional(self.db.pool())
                .await
                .map_err(DbError::from)?;
        let Some(event) = payload.as_deref().and_then(|p| event::read(p.as_bytes())) else {
            return Ok(None);
        };
        let planned = self.plan(&event).await?;
        let mut tx = self.db.begin_durable().await?;
        let outcome = self.write_in(&mut tx, &planned).await?;
        set_outcome_in(&mut tx, &event.id, outcome).await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(Some(outcome))
    }

    /// Reads what `event` asks of us from the provider.
    async fn plan(&self, event: &event::Envelope) -> Result<Planned, BillingError> {
        Ok(match event::effect(event) {
            Effect::Checkout(session) => match self.read_completion(&session, None).await? {
                Some(completion) => Planned::Completion(completion),
                None => Planned::Nothing,
            },
            Effect::Sync(customer) => Planned::Sync(
                sync::read(&self.db, self.provider.as_ref(), &self.access, &customer).await?,
            ),
            Effect::Charge(charge) => Planned::Charge(self.read_charge(&charge).await?),
            Effect::Nothing => Planned::Nothing,
        })
    }

    async fn write_in(&self, tx: &mut Tx, planned: &Planned) -> Result<Outcome, BillingError> {
        Ok(match planned {
            Planned::Completion(completion) => self.write_completion_in(tx, completion).await?,
            Planned::Sync(Some(reading)) => {
                sync::write_in(tx, self.db.now(), reading).await?.outcome()
            }
            Planned::Sync(None) => Synced::UnknownCustomer.outcome(),
            Planned::Charge(Some(reading)) => self.write_charge_in(tx, reading).await?,
            Planned::Charge(None) => Outcome::NotAPack,
            Planned::Nothing => Outcome::Ignored,
        })
    }
}

/// An event's effect, read from the provider and waiting for the transaction.
enum Planned {
    Completion(super::packs::Completion),
    Sync(Option<sync::Reading>),
    Charge(Option<super::refunds::ChargeReading>),
    Nothing,
}

async fn seen(db: &Db, event_id: &str) -> Result<bool, DbError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM billing_events WHERE event_id = $1")
        .bind(event_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(found.is_some())
}

/// Records the event; false when its id was already recorded.
async fn record_in(
    tx: &mut Tx,
    event: &event::Envelope,
    body: &[u8],
    now: i64,
) -> Result<bool, DbError> {
    let inserted = sqlx::query(
        "INSERT INTO billing_events
             (event_id, event_type, customer_id, outcome, created, received_at, payload)
         VALUES ($1, $2, $3, 'received', $4, $5, $6)
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(&event.id)
    .bind(&event.kind)
    .bind(event.customer.as_deref())
    .bind(event.created)
    .bind(now)
    .bind(String::from_utf8_lossy(body).as_ref())
    .execute(&mut **tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

async fn set_outcome_in(tx: &mut Tx, event_id: &str, outcome: Outcome) -> Result<(), DbError> {
    sqlx::query("UPDATE billing_events SET outcome = $2 WHERE event_id = $1")
        .bind(event_id)
        .bind(outcome.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
