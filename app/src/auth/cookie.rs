//! The session cookie: reading it from a request and writing `Set-Cookie` values.

use axum::http::HeaderMap;

pub const SESSION_COOKIE: &str = "tollgate_session";

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

/// `HttpOnly` (scripts cannot read it), `SameSite=Lax` (not sent on cross-site POSTs), and
/// `Secure` whenever the site is served over https.
pub fn set(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", 0, secure)
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
        assert_eq!(read(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(read(&headers, "missing"), None);
    }

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_on_https() {
        assert_eq!(
            set("s", "v", 60, true),
            "s=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        assert!(!set("s", "v", 60, false).contains("Secure"));
        assert!(clear("s", false).contains("Max-Age=0"));
    }
}
