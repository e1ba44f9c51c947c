//! Carries a generation's text from the generator to the HTTP response.
//!
//! One task drives the generator and hands the chunks to the response. With `keep` (the client
//! chose the Idempotency-Key) the task carries on after the client hangs up and hands the whole
//! text to `keep`, so a retry with that key can read it; without, a hang-up ends the
//! generation. An error in the middle calls `on_failure` (the refund), then aborts the
//! response, so the client sees a failed transfer rather than a text that merely stops.

use app::generation::TextStream;
use axum::body::Bytes;
use futures_util::{Stream, StreamExt};
use std::future::Future;

/// How many chunks may wait for a slow client before the generator is paused.
const BUFFERED_CHUNKS: usize = 32;

/// `hold` lives as long as the generation (the caller's in-flight slot): it is dropped when
/// the task ends, whether the text finished, failed, or the client left.
pub fn relay<Fail, FailDone, Keep, KeepDone, Hold>(
    mut text: TextStream,
    on_failure: Fail,
    keep: Option<Keep>,
    hold: Hold,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static
where
    Hold: Send + 'static,
    Fail: FnOnce() -> FailDone + Send + 'static,
    FailDone: Future<Output = ()> + Send,
    Keep: FnOnce(String) -> KeepDone + Send + 'static,
    KeepDone: Future<Output = ()> + Send,
{
    let (sender, receiver) = tokio::sync::mpsc::channel(BUFFERED_CHUNKS);
    tokio::spawn(async move {
        let _hold = hold;
        let mut kept = keep.map(|keep| (keep, String::new()));
        while let Some(chunk) = text.next().await {
            match chunk {
                Ok(chunk) => {
                    if let Some((_, whole)) = kept.as_mut() {
                        whole.push_str(&chunk);
                    }
                    let hung_up = sender.send(Ok(Bytes::from(chunk))).await.is_err();
                    if hung_up && kept.is_none() {
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the generator failed mid-stream");
                    on_failure().await;
                    let failed = std::io::Error::other("generation failed; not counted");
                    let _ = sender.send(Err(failed)).await;
                    return;
                }
            }
        }
        if let Some((keep, whole)) = kept {
            keep(whole).await;
        }
        // `sender` is dropped here, so the response ends only once the text is kept.
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    })
}
