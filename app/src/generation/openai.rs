//! An OpenAI-compatible chat-completions client (OpenAI, or any server speaking the same API:
//! vLLM, Ollama, LiteLLM…), streaming with `stream: true`.

use super::sse::SseDecoder;
use super::{GenerationError, GenerationRequest, Generator, TextStream};
use futures_util::future::BoxFuture;
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::fmt;
use std::time::Duration;

#[derive(Clone)]
pub struct OpenAiGenerator {
    http: reqwest::Client,
    /// e.g. `https://api.openai.com/v1`, without trailing slash.
    base_url: String,
    api_key: String,
    model: String,
}

impl fmt::Debug for OpenAiGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiGenerator")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &"***")
            .finish()
    }
}

impl OpenAiGenerator {
    pub fn new(base_url: &str, api_key: &str, model: &str) -> Result<Self, GenerationError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            // Whole-response timeout: long generations stream for a while, but not forever.
            .timeout(Duration::from_secs(300))
            .build()
            .map_err(|e| GenerationError::Unreachable(e.to_string()))?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
            model: model.to_owned(),
        })
    }
}

/// The text of one streamed chunk (`choices[0].delta.content`), if any.
fn delta_text(payload: &str) -> Result<Option<String>, GenerationError> {
    let value: Value = serde_json::from_str(payload)
        .map_err(|e| GenerationError::Malformed(format!("{e} in {payload:.80}")))?;
    if let Some(error) = value.get("error") {
        return Err(GenerationError::Upstream {
            status: 200,
            body: error.to_string(),
        });
    }
    Ok(value
        .pointer("/choices/0/delta/content")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned))
}

impl Generator for OpenAiGenerator {
    fn generate(
        &self,
        request: GenerationRequest,
    ) -> BoxFuture<'static, Result<TextStream, GenerationError>> {
        let this = self.clone();
        Box::pin(async move {
            let response = this
                .http
                .post(format!("{}/chat/completions", this.base_url))
                .bearer_auth(&this.api_key)
                .json(&json!({
                    "model": this.model,
                    "messages": [{"role": "user", "content": request.prompt}],
                    "max_tokens": request.max_tokens,
                    "stream": true,
                }))
                .send()
                .await
                .map_err(|e| GenerationError::Unreachable(e.without_url().to_string()))?;
            let status = response.status();
            if !status.is_success() {
                let body = response.text().await.unwrap_or_default();
                return Err(GenerationError::Upstream {
                    status: status.as_u16(),
                    body: body.chars().take(300).collect(),
                });
            }
            let mut decoder = SseDecoder::default();
            let mut done = false;
            let bytes = response.bytes_stream();
            let text = bytes
                .map(move |chunk| -> Vec<Result<String, GenerationError>> {
                    if done {
                        return Vec::new();
                    }
                    let chunk = match chunk {
                        Ok(chunk) => chunk,
                        Err(e) => {
                            return vec![Err(GenerationError::Unreachable(
                                e.without_url().to_string(),
                            ))]
                        }
                    };
                    let mut out = Vec::new();
                    for payload in decoder.push(&chunk) {
                        if payload == "[DONE]" {
                            done = true;
                            break;
                        }
                        match delta_text(&payload) {
                            Ok(Some(text)) => out.push(Ok(text)),
                            Ok(None) => {}
                            Err(e) => {
                                out.push(Err(e));
                                done = true;
                                break;
                            }
                        }
                    }
                    out
                })
                .flat_map(stream::iter);
            Ok(text.boxed())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_carry_the_content_and_errors_are_errors() {
        assert_eq!(
            delta_text(r#"{"choices":[{"delta":{"content":"Hi"}}]}"#),
            Ok(Some("Hi".into()))
        );
        assert_eq!(
            delta_text(r#"{"choices":[{"delta":{"role":"assistant"}}]}"#),
            Ok(None)
        );
        assert!(matches!(
            delta_text(r#"{"error":{"message":"overloaded"}}"#),
            Err(GenerationError::Upstream { .. })
        ));
        assert!(matches!(
            delta_text("not json"),
            Err(GenerationError::Malformed(_))
        ));
    }

    #[test]
    fn debug_hides_the_key() {
        let g = OpenAiGenerator::new("http://x/v1", "sk-secret", "m").unwrap();
        assert!(!format!("{g:?}").contains("sk-secret"));
    }
}
