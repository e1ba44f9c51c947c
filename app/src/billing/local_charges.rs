//! The test-mode provider's payments for credit packs: each paid pack checkout is one charge
//! (id `ch_<checkout id>`), which the test portal can refund or dispute the way a support agent
//! or a bank would at Stripe. What happens to the credits is then the webhook's own code.

use super::local::LocalBilling;
use super::provider::Charge;
use crate::db::DbError;
use crate::domain::clawback::ChargeMoney;

/// A paid pack as the test portal lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PackPayment {
    pub checkout_id: String,
    pub lookup_key: String,
    pub amount_cents: i64,
    pub amount_refunded: i64,
    pub disputed: i64,
    pub created_at: i64,
}

impl PackPayment {
    pub fn charge_id(&self) -> String {
        charge_id(&self.checkout_id)
    }
}

/// What the test portal does to a pack's payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeAction {
    /// Refunds what is left of it.
    Refund,
    /// The buyer's bank opens a dispute.
    Dispute,
}

impl ChargeAction {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "refund" => Some(ChargeAction::Refund),
            "dispute" => Some(ChargeAction::Dispute),
            _ => None,
        }
    }
}

fn charge_id(checkout: &str) -> String {
    format!("ch_{checkout}")
}

impl LocalBilling {
    /// `customer`'s paid packs, newest first.
    pub async fn pack_payments(&self, customer: &str) -> Result<Vec<PackPayment>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id AS checkout_id, lookup_key, amount_cents, amount_refunded, disputed,
                    created_at
             FROM local_billing_checkouts
             WHERE customer_id = $1 AND mode = 'payment' AND status = 'complete'
             ORDER BY created_at DESC, id DESC",
        )
        .bind(customer)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// Refunds or disputes `customer`'s pack payment `checkout`; the charge's id, `None` when
    /// it is not one of theirs. Pressing it again changes nothing.
    pub async fn act_on_charge(
        &self,
        customer: &str,
        checkout: &str,
        action: ChargeAction,
    ) -> Result<Option<String>, DbError> {
        let sql = match action {
            ChargeAction::Refund => {
                "UPDATE local_billing_checkouts SET amount_refunded = amount_cents
                 WHERE id = $1 AND customer_id = $2 AND mode = 'payment' AND status = 'complete'"
            }
            ChargeAction::Dispute => {
                "UPDATE local_billing_checkouts SET disputed = 1
                 WHERE id = $1 AND customer_id = $2 AND mode = 'payment' AND status = 'complete'"
            }
        };
        let mut tx = self.db.begin_durable().await?;
        let changed = sqlx::query(sql)
            .bind(checkout)
            .bind(customer)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((changed.rows_affected() == 1).then(|| charge_id(checkout)))
    }

    /// The provider's view of charge `id` (see [`BillingProvider::charge`]).
    ///
    /// [`BillingProvider::charge`]: super::provider::BillingProvider::charge
    pub(super) async fn pack_charge(&self, id: &str) -> Result<Option<Charge>, DbError> {
        let Some(checkout) = id.strip_prefix("ch_") else {
            return Ok(None);
        };
        let row: Option<PackPayment> = sqlx::query_as(
            "SELECT id AS checkout_id, lookup_key, amount_cents, amount_refunded, disputed,
                    created_at
             FROM local_billing_checkouts
             WHERE id = $1 AND mode = 'payment' AND status = 'complete'",
        )
        .bind(checkout)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.map(|row| Charge {
            id: row.charge_id(),
            money: ChargeMoney {
                amount: row.amount_cents,
                refunded: row.amount_refunded,
                disputed: row.disputed != 0,
            },
            checkout_session: Some(row.checkout_id),
        }))
    }
}
