//! What the pages say about a subscription's status (ARCHITECTURE §5, "status → UX"): a trial
//! badge with the days left, a red dot and a banner while a payment is past due, a blocking
//! "payment required" dialog while unpaid, and a prompt for incomplete, expired, canceled and
//! paused subscriptions. Pure: the status and dates in, the words and the one way forward out.

use super::calendar;
use super::subscription::{Subscription, SubscriptionStatus};
use serde::{Deserialize, Serialize};

const DAY: i64 = 86_400;

/// Where the way forward leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NextStep {
    /// The provider's portal (payment method, invoices, resume): a form posting to
    /// `/billing/portal`.
    Portal,
    /// Choosing a plan again: `/pricing`.
    Pricing,
}

/// How loudly to say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tone {
    /// A badge beside the user's name (trial).
    Badge,
    /// A banner over every page; `urgent` ones also put a red dot on the user button.
    Banner { urgent: bool },
    /// A dialog that blocks every page but the billing ones until it is sorted out.
    Blocking,
}

/// One status's notice, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusNotice {
    pub status: SubscriptionStatus,
    pub tone: Tone,
    /// "Trial · 5 days left", "Your last payment for Pro failed."
    pub headline: String,
    /// What happens next, in one sentence; empty for a badge.
    pub detail: String,
    /// The button's words and where it leads; `None` for a badge.
    pub action: Option<(String, NextStep)>,
}

impl StatusNotice {
    /// Whether the user button gets a red dot.
    pub fn needs_attention(&self) -> bool {
        matches!(self.tone, Tone::Banner { urgent: true } | Tone::Blocking)
    }
}

/// The notice for `subscription` of plan `plan_name` at `now`; `None` when there is nothing to
/// say (no subscription, or an active one).
pub fn status_notice(
    subscription: Option<&Subscription>,
    plan_name: &str,
    grace_days: u32,
    now: i64,
) -> Option<StatusNotice> {
    let sub = subscription?;
    let notice = |tone, headline: String, detail: String, action: Option<(&str, NextStep)>| {
        Some(StatusNotice {
            status: sub.status,
            tone,
            headline,
            detail,
            action: action.map(|(words, step)| (words.to_owned(), step)),
        })
    };
    let date = |at: i64| calendar::date(at);
    match sub.status {
        SubscriptionStatus::Active => None,
        SubscriptionStatus::Trialing => {
            let days = sub
                .current_period_end
                .map(|end| ((end - now).max(0) + DAY - 1) / DAY);
            let left = sub.current_period_end.map(|end| end - now);
            let headline = match (days, left) {
                // Passed, and the provider has not said yet what follows.
                (_, Some(left)) if left <= 0 => "Trial · ended".to_owned(),
                (_, Some(left)) if left < DAY => "Trial · ends today".to_owned(),
                (Some(1), _) => "Trial · 1 day left".to_owned(),
                (Some(n), _) => format!("Trial · {n} days left"),
                (None, _) => "Trial".to_owned(),
            };
            notice(Tone::Badge, headline, String::new(), None)
        }
        SubscriptionStatus::PastDue => {
            let until = sub
                .past_due_since
                .unwrap_or(now)
                .saturating_add(i64::from(grace_days) * DAY);
            let detail = if now < until {
                format!(
                    "Update your payment method to keep {plan_name}; without it your account \
                     moves to Free on {}.",
                    date(until)
                )
            } else {
                format!("Your account is on Free until the payment goes through; update your payment method to get {plan_name} back.")
            };
            notice(
                Tone::Banner { urgent: true },
                format!("Your last payment for {plan_name} failed."),
                detail,
                Some(("Update payment method", NextStep::Portal)),
            )
        }
        SubscriptionStatus::Unpaid => notice(
            Tone::Blocking,
            "Payment required".to_owned(),
            format!(
                "Your {plan_name} subscription is unpaid, so Tollgate is on hold. Update your \
                 payment method to continue, or choose another plan."
            ),
            Some(("Update payment method", NextStep::Portal)),
        ),
        SubscriptionStatus::Incomplete => notice(
            Tone::Banner { urgent: true },
            format!("Your {plan_name} payment is not finished."),
            "Finish your payment to start the plan; until then you are on Free.".to_owned(),
            Some(("Finish your payment", NextStep::Portal)),
        ),
        SubscriptionStatus::IncompleteExpired => notice(
            Tone::Banner { urgent: false },
            format!("Your {plan_name} checkout expired before it was paid."),
            "Nothing was charged. Subscribe again whenever you like.".to_owned(),
            Some(("Subscribe again", NextStep::Pricing)),
        ),
        SubscriptionStatus::Canceled => {
            let detail = match sub.current_period_end {
                Some(end) if now < end => format!(
                    "You keep {plan_name} until {}, then move to Free.",
                    date(end)
                ),
                _ => "You are on Free now; your history is all still here.".to_owned(),
            };
            notice(
                Tone::Banner { urgent: false },
                format!("Your {plan_name} subscription is canceled."),
                detail,
                Some(("Resubscribe", NextStep::Pricing)),
            )
        }
        SubscriptionStatus::Paused => notice(
            Tone::Banner { urgent: false },
            format!("Your {plan_name} subscription is paused."),
            "You are on Free while it is paused. Resume it to get your plan back.".to_owned(),
            Some(("Resume", NextStep::Portal)),
        ),
    }
}

/// The plan and what happens next, for the account page: "Pro, renews on 2026-12-26.",
/// "Pro trial until 2026-12-03; the first payment is then.", "Pro until 2026-12-26, then Free.",
/// "Free: nothing to pay."
pub fn plan_words(subscription: Option<&Subscription>, plan_name: &str, now: i64) -> String {
    let Some(sub) = subscription else {
        return "Free: nothing to pay.".to_owned();
    };
    let end = sub.current_period_end.filter(|end| *end > now);
    match (sub.status, end) {
        (SubscriptionStatus::Active, Some(end)) => {
            format!("{plan_name}, renews on {}.", calendar::date(end))
        }
        (SubscriptionStatus::Trialing, Some(end)) => format!(
            "{plan_name} trial until {}; the first payment is then.",
            calendar::date(end)
        ),
        (SubscriptionStatus::Canceled, Some(end)) => {
            format!("{plan_name} until {}, then Free.", calendar::date(end))
        }
        (SubscriptionStatus::Canceled, None) => "Free: your subscription has ended.".to_owned(),
        (status, _) => format!("{plan_name} ({}).", status.as_str().replace('_', " ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PlanId;

    const NOW: i64 = 1_790_000_000;

    fn sub(status: SubscriptionStatus) -> Subscription {
        Subscription {
            plan: PlanId::parse("pro").expect("id"),
            status,
            current_period_start: Some(NOW - 10 * DAY),
            current_period_end: Some(NOW + 5 * DAY - 60),
            past_due_since: Some(NOW - 2 * DAY),
            kept: None,
        }
    }

    fn say(status: SubscriptionStatus) -> StatusNotice {
        status_notice(Some(&sub(status)), "Pro", 7, NOW).expect("a notice")
    }

    #[test]
    fn nothing_to_say_without_a_subscription_or_when_active() {
        assert_eq!(status_notice(None, "Free", 7, NOW), None);
        assert_eq!(
            status_notice(Some(&sub(SubscriptionStatus::Active)), "Pro", 7, NOW),
            None
        );
    }

    #[test]
    fn a_trial_is_a_badge_counting_whole_days_up() {
        let trial = say(SubscriptionStatus::Trialing);
        assert_eq!(
            (trial.tone, trial.headline.as_str()),
            (Tone::Badge, "Trial · 5 days left")
        );
        assert!(!trial.needs_attention());
        let mut last_day = sub(SubscriptionStatus::Trialing);
        last_day.current_period_end = Some(NOW + 3_600);
        let badge = status_notice(Some(&last_day), "Pro", 7, NOW).expect("notice");
        assert_eq!(badge.headline, "Trial · ends today");
        last_day.current_period_end = Some(NOW + 30 * 3_600);
        let badge = status_notice(Some(&last_day), "Pro", 7, NOW).expect("notice");
        assert_eq!(
            badge.headline, "Trial · 2 days left",
            "whole days, counted up"
        );
        last_day.current_period_end = Some(NOW + DAY);
        let badge = status_notice(Some(&last_day), "Pro", 7, NOW).expect("notice");
        assert_eq!(badge.headline, "Trial · 1 day left");
        last_day.current_period_end = Some(NOW - 60);
        let over = status_notice(Some(&last_day), "Pro", 7, NOW).expect("notice");
        assert_eq!(over.headline, "Trial · ended", "never \"0 days left\"");
    }

    #[test]
    fn past_due_is_urgent_and_names_the_day_access_ends() {
        let notice = say(SubscriptionStatus::PastDue);
        assert!(notice.needs_attention());
        assert_eq!(notice.headline, "Your last payment for Pro failed.");
        assert!(
            notice.detail.ends_with(&format!(
                "moves to Free on {}.",
                calendar::date(NOW + 5 * DAY)
            )),
            "{}",
            notice.detail
        );
        assert_eq!(
            notice.action,
            Some(("Update payment method".to_owned(), NextStep::Portal))
        );
        let over =
            status_notice(Some(&sub(SubscriptionStatus::PastDue)), "Pro", 1, NOW).expect("notice");
        assert!(
            over.detail.starts_with("Your account is on Free"),
            "{}",
            over.detail
        );
    }

    #[test]
    fn unpaid_blocks_and_the_others_prompt_the_right_way_forward() {
        assert_eq!(say(SubscriptionStatus::Unpaid).tone, Tone::Blocking);
        let step = |s| say(s).action.map(|(_, step)| step);
        assert_eq!(step(SubscriptionStatus::Incomplete), Some(NextStep::Portal));
        assert_eq!(
            step(SubscriptionStatus::IncompleteExpired),
            Some(NextStep::Pricing)
        );
        assert_eq!(step(SubscriptionStatus::Canceled), Some(NextStep::Pricing));
        assert_eq!(step(SubscriptionStatus::Paused), Some(NextStep::Portal));
        assert!(say(SubscriptionStatus::Canceled)
            .detail
            .starts_with("You keep Pro until"));
    }

    #[test]
    fn the_account_page_says_the_plan_and_what_happens_next() {
        let end = calendar::date(NOW + 5 * DAY - 60);
        let words = |status| plan_words(Some(&sub(status)), "Pro", NOW);
        assert_eq!(
            words(SubscriptionStatus::Active),
            format!("Pro, renews on {end}.")
        );
        assert!(words(SubscriptionStatus::Trialing).starts_with("Pro trial until"));
        assert_eq!(
            words(SubscriptionStatus::Canceled),
            format!("Pro until {end}, then Free.")
        );
        assert_eq!(words(SubscriptionStatus::PastDue), "Pro (past due).");
        assert_eq!(plan_words(None, "Free", NOW), "Free: nothing to pay.");
    }
}
