use super::ApiError;
use crate::domain::Catalog;
use leptos::prelude::*;

/// The plan catalog, for the pricing table. Public: no sign-in needed.
#[server]
pub async fn get_catalog() -> Result<Catalog, ApiError> {
    let state = expect_context::<crate::state::AppState>();
    Ok((*state.catalog).clone())
}
