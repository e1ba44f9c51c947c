use super::browser_json::BrowserJsonPost;
use super::wire::AdminUserRow;
use super::ApiError;
use leptos::prelude::*;

/// Accounts for `/admin` (admins only).
#[server(output = BrowserJsonPost)]
pub async fn list_users() -> Result<Vec<AdminUserRow>, ApiError> {
    super::session::require_admin()?;
    let state = expect_context::<crate::state::AppState>();
    let listed = crate::auth::users::list_for_admin(&state.db, 200)
        .await
        .map_err(ApiError::internal)?;
    Ok(listed
        .into_iter()
        .map(|u| AdminUserRow {
            id: u.id,
            email: u.email,
            name: u.name,
            is_admin: u.role == crate::auth::users::Role::Admin,
            banned: u.banned,
            sessions: u.live_sessions,
        })
        .collect())
}
