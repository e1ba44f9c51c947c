//! Plain HTTP routes (forms and callbacks) outside the Leptos pages and server functions.
//! Forms post here and answer with redirects, so they work the same with JavaScript off.

pub mod account;
pub mod admin;
mod api_error;
pub mod auth;
pub mod billing;
pub mod design;
pub mod events;
pub mod generate;
pub mod oauth;
pub mod stripe_webhook;
pub mod tracked_accounts;
pub mod tutors;
pub mod usage;

use axum::response::Redirect;

/// `path?key=value&…` with the values URL-encoded.
pub fn redirect_with(path: &str, params: &[(&str, &str)]) -> Redirect {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    if query.is_empty() {
        Redirect::to(path)
    } else {
        Redirect::to(&format!("{path}?{query}"))
    }
}
