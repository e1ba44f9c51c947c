//! The demo app's own data (server only): tracked accounts and tutor sessions. Every limit on
//! them is asked of the access module.

pub mod tracked_accounts;
pub mod tutor_sessions;
