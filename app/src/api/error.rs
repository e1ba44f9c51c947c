//! The one error type server functions return to the browser.

use super::browser_json::BrowserJson;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What the browser may learn about a failure: a message a person can act on, or a generic
/// apology when the cause is ours (the cause itself is logged on the server, never sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("Sign in to continue.")]
    Unauthorized,
    #[error("Only administrators can do that.")]
    Forbidden,
    #[error("This account has been suspended.")]
    Suspended,
    #[error("{0}")]
    NotFound(String),
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The request never reached the function or its answer could not be read.
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl ApiError {
    /// Logs an unexpected failure on the server and hides it from the browser.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "server function failed");
        ApiError::Internal
    }

    pub fn status_code(&self) -> u16 {
        match self {
            ApiError::BadRequest(_) => 400,
            ApiError::Unauthorized => 401,
            ApiError::Forbidden | ApiError::Suspended => 403,
            ApiError::NotFound(_) => 404,
            ApiError::Internal | ApiError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = BrowserJson;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::Transport(value.to_string())
    }
}
