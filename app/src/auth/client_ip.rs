//! The address a request came from, for per-IP limits (magic links, new guests).
//!
//! Behind reverse proxies the TCP peer is the nearest proxy, and every user would share its
//! limits. `TRUSTED_PROXIES` says how many proxies of ours stand in front; each appends the
//! address it saw to `X-Forwarded-For`, so the client is the entry that many places from the
//! right. Entries further left were written by the client and are never believed.

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Extracts the client's address under the site's `TRUSTED_PROXIES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        // Served without connect info (never by `tollgate serve`): one shared unknown address.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        Ok(ClientIp(client_ip(
            peer,
            &parts.headers,
            state.site.trusted_proxies,
        )))
    }
}

pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: usize) -> IpAddr {
    if trusted_proxies == 0 {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    // Fewer entries than proxies means a proxy was bypassed or is misconfigured: the leftmost
    // entry is the best remaining guess, and the peer when there is none.
    let index = forwarded.len().saturating_sub(trusted_proxies);
    forwarded
        .get(index)
        .and_then(|raw| raw.parse().ok())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        map
    }

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let h = headers(&["203.0.113.9"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, 0), ip("10.0.0.2"));
    }

    #[test]
    fn one_proxy_the_last_entry_is_the_client() {
        let h = headers(&["198.51.100.1, 203.0.113.9"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, 1), ip("203.0.113.9"));
    }

    #[test]
    fn two_proxies_skip_the_inner_proxy_even_across_header_lines() {
        let h = headers(&["1.1.1.1, 203.0.113.9", "10.0.0.7"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, 2), ip("203.0.113.9"));
    }

    #[test]
    fn a_missing_or_unreadable_entry_falls_back_safely() {
        assert_eq!(client_ip(ip("10.0.0.2"), &headers(&[]), 1), ip("10.0.0.2"));
        let h = headers(&["not-an-ip"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, 1), ip("10.0.0.2"));
        let short = headers(&["2001:db8::1"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &short, 3), ip("2001:db8::1"));
    }
}
