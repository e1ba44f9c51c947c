//! The address a request came from, for per-IP limits (magic links, OAuth starts, new guests)
//! and for what only this machine may see (the dev mailbox).
//!
//! Behind reverse proxies the TCP peer is the nearest proxy, and every user would share its
//! limits. `TRUSTED_PROXIES` lists the proxies' addresses or CIDR ranges. `X-Forwarded-For` is
//! read only when the peer itself is one of them; then its entries are walked from the right
//! (each proxy appends what it saw), skipping our own proxies, and the first address that is
//! not one of ours is the client. Entries further left were written by the client and are never
//! believed; a request straight from anyone else is judged by its peer address alone, whatever
//! headers it sends.

use crate::site::Site;
use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// Extracts the client's address under the site's `TRUSTED_PROXIES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    Arc<Site>: FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let site = Arc::<Site>::from_ref(state);
        Ok(ClientIp(client_ip(
            peer_of(parts),
            &parts.headers,
            &site.trusted_proxies,
        )))
    }
}

/// Whether a request certainly comes from a person on this machine, talking to the server
/// directly: the TCP peer is loopback, nothing relayed it (no `Forwarded`, `X-Forwarded-For`
/// or `X-Real-IP`), and it was addressed to a loopback name. A tunnel or a proxy on the same
/// host (every internet visitor would arrive from 127.0.0.1) and DNS rebinding (a page on
/// `evil.example` resolving to 127.0.0.1 sends `Host: evil.example`) are therefore not local.
pub fn is_local_request(parts: &Parts) -> bool {
    let relayed = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|h| parts.headers.contains_key(*h));
    let host = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()));
    peer_of(parts).to_canonical().is_loopback()
        && !relayed
        && host.is_some_and(|h| is_loopback_host(&h))
}

/// `localhost`, `127.0.0.1`, `[::1]` (any port).
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// The TCP peer; served without connect info (never by `tollgate serve`): one shared unknown
/// address, which is neither local nor a proxy.
pub fn peer_of(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip())
}

/// The client's address: the peer, unless the peer is a trusted proxy (see the module doc).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| {
        let ip = ip.to_canonical();
        trusted.iter().any(|net| net.contains(&ip))
    };
    if !is_trusted(peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        // An entry our proxy could not have written: stop at the last address we believe.
        let Some(ip) = parse_entry(entry) else {
            return client;
        };
        client = ip;
        if !is_trusted(ip) {
            return ip;
        }
    }
    client
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

/// `TRUSTED_PROXIES`: addresses or CIDR ranges separated by commas or spaces
/// (`10.0.0.0/8, 127.0.0.1, ::1`). The error is the sentence for the start-up line.
pub fn parse_trusted_proxies(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split([',', ' '])
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| {
                    if entry.parse::<u32>().is_ok() {
                        format!("`{entry}` is a count, but proxies are now named by address: list them, e.g. TRUSTED_PROXIES=10.0.0.0/8,127.0.0.1")
                    } else {
                        format!("`{entry}` is not an IP address or CIDR range like 10.0.0.0/8")
                    }
                })
        })
        .collect()
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

    fn proxies(raw: &str) -> Vec<IpNet> {
        parse_trusted_proxies(raw).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let h = headers(&["203.0.113.9"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, &[]), ip("10.0.0.2"));
    }

    #[test]
    fn the_header_is_believed_only_from_a_listed_proxy() {
        let h = headers(&["203.0.113.9"]);
        let ours = proxies("10.0.0.0/24");
        assert_eq!(client_ip(ip("10.0.0.2"), &h, &ours), ip("203.0.113.9"));
        // Anyone else sending the header is judged by their own address.
        assert_eq!(client_ip(ip("198.51.100.7"), &h, &ours), ip("198.51.100.7"));
    }

    #[test]
    fn our_proxies_are_skipped_from_the_right_and_client_entries_never_believed() {
        let ours = proxies("10.0.0.0/8, 127.0.0.1");
        // forged, client, inner proxy
        let h = headers(&["1.1.1.1, 203.0.113.9", "10.0.0.7"]);
        assert_eq!(client_ip(ip("127.0.0.1"), &h, &ours), ip("203.0.113.9"));
    }

    #[test]
    fn a_missing_or_unreadable_header_falls_back_to_the_last_believed_address() {
        let ours = proxies("10.0.0.2");
        assert_eq!(
            client_ip(ip("10.0.0.2"), &headers(&[]), &ours),
            ip("10.0.0.2")
        );
        let h = headers(&["203.0.113.9, not-an-ip, 10.0.0.9"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, &ours), ip("10.0.0.9"));
    }

    #[test]
    fn entries_with_ports_and_brackets_are_read() {
        let ours = proxies("10.0.0.2");
        let h = headers(&["203.0.113.9:51000"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, &ours), ip("203.0.113.9"));
        let h = headers(&["[2001:db8::7]:443"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, &ours), ip("2001:db8::7"));
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_ranges() {
        let ours = proxies("127.0.0.1");
        let h = headers(&["203.0.113.9"]);
        assert_eq!(
            client_ip(ip("::ffff:127.0.0.1"), &h, &ours),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_setting_takes_addresses_and_ranges_and_refuses_counts() {
        assert_eq!(proxies("").len(), 0);
        assert_eq!(proxies("10.0.0.0/8 ::1,192.168.1.5").len(), 3);
        let err = parse_trusted_proxies("1").unwrap_err();
        assert!(err.contains("count") && err.contains("10.0.0.0/8"), "{err}");
        assert!(parse_trusted_proxies("10.0.0.0/33").is_err());
        assert!(parse_trusted_proxies("proxy.local").is_err());
    }

    fn parts(peer: &str, host: &str, extra: &[(&str, &str)]) -> Parts {
        let mut request = axum::http::Request::builder()
            .uri("/dev/mailbox")
            .header("host", host);
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        let peer: SocketAddr = format!("{peer}:50000").parse().unwrap();
        parts.extensions.insert(ConnectInfo(peer));
        parts
    }

    #[test]
    fn a_local_request_is_direct_from_loopback_to_a_loopback_name() {
        assert!(is_local_request(&parts("127.0.0.1", "127.0.0.1:3000", &[])));
        assert!(is_local_request(&parts("127.0.0.1", "localhost:3000", &[])));
        assert!(is_local_request(&parts("[::1]", "[::1]:3000", &[])));
        // DNS rebinding: loopback peer, foreign name.
        assert!(!is_local_request(&parts(
            "127.0.0.1",
            "evil.example:3000",
            &[]
        )));
        // A tunnel or proxy on this host relays internet visitors from 127.0.0.1.
        for header in ["x-forwarded-for", "forwarded", "x-real-ip"] {
            let relayed = parts("127.0.0.1", "localhost:3000", &[(header, "203.0.113.9")]);
            assert!(!is_local_request(&relayed), "{header}");
        }
        assert!(!is_local_request(&parts(
            "192.168.1.5",
            "localhost:3000",
            &[]
        )));
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
