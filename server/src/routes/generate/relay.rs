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

/// How many chunks may wait for a slow client before the generator is paused — a few hundred
/// tokens, about a kilobyte. Also the most joined into one piece: a text the generator has
/// all ready goes out in one write (32 made the bench's ~70-word text three writes).
const BUFFERED_CHUNKS: usize = 256;

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
    let (sender, mut receiver) = tokio::sync::mpsc::channel(BUFFERED_CHUNKS);
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
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
        .ready_chunks(BUFFERED_CHUNKS)
        .flat_map(|ready| futures_util::stream::iter(as_one_piece(ready)))
}

/// Chunks that were ready together, as one piece of the response: one write to the socket
/// instead of one per chunk when the generator runs ahead of the client (tokens often arrive
/// in bursts). A failure — always the last thing the task sends — follows the text before it.
fn as_one_piece(mut ready: Vec<std::io::Result<Bytes>>) -> Vec<std::io::Result<Bytes>> {
    if ready.len() < 2 {
        return ready;
    }
    let failed = match ready.last() {
        Some(Err(_)) => ready.pop(),
        _ => None,
    };
    let mut text = Vec::new();
    for chunk in ready.into_iter().flatten() {
        text.extend_from_slice(&chunk);
    }
    std::iter::once(Ok(Bytes::from(text)))
        .chain(failed)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(chunks: Vec<std::io::Result<&'static str>>) -> Vec<std::io::Result<Bytes>> {
        chunks.into_iter().map(|c| c.map(Bytes::from)).collect()
    }

    #[test]
    fn chunks_ready_together_go_out_as_one() {
        let pieces = as_one_piece(ready(vec![Ok("Hello"), Ok(" world"), Ok("!")]));
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].as_ref().unwrap(), "Hello world!");
        let alone = as_one_piece(ready(vec![Ok("alone")]));
        assert_eq!(alone[0].as_ref().unwrap(), "alone");
    }

    #[test]
    fn a_failure_ready_behind_text_comes_after_it() {
        let failed = std::io::Error::other("generation failed");
        let pieces = as_one_piece(ready(vec![Ok("text"), Ok(" more"), Err(failed)]));
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].as_ref().unwrap(), "text more");
        assert!(pieces[1].is_err());
    }

    #[tokio::test]
    async fn the_relayed_text_is_whole_and_in_order() {
        let words = ["one", " two", " three"].map(|w| Ok(w.to_owned()));
        let text: app::generation::TextStream = futures_util::stream::iter(words).boxed();
        let body = relay(
            text,
            || async {},
            None::<fn(String) -> std::future::Ready<()>>,
            (),
        );
        let pieces: Vec<Bytes> = body.map(|piece| piece.unwrap()).collect().await;
        assert_eq!(pieces.concat(), b"one two three");
    }
}
