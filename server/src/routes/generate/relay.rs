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
    futures_util::stream::unfold(
        (receiver, None),
        |(mut receiver, held): (_, Option<std::io::Result<Bytes>>)| async move {
            let first = match held {
                Some(held) => held,
                None => receiver.recv().await?,
            };
            let (joined, held) = join_waiting(first, &mut receiver);
            Some((joined, (receiver, held)))
        },
    )
}

/// `first` with every chunk already waiting behind it, as one piece of the response: one
/// write to the socket instead of one per chunk when the generator runs ahead of the client
/// (tokens often arrive in bursts). A failure waiting behind is held back for the next turn,
/// so the text before it still goes out first.
fn join_waiting(
    first: std::io::Result<Bytes>,
    receiver: &mut tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>,
) -> (std::io::Result<Bytes>, Option<std::io::Result<Bytes>>) {
    let Ok(first) = first else {
        return (first, None);
    };
    let mut joined: Option<Vec<u8>> = None;
    while let Ok(next) = receiver.try_recv() {
        match next {
            Ok(chunk) => joined
                .get_or_insert_with(|| first.to_vec())
                .extend_from_slice(&chunk),
            Err(failed) => {
                let text = joined.map_or(first, Bytes::from);
                return (Ok(text), Some(Err(failed)));
            }
        }
    }
    (Ok(joined.map_or(first, Bytes::from)), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(
        chunks: Vec<std::io::Result<&'static str>>,
    ) -> tokio::sync::mpsc::Receiver<std::io::Result<Bytes>> {
        let (sender, receiver) = tokio::sync::mpsc::channel(8);
        for chunk in chunks {
            sender.try_send(chunk.map(Bytes::from)).unwrap();
        }
        receiver
    }

    #[test]
    fn chunks_already_waiting_go_out_as_one() {
        let mut receiver = waiting(vec![Ok(" world"), Ok("!")]);
        let (joined, held) = join_waiting(Ok(Bytes::from("Hello")), &mut receiver);
        assert_eq!(joined.unwrap(), "Hello world!");
        assert!(held.is_none());
        let (alone, _) = join_waiting(Ok(Bytes::from("alone")), &mut receiver);
        assert_eq!(alone.unwrap(), "alone");
    }

    #[test]
    fn a_failure_waiting_behind_text_comes_after_it() {
        let failed = std::io::Error::other("generation failed");
        let mut receiver = waiting(vec![Ok(" more"), Err(failed), Ok("never")]);
        let (joined, held) = join_waiting(Ok(Bytes::from("text")), &mut receiver);
        assert_eq!(joined.unwrap(), "text more");
        assert!(held.is_some_and(|held| held.is_err()));
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
