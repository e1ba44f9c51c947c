//! A billing provider's subscription (Stripe's, or the built-in test-mode provider's) and what
//! our copy of it says: the pure half of the one sync (`billing::sync`).
//!
//! The sync always reads the provider's *current* state and writes it whole, so the result does
//! not depend on which event triggered it, in which order events came, or how often.

use super::catalog::{BillingInterval, Catalog, CatalogPrice};
use super::subscription::{KeptPlan, Subscription, SubscriptionStatus, HOLD_COOLDOWN_SECS};

/// What the provider says about one subscription, in its own terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSubscription {
    pub id: String,
    pub customer: String,
    /// The lookup key of its price (the first item's: our subscriptions have one item).
    pub price_key: Option<String>,
    /// `None` for a status this code does not know (a newer API's): treated as not paid.
    pub status: Option<SubscriptionStatus>,
    /// Current API versions keep the period on the subscription item.
    pub current_period_start: Option<i64>,
    pub current_period_end: Option<i64>,
    pub cancel_at_period_end: bool,
    pub trial_end: Option<i64>,
    /// When a canceled subscription ended. Stripe leaves the period as it was when it cancels
    /// at once (a refund, retries run out), so the end of access is the earlier of the two.
    pub ended_at: Option<i64>,
    pub created: i64,
}

/// What the sync writes beside [`Subscription`] (which the access decision reads): what the
/// billing pages show and where the row came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscriptionDetails {
    pub interval: Option<BillingInterval>,
    pub cancel_at_period_end: bool,
    pub trial_end: Option<i64>,
    /// `None` for a row an operator set (`tollgate user set-plan`).
    pub provider_subscription_id: Option<String>,
}

/// Why a provider subscription cannot become ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotOurs {
    #[error("subscription {0} has a price whose lookup key is not in plans.toml ({1:?})")]
    UnknownPrice(String, Option<String>),
    #[error("subscription {0} is on the price of a credit pack, which is a one-off purchase")]
    PackPrice(String),
}

impl SubscriptionStatus {
    /// Still running at the provider: it can bill again or come back. Ended ones
    /// (`canceled`, `incomplete_expired`) cannot.
    pub fn is_live(self) -> bool {
        !matches!(
            self,
            SubscriptionStatus::Canceled | SubscriptionStatus::IncompleteExpired
        )
    }
}

/// The subscription that decides what the customer has: a live one before an ended one, then
/// the newest. Stripe keeps ended subscriptions listed; a customer who canceled and subscribed
/// again has both.
pub fn current(subscriptions: &[ProviderSubscription]) -> Option<&ProviderSubscription> {
    subscriptions
        .iter()
        .max_by_key(|s| (s.status.is_some_and(SubscriptionStatus::is_live), s.created))
}

/// Our copy of `sub`: its plan found by its price's lookup key, never by its amount.
pub fn ours(
    catalog: &Catalog,
    sub: &ProviderSubscription,
) -> Result<(Subscription, SubscriptionDetails), NotOurs> {
    let (plan, interval) = match sub.price_key.as_deref().and_then(|k| catalog.price(k)) {
        Some(CatalogPrice::Plan { plan, interval }) => (plan.id.clone(), interval),
        Some(CatalogPrice::Pack(_)) => return Err(NotOurs::PackPrice(sub.id.clone())),
        None => return Err(NotOurs::UnknownPrice(sub.id.clone(), sub.price_key.clone())),
    };
    // A status we cannot read grants nothing paid, like `incomplete`.
    let status = sub.status.unwrap_or(SubscriptionStatus::Incomplete);
    let current_period_end = match (status, sub.ended_at) {
        (SubscriptionStatus::Canceled, Some(ended)) => {
            Some(sub.current_period_end.map_or(ended, |end| end.min(ended)))
        }
        _ => sub.current_period_end,
    };
    let subscription = Subscription {
        plan,
        status,
        current_period_start: sub.current_period_start,
        current_period_end,
        past_due_since: None,
        kept: None,
    };
    let details = SubscriptionDetails {
        interval: Some(interval),
        cancel_at_period_end: sub.cancel_at_period_end,
        trial_end: sub.trial_end,
        provider_subscription_id: Some(sub.id.clone()),
    };
    Ok((subscription, details))
}

/// Whether the usage must be checked before writing `incoming` over `stored`: a plan is kept
/// now, or a paid-up subscription was switched to another plan at the provider.
pub fn may_keep_plan(stored: Option<&Subscription>, incoming: &Subscription, now: i64) -> bool {
    stored.is_some_and(|stored| {
        incoming.status.is_live()
            && (stored.kept_at(now).is_some()
                || (stored.is_paid_up() && stored.plan != incoming.plan))
    })
}

/// What to store about a kept plan when the provider now bills `incoming` and the account's
/// usage is `over_limits` of it. A plan kept now stays with its deadline while the usage does
/// not fit; it ends when the usage fits or the customer switched back to it. A new one (the
/// paid-up stored plan, for `keep_days`) starts only if the last one ended more than
/// [`HOLD_COOLDOWN_SECS`] ago. An ended one is remembered (`plan: None`) for that cooldown.
pub fn kept_plan(
    stored: Option<&Subscription>,
    incoming: &Subscription,
    over_limits: bool,
    keep_days: u32,
    now: i64,
) -> Option<KeptPlan> {
    let stored = stored?;
    let remembered = stored.kept.as_ref().map(|kept| KeptPlan {
        plan: None,
        until: kept.until,
    });
    let keeps = over_limits && incoming.status.is_live();
    match stored.kept_at(now) {
        Some(plan) if keeps && *plan != incoming.plan => stored.kept.clone(),
        Some(_) => remembered,
        None => {
            let cooled = stored
                .kept
                .as_ref()
                .is_none_or(|kept| now >= kept.until.saturating_add(HOLD_COOLDOWN_SECS));
            let switched = stored.is_paid_up() && stored.plan != incoming.plan;
            if keeps && switched && cooled && keep_days > 0 {
                Some(KeptPlan {
                    plan: Some(stored.plan.clone()),
                    until: now.saturating_add(i64::from(keep_days) * 86_400),
                })
            } else {
                remembered
            }
        }
    }
}

/// Whether a customer holds a subscription: their stored one came from the provider and is
/// still live. The one rule for both sides: checkout refuses them (a second checkout would
/// make a second subscription) and the pricing page sends their plan changes to the portal.
/// A plan an operator set has no provider subscription: its holder checks out like anyone.
pub fn has_live_paid_subscription(stored: &Subscription, details: &SubscriptionDetails) -> bool {
    details.provider_subscription_id.is_some() && stored.status.is_live()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixture::catalog;
    use crate::domain::PlanId;

    fn sub(id: &str, status: Option<SubscriptionStatus>, created: i64) -> ProviderSubscription {
        ProviderSubscription {
            id: id.into(),
            customer: "cus_1".into(),
            price_key: Some("pro_monthly".into()),
            status,
            current_period_start: Some(1_000),
            current_period_end: Some(2_000),
            cancel_at_period_end: false,
            trial_end: None,
            ended_at: None,
            created,
        }
    }

    #[test]
    fn a_live_subscription_wins_over_a_newer_ended_one() {
        use SubscriptionStatus::*;
        let subs = [
            sub("old", Some(Canceled), 10),
            sub("live", Some(PastDue), 20),
            sub("newest_ended", Some(IncompleteExpired), 30),
        ];
        assert_eq!(current(&subs).unwrap().id, "live");
    }

    #[test]
    fn among_ended_ones_the_newest_decides_and_none_means_none() {
        use SubscriptionStatus::*;
        let subs = [sub("a", Some(Canceled), 10), sub("b", Some(Canceled), 20)];
        assert_eq!(current(&subs).unwrap().id, "b");
        assert_eq!(current(&[]), None);
        // An unknown status counts as ended, not live.
        let subs = [sub("odd", None, 30), sub("ok", Some(Active), 10)];
        assert_eq!(current(&subs).unwrap().id, "ok");
    }

    #[test]
    fn the_plan_comes_from_the_lookup_key() {
        let mut yearly_team = sub("s", Some(SubscriptionStatus::Trialing), 1);
        yearly_team.price_key = Some("team_yearly".into());
        yearly_team.trial_end = Some(1_500);
        yearly_team.cancel_at_period_end = true;
        let (ours, details) = ours(&catalog(), &yearly_team).unwrap();
        assert_eq!(ours.plan.as_str(), "team");
        assert_eq!(ours.status, SubscriptionStatus::Trialing);
        assert_eq!(ours.current_period_start, Some(1_000));
        assert_eq!(details.interval, Some(BillingInterval::Yearly));
        assert_eq!(details.trial_end, Some(1_500));
        assert!(details.cancel_at_period_end);
        assert_eq!(details.provider_subscription_id.as_deref(), Some("s"));
    }

    #[test]
    fn an_unknown_price_or_a_pack_price_is_not_a_plan() {
        let mut s = sub("s", Some(SubscriptionStatus::Active), 1);
        s.price_key = Some("pro_weekly".into());
        assert!(matches!(
            ours(&catalog(), &s),
            Err(NotOurs::UnknownPrice(..))
        ));
        s.price_key = None;
        assert!(matches!(
            ours(&catalog(), &s),
            Err(NotOurs::UnknownPrice(..))
        ));
        s.price_key = Some("generations_100".into());
        assert_eq!(ours(&catalog(), &s), Err(NotOurs::PackPrice("s".into())));
    }

    #[test]
    fn a_subscription_canceled_at_once_ends_when_it_ended_not_at_its_period_end() {
        let mut canceled = sub("s", Some(SubscriptionStatus::Canceled), 1);
        canceled.ended_at = Some(1_200);
        assert_eq!(
            ours(&catalog(), &canceled).unwrap().0.current_period_end,
            Some(1_200)
        );
        // Canceled at the period's end: it ended then.
        canceled.ended_at = Some(2_000);
        assert_eq!(
            ours(&catalog(), &canceled).unwrap().0.current_period_end,
            Some(2_000)
        );
        // Only a canceled subscription's end moves.
        let mut active = sub("a", Some(SubscriptionStatus::Active), 1);
        active.ended_at = Some(1_200);
        assert_eq!(
            ours(&catalog(), &active).unwrap().0.current_period_end,
            Some(2_000)
        );
    }

    #[test]
    fn an_unknown_status_grants_nothing_paid() {
        let (ours, _) = ours(&catalog(), &sub("s", None, 1)).unwrap();
        assert_eq!(ours.status, SubscriptionStatus::Incomplete);
    }

    #[test]
    fn only_a_live_provider_subscription_blocks_a_second_checkout() {
        let stored = |status| Subscription {
            plan: crate::domain::PlanId::parse("pro").unwrap(),
            status,
            current_period_start: None,
            current_period_end: None,
            past_due_since: None,
            kept: None,
        };
        let from_provider = SubscriptionDetails {
            provider_subscription_id: Some("sub_1".into()),
            ..Default::default()
        };
        let active = stored(SubscriptionStatus::Active);
        assert!(has_live_paid_subscription(&active, &from_provider));
        let canceled = stored(SubscriptionStatus::Canceled);
        assert!(!has_live_paid_subscription(&canceled, &from_provider));
        // Payment trouble that cut the plan down to Free still holds the subscription.
        let cut_down = Subscription {
            plan: crate::domain::PlanId::free(),
            ..stored(SubscriptionStatus::PastDue)
        };
        assert!(has_live_paid_subscription(&cut_down, &from_provider));
        // Set by an operator: no provider subscription to duplicate.
        assert!(!has_live_paid_subscription(
            &active,
            &SubscriptionDetails::default()
        ));
    }

    #[test]
    fn a_switch_the_usage_does_not_fit_keeps_the_old_plan_for_a_while_never_longer() {
        let on = |plan: &str, status| Subscription {
            plan: PlanId::parse(plan).unwrap(),
            status,
            current_period_start: None,
            current_period_end: None,
            past_due_since: None,
            kept: None,
        };
        let team = on("team", SubscriptionStatus::Active);
        let pro = on("pro", SubscriptionStatus::Active);
        let now = 1_000_000;
        let week = 7 * 86_400;
        let kept = kept_plan(Some(&team), &pro, true, 7, now).expect("Team kept");
        assert_eq!(kept.plan.as_ref().map(PlanId::as_str), Some("team"));
        assert_eq!(kept.until, now + week);
        // Usage fits, a first subscription, a plan never paid for, or no grace: nothing kept.
        assert_eq!(kept_plan(Some(&team), &pro, false, 7, now), None);
        assert_eq!(kept_plan(None, &pro, true, 7, now), None);
        for status in [
            SubscriptionStatus::Canceled,
            SubscriptionStatus::Incomplete,
            SubscriptionStatus::Unpaid,
        ] {
            assert_eq!(
                kept_plan(Some(&on("team", status)), &pro, true, 7, now),
                None,
                "{status}"
            );
        }
        assert_eq!(kept_plan(Some(&team), &pro, true, 0, now), None);
        // Synced again later: the same deadline, not a new one; after it, only remembered.
        let held = Subscription {
            kept: Some(kept.clone()),
            ..pro.clone()
        };
        assert_eq!(
            kept_plan(Some(&held), &pro, true, 7, now + 86_400),
            Some(kept.clone())
        );
        let ended = KeptPlan {
            plan: None,
            until: now + week,
        };
        assert_eq!(
            kept_plan(Some(&held), &pro, true, 7, now + week),
            Some(ended.clone())
        );
        // Switched back to the kept plan, or the usage fits: it ends, and is remembered.
        assert_eq!(
            kept_plan(Some(&held), &team, true, 7, now),
            Some(ended.clone())
        );
        assert_eq!(
            kept_plan(Some(&held), &pro, false, 7, now),
            Some(ended.clone())
        );
        // Back on Team after it ended, then Pro again: no new hold within the cooldown.
        let back_on_team = Subscription {
            kept: Some(ended.clone()),
            ..team.clone()
        };
        assert_eq!(
            kept_plan(Some(&back_on_team), &pro, true, 7, now + 86_400),
            Some(ended.clone())
        );
        let later = now + week + HOLD_COOLDOWN_SECS;
        let renewed = kept_plan(Some(&back_on_team), &pro, true, 7, later).expect("a month later");
        assert_eq!(renewed.until, later + week);
    }
}
