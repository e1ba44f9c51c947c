//! What every request handler and server function can reach: given to axum as router state and
//! to Leptos as context (`expect_context::<AppState>()`).

use crate::db::Db;
use crate::domain::Catalog;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub catalog: Arc<Catalog>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
