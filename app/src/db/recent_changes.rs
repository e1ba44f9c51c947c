//! Which subjects changed in the last few minutes, as this process heard them: so a live page
//! that connects a moment after it was rendered can learn whether something changed in between
//! (a webhook landing just after the checkout redirect, a generation in another tab) instead of
//! showing the render's numbers until the next change.
//!
//! Times are the app clock's seconds, the same clock that stamped the page's `as_of`. A change
//! is heard a little after it committed (SQLite's poll, another process's NOTIFY) and clocks of
//! two processes can differ a little, so "since" reaches [`SKEW_SECS`] back: an extra read is
//! cheap, a missed change is a wrong number on screen.

use std::collections::HashMap;
use std::sync::Arc;

/// How long a subject's last change is remembered; a page older than this is told to look again.
pub const REMEMBERED_SECS: i64 = 300;
/// How far before a page's `as_of` a change still counts as possibly after it.
pub const SKEW_SECS: i64 = 2;
/// How often forgotten entries are dropped.
const PRUNE_EVERY_SECS: i64 = 60;

/// The last change heard per subject (pure; the feed holds it behind a lock).
#[derive(Debug, Clone)]
pub struct RecentChanges {
    last_change: HashMap<Arc<str>, i64>,
    /// When everything may have changed unheard: the watch's start or a lost connection.
    everyone_at: i64,
    pruned_at: i64,
}

impl RecentChanges {
    /// Before the watch has heard anything, everything may have changed.
    pub fn new(now: i64) -> Self {
        Self {
            last_change: HashMap::new(),
            everyone_at: now,
            pruned_at: now,
        }
    }

    /// Records a change of `subject` (its key) heard at `now`.
    pub fn subject_changed(&mut self, subject: Arc<str>, now: i64) {
        self.last_change.insert(subject, now);
        self.prune(now);
    }

    /// Records that changes may have been missed at `now`.
    pub fn everyone_changed(&mut self, now: i64) {
        self.everyone_at = now;
        self.prune(now);
    }

    /// Whether `subject`'s state may have changed after a page rendered at `since` was read.
    pub fn changed_since(&self, subject: &str, since: i64, now: i64) -> bool {
        // A moment ahead of this clock is no moment a page read its state at.
        let since = since.min(now);
        let after = since.saturating_sub(SKEW_SECS);
        since < now.saturating_sub(REMEMBERED_SECS) + SKEW_SECS
            || self.everyone_at >= after
            || self.last_change.get(subject).is_some_and(|&at| at >= after)
    }

    fn prune(&mut self, now: i64) {
        if now - self.pruned_at < PRUNE_EVERY_SECS {
            return;
        }
        self.pruned_at = now;
        self.last_change
            .retain(|_, at| *at >= now - REMEMBERED_SECS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 1_000_000;

    fn heard_since_start() -> RecentChanges {
        RecentChanges::new(START)
    }

    #[test]
    fn a_page_rendered_before_the_watch_began_looks_again() {
        let recent = heard_since_start();
        assert!(recent.changed_since("u:1", START - 10, START + 1));
    }

    #[test]
    fn a_change_after_the_render_is_told_and_only_to_its_subject() {
        let mut recent = heard_since_start();
        let rendered = START + 100;
        recent.subject_changed("u:1".into(), rendered + 1);
        assert!(recent.changed_since("u:1", rendered, rendered + 2));
        assert!(!recent.changed_since("u:2", rendered, rendered + 2));
    }

    #[test]
    fn a_change_well_before_the_render_is_not_told_but_one_within_the_skew_is() {
        let mut recent = heard_since_start();
        recent.subject_changed("u:1".into(), START + 50);
        assert!(!recent.changed_since("u:1", START + 100, START + 101));
        assert!(recent.changed_since("u:1", START + 51, START + 101));
    }

    #[test]
    fn any_since_is_safe_and_one_from_the_future_counts_as_now() {
        let mut recent = heard_since_start();
        recent.subject_changed("u:1".into(), START + 100);
        assert!(recent.changed_since("u:1", i64::MIN, START + 101));
        assert!(
            recent.changed_since("u:1", i64::MAX, START + 101),
            "a future since is now"
        );
        assert!(!recent.changed_since("u:2", i64::MAX, START + 200));
    }

    #[test]
    fn a_lost_connection_makes_everyone_look_again() {
        let mut recent = heard_since_start();
        recent.everyone_changed(START + 200);
        assert!(recent.changed_since("u:9", START + 199, START + 201));
        assert!(!recent.changed_since("u:9", START + 250, START + 251));
    }

    #[test]
    fn a_page_older_than_the_memory_looks_again_and_old_entries_are_dropped() {
        let mut recent = heard_since_start();
        recent.subject_changed("u:1".into(), START + 10);
        let later = START + 10 + REMEMBERED_SECS + PRUNE_EVERY_SECS;
        recent.subject_changed("u:2".into(), later);
        assert!(!recent.last_change.contains_key("u:1"), "forgotten");
        assert!(
            recent.changed_since("u:1", START + 20, later),
            "too old to know"
        );
        assert!(!recent.changed_since("u:1", later - 5, later));
    }
}
