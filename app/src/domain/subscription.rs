//! Subscription states and what each one grants (ARCHITECTURE §5's status table).

use super::catalog::PlanId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How many days a `past_due` subscription keeps its plan while the provider retries the
/// card, unless `BILLING_GRACE_DAYS` says otherwise (`Catalog::past_due_grace_days`).
pub const DEFAULT_GRACE_DAYS: u32 = 7;

/// The provider's status of a subscription (Stripe's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Active,
    Trialing,
    PastDue,
    Incomplete,
    IncompleteExpired,
    Unpaid,
    Canceled,
    Paused,
}

impl SubscriptionStatus {
    pub const ALL: [SubscriptionStatus; 8] = [
        Self::Active,
        Self::Trialing,
        Self::PastDue,
        Self::Incomplete,
        Self::IncompleteExpired,
        Self::Unpaid,
        Self::Canceled,
        Self::Paused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Trialing => "trialing",
            Self::PastDue => "past_due",
            Self::Incomplete => "incomplete",
            Self::IncompleteExpired => "incomplete_expired",
            Self::Unpaid => "unpaid",
            Self::Canceled => "canceled",
            Self::Paused => "paused",
        }
    }

    /// Reads a stored or typed status; the error lists the accepted ones.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|s| s.as_str()).collect();
                format!(
                    "unknown subscription status `{raw}`; use one of: {}",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for SubscriptionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Our copy of a user's subscription, as the billing sync (or `tollgate user set-plan`) wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub plan: PlanId,
    pub status: SubscriptionStatus,
    /// Start of the current billing period: the anchor of monthly allowances.
    pub current_period_start: Option<i64>,
    pub current_period_end: Option<i64>,
    /// When the status became `past_due`, for the grace period.
    pub past_due_since: Option<i64>,
    /// The dearer plan kept for a while after a switch the usage does not fit (`plan` is what
    /// the provider bills).
    pub kept: Option<KeptPlan>,
}

/// A plan kept after a switch made at the provider to one the account's usage exceeds: its
/// limits apply until the account removes enough, or until `until` at the latest. Once it
/// ends (`plan` is `None`), `until` is remembered: a new hold starts only a
/// [`HOLD_COOLDOWN_SECS`] after it, so switching back and forth cannot buy a dearer plan's
/// limits at a cheaper plan's price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptPlan {
    pub plan: Option<PlanId>,
    pub until: i64,
}

/// How long after a kept plan's deadline no new one is granted.
pub const HOLD_COOLDOWN_SECS: i64 = 30 * 86_400;

impl Subscription {
    /// The plan kept, while it still applies at `now`.
    pub fn kept_at(&self, now: i64) -> Option<&PlanId> {
        let kept = self.kept.as_ref().filter(|kept| now < kept.until)?;
        kept.plan.as_ref().filter(|_| self.status.is_live())
    }

    /// Paid for and in good standing: the only plan worth keeping after a switch.
    pub fn is_paid_up(&self) -> bool {
        matches!(
            self.status,
            SubscriptionStatus::Active | SubscriptionStatus::Trialing
        )
    }
}

/// What a subscription (or its absence) grants right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Use `plan`; monthly allowances renew on `anchor` (the calendar month when `None`).
    Plan { plan: PlanId, anchor: Option<i64> },
    /// Nothing but the billing pages until the payment is sorted out.
    Restricted(SubscriptionStatus),
}

impl Standing {
    fn free() -> Self {
        Standing::Plan {
            plan: PlanId::free(),
            anchor: None,
        }
    }
}

/// The status table of ARCHITECTURE §5: active and trialing get their plan; past_due keeps it
/// for `grace_days` days; a canceled subscription keeps it until its paid period ends;
/// unpaid is restricted; everything else falls back to Free.
pub fn standing(subscription: Option<&Subscription>, grace_days: u32, now: i64) -> Standing {
    let Some(sub) = subscription else {
        return Standing::free();
    };
    let paid = Standing::Plan {
        plan: sub.kept_at(now).unwrap_or(&sub.plan).clone(),
        anchor: sub.current_period_start,
    };
    match sub.status {
        SubscriptionStatus::Active | SubscriptionStatus::Trialing => paid,
        SubscriptionStatus::PastDue => {
            let since = sub.past_due_since.unwrap_or(now);
            if now < since.saturating_add(i64::from(grace_days) * 86_400) {
                paid
            } else {
                Standing::free()
            }
        }
        SubscriptionStatus::Canceled => match sub.current_period_end {
            Some(end) if now < end => paid,
            _ => Standing::free(),
        },
        SubscriptionStatus::Unpaid => Standing::Restricted(SubscriptionStatus::Unpaid),
        SubscriptionStatus::Incomplete
        | SubscriptionStatus::IncompleteExpired
        | SubscriptionStatus::Paused => Standing::free(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn pro(status: SubscriptionStatus) -> Subscription {
        Subscription {
            plan: PlanId::parse("pro").unwrap(),
            status,
            current_period_start: Some(NOW - 86_400),
            current_period_end: Some(NOW + 86_400),
            past_due_since: None,
            kept: None,
        }
    }

    fn plan_of(s: Standing) -> String {
        match s {
            Standing::Plan { plan, .. } => plan.to_string(),
            Standing::Restricted(status) => format!("restricted:{status}"),
        }
    }

    #[test]
    fn no_subscription_means_free_on_calendar_months() {
        assert_eq!(
            standing(None, DEFAULT_GRACE_DAYS, NOW),
            Standing::Plan {
                plan: PlanId::free(),
                anchor: None
            }
        );
    }

    #[test]
    fn every_status_maps_as_the_table_says() {
        use SubscriptionStatus::*;
        let expected = [
            (Active, "pro"),
            (Trialing, "pro"),
            (PastDue, "pro"),
            (Incomplete, "free"),
            (IncompleteExpired, "free"),
            (Unpaid, "restricted:unpaid"),
            (Canceled, "pro"),
            (Paused, "free"),
        ];
        for (status, plan) in expected {
            assert_eq!(
                plan_of(standing(Some(&pro(status)), DEFAULT_GRACE_DAYS, NOW)),
                plan,
                "{status}"
            );
        }
    }

    #[test]
    fn paid_plans_renew_monthly_allowances_on_the_billing_anchor() {
        let sub = pro(SubscriptionStatus::Active);
        assert_eq!(
            standing(Some(&sub), DEFAULT_GRACE_DAYS, NOW),
            Standing::Plan {
                plan: sub.plan.clone(),
                anchor: Some(NOW - 86_400)
            }
        );
    }

    #[test]
    fn past_due_keeps_the_plan_only_during_the_grace_period() {
        let mut sub = pro(SubscriptionStatus::PastDue);
        let grace = i64::from(DEFAULT_GRACE_DAYS) * 86_400;
        sub.past_due_since = Some(NOW - grace + 1);
        assert_eq!(
            plan_of(standing(Some(&sub), DEFAULT_GRACE_DAYS, NOW)),
            "pro"
        );
        sub.past_due_since = Some(NOW - grace);
        assert_eq!(
            plan_of(standing(Some(&sub), DEFAULT_GRACE_DAYS, NOW)),
            "free"
        );
        // BILLING_GRACE_DAYS=0: no grace at all; a long grace keeps it longer.
        assert_eq!(plan_of(standing(Some(&sub), 0, NOW)), "free");
        assert_eq!(plan_of(standing(Some(&sub), 30, NOW)), "pro");
    }

    #[test]
    fn canceled_keeps_paid_features_until_the_period_ends() {
        let mut sub = pro(SubscriptionStatus::Canceled);
        sub.current_period_end = Some(NOW);
        assert_eq!(
            plan_of(standing(Some(&sub), DEFAULT_GRACE_DAYS, NOW)),
            "free"
        );
        sub.current_period_end = None;
        assert_eq!(
            plan_of(standing(Some(&sub), DEFAULT_GRACE_DAYS, NOW)),
            "free"
        );
    }

    #[test]
    fn statuses_parse_from_their_stripe_names_only() {
        for s in SubscriptionStatus::ALL {
            assert_eq!(SubscriptionStatus::parse(s.as_str()), Ok(s));
        }
        let err = SubscriptionStatus::parse("overdue").unwrap_err();
        assert!(err.contains("past_due"), "{err}");
    }
}
