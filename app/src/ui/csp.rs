//! The Content-Security-Policy of every page, with the per-response nonce Leptos puts on its
//! hydration scripts (leptos_axum makes a fresh one per request).

/// Scripts run only with this response's nonce (and what they load: `'strict-dynamic'`), wasm
/// may compile, nothing may frame the page, forms post only here. Style attributes stay
/// allowed: the usage bars set their width inline, and a style cannot run code. A `frameable`
/// page (the design gallery's states, fixture data only) may be framed by the site itself.
pub fn policy(nonce: &str, frameable: bool) -> String {
    let ancestors = if frameable { "'self'" } else { "'none'" };
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; \
         img-src 'self' data: https:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    )
}

/// The nonce `policy` allows scripts with: what [`policy`] wrote, read back (the visitor-page
/// cache puts a fresh one in its place; tests compare it with the page's).
pub fn nonce_in(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let length = policy[start..].find('\'')?;
    Some(&policy[start..start + length]).filter(|n| !n.is_empty())
}

/// Puts the policy on the page being rendered; only in server rendering (the browser has no
/// response to set headers on).
#[cfg(feature = "ssr")]
pub fn send_with_page() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let frameable = use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| parts.uri.path() == crate::ui::pages::design::STATES_PATH);
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy(&nonce, frameable)) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
    if frameable {
        // The security-header layer leaves a page's own value (DENY for every other page).
        response.insert_header(
            axum::http::header::X_FRAME_OPTIONS,
            axum::http::HeaderValue::from_static("SAMEORIGIN"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{nonce_in, policy};

    #[test]
    fn scripts_need_the_nonce_and_nothing_may_frame_the_page() {
        let p = policy("abc123", false);
        assert!(p.contains("script-src 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval'"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("script-src 'self' 'unsafe-inline'"));
    }

    #[test]
    fn only_a_frameable_page_may_be_framed_and_only_by_the_site() {
        assert!(policy("n", true).contains("frame-ancestors 'self'"));
        assert!(!policy("n", true).contains("frame-ancestors 'none'"));
    }

    #[test]
    fn the_nonce_is_read_back_from_the_policy() {
        assert_eq!(nonce_in(&policy("Ab_9", false)), Some("Ab_9"));
        assert_eq!(nonce_in("default-src 'none'"), None);
        assert_eq!(nonce_in("script-src 'nonce-'"), None);
    }
}
