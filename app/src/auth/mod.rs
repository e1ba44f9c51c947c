//! Sign-in and sessions (server only): accounts, database sessions, email magic links, rate
//! limits, the mailer, and how request handlers and server functions learn who is asking.

pub mod api_keys;
pub mod client_ip;
pub mod cookie;
pub mod current_user;
pub mod magic_link;
pub mod mailer;
pub mod next_path;
pub mod oauth;
pub mod rate_limit;
pub mod sessions;
pub mod smtp;
pub mod token;
pub mod users;

pub use current_user::{CurrentUser, Viewer};
