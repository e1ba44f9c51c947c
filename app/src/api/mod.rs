//! Server functions: thin wrappers that authenticate, call a service and return a wire type.
//! One function per file; server-only imports live inside their bodies.

pub mod account;
pub mod admin;
pub mod billing;
pub mod billing_state;
pub mod browser_json;
pub mod design;
pub mod error;
pub mod login;
pub mod mailbox;
pub mod outcomes;
pub mod pricing;
#[cfg(feature = "ssr")]
pub mod request_reads;
#[cfg(feature = "ssr")]
pub mod session;
pub mod sign_in_link;
pub mod tracked_accounts;
pub mod tutors;
pub mod usage_history;
pub mod wire;

pub use error::ApiError;
