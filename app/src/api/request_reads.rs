//! What one request has read already, so that the parts of a page rendered together read each
//! thing once.
//!
//! A signed-in page renders the shell (header counter, notices, pricing buttons) and, on the
//! dashboard, `/generate` and `/account`, the whole usage summary: two server functions called
//! in the same server render. Each read the usage summary and the subscription on its own —
//! nine statements per dashboard, four of them repeats (each statement is also a hand-off to
//! SQLite's connection thread and back). Here they share one read: the first asks the
//! database, the second waits for it and gets the same answer, so both parts also show the
//! same numbers; `/tutors` and `/accounts` read theirs through it too
//! (`billing_state::member_reads`). A server function called by the browser is a request of its
//! own and reads afresh. Outside a request (tests, the CLI) nothing is shared.
//!
//! The account (subscription) is read before the usage, and its read includes the kept-plan
//! check, which may end a kept plan (a write that changes the limits): every part of the page
//! then reads the usage after that check, never the old plan's limits beside the new plan's
//! name.

use crate::domain::{Subscription, UsageSummary};
use leptos::prelude::{provide_context, use_context};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Mutex;

/// The reads of one request. Cloning shares them.
#[derive(Clone, Default)]
pub struct RequestReads {
    usage: Arc<Mutex<Option<UsageSummary>>>,
    account: Arc<Mutex<Option<Account>>>,
}

/// A signed-in user's subscription as it stands after the kept-plan check, whether it is a
/// live one at the payment provider (then plan changes go through the portal; see
/// `provider_subscription::has_live_paid_subscription`), and the sentence the shell shows
/// while an old plan is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    pub subscription: Option<Subscription>,
    pub holds_subscription: bool,
    pub kept_plan_notice: Option<String>,
}

/// Gives each request its own reads (`leptos_routes_with_context` calls it per request).
pub fn provide() {
    provide_context(RequestReads::default());
}

impl RequestReads {
    /// This request's reads, or fresh ones outside a request.
    pub fn current() -> Self {
        use_context().unwrap_or_default()
    }

    /// The caller's usage summary, read once per request.
    pub async fn usage<E, F>(&self, read: F) -> Result<UsageSummary, E>
    where
        F: Future<Output = Result<UsageSummary, E>>,
    {
        once(&self.usage, read).await
    }

    /// The user's account, read (and its kept plan checked) once per request. Read it before
    /// the usage: the check may change the limits the usage is counted against.
    pub async fn account<E, F>(&self, read: F) -> Result<Account, E>
    where
        F: Future<Output = Result<Account, E>>,
    {
        once(&self.account, read).await
    }
}

/// The value in `slot`, or `read`'s, kept there. The lock is held while reading, so a second
/// reader of the same request waits for the first instead of asking the database again.
async fn once<T: Clone, E>(
    slot: &Mutex<Option<T>>,
    read: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    let mut held = slot.lock().await;
    if let Some(value) = held.as_ref() {
        return Ok(value.clone());
    }
    let value = read.await?;
    *held = Some(value.clone());
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_value_is_read_once_and_an_error_is_not_kept() {
        let slot = Mutex::new(None);
        let reads = AtomicUsize::new(0);
        let read = || async {
            reads.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(7)
        };
        assert_eq!(
            once(&slot, async { Err::<i32, _>("down") }).await,
            Err("down")
        );
        assert_eq!(once(&slot, read()).await, Ok(7));
        assert_eq!(once(&slot, read()).await, Ok(7));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn the_account_is_read_once_per_request_and_requests_do_not_share() {
        let kept = Account {
            subscription: None,
            holds_subscription: false,
            kept_plan_notice: Some("kept".into()),
        };
        let first = RequestReads::default();
        let answer = first.account(async { Ok::<_, ()>(kept.clone()) });
        assert_eq!(answer.await, Ok(kept.clone()));
        let shared = first.clone();
        let again = shared.account(async { Err::<Account, _>(()) });
        assert_eq!(again.await, Ok(kept), "the first answer is kept");
        let other = RequestReads::default();
        let fresh = other.account(async { Err::<Account, _>(()) });
        assert_eq!(fresh.await, Err(()), "another request reads afresh");
    }
}
