//! What the test-mode provider's portal buttons do to a subscription, as Stripe's billing engine
//! would: pure, so every transition is unit-tested. Upgrades apply at once; a cheaper price
//! waits for the end of the period already paid for; "renew now" ends the period at once
//! (cancelling, failing, or switching as scheduled), so designers need not wait a month.

use crate::domain::calendar::add_months;
use crate::domain::{BillingInterval, Catalog, CatalogPrice, SubscriptionStatus};

/// The test-mode provider's subscription, as kept in `local_billing_subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalSubscription {
    pub id: String,
    pub customer: String,
    pub price_key: String,
    pub status: SubscriptionStatus,
    pub current_period_start: i64,
    pub current_period_end: i64,
    pub cancel_at_period_end: bool,
    pub trial_end: Option<i64>,
    pub pending_price_key: Option<String>,
    pub next_renewal_fails: bool,
}

/// A test-portal button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortalAction {
    /// Move to another plan or interval (the caller checks downgrade limits first).
    SwitchTo(String),
    CancelAtPeriodEnd,
    /// Undo a scheduled cancellation or switch.
    Resume,
    FailNextRenewal,
    /// End the current period now: what would happen at its end happens.
    RenewNow,
    /// Pay what is overdue (past due or unpaid): active again, a new period from now.
    PayNow,
    /// Stripe's retries ran out: unpaid.
    MarkUnpaid,
    CancelNow,
}

impl PortalAction {
    /// The form's `action` (and `price` for a switch).
    pub fn from_form(action: &str, price: Option<&str>) -> Option<Self> {
        Some(match action {
            "switch" => PortalAction::SwitchTo(price?.to_owned()),
            "cancel" => PortalAction::CancelAtPeriodEnd,
            "resume" => PortalAction::Resume,
            "fail_next_renewal" => PortalAction::FailNextRenewal,
            "renew_now" => PortalAction::RenewNow,
            "pay_now" => PortalAction::PayNow,
            "mark_unpaid" => PortalAction::MarkUnpaid,
            "cancel_now" => PortalAction::CancelNow,
            _ => return None,
        })
    }

    /// The buttons that apply to `sub` now (switches are listed apart): (form action, label).
    pub fn buttons(sub: &LocalSubscription) -> Vec<(&'static str, &'static str)> {
        use SubscriptionStatus::*;
        if !sub.status.is_live() {
            return Vec::new();
        }
        let mut buttons = Vec::new();
        if sub.cancel_at_period_end || sub.pending_price_key.is_some() {
            buttons.push(("resume", "Keep my plan as it is"));
        } else {
            buttons.push(("cancel", "Cancel at the end of the period"));
        }
        if matches!(sub.status, PastDue | Unpaid) {
            buttons.push(("pay_now", "Pay the overdue invoice"));
        }
        if sub.status == PastDue {
            buttons.push(("mark_unpaid", "Retries run out (unpaid)"));
        }
        if !sub.next_renewal_fails {
            buttons.push(("fail_next_renewal", "Make the next renewal fail"));
        }
        buttons.push(("renew_now", "End the period now (renew)"));
        buttons.push(("cancel_now", "Cancel now"));
        buttons
    }
}

/// Why a button does nothing for this subscription.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotNow {
    #[error("That plan is not offered.")]
    UnknownPrice,
    #[error("That is already your plan.")]
    SamePrice,
    #[error("This subscription has ended; start a new one from the pricing page.")]
    Ended,
    #[error("Nothing is overdue.")]
    NothingOverdue,
}

/// What a price costs per month, for telling upgrades from downgrades.
fn monthly_cents(catalog: &Catalog, key: &str) -> Option<u64> {
    match catalog.price(key)? {
        CatalogPrice::Plan { plan, interval } => {
            Some(plan.price(interval).cents / u64::from(interval.months()))
        }
        CatalogPrice::Pack(_) => None,
    }
}

fn interval_of(catalog: &Catalog, key: &str) -> BillingInterval {
    match catalog.price(key) {
        Some(CatalogPrice::Plan { interval, .. }) => interval,
        _ => BillingInterval::Monthly,
    }
}

/// `sub` after `action` at `now`.
pub fn apply(
    catalog: &Catalog,
    mut sub: LocalSubscription,
    action: &PortalAction,
    now: i64,
) -> Result<LocalSubscription, NotNow> {
    if !sub.status.is_live() {
        return Err(NotNow::Ended);
    }
    match action {
        PortalAction::SwitchTo(key) => {
            let target = monthly_cents(catalog, key).ok_or(NotNow::UnknownPrice)?;
            if *key == sub.price_key {
                return Err(NotNow::SamePrice);
            }
            let current = monthly_cents(catalog, &sub.price_key).unwrap_or(0);
            if target >= current {
                // An upgrade: at once (Stripe prorates the difference).
                sub.price_key = key.clone();
                sub.pending_price_key = None;
            } else {
                sub.pending_price_key = Some(key.clone());
            }
        }
        PortalAction::CancelAtPeriodEnd => sub.cancel_at_period_end = true,
        PortalAction::Resume => {
            sub.cancel_at_period_end = false;
            sub.pending_price_key = None;
        }
        PortalAction::FailNextRenewal => sub.next_renewal_fails = true,
        PortalAction::RenewNow => renew(catalog, &mut sub, now),
        PortalAction::PayNow => {
            if !matches!(
                sub.status,
                SubscriptionStatus::PastDue | SubscriptionStatus::Unpaid
            ) {
                return Err(NotNow::NothingOverdue);
            }
            sub.status = SubscriptionStatus::Active;
            start_period(catalog, &mut sub, now);
        }
        PortalAction::MarkUnpaid => {
            if sub.status != SubscriptionStatus::PastDue {
                return Err(NotNow::NothingOverdue);
            }
            sub.status = SubscriptionStatus::Unpaid;
        }
        PortalAction::CancelNow => {
            sub.status = SubscriptionStatus::Canceled;
            sub.current_period_end = now;
            sub.cancel_at_period_end = false;
        }
    }
    Ok(sub)
}

fn start_period(catalog: &Catalog, sub: &mut LocalSubscription, now: i64) {
    sub.current_period_start = now;
    sub.current_period_end = add_months(
        now,
        i64::from(interval_of(catalog, &sub.price_key).months()),
    );
    sub.trial_end = None;
}

/// The end of the period, brought forward to `now`.
fn renew(catalog: &Catalog, sub: &mut LocalSubscription, now: i64) {
    if sub.cancel_at_period_end {
        sub.status = SubscriptionStatus::Canceled;
        sub.current_period_end = now;
        sub.cancel_at_period_end = false;
        return;
    }
    if let Some(next) = sub.pending_price_key.take() {
        sub.price_key = next;
    }
    sub.status = if std::mem::take(&mut sub.next_renewal_fails) {
        SubscriptionStatus::PastDue
    } else {
        SubscriptionStatus::Active
    };
    start_period(catalog, sub, now);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixture::catalog;

    const NOW: i64 = 1_767_225_600; // 2026-01-01

    fn trialing_pro() -> LocalSubscription {
        LocalSubscription {
            id: "sub_1".into(),
            customer: "cus_1".into(),
            price_key: "pro_monthly".into(),
            status: SubscriptionStatus::Trialing,
            current_period_start: NOW - 86_400,
            current_period_end: NOW + 6 * 86_400,
            cancel_at_period_end: false,
            trial_end: Some(NOW + 6 * 86_400),
            pending_price_key: None,
            next_renewal_fails: false,
        }
    }

    fn after(sub: LocalSubscription, actions: &[PortalAction]) -> LocalSubscription {
        actions.iter().fold(sub, |sub, action| {
            apply(&catalog(), sub, action, NOW).expect("the action applies")
        })
    }

    #[test]
    fn renewing_ends_the_trial_and_starts_a_paid_month() {
        let sub = after(trialing_pro(), &[PortalAction::RenewNow]);
        assert_eq!(sub.status, SubscriptionStatus::Active);
        assert_eq!(sub.current_period_start, NOW);
        assert_eq!(sub.current_period_end, add_months(NOW, 1));
        assert_eq!(sub.trial_end, None);
    }

    #[test]
    fn an_upgrade_applies_at_once_and_a_downgrade_at_the_renewal() {
        use PortalAction::*;
        let team = after(trialing_pro(), &[SwitchTo("team_monthly".into())]);
        assert_eq!(team.price_key, "team_monthly");
        let scheduled = after(team, &[SwitchTo("pro_yearly".into())]);
        assert_eq!(
            scheduled.price_key, "team_monthly",
            "kept until the period ends"
        );
        assert_eq!(scheduled.pending_price_key.as_deref(), Some("pro_yearly"));
        let renewed = after(scheduled, &[RenewNow]);
        assert_eq!(renewed.price_key, "pro_yearly");
        assert_eq!(renewed.current_period_end, add_months(NOW, 12));
        assert_eq!(renewed.pending_price_key, None);
    }

    #[test]
    fn a_failed_renewal_is_past_due_then_unpaid_until_paid() {
        use PortalAction::*;
        let failed = after(trialing_pro(), &[FailNextRenewal, RenewNow]);
        assert_eq!(failed.status, SubscriptionStatus::PastDue);
        assert!(!failed.next_renewal_fails, "only the next renewal fails");
        let unpaid = after(failed, &[MarkUnpaid]);
        assert_eq!(unpaid.status, SubscriptionStatus::Unpaid);
        let paid = after(unpaid, &[PayNow]);
        assert_eq!(paid.status, SubscriptionStatus::Active);
    }

    #[test]
    fn cancelling_at_period_end_keeps_the_plan_until_then_and_resume_undoes_it() {
        use PortalAction::*;
        let canceling = after(trialing_pro(), &[CancelAtPeriodEnd]);
        assert!(canceling.cancel_at_period_end);
        assert_eq!(canceling.status, SubscriptionStatus::Trialing);
        let resumed = after(canceling.clone(), &[Resume]);
        assert!(!resumed.cancel_at_period_end);
        let ended = after(canceling, &[RenewNow]);
        assert_eq!(ended.status, SubscriptionStatus::Canceled);
        assert_eq!(ended.current_period_end, NOW);
    }

    #[test]
    fn the_buttons_follow_the_state() {
        let codes = |sub: &LocalSubscription| {
            PortalAction::buttons(sub)
                .into_iter()
                .map(|(code, _)| code)
                .collect::<Vec<_>>()
        };
        let pro = trialing_pro();
        assert_eq!(
            codes(&pro),
            ["cancel", "fail_next_renewal", "renew_now", "cancel_now"]
        );
        let overdue = after(
            pro.clone(),
            &[PortalAction::FailNextRenewal, PortalAction::RenewNow],
        );
        assert!(codes(&overdue).contains(&"pay_now"));
        assert!(codes(&overdue).contains(&"mark_unpaid"));
        let canceling = after(pro.clone(), &[PortalAction::CancelAtPeriodEnd]);
        assert_eq!(codes(&canceling)[0], "resume");
        assert!(codes(&after(pro, &[PortalAction::CancelNow])).is_empty());
        for (code, _) in PortalAction::buttons(&overdue) {
            assert!(PortalAction::from_form(code, None).is_some(), "{code}");
        }
        assert_eq!(
            PortalAction::from_form("switch", Some("team_yearly")),
            Some(PortalAction::SwitchTo("team_yearly".into()))
        );
        assert_eq!(PortalAction::from_form("switch", None), None);
        assert_eq!(PortalAction::from_form("refund_everything", None), None);
    }

    #[test]
    fn buttons_that_make_no_sense_say_why() {
        let pro = trialing_pro();
        let refused =
            |sub: &LocalSubscription, action| apply(&catalog(), sub.clone(), &action, NOW);
        assert_eq!(
            refused(&pro, PortalAction::SwitchTo("pro_monthly".into())),
            Err(NotNow::SamePrice)
        );
        assert_eq!(
            refused(&pro, PortalAction::SwitchTo("generations_100".into())),
            Err(NotNow::UnknownPrice)
        );
        assert_eq!(
            refused(&pro, PortalAction::PayNow),
            Err(NotNow::NothingOverdue)
        );
        let ended = after(pro, &[PortalAction::CancelNow]);
        assert_eq!(refused(&ended, PortalAction::Resume), Err(NotNow::Ended));
    }
}
