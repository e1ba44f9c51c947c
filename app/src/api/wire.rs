//! Types that cross the wire between server functions and the browser.

use serde::{Deserialize, Serialize};

/// The signed-in person, as the header and pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerInfo {
    pub name: String,
    pub email: String,
    pub avatar_url: Option<String>,
    pub is_admin: bool,
}

/// One of the user's sessions, on `/account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    /// e.g. "Chrome on Linux"
    pub device: String,
    pub ip: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The session of the browser looking at the page.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub viewer: ViewerInfo,
    pub sessions: Vec<SessionView>,
    pub api_keys: Vec<ApiKeyView>,
    /// A key created a moment ago, shown once.
    pub new_api_key: Option<String>,
}

/// One of the user's live API keys, on `/account` (the key itself is shown only once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub id: i64,
    pub name: String,
    /// The first characters, e.g. `tg_AbC123`, to recognise it.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// What `/login` offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginOptions {
    /// Mail is not really sent: the dev mailbox shows it.
    pub dev_mailbox: bool,
    /// Configured OAuth providers: (id for the URL, button label).
    pub providers: Vec<(String, String)>,
}

/// What an opened sign-in link would do, shown before anything is used up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkPreview {
    /// Valid: the "Sign in as …" button will sign this address in.
    SignsIn { email: String },
    /// Not valid; the `/login` error code that words why.
    Problem { code: String },
}

/// A message of the dev mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub sent_at: i64,
}

impl MailboxMessage {
    /// The first link in the body, to make it clickable.
    pub fn link(&self) -> Option<&str> {
        self.body
            .split_whitespace()
            .find(|word| word.starts_with("http://") || word.starts_with("https://"))
    }
}

/// A row of the admin's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub banned: bool,
    pub sessions: i64,
}

/// One of the user's tracked accounts, on `/accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedAccountView {
    pub id: i64,
    pub name: String,
    /// Masked, e.g. `•••• 6819`.
    pub account_number: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsPageView {
    pub accounts: Vec<TrackedAccountView>,
    pub usage: crate::domain::FeatureUsage,
}

/// What `/tutors` shows: the usage of `tutor_sessions` and `pro_tutors`, a fresh key for the
/// start forms (so a double submit starts one session), and recent sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TutorsPageView {
    pub sessions: crate::domain::FeatureUsage,
    pub pro_tutors: crate::domain::FeatureUsage,
    pub form_key: String,
    /// (tutor id, started at), newest first.
    pub recent: Vec<(String, i64)>,
}
