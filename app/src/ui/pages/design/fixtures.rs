//! The billing states the gallery shows, as fixture data: no database, no catalog, no clock —
//! the same values on the server and in the browser, so every screenshot of a state is the
//! same from one run to the next.

use crate::api::wire::UsageHistory;
use crate::domain::describe::FeatureLine;
use crate::domain::pricing::{PackOffer, PlanOffer, PriceText, UpgradeOffer, WaysOn};
use crate::domain::status_notice::{status_notice, StatusNotice};
use crate::domain::subscription::{Subscription, SubscriptionStatus};
use crate::domain::usage_history::{DayUses, DAY};
use crate::domain::{FeatureCounts, FeatureUsage, PlanId, Renewal};
use crate::ui::components::Refused;

/// The gallery's "now": 2026-11-26 12:00 UTC.
pub const NOW: i64 = 1_795_694_400;
/// The next daily reset after [`NOW`].
const MIDNIGHT: i64 = 1_795_737_600;

fn plan(id: &str) -> PlanId {
    PlanId::parse(id).unwrap_or_else(|_| PlanId::free())
}

/// Generations with `remaining` of `limit` left today (`None`: unlimited).
pub fn generations(remaining: Option<u64>, limit: Option<u64>) -> FeatureUsage {
    FeatureUsage {
        counts: FeatureCounts {
            used: match (remaining, limit) {
                (Some(left), Some(limit)) => limit.saturating_sub(left),
                _ => 4,
            },
            limit,
            remaining,
            resets_at: time::OffsetDateTime::from_unix_timestamp(MIDNIGHT).ok(),
            allowed: remaining != Some(0),
            reason: (remaining == Some(0)).then(|| "Daily limit reached".to_owned()),
            upgrade_to: Some(plan("pro")),
        },
        unit: "generation".into(),
        units: "generations".into(),
        renewal: Renewal::Day,
    }
}

/// The counter's states: (id, label, usage, credits).
pub fn counters() -> Vec<(&'static str, &'static str, FeatureUsage, u64)> {
    vec![
        (
            "counter-full",
            "Free, none used (10/10)",
            generations(Some(10), Some(10)),
            0,
        ),
        (
            "counter-low",
            "Free, 3 left (3/10)",
            generations(Some(3), Some(10)),
            0,
        ),
        (
            "counter-empty",
            "Free, none left (0/10)",
            generations(Some(0), Some(10)),
            0,
        ),
        (
            "counter-unlimited",
            "Team, unlimited",
            generations(None, None),
            0,
        ),
        (
            "counter-credits",
            "Free with 40 bought credits",
            generations(Some(46), Some(10)),
            40,
        ),
    ]
}

/// A Pro subscription in `status`, five days into a month.
fn subscription(status: SubscriptionStatus) -> Subscription {
    Subscription {
        plan: plan("pro"),
        status,
        current_period_start: Some(NOW - 25 * DAY),
        current_period_end: Some(NOW + 5 * DAY),
        past_due_since: Some(NOW - 2 * DAY),
        kept: None,
    }
}

/// Every status with something to say, worded by the same function the pages use.
pub fn statuses() -> Vec<StatusNotice> {
    SubscriptionStatus::ALL
        .iter()
        .filter_map(|status| status_notice(Some(&subscription(*status)), "Pro", 7, NOW))
        .collect()
}

/// What the out-of-credits modal offers a Free user.
pub fn ways_on() -> WaysOn {
    WaysOn {
        upgrade: Some(UpgradeOffer {
            plan: plan("pro"),
            name: "Pro".into(),
            price: "$19.00 a month".into(),
        }),
        packs: vec![PackOffer {
            id: "generations_100".into(),
            text: "100 generations: $5.00".into(),
        }],
    }
}

/// The modal's cases: (id, label, refusal).
pub fn refusals() -> Vec<(&'static str, &'static str, Refused)> {
    let reset = Some("2026-11-27T00:00:00Z".to_owned());
    vec![
        (
            "modal-out-of-credits",
            "Out of generations (429)",
            Refused {
                status: 429,
                error: "Daily limit reached".into(),
                reset_at: reset.clone(),
            },
        ),
        (
            "modal-guest",
            "A guest's free generations used up (401)",
            Refused {
                status: 401,
                error: "You've used your 5 free generations. Sign in to continue.".into(),
                reset_at: None,
            },
        ),
        (
            "modal-payment",
            "Payment required (402)",
            Refused {
                status: 402,
                error: "Your subscription is unpaid. Update your payment method to continue."
                    .into(),
                reset_at: None,
            },
        ),
    ]
}

/// A downgrade held back after a switch in the provider's portal.
pub const KEPT_PLAN_NOTICE: &str = "Your billing now says Pro, but you have 12 tracked accounts \
     and Pro allows 10. Remove 2 to switch. Until then, and at most until 2026-12-03, you keep \
     Team.";

fn price(amount: &str, note: &str) -> PriceText {
    PriceText {
        amount: amount.into(),
        per: "/month".into(),
        note: note.into(),
    }
}

fn line(text: &str, included: bool) -> FeatureLine {
    FeatureLine {
        text: text.into(),
        included,
    }
}

/// Pro's column of the pricing table.
pub fn pro_offer() -> PlanOffer {
    PlanOffer {
        id: plan("pro"),
        name: "Pro".into(),
        tagline: "For people who write every day.".into(),
        highlighted: true,
        action: "Start 7-day free trial".into(),
        paid: true,
        monthly: price("$19", "Billed monthly"),
        yearly: price("$15.20", "$182.40 billed yearly"),
        lines: vec![
            line("100 generations per day", true),
            line("Pro tutors", true),
            line("Collaboration", false),
        ],
    }
}

/// Free's column of the pricing table.
pub fn free_offer() -> PlanOffer {
    PlanOffer {
        id: PlanId::free(),
        name: "Free".into(),
        tagline: "Try the writing assistant every day.".into(),
        highlighted: false,
        action: "Start for free".into(),
        paid: false,
        monthly: price("$0", "Free forever"),
        yearly: price("$0", "Free forever"),
        lines: vec![
            line("10 generations per day", true),
            line("Pro tutors", false),
        ],
    }
}

/// A month of generations with a weekly rhythm.
pub fn history() -> UsageHistory {
    let today = NOW.div_euclid(DAY);
    UsageHistory {
        days: (0..30)
            .rev()
            .map(|back: i64| DayUses {
                day: (today - back) * DAY,
                uses: u64::try_from((back * 7 + 3) % 11).unwrap_or(0),
            })
            .collect(),
        units: "generations".into(),
    }
}
