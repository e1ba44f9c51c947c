//! JSON answers of the `/api/*` routes: errors as `{"error": "…"}` with their status, and
//! access denials in the shape the seed's client reads (ARCHITECTURE §7).

use app::domain::calendar::iso8601;
use app::domain::{Catalog, Denial, DenyReason, Feature};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

pub fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// A failure of ours: logged once with its cause, answered with the same generic sentence the
/// server functions use (`ApiError::Internal`).
pub fn internal_error(route: &str, cause: impl std::fmt::Display) -> Response {
    tracing::error!(error = %cause, route, "API route failed");
    json_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        app::api::ApiError::Internal.to_string(),
    )
}

/// 401 sign in, 402 payment, 403 plan or ban, 429 limit — each with a sentence and where to
/// go next.
pub fn denial_response(
    catalog: &Catalog,
    feature: &Feature,
    denial: &Denial,
    now: i64,
) -> Response {
    worded_denial(denial, denial.message(catalog, feature), now)
}

/// `denial_response` with a sentence of the caller's own, for a refusal the access module did
/// not word (e.g. an address out of new guests), in the same shape and status.
pub fn worded_denial(denial: &Denial, error: String, now: i64) -> Response {
    let reset_at = denial.resets_at.map(iso8601);
    let (status, body) = match &denial.reason {
        DenyReason::SignInRequired => (
            StatusCode::UNAUTHORIZED,
            json!({"error": error, "remaining": 0, "limit": denial.limit, "resetAt": reset_at, "upgradeUrl": "/login"}),
        ),
        DenyReason::LimitReached | DenyReason::OutOfCredits => (
            StatusCode::TOO_MANY_REQUESTS,
            json!({"error": error, "remaining": 0, "limit": denial.limit, "resetAt": reset_at, "upgradeUrl": "/pricing"}),
        ),
        DenyReason::PaymentRequired(status) => (
            StatusCode::PAYMENT_REQUIRED,
            json!({"error": error, "reason": status.as_str(), "upgradeUrl": "/account"}),
        ),
        DenyReason::RequiresPlan(plan) => (
            StatusCode::FORBIDDEN,
            json!({"error": error, "reason": "requires_plan", "plan": plan.as_str(), "upgradeUrl": "/pricing"}),
        ),
        DenyReason::Banned => (
            StatusCode::FORBIDDEN,
            json!({"error": error, "reason": "banned"}),
        ),
    };
    let mut response = (status, Json(body)).into_response();
    if let (StatusCode::TOO_MANY_REQUESTS, Some(reset)) = (status, denial.resets_at) {
        if let Ok(value) = HeaderValue::from_str(&(reset - now).max(0).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    response
}
