use super::browser_json::BrowserJsonPost;
use super::ApiError;
use crate::domain::pricing::PricingTable;
use leptos::prelude::*;

/// The pricing table, worded from the plan catalog. Public: no sign-in needed.
#[server(output = BrowserJsonPost)]
pub async fn get_pricing() -> Result<PricingTable, ApiError> {
    let state = expect_context::<crate::state::AppState>();
    Ok(PricingTable::from_catalog(&state.catalog))
}
