//! What one request has read already, so that the parts of a page rendered together read each
//! thing once.
//!
//! A signed-in page renders the shell (header counter, notices, pricing buttons) and, on the
//! dashboard, `/generate` and `/account`, the whole usage summary: two server functions called
//! in the same server render. Each read the usage summary and the subscription on its own —
//! nine statements per dashboard, four of them repeats (each statement is also a hand-off to
//! SQLite's connection thread and back). Here they share one read: the first asks the
//! database, the second waits for it and gets the same answer, so both parts also show the
//! same numbers. A server function called by the browser is a request of its own and reads
//! afresh. Outside a request (tests, the CLI) nothing is shared.

use crate::domain::{Subscription, UsageSummary};
use leptos::prelude::{provide_context, use_context};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Mutex;

/// The reads of one request. Cloning shares them.
#[derive(Clone, Default)]
pub struct RequestReads {
    usage: Arc<Mutex<Option<UsageSummary>>>,
    subscription: Arc<Mutex<Option<Option<Subscription>>>>,
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

    /// `me`'s subscription, read once per request.
    pub async fn subscription<E, F>(&self, read: F) -> Result<Option<Subscription>, E>
    where
        F: Future<Output = Result<Option<Subscription>, E>>,
    {
        once(&self.subscription, read).await
    }

    /// Forgets what was read, after this request changed it (a kept plan just ended).
    pub async fn forget(&self) {
        *self.usage.lock().await = None;
        *self.subscription.lock().await = None;
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
    async fn forgetting_reads_again() {
        let reads = RequestReads::default();
        let none = reads.subscription(async { Ok::<_, ()>(None) });
        assert_eq!(none.await, Ok(None));
        let unread = reads.subscription(async { Err::<Option<Subscription>, _>(()) });
        assert_eq!(unread.await, Ok(None), "the first answer is kept");
        reads.forget().await;
        let again = reads.subscription(async { Err::<Option<Subscription>, _>(()) });
        assert_eq!(again.await, Err(()), "forgotten: read again");
    }
}
