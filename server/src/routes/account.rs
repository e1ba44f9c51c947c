//! `/account` forms: ending sessions, creating and revoking API keys.

use super::redirect_with;
use app::api::outcomes::{AccountError, AccountNotice};
use app::auth::CurrentUser;
use app::auth::{api_keys, cookie, sessions};
use app::state::AppState;
use axum::extract::State;
use axum::http::header;
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
        return redirect_with("/account", &[("error", AccountError::NoSuchSession.code())])
            .into_response();
    };
    match sessions::revoke(&state.db, me.user.id, session_id).await {
        Ok(true) if session_id == me.session_id => {
            redirect_with("/login", &[("signed_out", "1")]).into_response()
        }
        Ok(true) => redirect_with(
            "/account",
            &[("notice", AccountNotice::SessionRevoked.code())],
        )
        .into_response(),
        Ok(false) => redirect_with("/account", &[("error", AccountError::NoSuchSession.code())])
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "revoking a session failed");
            redirect_with("/account", &[("error", AccountError::Unavailable.code())])
                .into_response()
        }
    }
}

/// `POST /account/sessions/revoke-others`: signs out everywhere but this browser.
pub async fn revoke_other_sessions(State(state): State<AppState>, me: CurrentUser) -> Response {
    match sessions::revoke_others(&state.db, me.user.id, me.session_id).await {
        Ok(count) => redirect_with(
            "/account",
            &[
                ("notice", AccountNotice::OthersRevoked.code()),
                ("count", &count.to_string()),
            ],
        )
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "revoking other sessions failed");
            redirect_with("/account", &[("error", AccountError::Unavailable.code())])
                .into_response()
        }
    }
}

/// Holds a new API key for the one page view that shows it (HttpOnly, two minutes, /account
/// only): never in a URL, never shown twice.
use app::api::account::NEW_KEY_COOKIE;

#[derive(Debug, Deserialize)]
pub struct CreateKeyForm {
    #[serde(default)]
    name: String,
}

/// `POST /account/api-keys`
pub async fn create_api_key(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<CreateKeyForm>,
) -> Response {
    let name = match api_keys::parse_name(&form.name) {
        Ok(name) => name,
        Err(_) => {
            return redirect_with("/account", &[("error", AccountError::KeyName.code())])
                .into_response()
        }
    };
    match api_keys::create(&state.db, me.user.id, &name).await {
        Ok(key) => {
            let flash = cookie::set(NEW_KEY_COOKIE, &key, 120, state.site.secure_cookies());
            (
                [(header::SET_COOKIE, flash)],
                redirect_with("/account", &[("notice", AccountNotice::KeyCreated.code())]),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "creating an API key failed");
            redirect_with("/account", &[("error", AccountError::Unavailable.code())])
                .into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct RevokeKeyForm {
    key_id: Option<String>,
}

/// `POST /account/api-keys/revoke`: only the owner's own keys.
pub async fn revoke_api_key(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<RevokeKeyForm>,
) -> Response {
    let Some(key_id) = form
        .key_id
        .as_deref()
        .and_then(|id| id.trim().parse::<i64>().ok())
    else {
        return redirect_with("/account", &[("error", AccountError::NoSuchKey.code())])
            .into_response();
    };
    match api_keys::revoke(&state.db, me.user.id, key_id).await {
        Ok(true) => redirect_with("/account", &[("notice", AccountNotice::KeyRevoked.code())])
            .into_response(),
        Ok(false) => {
            redirect_with("/account", &[("error", AccountError::NoSuchKey.code())]).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "revoking an API key failed");
            redirect_with("/account", &[("error", AccountError::Unavailable.code())])
                .into_response()
        }
    }
}
