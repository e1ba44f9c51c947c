//! Refunds and disputes of credit packs (`charge.refunded`, `charge.refund.updated`,
//! `charge.dispute.created`): the credits nobody paid for any more are taken back — what is
//! left of them at once, the rest owed and paid first by the next grant. The charge is re-read
//! from the provider (its refunded amount is cumulative), and the purchase remembers how much was
//! taken, so repeated, concurrent or out-of-order events take back exactly once in total.

use super::outcome::Outcome;
use super::packs::Purchase;
use super::provider::BillingError;
use super::Billing;
use crate::access::Subject;
use crate::db::{DbError, Tx};
use crate::domain::clawback::{credits_to_take_back, ChargeMoney};
use crate::domain::IdempotencyKey;

/// A charge as read from the provider, before any transaction.
#[derive(Debug, Clone)]
pub enum ChargeReading {
    /// A pack's payment, refunded or disputed by `money`.
    Pack(Purchase, ChargeMoney),
    /// A charge that paid for no pack of ours (a subscription invoice, another app's).
    NotAPack,
}

impl Billing {
    /// Reads charge `charge_id` and the pack it paid for; `None` when the provider has no such
    /// charge.
    pub(super) async fn read_charge(
        &self,
        charge_id: &str,
    ) -> Result<Option<ChargeReading>, BillingError> {
        let Some(charge) = self.provider.charge(charge_id).await? else {
            return Ok(None);
        };
        let Some(session) = charge.checkout_session else {
            return Ok(Some(ChargeReading::NotAPack));
        };
        let purchase: Option<Purchase> = sqlx::query_as(
            "SELECT checkout_id, user_id, pack_id, feature, credits FROM credit_purchases
             WHERE checkout_id = $1",
        )
        .bind(&session)
        .fetch_optional(self.db.pool())
        .await
        .map_err(DbError::from)?;
        Ok(Some(match purchase {
            Some(purchase) => ChargeReading::Pack(purchase, charge.money),
            None => ChargeReading::NotAPack,
        }))
    }

    /// Takes back what `reading` says is no longer paid for, in the caller's durable
    /// transaction.
    pub(super) async fn write_charge_in(
        &self,
        tx: &mut Tx,
        reading: &ChargeReading,
    ) -> Result<Outcome, BillingError> {
        let ChargeReading::Pack(purchase, money) = reading else {
            return Ok(Outcome::NotAPack);
        };
        // Locks the purchase first: two events about one charge act one after the other. The
        // revision names this change in the ledger (a refund can fail and be made again).
        let locked: Option<(i64, i64)> = sqlx::query_as(
            "UPDATE credit_purchases SET clawback_rev = clawback_rev + 1 WHERE checkout_id = $1
             RETURNING clawed_back, clawback_rev",
        )
        .bind(&purchase.checkout_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(DbError::from)?;
        let Some((taken_before, revision)) = locked else {
            return Ok(Outcome::NotAPack);
        };
        let credits = u64::try_from(purchase.credits).unwrap_or(0);
        let target = credits_to_take_back(credits, *money);
        let taken_before = u64::try_from(taken_before).unwrap_or(0);
        if target == taken_before {
            return Ok(Outcome::NothingToTakeBack);
        }
        let Some(feature) = self.access.credit_feature(&purchase.feature) else {
            tracing::error!(pack = %purchase.pack_id, feature = %purchase.feature, "a refunded pack's feature left plans.toml; settle its credits by hand");
            return Ok(Outcome::FeatureGone);
        };
        let key = IdempotencyKey::parse(&format!("pack-{}-rev-{revision}", purchase.checkout_id))
            .map_err(BillingError::Provider)?;
        let subject = Subject::User(purchase.user_id);
        let outcome = if target > taken_before {
            let n = target - taken_before;
            let clawed = self
                .access
                .claw_back_credits_in(tx, &subject, &feature, n, &key)
                .await?;
            if let Some(clawed) = clawed {
                tracing::info!(user_id = purchase.user_id, pack = %purchase.pack_id, taken = clawed.taken, owed = clawed.owed, "credits taken back");
            }
            Outcome::CreditsTakenBack
        } else {
            // Less refunded than before (a refund that failed): the credits come back, paying
            // anything owed first.
            let n = taken_before - target;
            self.access
                .grant_credits_in(tx, &subject, &feature, n, &key)
                .await?;
            tracing::info!(user_id = purchase.user_id, pack = %purchase.pack_id, returned = n, "credits given back");
            Outcome::CreditsReturned
        };
        sqlx::query("UPDATE credit_purchases SET clawed_back = $2 WHERE checkout_id = $1")
            .bind(&purchase.checkout_id)
            .bind(i64::try_from(target).unwrap_or(i64::MAX))
            .execute(&mut **tx)
            .await
            .map_err(DbError::from)?;
        Ok(outcome)
    }

    /// Reads and writes charge `charge_id` now (the test portal's refund and dispute buttons).
    pub async fn settle_charge(&self, charge_id: &str) -> Result<Outcome, BillingError> {
        let Some(reading) = self.read_charge(charge_id).await? else {
            return Ok(Outcome::NotAPack);
        };
        let mut tx = self.db.begin_durable().await?;
        let outcome = self.write_charge_in(&mut tx, &reading).await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(outcome)
    }
}
