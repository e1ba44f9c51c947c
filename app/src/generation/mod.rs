//! Text generation behind a trait of ours: an OpenAI-compatible HTTP client when
//! `OPENAI_API_KEY`/`OPENAI_BASE_URL` are set, else a built-in demo that streams plausible text,
//! so the product runs offline.

pub mod demo;
pub mod in_flight;
pub mod openai;
pub mod results;
mod sse;

use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use std::fmt::Debug;

pub use demo::DemoGenerator;
pub use openai::OpenAiGenerator;

/// One generation: the prompt and the plan's `max_tokens`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerationRequest {
    pub prompt: String,
    pub max_tokens: u64,
}

/// Why the generator failed; shown to people only as "not counted, try again".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerationError {
    #[error("the model service could not be reached: {0}")]
    Unreachable(String),
    #[error("the model service answered {status}: {body}")]
    Upstream { status: u16, body: String },
    #[error("the model service sent something unreadable: {0}")]
    Malformed(String),
}

/// Text as it arrives, chunk by chunk; an `Err` item ends the stream.
pub type TextStream = BoxStream<'static, Result<String, GenerationError>>;

pub trait Generator: Send + Sync + Debug {
    /// Starts a generation. Resolves once the upstream accepted the request (so a refusal is
    /// known before any text is sent to the client), then streams the text.
    fn generate(
        &self,
        request: GenerationRequest,
    ) -> BoxFuture<'static, Result<TextStream, GenerationError>>;
}
