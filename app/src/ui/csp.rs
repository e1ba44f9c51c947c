//! The Content-Security-Policy of every page, with the per-response nonce Leptos puts on its
//! hydration scripts (leptos_axum makes a fresh one per request).

/// Scripts run only with this response's nonce (and what they load: `'strict-dynamic'`), wasm
/// may compile, nothing may frame the page, forms post only here. Style attributes stay
/// allowed: the usage bars set their width inline, and a style cannot run code.
pub fn policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; \
         img-src 'self' data: https:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
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
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy(&nonce)) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn scripts_need_the_nonce_and_nothing_may_frame_the_page() {
        let p = policy("abc123");
        assert!(p.contains("script-src 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval'"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("script-src 'self' 'unsafe-inline'"));
    }
}
