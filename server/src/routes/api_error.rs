//! The one error type of the JSON routes (`/api/*`): every way a request can end without its
//! normal answer, each turned into its status and a [`Refusal`] body. Handlers return
//! `Result<Response, ApiFailure>` and read as a few lines of `?`.

use app::access::Refused;
use app::api::wire::Refusal;
use app::domain::calendar::iso8601;
use app::domain::{Denial, DenyReason};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug)]
pub enum ApiFailure {
    /// A 4xx with a sentence a person can act on.
    Refused(StatusCode, String),
    /// The access module said no (401 sign in, 402 payment, 403 plan or ban, 429 limit): the
    /// sentence, and where to go next. `now` dates the `Retry-After` of a 429.
    Denied {
        denial: Denial,
        error: String,
        now: i64,
    },
    /// 429 for a moment: try again in `retry_after` seconds.
    Busy { error: String, retry_after: u64 },
    /// A failure of ours: logged once with its cause, answered with the generic sentence the
    /// server functions use (`ApiError::Internal`).
    Internal { route: &'static str, cause: String },
}

impl ApiFailure {
    pub fn bad_request(sentence: impl Into<String>) -> Self {
        ApiFailure::Refused(StatusCode::BAD_REQUEST, sentence.into())
    }

    /// The access module's refusal, as it worded it.
    pub fn denied(refused: Refused, now: i64) -> Self {
        ApiFailure::Denied {
            denial: refused.denial,
            error: refused.message,
            now,
        }
    }

    pub fn internal(route: &'static str, cause: impl std::fmt::Display) -> Self {
        ApiFailure::Internal {
            route,
            cause: cause.to_string(),
        }
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        match self {
            ApiFailure::Refused(status, error) => {
                (status, Json(Refusal::saying(error))).into_response()
            }
            ApiFailure::Denied { denial, error, now } => denied(&denial, error, now),
            ApiFailure::Busy { error, retry_after } => {
                let mut response =
                    (StatusCode::TOO_MANY_REQUESTS, Json(Refusal::saying(error))).into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                response
            }
            ApiFailure::Internal { route, cause } => {
                tracing::error!(error = %cause, route, "API route failed");
                let error = app::api::ApiError::Internal.to_string();
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(Refusal::saying(error)),
                )
                    .into_response()
            }
        }
    }
}

/// The status and body of each denial reason, in the shape the seed's client reads.
fn denied(denial: &Denial, error: String, now: i64) -> Response {
    let metered = |upgrade_url: &str| Refusal {
        error: error.clone(),
        limit: Some(denial.limit),
        remaining: Some(0),
        reset_at: Some(denial.resets_at.map(iso8601)),
        upgrade_url: Some(upgrade_url.to_owned()),
        ..Refusal::default()
    };
    let (status, body) = match &denial.reason {
        DenyReason::SignInRequired => (StatusCode::UNAUTHORIZED, metered("/login")),
        DenyReason::LimitReached | DenyReason::OutOfCredits => {
            (StatusCode::TOO_MANY_REQUESTS, metered("/pricing"))
        }
        DenyReason::PaymentRequired(status) => (
            StatusCode::PAYMENT_REQUIRED,
            Refusal {
                reason: Some(status.as_str().to_owned()),
                upgrade_url: Some("/account".into()),
                ..Refusal::saying(error)
            },
        ),
        DenyReason::RequiresPlan(plan) => (
            StatusCode::FORBIDDEN,
            Refusal {
                plan: Some(plan.as_str().to_owned()),
                reason: Some("requires_plan".into()),
                upgrade_url: Some("/pricing".into()),
                ..Refusal::saying(error)
            },
        ),
        DenyReason::Banned => (
            StatusCode::FORBIDDEN,
            Refusal {
                reason: Some("banned".into()),
                ..Refusal::saying(error)
            },
        ),
    };
    let mut response = (status, Json(body)).into_response();
    if let (StatusCode::TOO_MANY_REQUESTS, Some(reset)) = (status, denial.resets_at) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from((reset - now).max(0)));
    }
    response
}
