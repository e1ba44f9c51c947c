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

/// What every page's shell shows of the viewer, worded by the server
/// (`api::billing_state::get_shell_state`): the header counter and user button, the status
/// notices, the pricing cards' buttons. Words and numbers only, so the first wasm file needs
/// no usage types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShellState {
    /// Who is signed in; `None` for a visitor (then nothing else is read).
    pub viewer: Option<ViewerInfo>,
    /// The counter of the product's main allowance.
    pub counter: Option<crate::domain::usage_words::Counter>,
    /// The subscription's status as the pages show it: trial badge, past-due banner, unpaid
    /// dialog, prompts. `None` with nothing to say.
    pub status: Option<crate::domain::status_notice::StatusNotice>,
    /// A downgrade held back because the account is over the new plan's limits ("… Remove 1
    /// to switch. Until then you keep Team.").
    pub notice: Option<String>,
    /// Each plan as a move from the viewer's (the pricing page's buttons); empty for visitors.
    pub plan_moves: Vec<(crate::domain::PlanId, crate::domain::plan_change::PlanMove)>,
    /// The viewer holds a live subscription at the payment provider, so every plan change goes
    /// through the portal: checkout refuses a second one by the same rule
    /// (`provider_subscription::has_live_paid_subscription`).
    pub holds_subscription: bool,
    /// The server's clock when this was read (Unix seconds): the event stream's `since`.
    pub as_of: i64,
}

impl ShellState {
    /// A visitor's: nobody, nothing to show.
    pub fn visitor(now: i64) -> Self {
        Self {
            viewer: None,
            counter: None,
            status: None,
            notice: None,
            plan_moves: Vec::new(),
            holds_subscription: false,
            as_of: now,
        }
    }
}

/// The viewer's whole usage and what the pages showing it need around it
/// (`api::billing_state::get_billing_state`): the dashboard, `/generate`, `/account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingState {
    /// Who is signed in; `None` for a visitor.
    pub viewer: Option<ViewerInfo>,
    /// Plan, status and what is left of each feature (a visitor's: the guest allowance).
    pub usage: crate::domain::UsageSummary,
    /// The plan and what happens next ("Pro, renews on 2026-12-26."); `None` for visitors.
    pub plan_words: Option<String>,
    /// What the out-of-credits modal offers when generations run out: the better plan's
    /// checkout and the generation packs.
    pub ways_on: crate::domain::pricing::WaysOn,
    /// The server's clock when this was read (Unix seconds).
    pub as_of: i64,
}

/// The dashboard's usage chart: uses per day, oldest first, and what they are ("generations").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageHistory {
    pub days: Vec<crate::domain::usage_history::DayUses>,
    pub units: String,
}

/// The design gallery's state switcher: (plan id, name) and status names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitcherChoices {
    pub plans: Vec<(String, String)>,
    pub statuses: Vec<String>,
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
    /// The user has a billing customer: "Manage billing" leads to the provider's portal.
    pub manages_billing: bool,
    /// "You owe 30 generations from a refunded credit pack; …", one per feature owed.
    pub debts: Vec<String>,
    /// The newest invoices, newest first; `None` when the provider could not be asked just now.
    pub invoices: Option<Vec<crate::domain::invoice::Invoice>>,
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

/// The body of `POST /api/generate` (ARCHITECTURE §7), sent by the page's script and by API
/// clients; the page without JavaScript posts the same field as a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateRequest {
    #[serde(default)]
    pub prompt: String,
}

/// The JSON body of every refused or failed `/api/*` request (ARCHITECTURE §7; the seed's
/// client reads `error`, `resetAt` and `upgradeUrl`). Which fields appear depends on why: 401
/// and 429 carry `limit`, `remaining` and `resetAt` (`limit` and `resetAt` may be `null`);
/// 402 and 403 a `reason` (403 for a plan also the `plan`); other errors only `error`.
/// Fields are declared in alphabetical order, the order these bodies had when they were built
/// as JSON maps, so the bytes on the wire stay the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    /// A sentence a person can act on.
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Option<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_at: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_url: Option<String>,
}

impl Refusal {
    /// Just a sentence.
    pub fn saying(error: impl Into<String>) -> Self {
        Refusal {
            error: error.into(),
            ..Refusal::default()
        }
    }
}

/// `GET /api/usage` (ARCHITECTURE §7 contract): the usage summary's contract fields, exactly
/// as they have always been sent — the UI's words (units, renewal) stay out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageJson {
    /// The plan id, `guest` when not signed in.
    pub plan: String,
    pub plan_name: String,
    /// The subscription status, `guest` when not signed in.
    pub status: String,
    pub features:
        std::collections::BTreeMap<crate::domain::FeatureId, crate::domain::FeatureCounts>,
    pub credits: u64,
}

impl From<crate::domain::UsageSummary> for UsageJson {
    fn from(summary: crate::domain::UsageSummary) -> Self {
        use crate::domain::Holder;
        let plan_name = summary.holder.plan_name().to_owned();
        let (plan, status) = match summary.holder {
            Holder::Guest => ("guest".to_owned(), "guest".to_owned()),
            Holder::Member { plan, status, .. } => (plan.to_string(), status.as_str().to_owned()),
        };
        UsageJson {
            plan,
            plan_name,
            status,
            features: summary
                .features
                .into_iter()
                .map(|(id, usage)| (id, usage.counts))
                .collect(),
            credits: summary.credits,
        }
    }
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

/// The test-mode checkout page, worded on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCheckoutView {
    pub id: String,
    /// "Pro, billed monthly"
    pub title: String,
    /// "$0.00 today, then $19.00 per month after your 7-day free trial."
    pub terms: String,
    /// "Pay $19.00 — test mode" or "Start 7-day free trial — test mode"
    pub pay_label: String,
    /// Already paid: the page only leads on.
    pub complete: bool,
    pub continue_url: String,
    pub cancel_url: String,
}

/// The test-mode portal, worded on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestPortalView {
    /// "Pro, billed monthly"
    pub plan: String,
    /// "Trialing", "Past due", …
    pub status: String,
    /// "Trial ends 2026-12-03 00:00 UTC", "Cancels on …", "Switches to Team, billed yearly on …"
    pub notes: Vec<String>,
    /// (lookup key, "Team, billed yearly: $470.40 per year") for every other plan price.
    pub switches: Vec<(String, String)>,
    /// (action code, button label) that apply now.
    pub actions: Vec<(String, String)>,
    /// Why the last switch was refused ("You have 5 tracked accounts; Free allows 3. Remove 2 to switch.").
    pub refused: Option<String>,
    /// Paid credit packs, newest first, with their refund and dispute buttons.
    pub packs: Vec<TestPackView>,
}

/// A paid credit pack in the test-mode portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestPackView {
    pub checkout_id: String,
    /// "100 generations, $5.00, paid 2026-11-26"
    pub label: String,
    /// "Refunded", "Disputed", or empty while it stands.
    pub state: String,
    pub can_refund: bool,
    pub can_dispute: bool,
}
