//! Who is asking. The session middleware resolves the cookie once per request and puts a
//! [`Viewer`] into the request extensions; route handlers and server functions read it from there.

use super::users::{Role, User};
use crate::domain::sign_in::login_path;

/// The signed-in user of a request and the session they used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub user: User,
    pub session_id: i64,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }
}

/// What the session middleware found; always present in the extensions of a routed request.
#[derive(Debug, Clone, Default)]
pub struct Viewer(pub Option<CurrentUser>);

/// In an axum route: the signed-in user, or a redirect to `/login?next=<this page>`.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for CurrentUser {
    type Rejection = axum::response::Redirect;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        match parts
            .extensions
            .get::<Viewer>()
            .and_then(|viewer| viewer.0.clone())
        {
            Some(me) => Ok(me),
            None => {
                // Come back to a page, never to a form's POST target.
                let here = (parts.method == axum::http::Method::GET)
                    .then(|| parts.uri.path_and_query().map(|p| p.as_str()))
                    .flatten();
                let next = crate::auth::next_path::sanitize_next(here);
                Err(axum::response::Redirect::to(&login_path(&next)))
            }
        }
    }
}
