//! `POST /api/webhooks/stripe`: the raw body and its `Stripe-Signature` go to the billing
//! service untouched (the signature covers the exact bytes). 2xx for every signed event, new or
//! not; 400 for anything not signed by Stripe; 503 when the effect cannot be made now (Stripe
//! delivers again later).

use super::api_error::ApiFailure;
use app::billing::outcome::Outcome;
use app::billing::webhook::{Received, WebhookError};
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

pub async fn stripe(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiFailure> {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    match state.billing.receive_webhook(&body, signature).await {
        Ok(received) => {
            let outcome = match received {
                Received::Processed(outcome) => outcome,
                Received::Duplicate => Outcome::Duplicate,
                Received::Unreadable => Outcome::Unreadable,
            };
            Ok(Json(
                serde_json::json!({ "received": true, "outcome": outcome.as_str() }),
            ))
        }
        Err(refused @ (WebhookError::NotConfigured | WebhookError::Signature(_))) => {
            tracing::warn!(error = %refused, "refused a webhook delivery");
            Err(ApiFailure::bad_request(refused.to_string()))
        }
        Err(WebhookError::Unavailable(cause)) => {
            tracing::error!(error = %cause, "a webhook could not be processed now");
            Err(ApiFailure::Refused(
                StatusCode::SERVICE_UNAVAILABLE,
                WebhookError::Unavailable(cause).to_string(),
            ))
        }
    }
}
