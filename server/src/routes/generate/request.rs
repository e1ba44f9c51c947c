//! What a `POST /api/generate` asks for, read from the request by an extractor: the prompt
//! (JSON from API clients and the page's script, a urlencoded form from the page without
//! JavaScript) and the Idempotency-Key.

use super::super::api_error::ApiFailure;
use app::api::wire::GenerateRequest;
use app::auth::token::SecretToken;
use app::domain::IdempotencyKey;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap};

/// Prompts longer than this are refused rather than silently cut.
pub const MAX_PROMPT_CHARS: usize = 8_000;

/// A well-formed generation request.
#[derive(Debug, Clone)]
pub struct Asked {
    pub prompt: String,
    pub key: IdempotencyKey,
    /// The client chose the key, so it may send the request again: only then is the text kept
    /// for replays (a random key can never come back).
    pub replayable: bool,
}

impl<S: Send + Sync> FromRequest<S> for Asked {
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiFailure> {
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state).await.map_err(|e| {
            ApiFailure::bad_request(format!("The request body could not be read: {e}"))
        })?;
        let form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let prompt = parse_prompt(&body, form).map_err(ApiFailure::bad_request)?;
        let (key, replayable) = idempotency_key(&headers)?;
        Ok(Asked {
            prompt,
            key,
            replayable,
        })
    }
}

/// The client's `Idempotency-Key`, or a random one that still pairs the charge with its refund.
fn idempotency_key(headers: &HeaderMap) -> Result<(IdempotencyKey, bool), ApiFailure> {
    match headers.get("idempotency-key") {
        Some(raw) => raw
            .to_str()
            .ok()
            .and_then(|raw| IdempotencyKey::parse(raw).ok())
            .map(|key| (key, true))
            .ok_or_else(|| {
                ApiFailure::bad_request(
                    "Idempotency-Key must be 1 to 100 visible ASCII characters (for example a UUID).",
                )
            }),
        None => IdempotencyKey::parse(SecretToken::generate().expose())
            .map(|key| (key, false))
            .map_err(|e| ApiFailure::internal("/api/generate", e)),
    }
}

fn parse_prompt(body: &[u8], form: bool) -> Result<String, String> {
    let parsed: Result<GenerateRequest, ()> = if form {
        serde_urlencoded::from_bytes(body).map_err(|_| ())
    } else {
        serde_json::from_slice(body).map_err(|_| ())
    };
    let parsed = parsed
        .map_err(|()| "Send JSON like {\"prompt\": \"Write a haiku about tea\"}.".to_owned())?;
    let prompt = parsed.prompt.trim();
    if prompt.is_empty() {
        return Err("Write a prompt first: `prompt` is empty.".into());
    }
    if prompt.chars().count() > MAX_PROMPT_CHARS {
        return Err(format!(
            "The prompt is too long: at most {MAX_PROMPT_CHARS} characters."
        ));
    }
    Ok(prompt.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_come_as_json_or_a_form_non_empty_and_bounded() {
        assert_eq!(parse_prompt(br#"{"prompt":" hi "}"#, false).unwrap(), "hi");
        assert_eq!(parse_prompt(b"prompt=a+b%21", true).unwrap(), "a b!");
        assert!(parse_prompt(b"hi", false)
            .unwrap_err()
            .contains("Send JSON"));
        let blank = parse_prompt(br#"{"prompt":"  "}"#, false).unwrap_err();
        assert!(blank.contains("empty"));
        assert!(parse_prompt(br#"{}"#, false).unwrap_err().contains("empty"));
        let long = format!(r#"{{"prompt":"{}"}}"#, "a".repeat(MAX_PROMPT_CHARS + 1));
        let err = parse_prompt(long.as_bytes(), false).unwrap_err();
        assert!(err.contains("too long"));
    }
}
