//! Answers to a request whose Idempotency-Key was used before: it never runs the model again.
//! A finished generation is sent again as it was; otherwise the client learns why, and that a
//! new key starts a new (counted) generation.

use super::super::api_error::ApiFailure;
use super::text_response;
use app::access::Subject;
use app::domain::{Decision, FeatureId, IdempotencyKey};
use app::generation::results::{self, Kept};
use app::state::AppState;
use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;

const ROUTE: &str = "/api/generate";

pub async fn replayed(
    state: &AppState,
    subject: &Subject,
    generations: &FeatureId,
    key: &IdempotencyKey,
    prompt: &str,
    now: &Decision,
) -> Result<Response, ApiFailure> {
    let kept = results::find(&state.db, subject, key, prompt, state.db.now())
        .await
        .map_err(|e| ApiFailure::internal(ROUTE, e))?;
    match kept {
        Some(Kept::Text(text)) => Ok(text_response(Body::from(text), now, true)),
        Some(Kept::OtherPrompt) => Err(ApiFailure::Refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This Idempotency-Key was already used for a different prompt. \
             Send a new Idempotency-Key for a new request."
                .into(),
        )),
        None => Err(not_kept(state, subject, generations, key).await),
    }
}

/// A key whose generation failed and was refunded: it will never produce a text.
pub fn refunded() -> ApiFailure {
    ApiFailure::Refused(
        StatusCode::CONFLICT,
        "The generation sent with this Idempotency-Key failed and was not counted. \
         Send a new Idempotency-Key to try again."
            .into(),
    )
}

/// A key charged before whose text is not (or no longer) kept: still running, or sent too
/// late for a replay. A late key is told so plainly — it will never work again — rather than
/// hearing "still running" forever.
async fn not_kept(
    state: &AppState,
    subject: &Subject,
    generations: &FeatureId,
    key: &IdempotencyKey,
) -> ApiFailure {
    match state.access.charged_at(subject, generations, key).await {
        Ok(Some(at)) if state.db.now() - at >= results::KEPT_FOR_SECS => ApiFailure::Refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This Idempotency-Key was used more than 24 hours ago; its text is no longer kept and \
             the key cannot be used again. Send a new Idempotency-Key to generate again."
                .into(),
        ),
        Ok(_) => ApiFailure::Refused(
            StatusCode::CONFLICT,
            "A generation with this Idempotency-Key is still running, or did not finish (it was \
             counted once). Try again in a moment, or send a new Idempotency-Key to generate again."
                .into(),
        ),
        Err(e) => ApiFailure::internal(ROUTE, e),
    }
}
