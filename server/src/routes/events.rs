//! `GET /api/events`: server-sent events telling one browser tab that the caller's usage,
//! credits, plan or standing changed — by another tab, an API-key call, a webhook, an operator
//! command or another server process (`app::db::changes`). Events carry no state, only
//! "look again": the page re-reads it through the same server function that rendered it, so
//! this stream cannot show anything the caller could not read anyway.
//!
//! A page asks with `?since=<as_of>`, the moment its shown state was read: when the process
//! heard a change of the caller since then (made between the render and the connection, or
//! while a hidden tab had its stream closed), the first event after `ready` is `changed`.
//!
//! A stream lasts at most [`MAX_STREAM_LIFE`]; the browser's `EventSource` then reconnects,
//! which checks the session again (a signed-out or revoked session gets a 401 and stops).

use super::api_error::ApiFailure;
use super::usage::identify_reader;
use app::access::Subject;
use app::auth::client_ip::ClientIp;
use app::auth::Viewer;
use app::db::changes::Change;
use app::live_pages::{Full, LivePage, PER_SUBJECT};
use app::state::AppState;
use axum::extract::{RawQuery, State};
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
    ClientIp(address): ClientIp,
    RawQuery(query): RawQuery,
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
    let place = state
        .live_pages
        .try_open(&subject, address)
        .map_err(|full| ApiFailure::Busy {
            error: refusal(full),
            retry_after: 60,
        })?;
    // Listening before asking what was heard: a change is then in one or the other.
    let changes = state.changes.subscribe();
    let behind = since(query.as_deref())
        .is_none_or(|since| state.changes.changed_since(&subject, since, state.db.now()));
    let live = Live {
        subject,
        changes,
        ends_at: Instant::now() + MAX_STREAM_LIFE,
        greeted: false,
        behind,
        _place: place,
    };
    Ok(Sse::new(live.into_stream())
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response())
}

/// What a page that cannot follow live updates is told (it keeps working without them).
fn refusal(full: Full) -> String {
    let rest = "the others keep working and show the latest numbers when reloaded.";
    match full {
        Full::Subject => format!(
            "You already have {PER_SUBJECT} pages following live updates. Close a tab or two; \
             {rest}"
        ),
        Full::Address => format!(
            "Too many pages from your network are following live updates. Close a few tabs; \
             {rest}"
        ),
        Full::Overall => format!(
            "The server is following as many live pages as it can right now. Try again in a \
             minute; {rest}"
        ),
    }
}

/// The `since` of the query string; anything else (absent, unreadable) is "unknown", which
/// makes the page look again.
fn since(query: Option<&str>) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Since {
        since: Option<i64>,
    }
    serde_urlencoded::from_str::<Since>(query?).ok()?.since
}

/// One open stream: whose changes it follows, and until when.
struct Live {
    subject: String,
    changes: Receiver<Change>,
    ends_at: Instant,
    greeted: bool,
    /// The page's state may be older than a change already heard: tell it after `ready`.
    behind: bool,
    /// Counts this stream against the caps until it is dropped (the client left).
    _place: LivePage,
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
        if std::mem::take(&mut self.behind) {
            return Some(Event::default().event("changed").data(NO_STATE));
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
