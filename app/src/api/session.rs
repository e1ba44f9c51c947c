//! Who calls a server function: the user the session middleware found (`auth::Viewer` in the
//! request), as the server functions need them.

use super::wire::ViewerInfo;
use super::ApiError;
use crate::auth::{CurrentUser, Viewer};

/// In a server function or during SSR: the signed-in user, if any.
pub fn current_user() -> Option<CurrentUser> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
        .and_then(|viewer| viewer.0)
}

/// In a server function: the signed-in user, or a 401 the UI turns into "sign in".
pub fn require_user() -> Result<CurrentUser, ApiError> {
    current_user().ok_or(ApiError::Unauthorized)
}

/// In a server function: the signed-in admin, or 401/403.
pub fn require_admin() -> Result<CurrentUser, ApiError> {
    let me = require_user()?;
    if me.is_admin() {
        Ok(me)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// What the header shows of the signed-in user.
pub fn viewer_info(me: &CurrentUser) -> ViewerInfo {
    ViewerInfo {
        name: me.user.name.clone(),
        email: me.user.email.clone(),
        avatar_url: me.user.avatar_url.clone(),
        is_admin: me.is_admin(),
    }
}
