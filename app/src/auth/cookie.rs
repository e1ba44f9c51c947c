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

/// One of our cookies: its name without prefix and the path it is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieName {
    pub base: &'static str,
    pub path: &'static str,
}

/// The database session of a signed-in browser.
pub const SESSION_COOKIE: CookieName = CookieName {
    base: "tollgate_session",
    path: "/",
};

impl CookieName {
    /// The name as sent: prefixed on https.
    pub fn name(self, secure: bool) -> String {
        match (secure, self.path) {
            (false, _) => self.base.to_owned(),
            (true, "/") => format!("__Host-{}", self.base),
            (true, _) => format!("__Secure-{}", self.base),
        }
    }
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
    fn path_scoped_cookies_get_the_secure_prefix() {
        let flash = CookieName {
            base: "flash",
            path: "/account",
        };
        assert_eq!(flash.name(true), "__Secure-flash");
        assert!(set(flash, "x", 5, true).contains("Path=/account"));
    }
}
