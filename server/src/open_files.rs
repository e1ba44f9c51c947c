//! The process's open-file limit, raised at start-up to what the system allows.
//!
//! Every client connection, every database connection and SQLite's files and WAL are file
//! descriptors. Many systems start services with a soft limit of 1,024 while allowing far more
//! (the hard limit): under load such a server would refuse connections with "too many open
//! files" long before it runs out of anything real. Raising the soft limit to the hard one is
//! what a well-behaved server does (nginx's `worker_rlimit_nofile`, Go's runtime at start);
//! it needs no privileges and cannot go beyond what the administrator allowed.

/// Raises the soft limit on open files to the hard limit; says what it is now. A failure is
/// logged and the server carries on with the limit it had.
pub fn raise_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            tracing::info!(limit, "open-file limit");
            Some(limit)
        }
        Err(error) => {
            tracing::warn!(%error, "the open-file limit could not be raised");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use rlimit::Resource;

    #[test]
    fn the_soft_limit_is_raised_to_the_hard_one() {
        let (_, hard) = Resource::NOFILE.get().expect("the limits can be read");
        // Started the way many systems start a service: a low soft limit under a high hard one.
        Resource::NOFILE
            .set(hard.min(256), hard)
            .expect("lowering the soft limit needs no privileges");
        let raised = super::raise_limit().expect("raising within the hard limit needs none either");
        let (now, _) = Resource::NOFILE.get().expect("the limits can be read");
        assert_eq!(now, raised);
        // Linux never has an unlimited hard limit (it refuses one above `fs.nr_open`); where a
        // system has one (macOS), the crate raises to the most a process may open.
        assert!(now == hard || hard == rlimit::INFINITY, "{now} of {hard}");
        assert!(now >= hard.min(1_024), "{now}");
        // The limit is left raised: the test binary runs with what `tollgate serve` would have.
    }
}
