//! The offline generator: streams a few plausible sentences about the prompt, word by word,
//! never more words than `max_tokens` (one word ≈ one token is close enough for a demo).

use super::{GenerationError, GenerationRequest, Generator, TextStream};
use futures_util::future::BoxFuture;
use futures_util::stream::{self, StreamExt};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct DemoGenerator {
    /// Pause between words, so the UI shows streaming; zero in benchmarks.
    pub word_delay: Duration,
}

impl DemoGenerator {
    pub fn new(word_delay: Duration) -> Self {
        Self { word_delay }
    }
}

const OPENINGS: [&str; 4] = [
    "Here is a first draft about",
    "Let's write something clear and warm about",
    "A short piece on",
    "Some ideas to get you started on",
];

const BODY: [&str; 6] = [
    "Start with the one thing your reader must remember, then say it again in plainer words.",
    "Short sentences carry weight; a longer one can follow when the idea needs room to breathe.",
    "Give a concrete example early, because people trust what they can picture.",
    "Cut every word that does not change the meaning, and read the result aloud.",
    "End with a next step the reader can take today, not a summary of what they just read.",
    "If a paragraph tries to do two jobs, split it in two and give each a clear first line.",
];

/// The whole demo text for a prompt, before the token cap: deterministic, so tests can rely
/// on it, yet different for different prompts.
pub fn demo_text(prompt: &str) -> String {
    let topic: String = prompt
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    let seed = prompt
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
    let mut text = format!("{} \"{}\".", OPENINGS[seed % OPENINGS.len()], topic);
    for i in 0..BODY.len() {
        text.push(' ');
        text.push_str(BODY[(seed + i) % BODY.len()]);
    }
    text
}

impl Generator for DemoGenerator {
    fn generate(
        &self,
        request: GenerationRequest,
    ) -> BoxFuture<'static, Result<TextStream, GenerationError>> {
        let delay = self.word_delay;
        Box::pin(async move {
            let words: Vec<String> = demo_text(&request.prompt)
                .split(' ')
                .take(usize::try_from(request.max_tokens).unwrap_or(usize::MAX))
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 {
                        w.to_owned()
                    } else {
                        format!(" {w}")
                    }
                })
                .collect();
            let stream = stream::iter(words).then(move |word| async move {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                Ok(word)
            });
            Ok(stream.boxed())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn collect(g: &DemoGenerator, prompt: &str, max_tokens: u64) -> String {
        let stream = g
            .generate(GenerationRequest {
                prompt: prompt.into(),
                max_tokens,
            })
            .await
            .unwrap();
        stream
            .map(|chunk| chunk.unwrap())
            .collect::<Vec<_>>()
            .await
            .concat()
    }

    #[tokio::test]
    async fn it_streams_text_about_the_prompt() {
        let g = DemoGenerator::new(Duration::ZERO);
        let text = collect(&g, "a cover letter for a bakery job", 500).await;
        assert!(text.contains("a cover letter for a bakery job"), "{text}");
        assert!(text.split(' ').count() > 40);
    }

    #[tokio::test]
    async fn it_never_exceeds_max_tokens_words() {
        let g = DemoGenerator::new(Duration::ZERO);
        let text = collect(&g, "anything", 7).await;
        assert_eq!(text.split(' ').count(), 7, "{text}");
    }
}
