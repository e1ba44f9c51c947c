//! Security headers on every response, with tower-http's header layers.
//!
//! Pages carry their own Content-Security-Policy with a per-response nonce (set while the shell
//! renders, `app::ui::csp`); everything else (JSON, redirects, static files) gets a policy that
//! allows nothing, so a response that is not a page can never run as one.

use super::session::SignedIn;
use axum::body::Body;
use axum::http::{header, HeaderValue, Response};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// Anything that is not a page may not load or frame anything.
const NOT_A_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the layers to `router`. `https` adds HSTS (a browser that once saw the site over https
/// never goes back to http for a year).
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    https: bool,
) -> Router<S> {
    let router = router
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            private_for_signed_in as fn(&Response<Body>) -> Option<HeaderValue>,
        ))
        // Full URLs (a sign-in link's token, say) never leave the site in a Referer.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // DENY unless a page set its own (the design gallery's states: SAMEORIGIN).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(NOT_A_PAGE_POLICY),
        ));
    if https {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        router
    }
}

/// `no-store` on what a signed-in request got back (a page with an API key on it must not
/// sit in a shared or back-button cache), except static assets, which are the same for
/// everyone and should stay cached. `None` leaves the header as the handler set it.
fn private_for_signed_in(response: &Response<Body>) -> Option<HeaderValue> {
    response.extensions().get::<SignedIn>()?;
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let asset = [
        "application/wasm",
        "text/css",
        "text/javascript",
        "application/javascript",
        "image/",
        "font/",
    ]
    .iter()
    .any(|prefix| content_type.starts_with(prefix));
    (!asset).then(|| HeaderValue::from_static("no-store"))
}
