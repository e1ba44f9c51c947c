//! The test-mode provider's invoices: one per paid checkout, as Stripe makes one for a
//! subscription's first payment ($0 when it starts with a trial) — and, unlike Stripe's
//! Checkout in payment mode, one for a credit pack too, so every payment of a test run can be
//! seen on /account. Renewals from the test portal make none. Numbered per customer in the
//! order they were paid ("TEST-0001"); no hosted page, so no link.

use super::local::LocalBilling;
use crate::db::DbError;
use crate::domain::invoice::{Invoice, InvoiceStatus};

#[derive(sqlx::FromRow)]
struct PaidCheckout {
    id: String,
    mode: String,
    amount_cents: i64,
    trial_days: i64,
    paid_at: i64,
    /// Given when paid; `None` for checkouts paid before it was kept (their place instead).
    invoice_number: Option<i64>,
}

impl LocalBilling {
    /// `customer`'s newest invoices, at most `limit`, newest first.
    pub(super) async fn local_invoices(
        &self,
        customer: &str,
        limit: usize,
    ) -> Result<Vec<Invoice>, DbError> {
        let paid: Vec<PaidCheckout> = sqlx::query_as(
            "SELECT id, mode, amount_cents, trial_days, COALESCE(paid_at, created_at) AS paid_at,
                    invoice_number
             FROM local_billing_checkouts
             WHERE customer_id = $1 AND status = 'complete'
             ORDER BY COALESCE(invoice_number, 0), created_at, id",
        )
        .bind(customer)
        .fetch_all(self.db.pool())
        .await?;
        Ok(paid
            .into_iter()
            .enumerate()
            .rev()
            .take(limit)
            .map(|(at, checkout)| {
                let number = checkout
                    .invoice_number
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(at + 1);
                invoice(number, checkout)
            })
            .collect())
    }
}

fn invoice(number: usize, checkout: PaidCheckout) -> Invoice {
    let trial = checkout.mode == "subscription" && checkout.trial_days > 0;
    Invoice {
        id: format!("in_{}", checkout.id),
        number: Some(format!("TEST-{number:04}")),
        created: checkout.paid_at,
        total: if trial { 0 } else { checkout.amount_cents },
        currency: "usd".to_owned(),
        status: InvoiceStatus::Paid,
        url: None,
    }
}
