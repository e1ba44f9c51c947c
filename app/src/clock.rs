//! The one clock every service reads. It is the system clock shifted by an offset, so tests
//! (and QA) can put a running server at any moment — "trial ends", "grace period over",
//! "period renews" — and drive it through real HTTP, with time still flowing from there. Every
//! handle cloned from one clock shares its offset.
//!
//! It travels inside the database handle (`Db::now`): every timestamp the product keeps is
//! one the database stores or compares, and every service that needs the time already holds
//! the `Db`.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Seconds since the Unix epoch as the system says (timestamps are stored as such, see
/// docs/architecture.md). Services read [`Clock::now`] instead.
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// Now, in Unix seconds.
    pub fn now(&self) -> i64 {
        system_now() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves the clock so that it reads `at` now.
    pub fn set(&self, at: i64) {
        self.offset.store(at - system_now(), Ordering::Relaxed);
    }

    /// Moves the clock `secs` seconds forward (or back, when negative).
    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_can_be_set_and_advanced_and_its_clones_follow() {
        let clock = Clock::default();
        assert!((clock.now() - system_now()).abs() <= 1);
        let shared = clock.clone();
        clock.set(1_000_000);
        assert!((shared.now() - 1_000_000).abs() <= 1);
        shared.advance(86_400);
        assert!((clock.now() - 1_086_400).abs() <= 1);
    }
}
