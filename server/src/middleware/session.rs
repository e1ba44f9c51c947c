//! Resolves the session cookie once per request into a [`Viewer`] in the request extensions,
//! and marks the response of a signed-in request ([`SignedIn`]) so that the header layers make
//! it uncacheable.

use app::auth::cookie::{self, SESSION_COOKIE};
use app::auth::sessions::{self, SESSION_LIFETIME_SECS};
use app::auth::token::SecretToken;
use app::auth::{CurrentUser, Viewer};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// On a response to a request that carried a live session: its page is someone's own.
#[derive(Debug, Clone, Copy)]
pub struct SignedIn;

pub async fn resolve_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let secure = state.site.secure_cookies();
    let presented = cookie::read(request.headers(), SESSION_COOKIE, secure);
    let mut refresh_cookie = None;
    let viewer = match presented.as_deref().map(SecretToken::from_presented) {
        None => Viewer(None),
        Some(None) => {
            refresh_cookie = Some(cookie::clear(SESSION_COOKIE, secure));
            Viewer(None)
        }
        Some(Some(token)) => match sessions::resolve(&state.db, &token).await {
            Ok(Some(resolved)) => {
                if resolved.renewed {
                    refresh_cookie = Some(cookie::set(
                        SESSION_COOKIE,
                        token.expose(),
                        SESSION_LIFETIME_SECS,
                        secure,
                    ));
                }
                Viewer(Some(CurrentUser {
                    user: resolved.user,
                    session_id: resolved.session_id,
                }))
            }
            // Revoked, expired or banned: drop the dead cookie so the browser stops sending it.
            Ok(None) => {
                refresh_cookie = Some(cookie::clear(SESSION_COOKIE, secure));
                Viewer(None)
            }
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The service is briefly unavailable. Please try again in a moment.",
                )
                    .into_response();
            }
        },
    };
    let signed_in = viewer.0.is_some();
    request.extensions_mut().insert(viewer);
    let mut response = next.run(request).await;
    if signed_in {
        response.extensions_mut().insert(SignedIn);
    }
    // A handler that signed someone in or out has already set the cookie; it wins.
    let handler_set_cookie = response.headers().get_all(SET_COOKIE).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| cookie::sets(v, SESSION_COOKIE, secure))
    });
    if let (Some(value), false) = (refresh_cookie, handler_set_cookie) {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}
