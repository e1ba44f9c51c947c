//! What the access module tells the rest of the server after it happened, without knowing who
//! listens (billing mails a buyer whose credits run low). A broadcast channel: a listener that
//! falls far behind loses the oldest events (logged), which only ever costs a notification —
//! never a charge, which is decided and stored before its event is sent.

use crate::domain::FeatureId;
use tokio::sync::broadcast;

/// How many events wait for a slow listener before the oldest are dropped.
const BUFFER: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessEvent {
    /// A use left a user's bought credits of `feature` at `left`, crossing the "running low"
    /// line (`domain::low_credits`).
    CreditsLow {
        user_id: i64,
        feature: FeatureId,
        left: u64,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Events(broadcast::Sender<AccessEvent>);

impl Default for Events {
    fn default() -> Self {
        Self(broadcast::channel(BUFFER).0)
    }
}

impl Events {
    /// Sends to whoever listens now; nobody listening is fine.
    pub(super) fn send(&self, event: AccessEvent) {
        let _ = self.0.send(event);
    }

    pub(super) fn subscribe(&self) -> broadcast::Receiver<AccessEvent> {
        self.0.subscribe()
    }
}
