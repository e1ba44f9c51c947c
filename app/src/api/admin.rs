use super::wire::AdminUserRow;
use super::ApiError;
use leptos::prelude::*;

/// Accounts for `/admin` (admins only).
#[server]
pub async fn list_users() -> Result<Vec<AdminUserRow>, ApiError> {
    crate::auth::require_admin()?;
    let state = expect_context::<crate::state::AppState>();
    crate::auth::users::list_for_admin(&state.db, 200)
        .await
        .map_err(ApiError::internal)
}
