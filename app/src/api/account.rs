use super::wire::AccountView;
use super::ApiError;
use leptos::prelude::*;

/// Profile and sessions for `/account`.
#[server]
pub async fn get_account() -> Result<AccountView, ApiError> {
    let me = crate::auth::require_user()?;
    let state = expect_context::<crate::state::AppState>();
    let sessions = crate::auth::sessions::list(&state.db, me.user.id, me.session_id)
        .await
        .map_err(ApiError::internal)?;
    let api_keys = crate::auth::api_keys::list(&state.db, me.user.id)
        .await
        .map_err(ApiError::internal)?;
    Ok(AccountView {
        viewer: me.viewer_info(),
        sessions,
        api_keys,
    })
}
