//! A user's invoices for /account, read from the provider when the page is drawn (never
//! stored: the provider's list is the truth, and a paid invoice is found there also after a
//! webhook was missed).

use super::provider::BillingError;
use std::time::Duration;

/// How long /account waits for the provider's list before drawing the page without it.
const WAIT_FOR_PROVIDER: Duration = Duration::from_secs(3);
use super::{customers, Billing};
use crate::domain::invoice::{Invoice, LISTED};

impl Billing {
    /// `user_id`'s newest invoices, newest first; none before their first checkout.
    pub async fn invoices(&self, user_id: i64) -> Result<Vec<Invoice>, BillingError> {
        let Some(customer) = customers::find(&self.db, user_id).await? else {
            return Ok(Vec::new());
        };
        let mut invoices =
            tokio::time::timeout(WAIT_FOR_PROVIDER, self.provider.invoices(&customer, LISTED))
                .await
                .map_err(|_| {
                    BillingError::Provider(format!(
                        "no list of invoices within {} s",
                        WAIT_FOR_PROVIDER.as_secs()
                    ))
                })??;
        // Whatever the provider sent, the page shows a bounded list, newest first.
        invoices.sort_by_key(|invoice| std::cmp::Reverse(invoice.created));
        invoices.truncate(LISTED);
        Ok(invoices)
    }
}
