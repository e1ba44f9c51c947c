use super::ApiError;
use crate::domain::UsageSummary;
use leptos::prelude::*;

/// The caller's usage summary (signed in, or a guest by cookie): what the dashboard counter,
/// badges and the out-of-credits modal show. Same module and shape as `GET /api/usage`.
#[server]
pub async fn get_usage() -> Result<UsageSummary, ApiError> {
    use crate::access::caller;
    let state = expect_context::<crate::state::AppState>();
    let headers = use_context::<axum::http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    let me = super::session::current_user();
    let caller = caller::identify(
        &state.db,
        &state.site,
        &headers,
        me.as_ref(),
        caller::NoCookie::Unnamed,
    )
    .await
    .map_err(|e| match e {
        caller::CallerError::Db(e) => ApiError::internal(e),
        // Pages authenticate by cookie; a stray or stale `Authorization` header only means
        // "not signed in this way".
        caller::CallerError::InvalidApiKey | caller::CallerError::TooManyGuests => {
            ApiError::Unauthorized
        }
        caller::CallerError::Banned => ApiError::Suspended,
    })?;
    state
        .access
        .summary(&caller.subject)
        .await
        .map_err(ApiError::internal)
}
