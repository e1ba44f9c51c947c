//! The one error type server functions return to the browser.

use super::browser_json::BrowserJson;
use bytes::Bytes;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::Encodes;
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

    /// Gives the server function's answer this error's status. Not to a plain form post (a
    /// browser without JavaScript, `Accept: text/html`): server_fn sends that one back to its
    /// page with a 302 and the error in the URL, which a status here would replace. Outside a
    /// server function's request there are no response options and nothing is set.
    #[cfg(feature = "ssr")]
    fn set_answer_status(&self) {
        use axum::http::{header::ACCEPT, request::Parts, StatusCode};
        use leptos::prelude::use_context;
        let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        let form_post = use_context::<Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        });
        if !form_post {
            response.set_status(
                StatusCode::from_u16(self.status_code())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
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

    /// A failure of the server-function machinery rather than of the function. In the browser:
    /// the answer never came or could not be read. On the server: the request's body or
    /// arguments could not be read (not UTF-8, too large, cut off, a field missing) — the
    /// caller's to fix, so a 400 that says so, and no error in the log for anyone to fill — or
    /// something of ours failed, which is logged and answered as a 500 like any fault of ours.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        {
            let unreadable = match value {
                ServerFnErrorErr::Args(detail) => format!("its arguments: {detail}"),
                ServerFnErrorErr::MissingArg(name) => format!("the argument {name} is missing"),
                // On the server this is the request's body, not an answer.
                ServerFnErrorErr::Deserialization(detail) => format!("its body: {detail}"),
                other => return ApiError::internal(other),
            };
            ApiError::BadRequest(format!(
                "This request could not be read ({unreadable}). Reload the page and try again."
            ))
        }
        #[cfg(not(feature = "ssr"))]
        {
            ApiError::Transport(value.to_string())
        }
    }

    /// Writing an error out also sets the answer's status from [`ApiError::status_code`]:
    /// server_fn answers every error with a 500 unless the request's `ResponseOptions` (which
    /// leptos_axum applies to the answer) say otherwise, so a signed-out call used to come back
    /// as a 500 reading "Unauthorized" (found in stop 26).
    fn ser(&self) -> Bytes {
        #[cfg(feature = "ssr")]
        self.set_answer_status();
        Self::Encoder::encode(self)
            .or_else(|_| Self::Encoder::encode(&ApiError::Internal))
            .unwrap_or_default()
    }
}
