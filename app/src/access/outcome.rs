//! What the access module answers, as enums a caller matches once: no `Result<Result<…>>`, no
//! field that means one thing for a fresh call and another for a retry.

use crate::domain::decision::{Allowance, Decision, Denial};

/// A "no", already worded from the catalog, so no caller reads the catalog to explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub denial: Denial,
    /// The sentence to show, e.g. "Daily limit reached" or "Upgrade to Pro to use Pro tutors.".
    pub message: String,
}

/// The outcome of [`super::Access::consume`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consumed {
    /// Charged by this very call: the work may be done. What is left after the charge.
    Charged(Allowance),
    /// Not charged, nothing changed.
    Refused(Refused),
    /// The key was charged before and that use still counts: the work must not run again.
    /// What is left now (a retry pays for nothing, so this is never leave to do the work).
    AlreadyCharged(Decision),
    /// The key was charged before and refunded (its work failed): a new key starts over.
    AlreadyRefunded,
}

impl Consumed {
    /// As a decision: what the caller would show about the feature after this call. `None` for
    /// a refunded key, which says nothing about what is left.
    pub fn decision(&self) -> Option<Decision> {
        match self {
            Consumed::Charged(allowance) => Some(Decision::Allowed(allowance.clone())),
            Consumed::Refused(refused) => Some(Decision::Denied(refused.denial.clone())),
            Consumed::AlreadyCharged(now) => Some(now.clone()),
            Consumed::AlreadyRefunded => None,
        }
    }
}

/// The outcome of [`super::Access::metered`]: a charge with the work it paid for.
#[derive(Debug)]
pub enum Metered<T, E> {
    /// Charged, and the work succeeded: `output` is what it made.
    Done { output: T, left: Allowance },
    /// Charged, the work failed, and the charge was given back.
    Failed(E),
    /// Not charged; the work did not run.
    Refused(Refused),
    /// A retry of a key charged before: the work did not run again. What is left now.
    AlreadyDone(Decision),
    /// A retry of a key whose work failed and was refunded: the work did not run.
    AlreadyRefunded,
}

/// The outcome of [`super::Access::check`]: may one more be used now? Nothing was spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    Allowed(Allowance),
    Refused(Refused),
}

impl Checked {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Checked::Allowed(_))
    }

    /// As the decision it was worded from.
    pub fn decision(&self) -> Decision {
        match self {
            Checked::Allowed(allowance) => Decision::Allowed(allowance.clone()),
            Checked::Refused(refused) => Decision::Denied(refused.denial.clone()),
        }
    }
}
