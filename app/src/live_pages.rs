//! How many live-update streams (`GET /api/events`) this process keeps open: each holds a
//! connection and a task for up to half an hour, so they are capped per user (tabs, windows,
//! devices), per client address (one machine opening streams for many guests or accounts)
//! and overall (what is left for everything else). A [`LivePage`] holds a place in all three
//! and gives them back when the stream ends, also when the browser simply goes away.

use crate::auth::client_ip::limit_key;
use crate::generation::in_flight::{InFlight, Slot};
use std::net::IpAddr;

/// Streams one subject (user or guest) may keep open in one process.
pub const PER_SUBJECT: usize = 12;
/// Streams one client address may keep open (an office behind one NAT, several users).
pub const PER_ADDRESS: usize = 64;
/// Streams one process keeps open at most.
pub const OVERALL: usize = 10_000;

/// The three caps, shared by every request of the process.
#[derive(Debug, Clone)]
pub struct LivePages {
    per_subject: InFlight,
    per_address: InFlight,
    overall: InFlight,
}

/// One open stream's places; dropping it gives them back.
#[derive(Debug)]
pub struct LivePage {
    _places: [Slot; 3],
}

/// Which cap a new stream would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    Subject,
    Address,
    Overall,
}

impl Default for LivePages {
    fn default() -> Self {
        Self::with_caps(PER_SUBJECT, PER_ADDRESS, OVERALL)
    }
}

impl LivePages {
    pub fn with_caps(per_subject: usize, per_address: usize, overall: usize) -> Self {
        Self {
            per_subject: InFlight::new(per_subject),
            per_address: InFlight::new(per_address),
            overall: InFlight::new(overall),
        }
    }

    /// A place for one more stream of `subject` (its key) from `address`, or the cap it breaks.
    pub fn try_open(&self, subject: &str, address: IpAddr) -> Result<LivePage, Full> {
        // Places taken before a refusal are dropped, so given back, on return.
        let subject = self.per_subject.try_start(subject).ok_or(Full::Subject)?;
        let address = self
            .per_address
            // One IPv6 host has a whole /64 to pick from: counted as one, like every per-IP limit.
            .try_start(&limit_key(address))
            .ok_or(Full::Address)?;
        let overall = self.overall.try_start("").ok_or(Full::Overall)?;
        Ok(LivePage {
            _places: [subject, address, overall],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const OFFICE: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn one_ipv6_host_is_one_address_however_many_it_uses() {
        let pages = LivePages::with_caps(10, 2, 10);
        let host =
            |last: u16| IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0, 0, 0, last));
        let _a = pages.try_open("u:1", host(1)).unwrap();
        let _b = pages.try_open("u:2", host(2)).unwrap();
        assert_eq!(pages.try_open("u:3", host(3)).unwrap_err(), Full::Address);
    }

    #[test]
    fn each_cap_refuses_its_own_excess_and_a_refusal_takes_no_place() {
        let pages = LivePages::with_caps(2, 3, 4);
        let _a = pages.try_open("u:1", HOME).unwrap();
        let _b = pages.try_open("u:1", HOME).unwrap();
        assert_eq!(pages.try_open("u:1", OFFICE).unwrap_err(), Full::Subject);
        let _c = pages.try_open("u:2", HOME).unwrap();
        assert_eq!(pages.try_open("u:3", HOME).unwrap_err(), Full::Address);
        let d = pages.try_open("u:3", OFFICE).unwrap();
        assert_eq!(pages.try_open("u:4", OFFICE).unwrap_err(), Full::Overall);
        drop(d);
        assert!(
            pages.try_open("u:4", OFFICE).is_ok(),
            "a closed stream's places are back"
        );
    }
}
