use super::browser_json::BrowserJsonPost;
use super::wire::UsageHistory;
use super::ApiError;
use leptos::prelude::*;

/// The days the dashboard's usage chart shows.
pub const CHART_DAYS: u32 = 30;

/// The signed-in user's generations per day over the last 30 days, from the per-day totals
/// kept beside the ledger.
#[server(output = BrowserJsonPost)]
pub async fn get_usage_history() -> Result<UsageHistory, ApiError> {
    let me = super::session::require_user()?;
    let state = expect_context::<crate::state::AppState>();
    let feature = &state.access.product().generations;
    let days = state
        .access
        .daily_uses(
            &crate::access::Subject::User(me.user.id),
            feature,
            CHART_DAYS,
        )
        .await
        .map_err(ApiError::internal)?;
    let units = state
        .catalog
        .feature(feature)
        .map_or_else(|| feature.to_string(), |f| f.units.clone());
    Ok(UsageHistory { days, units })
}
