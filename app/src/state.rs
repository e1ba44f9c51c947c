//! What every request handler and server function can reach: given to axum as router state and
//! to Leptos as context (`expect_context::<AppState>()`).

use crate::access::Access;
use crate::auth::mailer::Mailer;
use crate::auth::oauth::IdentityProvider;
use crate::billing::Billing;
use crate::db::Db;
use crate::domain::Catalog;
use crate::generation::Generator;
pub use crate::site::Site;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Cloned for every extractor, middleware, server function and resource of every request, so
/// it is one shared allocation: a clone is one reference count, not one per field (measured:
/// cloning and dropping the fields one by one was ~5 % of the server's CPU under load).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// What [`AppState`] shares.
#[derive(Debug)]
pub struct Services {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub catalog: Arc<Catalog>,
    /// The one access-check module (shares `db` and `catalog`).
    pub access: Access,
    /// Checkout, the provider and the one sync.
    pub billing: Billing,
    /// Writes the text of `POST /api/generate`.
    pub generator: Arc<dyn Generator>,
    /// Generations streaming now, per subject (the `MAX_CONCURRENT_GENERATIONS` cap).
    pub generations_in_flight: crate::generation::in_flight::InFlight,
    /// Which subjects' usage, credits or plan just changed, anywhere (`GET /api/events`).
    pub changes: crate::db::changes::ChangeFeed,
    /// Live-update streams open now, capped per user, per address and overall.
    pub live_pages: crate::live_pages::LivePages,
    pub mailer: Arc<dyn Mailer>,
    pub site: Arc<Site>,
    /// Configured OAuth providers, in the order `/login` shows them.
    pub providers: Arc<Vec<Arc<dyn IdentityProvider>>>,
}

impl FromRef<AppState> for Arc<Site> {
    fn from_ref(state: &AppState) -> Self {
        state.site.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
