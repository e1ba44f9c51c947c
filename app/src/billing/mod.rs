//! Billing (server only): the provider behind one trait (`provider`), the one customer per user
//! (`customers`), the checkout rules (`checkout`), the one sync from the provider's current
//! state (`sync`) into our subscription row (`subscriptions`), which the access module reads.

pub mod checkout;
pub mod customers;
pub mod emails;
pub mod holds;
mod invoices;
pub mod local;
pub mod local_charges;
pub mod local_engine;
mod local_invoices;
pub mod outcome;
pub mod packs;
pub mod portal;
pub mod provider;
pub mod refunds;
pub mod stripe;
pub mod subscriptions;
pub mod sync;
pub mod webhook;

use crate::access::Access;
use crate::db::Db;
use crate::domain::Catalog;
use local::LocalBilling;
use provider::BillingProvider;
use std::sync::Arc;

/// Billing as the routes and server functions see it; cheap to clone.
#[derive(Debug, Clone)]
pub struct Billing {
    db: Db,
    /// Grants bought credits and checks downgrades (the one access module).
    access: Access,
    catalog: Arc<Catalog>,
    provider: Arc<dyn BillingProvider>,
    /// The test-mode provider, when it is the one in use (its pages exist only then).
    local: Option<LocalBilling>,
    /// Where the provider sends buyers back: `APP_URL`.
    app_url: String,
    /// Billing emails; `None` (the operator commands) sends none.
    mailer: Option<Arc<dyn crate::auth::mailer::Mailer>>,
    /// `STRIPE_WEBHOOK_SECRET`: without it every webhook delivery is refused.
    webhook_secret: Option<crate::secret::Secret>,
}

impl Billing {
    /// Billing through the built-in test-mode provider.
    pub fn local(db: Db, catalog: Arc<Catalog>, access: Access, app_url: &str) -> Self {
        let local = LocalBilling::new(db.clone(), catalog.clone());
        Self {
            db,
            access,
            catalog,
            provider: Arc::new(local.clone()),
            local: Some(local),
            app_url: app_url.trim_end_matches('/').to_owned(),
            mailer: None,
            webhook_secret: None,
        }
    }

    /// Billing through `provider` (Stripe).
    pub fn with_provider(
        db: Db,
        catalog: Arc<Catalog>,
        access: Access,
        provider: Arc<dyn BillingProvider>,
        app_url: &str,
    ) -> Self {
        Self {
            db,
            access,
            catalog,
            provider,
            local: None,
            app_url: app_url.trim_end_matches('/').to_owned(),
            mailer: None,
            webhook_secret: None,
        }
    }

    /// Send billing emails through `mailer`.
    pub fn with_mailer(mut self, mailer: Arc<dyn crate::auth::mailer::Mailer>) -> Self {
        self.mailer = Some(mailer);
        self
    }

    /// Accept webhook deliveries signed with `secret`.
    pub fn with_webhook_secret(mut self, secret: Option<crate::secret::Secret>) -> Self {
        self.webhook_secret = secret;
        self
    }

    pub fn provider(&self) -> &dyn BillingProvider {
        self.provider.as_ref()
    }

    /// The test-mode provider, when it is the one in use.
    pub fn test_mode(&self) -> Option<&LocalBilling> {
        self.local.as_ref()
    }

    /// Re-reads `customer`'s subscription from the provider (see `sync`).
    pub async fn sync(&self, customer: &str) -> Result<sync::Synced, provider::BillingError> {
        sync::sync_customer(&self.db, self.provider.as_ref(), &self.access, customer).await
    }
}
