//! The pages a first-time visitor lands on (`/`, `/pricing`) rendered once and served from memory
//! to every request that carries no cookie of ours and no credentials.
//!
//! Why: such a request can only ever get the visitor's page — no session, no guest allowance, no
//! flash message; cookies of other sites' scripts are read by no page — and that page depends on
//! nothing but this process's plan catalog. Server rendering it costs ~0.4 ms of CPU per request on
//! 2 cores (README, "Speed"); copying it costs microseconds. What is never shared: the
//! Content-Security-Policy nonce. A nonce known in advance would let an injected `<script nonce=…>`
//! run, so every answer gets a fresh one, put where the rendered page had its own (the stored page
//! is kept cut at those places).
//!
//! What is stored is bounded by construction: only the paths and queries listed here, so a
//! crawler's made-up queries render fresh instead of filling memory. Entries live 60 s, which
//! bounds anything time-dependent on a visitor's page (the shell state's `as_of`, unused by
//! visitors, who open no event stream).
//!
//! The stored copy is right for every such request because a visitor page reads nothing of the
//! request but its path and query: not `Host` (links are relative), not `Accept-Language` (one
//! language), no cookie but ours, no other header (tested: `server/tests/pricing.rs`). A page that
//! starts reading a header must vary this cache by it or leave the list. Decision and numbers:
//! docs/architecture.md, "Pages: what a request costs"; threat #13 in docs/security.md.

use app::auth::cookie;
use app::ui::csp::nonce_in;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a stored page is served before it is rendered again.
const LIFETIME: Duration = Duration::from_secs(60);

/// The visitor pages worth keeping (path, query), with the queries their own links produce.
const PAGES: &[Key] = &[
    ("/", ""),
    ("/pricing", ""),
    ("/pricing", "billing=monthly"),
    ("/pricing", "billing=yearly"),
];

/// A listed page: its path and query.
type Key = (&'static str, &'static str);

/// The pages rendered so far, by path and query.
#[derive(Default)]
pub struct VisitorPages {
    stored: RwLock<HashMap<Key, Arc<StoredPage>>>,
}

impl VisitorPages {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    fn fresh(&self, key: Key) -> Option<Arc<StoredPage>> {
        let stored = self.stored.read().ok()?;
        stored
            .get(&key)
            .filter(|page| page.rendered.elapsed() < LIFETIME)
            .cloned()
    }

    fn keep(&self, key: Key, page: StoredPage) {
        if let Ok(mut stored) = self.stored.write() {
            stored.insert(key, Arc::new(page));
        }
    }
}

/// A rendered page, cut where its nonce was.
struct StoredPage {
    rendered: Instant,
    body: Vec<Bytes>,
    policy: Vec<String>,
    headers: HeaderMap,
}

impl StoredPage {
    /// Keeps `body` if the response is a plain page that carried a nonce and set no cookie.
    fn of(headers: &HeaderMap, body: &Bytes) -> Option<Self> {
        let html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if !html || headers.contains_key(header::SET_COOKIE) {
            return None;
        }
        let policy = headers
            .get(header::CONTENT_SECURITY_POLICY)?
            .to_str()
            .ok()?;
        let nonce = nonce_in(policy)?;
        let mut kept = headers.clone();
        for per_answer in [
            header::CONTENT_SECURITY_POLICY,
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::DATE,
        ] {
            kept.remove(per_answer);
        }
        Some(Self {
            rendered: Instant::now(),
            body: cut(body, nonce.as_bytes()),
            policy: policy.split(nonce).map(str::to_owned).collect(),
            headers: kept,
        })
    }

    /// The page with `nonce` where the rendered one was.
    fn answer(&self, nonce: &str) -> Response {
        let body: Vec<u8> = join(&self.body, nonce.as_bytes());
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = self.headers.clone();
        if let Ok(policy) = HeaderValue::from_str(&self.policy.join(nonce)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        response
    }
}

/// The key of a request that may be answered with the stored visitor page: a GET of a listed
/// page and query, with no credentials of any kind and no cookie of ours. Other cookies are
/// fine: in production most first-time visitors carry some (analytics, consent banners), and no
/// page reads them — every cookie read goes through `cookie::read` by a `CookieName`, whose
/// name starts with `tollgate_`.
fn key_of(method: &Method, headers: &HeaderMap, path: &str, query: &str) -> Option<Key> {
    if method != Method::GET
        || cookie::may_carry_ours(headers)
        || headers.contains_key(header::AUTHORIZATION)
    {
        return None;
    }
    PAGES
        .iter()
        .find(|(page, listed)| *page == path && *listed == query)
        .copied()
}

/// `body` in the pieces between the places `needle` was.
fn cut(body: &Bytes, needle: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut from = 0;
    for at in memchr::memmem::find_iter(body, needle) {
        pieces.push(body.slice(from..at));
        from = at + needle.len();
    }
    pieces.push(body.slice(from..));
    pieces
}

fn join(pieces: &[Bytes], between: &[u8]) -> Vec<u8> {
    let length = pieces.iter().map(Bytes::len).sum::<usize>()
        + between.len() * pieces.len().saturating_sub(1);
    let mut joined = Vec::with_capacity(length);
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            joined.extend_from_slice(between);
        }
        joined.extend_from_slice(piece);
    }
    joined
}

/// Answers a visitor's request for a listed page from memory, or renders it and keeps it.
pub async fn serve_visitor_pages(
    State(pages): State<Arc<VisitorPages>>,
    request: Request,
    next: Next,
) -> Response {
    let uri = request.uri();
    let Some(key) = key_of(
        request.method(),
        request.headers(),
        uri.path(),
        uri.query().unwrap_or_default(),
    ) else {
        return next.run(request).await;
    };
    if let Some(page) = pages.fresh(key) {
        return page.answer(&leptos::nonce::Nonce::new());
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    // Our own page of a few kilobytes; the limit only guards against a bug.
    let bytes = match axum::body::to_bytes(body, 8 << 20).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, path = key.0, "a visitor page could not be read whole");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "The page could not be shown. Please reload it in a moment.",
            )
                .into_response();
        }
    };
    if let Some(page) = StoredPage::of(&parts.headers, &bytes) {
        pages.keep(key, page);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visitor() -> HeaderMap {
        HeaderMap::new()
    }

    #[test]
    fn only_a_credential_free_get_of_a_listed_page_and_query_is_served_from_memory() {
        let get = Method::GET;
        assert_eq!(key_of(&get, &visitor(), "/", ""), Some(("/", "")));
        assert_eq!(
            key_of(&get, &visitor(), "/pricing", "billing=yearly"),
            Some(("/pricing", "billing=yearly"))
        );
        assert_eq!(key_of(&get, &visitor(), "/pricing", "billing=daily"), None);
        assert_eq!(key_of(&get, &visitor(), "/dashboard", ""), None);
        assert_eq!(key_of(&Method::HEAD, &visitor(), "/", ""), None);
        assert_eq!(key_of(&Method::POST, &visitor(), "/", ""), None);
        let mut ours = visitor();
        ours.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; tollgate_guest=x"),
        );
        assert_eq!(key_of(&get, &ours, "/pricing", ""), None);
        let mut foreign = visitor();
        foreign.insert(
            header::COOKIE,
            HeaderValue::from_static("_ga=1; theme=dark"),
        );
        assert_eq!(
            key_of(&get, &foreign, "/pricing", ""),
            Some(("/pricing", ""))
        );
        let mut key = visitor();
        key.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer k"));
        assert_eq!(key_of(&get, &key, "/", ""), None);
    }

    #[test]
    fn a_page_cut_at_its_nonce_joins_back_with_another() {
        let page = Bytes::from_static(b"<script nonce=\"N1\">a</script><b>N1</b>N1");
        let pieces = cut(&page, b"N1");
        assert_eq!(pieces.len(), 4);
        assert_eq!(join(&pieces, b"N1"), page.to_vec());
        assert_eq!(
            join(&pieces, b"zz"),
            b"<script nonce=\"zz\">a</script><b>zz</b>zz".to_vec()
        );
        assert_eq!(
            join(&cut(&Bytes::from_static(b"plain"), b"N1"), b"x"),
            b"plain"
        );
    }

    fn page_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'nonce-OLD' 'strict-dynamic'"),
        );
        headers
    }

    #[test]
    fn each_answer_carries_its_own_nonce_in_the_page_and_the_policy() {
        let body = Bytes::from_static(b"<script nonce=\"OLD\"></script>");
        let page = StoredPage::of(&page_headers(), &body).expect("kept");
        let answer = page.answer("NEW");
        assert_eq!(
            answer.headers()[header::CONTENT_SECURITY_POLICY],
            "script-src 'nonce-NEW' 'strict-dynamic'"
        );
        assert_eq!(
            answer.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        assert_eq!(join(&page.body, b"NEW"), b"<script nonce=\"NEW\"></script>");
    }

    #[test]
    fn a_page_that_sets_a_cookie_or_has_no_nonce_is_not_kept() {
        let body = Bytes::from_static(b"<p></p>");
        let mut with_cookie = page_headers();
        with_cookie.insert(header::SET_COOKIE, HeaderValue::from_static("a=b"));
        assert!(StoredPage::of(&with_cookie, &body).is_none());
        let mut no_nonce = page_headers();
        no_nonce.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'"),
        );
        assert!(StoredPage::of(&no_nonce, &body).is_none());
        let mut json = page_headers();
        json.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        assert!(StoredPage::of(&json, &body).is_none());
    }
}
