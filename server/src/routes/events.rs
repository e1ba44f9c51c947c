//! `GET /api/events`: server-sent events telling one browser tab that the caller's usage,
//! credits, plan or standing changed — by another tab, an API-key call, a webhook, an operator
//! command or another server process (`app::db::changes`). Events carry no state, only
//! "look again": the page re-reads it through the same server function that rendered it, so
//! this stream cannot show anything the caller could not read anyway.
//!
//! A stream lasts at most [`MAX_STREAM_LIFE`]; the browser's `EventSource` then reconnects,
//! which checks the session again (a signed-out or revoked session gets a 401 and stops).

use super::api_error::ApiFailure;
use super::usage::identify_reader;
use app::access::Subject;
use app::auth::Viewer;
use app::db::changes::Change;
use app::generation::in_flight::Slot;
use app::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;
use tokio::time::Instant;

const ROUTE: &str = "/api/events";

/// Live pages one subject may keep open in one process (tabs, windows, devices).
pub const MAX_LIVE_PAGES_PER_USER: usize = 12;
/// After this a stream ends and the browser reconnects, re-checking the session.
const MAX_STREAM_LIFE: Duration = Duration::from_secs(30 * 60);
/// Changes arriving this close together are told as one (a burst of generations).
const COALESCE: Duration = Duration::from_millis(150);
/// A comment line this often keeps proxies from closing a quiet stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Every event's data. Events carry no state, but browsers drop an event whose data is empty.
const NO_STATE: &str = "{}";
/// What the browser waits before reconnecting after the stream ended or broke.
const RETRY: Duration = Duration::from_secs(3);

pub async fn events(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let caller = identify_reader(&state, &viewer, &headers, ROUTE).await?;
    if caller.subject == Subject::UnnamedGuest {
        return Err(ApiFailure::Refused(
            StatusCode::UNAUTHORIZED,
            "Sign in (or write something first) to get live updates of your usage.".into(),
        ));
    }
    let subject = caller.subject.key();
    let slot = state
        .live_pages
        .try_start(&subject)
        .ok_or_else(|| ApiFailure::Busy {
            error: format!(
                "You already have {MAX_LIVE_PAGES_PER_USER} pages following live updates. Close a \
             tab or two; the others keep working and show the latest numbers when reloaded."
            ),
            retry_after: 60,
        })?;
    let live = Live {
        subject,
        changes: state.changes.subscribe(),
        ends_at: Instant::now() + MAX_STREAM_LIFE,
        greeted: false,
        _slot: slot,
    };
    Ok(Sse::new(live.into_stream())
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response())
}

/// One open stream: whose changes it follows, and until when.
struct Live {
    subject: String,
    changes: Receiver<Change>,
    ends_at: Instant,
    greeted: bool,
    /// Counts this stream against the subject's cap until it is dropped (the client left).
    _slot: Slot,
}

impl Live {
    fn into_stream(self) -> impl Stream<Item = Result<Event, Infallible>> {
        stream::unfold(self, |mut live| async move {
            let event = live.next_event().await?;
            Some((Ok(event), live))
        })
    }

    /// `ready` first (the page knows it is connected), then `changed` for each change of this
    /// subject; `None` ends the stream.
    async fn next_event(&mut self) -> Option<Event> {
        if !self.greeted {
            self.greeted = true;
            return Some(Event::default().event("ready").data(NO_STATE).retry(RETRY));
        }
        loop {
            let change = tokio::time::timeout_at(self.ends_at, self.changes.recv())
                .await
                .ok()?;
            let concerns = match change {
                Ok(change) => change.concerns(&self.subject),
                // Fell behind: something of ours may be among what was dropped.
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => return None,
            };
            if concerns {
                self.skip_burst().await;
                return Some(Event::default().event("changed").data(NO_STATE));
            }
        }
    }

    /// Lets the rest of a burst arrive and drops it: one "changed" tells it all.
    async fn skip_burst(&mut self) {
        tokio::time::sleep(COALESCE).await;
        while let Ok(_) | Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_)) =
            self.changes.try_recv()
        {}
    }
}
