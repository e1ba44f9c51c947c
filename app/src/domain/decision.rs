//! THE access decision: can this subject use this feature now, and how much is left?
//!
//! Pure functions of (catalog, who is asking, their standing, usage so far, now). The
//! `access` module gathers those inputs from the database, asks here, and enforces the answer
//! with one atomic SQL statement; the UI, the generation route and the webhook all end here.

use super::calendar::Window;
use super::catalog::{Catalog, Entitlement, Feature, FeatureKind, PlanId};
use super::subscription::{Standing, SubscriptionStatus};
use serde::{Deserialize, Serialize};

/// Who is asking, as far as limits are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// Not signed in: only the catalog's guest allowance, in total.
    Guest,
    /// A signed-in account.
    Member {
        admin: bool,
        banned: bool,
        standing: Standing,
    },
}

/// What the subject may have of one feature right now, before counting any usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub grant: Grant,
    /// The cheapest plan above the subject's that grants more of this feature.
    pub upgrade_to: Option<PlanId>,
    /// Guests are asked to sign in rather than to upgrade.
    pub guest: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// Spent per use: `limit` per `window` (`None` = unlimited), then the credit balance when
    /// `credits` is true.
    Metered {
        limit: Option<u64>,
        window: Window,
        credits: bool,
    },
    /// At most `limit` live things at once (`None` = unlimited).
    Count { limit: Option<u64> },
    /// A boolean feature that is on.
    Granted,
    /// A numeric setting of the plan.
    Setting(u64),
}

/// What has been used so far: in the current window (metered) or live now (count), and the
/// credit balance of the feature.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub used: u64,
    pub credits: u64,
}

/// Why a use is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum DenyReason {
    SignInRequired,
    /// No allowance at all on the plan and no credits left.
    OutOfCredits,
    RequiresPlan(PlanId),
    /// The period's allowance (or the count limit) is used up and no credits cover it.
    LimitReached,
    PaymentRequired(SubscriptionStatus),
    Banned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowance {
    /// What is left after this decision (allowance + credits); `None` when unlimited.
    pub remaining: Option<u64>,
    /// The plan's limit (or setting value); `None` when unlimited or not a limit.
    pub limit: Option<u64>,
    /// When the allowance renews; `None` when it never does.
    pub resets_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denial {
    pub reason: DenyReason,
    pub upgrade_to: Option<PlanId>,
    pub resets_at: Option<i64>,
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Allowed(Allowance),
    Denied(Denial),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed(_))
    }

    /// Units left; `None` for unlimited (and for denials, 0).
    pub fn remaining(&self) -> Option<u64> {
        match self {
            Decision::Allowed(a) => a.remaining,
            Decision::Denied(_) => Some(0),
        }
    }

    pub fn resets_at(&self) -> Option<i64> {
        match self {
            Decision::Allowed(a) => a.resets_at,
            Decision::Denied(d) => d.resets_at,
        }
    }
}

fn deny(reason: DenyReason) -> Denial {
    Denial {
        reason,
        upgrade_to: None,
        resets_at: None,
        limit: None,
    }
}

/// The terms `who` has for `feature` at `now`, or why they have none.
pub fn terms(catalog: &Catalog, who: &Who, feature: &Feature, now: i64) -> Result<Terms, Denial> {
    let (admin, standing) = match who {
        Who::Guest => return guest_terms(catalog, feature),
        Who::Member { banned: true, .. } => return Err(deny(DenyReason::Banned)),
        Who::Member {
            admin, standing, ..
        } => (*admin, standing),
    };
    if admin {
        // Admins keep working whatever their own subscription says (they run the site).
        let anchor = match standing {
            Standing::Plan { anchor, .. } => *anchor,
            Standing::Restricted(_) => None,
        };
        return Ok(admin_terms(catalog, feature, anchor, now));
    }
    let (plan_id, anchor) = match standing {
        Standing::Restricted(status) => return Err(deny(DenyReason::PaymentRequired(*status))),
        Standing::Plan { plan, anchor } => (plan, *anchor),
    };
    let window = |period| Window::containing(period, anchor, now);
    // A plan that left the catalog (or a typo from an operator) counts as Free.
    let plan = catalog
        .plan(plan_id)
        .or_else(|| catalog.plan(&PlanId::free()))
        .or(catalog.plans.first());
    let entitlement = plan
        .and_then(|p| p.entitlement(&feature.id))
        .unwrap_or(Entitlement::Limit(0));
    let upgrade_to = plan.and_then(|p| better_plan(catalog, &p.id, feature, entitlement));
    let grant = match (feature.kind, entitlement) {
        (FeatureKind::Boolean, Entitlement::Flag(true)) => Grant::Granted,
        (FeatureKind::Boolean, _) => {
            return Err(match upgrade_to {
                Some(plan) => Denial {
                    upgrade_to: Some(plan.clone()),
                    ..deny(DenyReason::RequiresPlan(plan))
                },
                // No plan offers it at all: nothing to sell, so it is simply not available.
                None => deny(DenyReason::LimitReached),
            });
        }
        (FeatureKind::Metered { period }, e) => Grant::Metered {
            limit: limit_of(e),
            window: window(period),
            credits: true,
        },
        (FeatureKind::Count, e) => Grant::Count { limit: limit_of(e) },
        (FeatureKind::Number, e) => Grant::Setting(limit_of(e).unwrap_or(0)),
    };
    Ok(Terms {
        grant,
        upgrade_to,
        guest: false,
    })
}

/// A guest has the catalog's guest allowance of its one feature, in total, and works with the
/// Free plan's settings (e.g. `max_tokens`): one rule, so what `/api/usage` shows a guest is what
/// `/api/generate` gives them. Everything else asks them to sign in.
fn guest_terms(catalog: &Catalog, feature: &Feature) -> Result<Terms, Denial> {
    let grant = if catalog.guest.feature == feature.id {
        Grant::Metered {
            limit: Some(catalog.guest.total),
            window: Window::FOREVER,
            credits: false,
        }
    } else if matches!(feature.kind, FeatureKind::Number) {
        let free = catalog
            .plan(&PlanId::free())
            .and_then(|p| p.entitlement(&feature.id))
            .and_then(limit_of);
        Grant::Setting(free.unwrap_or(0))
    } else {
        return Err(deny(DenyReason::SignInRequired));
    };
    Ok(Terms {
        grant,
        upgrade_to: None,
        guest: true,
    })
}

/// Everything, unlimited, with windows on `anchor` so their use is still recorded.
fn admin_terms(catalog: &Catalog, feature: &Feature, anchor: Option<i64>, now: i64) -> Terms {
    let grant = match feature.kind {
        FeatureKind::Metered { period } => Grant::Metered {
            limit: None,
            window: Window::containing(period, anchor, now),
            credits: false,
        },
        FeatureKind::Count => Grant::Count { limit: None },
        FeatureKind::Boolean => Grant::Granted,
        FeatureKind::Number => Grant::Setting(highest_setting(catalog, feature)),
    };
    Terms {
        grant,
        upgrade_to: None,
        guest: false,
    }
}

fn limit_of(e: Entitlement) -> Option<u64> {
    match e {
        Entitlement::Limit(n) => Some(n),
        Entitlement::Unlimited => None,
        Entitlement::Flag(on) => Some(u64::from(on)),
    }
}

/// Whether `a` grants strictly more than `b`.
fn more(a: Entitlement, b: Entitlement) -> bool {
    match (a, b) {
        (Entitlement::Unlimited, Entitlement::Limit(_)) => true,
        (Entitlement::Limit(x), Entitlement::Limit(y)) => x > y,
        (Entitlement::Flag(x), Entitlement::Flag(y)) => x && !y,
        _ => false,
    }
}

/// The first plan listed after `current` (the catalog lists plans cheapest first) that grants
/// more of `feature`.
fn better_plan(
    catalog: &Catalog,
    current: &PlanId,
    feature: &Feature,
    have: Entitlement,
) -> Option<PlanId> {
    catalog
        .plans
        .iter()
        .skip_while(|p| &p.id != current)
        .skip(1)
        .find(|p| p.entitlement(&feature.id).is_some_and(|e| more(e, have)))
        .map(|p| p.id.clone())
}

fn highest_setting(catalog: &Catalog, feature: &Feature) -> u64 {
    catalog
        .plans
        .iter()
        .filter_map(|p| p.entitlement(&feature.id).and_then(limit_of))
        .max()
        .unwrap_or(0)
}

/// Decides whether `amount` more may be used under `terms`, given `usage`. `check` asks for 1
/// ("may I use one more?"); with 0 it only reports what is left, which is how `consume`
/// describes the state after its SQL has charged.
///
/// A use is paid entirely from the period allowance when it fits, else entirely from credits:
/// the same rule the atomic SQL in `access::consume` applies.
pub fn decide(terms: &Terms, usage: Usage, amount: u64) -> Decision {
    let denied = |reason, resets_at, limit| {
        Decision::Denied(Denial {
            reason,
            upgrade_to: terms.upgrade_to.clone(),
            resets_at,
            limit,
        })
    };
    match &terms.grant {
        Grant::Granted => Decision::Allowed(Allowance {
            remaining: None,
            limit: None,
            resets_at: None,
        }),
        Grant::Setting(value) => Decision::Allowed(Allowance {
            remaining: None,
            limit: Some(*value),
            resets_at: None,
        }),
        Grant::Count { limit: None } | Grant::Metered { limit: None, .. } => {
            let resets_at = match &terms.grant {
                Grant::Metered { window, .. } => window.end,
                _ => None,
            };
            Decision::Allowed(Allowance {
                remaining: None,
                limit: None,
                resets_at,
            })
        }
        Grant::Count { limit: Some(limit) } => {
            if usage.used.saturating_add(amount) <= *limit {
                Decision::Allowed(Allowance {
                    remaining: Some(limit.saturating_sub(usage.used)),
                    limit: Some(*limit),
                    resets_at: None,
                })
            } else {
                denied(DenyReason::LimitReached, None, Some(*limit))
            }
        }
        Grant::Metered {
            limit: Some(limit),
            window,
            credits,
        } => {
            let left = limit.saturating_sub(usage.used);
            let credits = if *credits { usage.credits } else { 0 };
            if amount <= left || amount <= credits {
                Decision::Allowed(Allowance {
                    remaining: Some(left + credits),
                    limit: Some(*limit),
                    resets_at: window.end,
                })
            } else {
                let reason = if terms.guest {
                    DenyReason::SignInRequired
                } else if *limit == 0 {
                    DenyReason::OutOfCredits
                } else {
                    DenyReason::LimitReached
                };
                denied(reason, window.end, Some(*limit))
            }
        }
    }
}

/// Everything in one call: the terms and the decision, as `check` answers.
pub fn check(
    catalog: &Catalog,
    who: &Who,
    feature: &Feature,
    usage: Usage,
    amount: u64,
    now: i64,
) -> Decision {
    match terms(catalog, who, feature, now) {
        Ok(terms) => decide(&terms, usage, amount),
        Err(denial) => Decision::Denied(denial),
    }
}
