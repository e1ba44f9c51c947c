//! `/account` forms: ending sessions.

use super::redirect_with;
use app::auth::sessions;
use app::auth::CurrentUser;
use app::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    session_id: Option<String>,
}

/// `POST /account/sessions/revoke`: ends one of the signed-in user's sessions.
pub async fn revoke_session(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<RevokeForm>,
) -> Response {
    let Some(session_id) = form
        .session_id
        .as_deref()
        .and_then(|id| id.trim().parse::<i64>().ok())
    else {
        return redirect_with("/account", &[("error", "no_such_session")]).into_response();
    };
    match sessions::revoke(&state.db, me.user.id, session_id).await {
        Ok(true) if session_id == me.session_id => {
            redirect_with("/login", &[("signed_out", "1")]).into_response()
        }
        Ok(true) => redirect_with("/account", &[("notice", "session_revoked")]).into_response(),
        Ok(false) => redirect_with("/account", &[("error", "no_such_session")]).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "revoking a session failed");
            redirect_with("/account", &[("error", "unavailable")]).into_response()
        }
    }
}

/// `POST /account/sessions/revoke-others`: signs out everywhere but this browser.
pub async fn revoke_other_sessions(State(state): State<AppState>, me: CurrentUser) -> Response {
    match sessions::revoke_others(&state.db, me.user.id, me.session_id).await {
        Ok(count) => redirect_with(
            "/account",
            &[("notice", "others_revoked"), ("count", &count.to_string())],
        )
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "revoking other sessions failed");
            redirect_with("/account", &[("error", "unavailable")]).into_response()
        }
    }
}
