//! Cross-site request forgery: a state-changing request must come from our own pages.
//!
//! Browsers send `Origin` on every POST (forms included, with or without JavaScript); it must
//! be our public origin or the origin the request was addressed to — scheme included, so a page
//! on `http://` (which a network attacker can write) cannot post to the `https://` site. `SameSite=Lax` on the
//! session cookie is the second line. Requests without a cookie that authenticate with a
//! bearer key (API clients) and the Stripe webhook (signed) are exempt.

use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe
        || request.uri().path().starts_with("/api/webhooks/")
        || is_api_client(request.headers())
    {
        return next.run(request).await;
    }
    let headers = request.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|v| *v != "null")
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match claimed {
        Some(origin) if is_same_origin(&origin, host, state.site.origin(), state.site.scheme()) => {
            next.run(request).await
        }
        _ => {
            tracing::warn!(path = %request.uri().path(), "refused a state-changing request from another site");
            (StatusCode::FORBIDDEN, "This request did not come from this site, so it was refused. Reload the page and try again.").into_response()
        }
    }
}

/// A client with a bearer API key and no cookie cannot be a forged browser request.
fn is_api_client(headers: &HeaderMap) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    bearer && !headers.contains_key(header::COOKIE)
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// Whether `origin` is our public origin, or the host the request was sent to under our
/// public scheme.
fn is_same_origin(origin: &str, host: Option<&str>, public_origin: &str, scheme: &str) -> bool {
    if origin.eq_ignore_ascii_case(public_origin) {
        return true;
    }
    let Some((origin_scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    origin_scheme.eq_ignore_ascii_case(scheme)
        && host.is_some_and(|host| authority.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_own_origin_passes() {
        assert!(is_same_origin(
            "https://app.example.com",
            Some("internal:8080"),
            "https://app.example.com",
            "https"
        ));
        assert!(is_same_origin(
            "http://127.0.0.1:3000",
            Some("127.0.0.1:3000"),
            "http://localhost:3000",
            "http"
        ));
    }

    #[test]
    fn other_sites_are_refused() {
        assert!(!is_same_origin(
            "https://evil.example",
            Some("app.example.com"),
            "https://app.example.com",
            "https"
        ));
        assert!(!is_same_origin(
            "https://app.example.com.evil.example",
            None,
            "https://app.example.com",
            "https"
        ));
        assert!(!is_same_origin(
            "garbage",
            Some("garbage"),
            "https://app.example.com",
            "https"
        ));
    }

    #[test]
    fn the_right_host_over_the_wrong_scheme_is_refused() {
        assert!(!is_same_origin(
            "http://app.example.com",
            Some("app.example.com"),
            "https://app.example.com",
            "https"
        ));
    }

    #[test]
    fn referers_reduce_to_their_origin() {
        assert_eq!(
            origin_of("https://app.example.com/login?next=/x").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(origin_of("/relative"), None);
    }
}
