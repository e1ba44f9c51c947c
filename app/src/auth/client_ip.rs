//! The address a request came from, for per-IP limits (magic links, new guests).
//!
//! Behind reverse proxies the TCP peer is the nearest proxy, and every user would share its
//! limits. `TRUSTED_PROXIES` says how many proxies of ours stand in front; each appends the
//! address it saw to `X-Forwarded-For`, so the client is the entry that many places from the
//! right. Entries further left were written by the client and are never believed; so the app's
//! own port must not be reachable except through those proxies when `TRUSTED_PROXIES` > 0.

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
    // Fewer entries than proxies means a proxy was bypassed: every entry may then be the
    // client's own words, so only the peer is believed.
    let Some(index) = forwarded.len().checked_sub(trusted_proxies) else {
        return peer;
    };
    forwarded
        .get(index)
        .and_then(|raw| parse_entry(raw))
        .unwrap_or(peer)
}

/// An `X-Forwarded-For` entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:443`.
fn parse_entry(raw: &str) -> Option<IpAddr> {
    if let Ok(ip) = raw.parse() {
        return Some(ip);
    }
    if let Ok(addr) = raw.parse::<SocketAddr>() {
        return Some(addr.ip());
    }
    raw.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse().ok())
}

/// The key of an address in per-IP limits: an IPv4 address as it is (IPv4-mapped IPv6
/// included), an IPv6 address by its /64 — one subscriber usually holds a whole /64 and could
/// otherwise use a new address for every request.
pub fn limit_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
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
    fn a_missing_short_or_unreadable_header_falls_back_to_the_peer() {
        assert_eq!(client_ip(ip("10.0.0.2"), &headers(&[]), 1), ip("10.0.0.2"));
        let h = headers(&["not-an-ip"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, 1), ip("10.0.0.2"));
        // Two proxies promised, one entry: a proxy was bypassed, the entry may be forged.
        let short = headers(&["2001:db8::1"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &short, 2), ip("10.0.0.2"));
    }

    #[test]
    fn entries_with_ports_and_brackets_are_read() {
        let h = headers(&["203.0.113.9:51000"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, 1), ip("203.0.113.9"));
        let h = headers(&["[2001:db8::7]:443"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, 1), ip("2001:db8::7"));
    }

    #[test]
    fn limits_key_ipv6_by_its_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(limit_key(ip("203.0.113.9")), "203.0.113.9");
        assert_eq!(limit_key(ip("::ffff:203.0.113.9")), "203.0.113.9");
        assert_eq!(
            limit_key(ip("2001:db8:1:2:aaaa::1")),
            limit_key(ip("2001:db8:1:2:ffff:1:2:3"))
        );
        assert_eq!(limit_key(ip("2001:db8:1:2::1")), "2001:db8:1:2::/64");
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
    }
}
