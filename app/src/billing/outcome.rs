//! What handling one billing event or checkout did, in one word: written to the event log
//! (`billing_events.outcome`), logged, answered to the webhook's sender and printed by the
//! operator commands. One list, so a new effect cannot be spelled two ways.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The customer's subscription was written from the provider's current state.
    Synced,
    /// The provider bills a cheaper plan the usage exceeds: the old plan is kept for a while.
    PlanKept,
    /// The provider has no subscription for the customer.
    NoSubscription,
    /// A customer we never recorded (another app's, or a test event).
    UnknownCustomer,
    /// A subscription on a price `plans.toml` does not name.
    NotOurs,
    /// A later reading was already written; this one was dropped.
    Stale,
    /// A paid pack's credits were granted now.
    CreditsGranted,
    /// A paid pack's credits had been granted before.
    CreditsAlreadyGranted,
    /// A pack checkout not paid (yet).
    NotPaid,
    /// A checkout session that is not ours, or not the caller's.
    UnknownCheckout,
    /// A refund or dispute took back a pack's credits (the unspent at once, the rest owed).
    CreditsTakenBack,
    /// Less is refunded than before (a refund failed): the difference came back.
    CreditsReturned,
    /// A refund or dispute whose credits were taken back before.
    NothingToTakeBack,
    /// A charge that paid for no pack of ours.
    NotAPack,
    /// A pack whose feature left `plans.toml`: recorded and logged for an operator.
    FeatureGone,
    /// An event we record but do not act on.
    Ignored,
    /// The same event id was delivered before.
    Duplicate,
    /// A signed delivery that held no event.
    Unreadable,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Synced => "synced",
            Outcome::PlanKept => "plan_kept",
            Outcome::NoSubscription => "no_subscription",
            Outcome::UnknownCustomer => "unknown_customer",
            Outcome::NotOurs => "not_ours",
            Outcome::Stale => "stale",
            Outcome::CreditsGranted => "credits_granted",
            Outcome::CreditsAlreadyGranted => "credits_already_granted",
            Outcome::NotPaid => "not_paid",
            Outcome::UnknownCheckout => "unknown_checkout",
            Outcome::CreditsTakenBack => "credits_taken_back",
            Outcome::CreditsReturned => "credits_returned",
            Outcome::NothingToTakeBack => "nothing_to_take_back",
            Outcome::NotAPack => "not_a_pack",
            Outcome::FeatureGone => "feature_gone",
            Outcome::Ignored => "ignored",
            Outcome::Duplicate => "duplicate",
            Outcome::Unreadable => "unreadable",
        }
    }

    /// The word for people: "credits granted".
    pub fn words(self) -> String {
        self.as_str().replace('_', " ")
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
