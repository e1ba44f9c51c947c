//! Our cookies: reading them from a request and writing `Set-Cookie` values (the `cookie`
//! crate parses and formats; this module only fixes our policy).
//!
//! Every cookie is `HttpOnly` (scripts cannot read it) and `SameSite=Lax` (not sent on
//! cross-site POSTs). When the site is served over https it is also `Secure` and carries a
//! name prefix the browser enforces: `__Host-` for cookies of the whole site (no `Domain`,
//! `Path=/`, so a sibling subdomain cannot plant or overwrite them) and `__Secure-` for the
//! one scoped to a path.

use axum::http::HeaderMap;
use cookie::time::Duration;
use cookie::{Cookie, SameSite};

/// How the name of every cookie of ours starts (after the https prefix). Why it is enforced:
/// a request that carries no cookie named like this is, to every page, a request without
/// cookies — `middleware::visitor_pages` answers it with the stored visitor page, whatever
/// cookies of other sites' scripts (analytics, consent banners) it carries.
pub const OURS: &str = "tollgate_";

/// One of our cookies: its name without prefix and the path it is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieName {
    base: &'static str,
    path: &'static str,
}

/// The database session of a signed-in browser.
pub const SESSION_COOKIE: CookieName = CookieName::new("tollgate_session", "/");

impl CookieName {
    /// A cookie of ours named `base` (which must start with [`OURS`]: checked when the
    /// constant is compiled), sent to `path` and below.
    pub const fn new(base: &'static str, path: &'static str) -> Self {
        assert!(
            starts_with(base, OURS),
            "our cookie names start with `tollgate_`"
        );
        Self { base, path }
    }

    /// The name as sent: prefixed on https.
    pub fn name(self, secure: bool) -> String {
        match (secure, self.path) {
            (false, _) => self.base.to_owned(),
            (true, "/") => format!("__Host-{}", self.base),
            (true, _) => format!("__Secure-{}", self.base),
        }
    }
}

/// Whether the request's `Cookie` headers might hold a cookie of ours: [`OURS`] anywhere in
/// them. Deliberately coarse — a foreign cookie whose value contains it counts as ours, which
/// only costs that request a fresh render — so no way of writing the header hides one.
pub fn may_carry_ours(headers: &HeaderMap) -> bool {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .any(|value| {
            value
                .as_bytes()
                .windows(OURS.len())
                .any(|w| w == OURS.as_bytes())
        })
}

/// `text` starts with `start` (`str::starts_with` is not `const`).
const fn starts_with(text: &str, start: &str) -> bool {
    let (text, start) = (text.as_bytes(), start.as_bytes());
    if text.len() < start.len() {
        return false;
    }
    let mut at = 0;
    while at < start.len() {
        if text[at] != start[at] {
            return false;
        }
        at += 1;
    }
    true
}

/// The value of `cookie` in the request's `Cookie` headers.
pub fn read(headers: &HeaderMap, cookie: CookieName, secure: bool) -> Option<String> {
    let name = cookie.name(secure);
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value_trimmed().to_owned())
}

/// A `Set-Cookie` value that stores `value` for `max_age_secs`.
pub fn set(cookie: CookieName, value: &str, max_age_secs: i64, secure: bool) -> String {
    Cookie::build((cookie.name(secure), value.to_owned()))
        .path(cookie.path)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(Duration::seconds(max_age_secs))
        .build()
        .to_string()
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(cookie: CookieName, secure: bool) -> String {
    set(cookie, "", 0, secure)
}

/// Whether a `Set-Cookie` value sets (or clears) `cookie`.
pub fn sets(set_cookie: &str, cookie: CookieName, secure: bool) -> bool {
    Cookie::parse(set_cookie).is_ok_and(|c| c.name() == cookie.name(secure))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.append(
            "cookie",
            HeaderValue::from_static("a=1; tollgate_session=abc; b=2"),
        );
        assert_eq!(
            read(&headers, SESSION_COOKIE, false).as_deref(),
            Some("abc")
        );
        // On https only the prefixed name counts: a plain one may have been planted.
        assert_eq!(read(&headers, SESSION_COOKIE, true), None);
        headers.append(
            "cookie",
            HeaderValue::from_static("__Host-tollgate_session=def"),
        );
        assert_eq!(read(&headers, SESSION_COOKIE, true).as_deref(), Some("def"));
    }

    #[test]
    fn the_session_cookie_is_http_only_lax_and_host_prefixed_secure_on_https() {
        let https = set(SESSION_COOKIE, "v", 60, true);
        for part in [
            "__Host-tollgate_session=v",
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=60",
        ] {
            assert!(https.contains(part), "{https} lacks {part}");
        }
        assert!(!https.contains("Domain"));
        let http = set(SESSION_COOKIE, "v", 60, false);
        assert!(http.starts_with("tollgate_session=v") && !http.contains("Secure"));
        assert!(clear(SESSION_COOKIE, false).contains("Max-Age=0"));
        assert!(sets(&http, SESSION_COOKIE, false));
        assert!(!sets(&http, SESSION_COOKIE, true));
    }

    #[test]
    fn only_a_cookie_named_like_ours_may_be_ours() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.append("cookie", HeaderValue::from_static("_ga=GA1.1"));
            headers.append("cookie", HeaderValue::from_static(value));
            may_carry_ours(&headers)
        };
        assert!(with("__Host-tollgate_session=v"));
        assert!(with("consent=yes; tollgate_guest=g"));
        assert!(
            with("x=\"a;tollgate_session=b\""),
            "hidden in a quoted value still counts"
        );
        assert!(
            !with("theme=dark; Tollgate_session=v"),
            "names are case-sensitive"
        );
        assert!(!may_carry_ours(&HeaderMap::new()));
        assert!(starts_with("tollgate_x", OURS) && !starts_with("toll", OURS));
    }

    #[test]
    fn path_scoped_cookies_get_the_secure_prefix() {
        let flash = CookieName::new("tollgate_flash", "/account");
        assert_eq!(flash.name(true), "__Secure-tollgate_flash");
        assert!(set(flash, "x", 5, true).contains("Path=/account"));
    }
}
