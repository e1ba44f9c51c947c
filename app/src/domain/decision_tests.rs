//! The decision table, case by case.

use super::calendar::Window;
use super::catalog::{Catalog, PlanId};
use super::decision::*;
use super::fixture::{catalog, feature_of};
use super::subscription::{Standing, SubscriptionStatus};

/// 2026-11-25T12:00:00Z
const NOW: i64 = 1_795_608_000;
const MIDNIGHT: i64 = 1_795_651_200;

fn member(plan: &str) -> Who {
    Who::Member {
        admin: false,
        banned: false,
        standing: Standing::Plan {
            plan: PlanId::parse(plan).unwrap(),
            anchor: None,
        },
    }
}

fn ask(c: &Catalog, who: &Who, feature: &str, used: u64, credits: u64) -> Decision {
    check(
        c,
        who,
        &feature_of(c, feature),
        Usage { used, credits },
        1,
        NOW,
    )
}

fn denied(d: Decision) -> Denial {
    match d {
        Decision::Denied(d) => d,
        Decision::Allowed(a) => panic!("expected a denial, got {a:?}"),
    }
}

fn allowed(d: Decision) -> Allowance {
    match d {
        Decision::Allowed(a) => a,
        Decision::Denied(d) => panic!("expected allowed, got {d:?}"),
    }
}

fn pro() -> PlanId {
    PlanId::parse("pro").unwrap()
}

#[test]
fn free_gets_ten_generations_a_day_and_the_eleventh_is_refused() {
    let c = catalog();
    let a = allowed(ask(&c, &member("free"), "generations", 9, 0));
    assert_eq!(a.remaining, Some(1));
    assert_eq!(a.limit, Some(10));
    assert_eq!(a.resets_at, Some(MIDNIGHT));
    let d = denied(ask(&c, &member("free"), "generations", 10, 0));
    assert_eq!(d.reason, DenyReason::LimitReached);
    assert_eq!(d.upgrade_to, Some(pro()));
    assert_eq!(d.resets_at, Some(MIDNIGHT));
    assert_eq!(d.limit, Some(10));
    assert_eq!(
        d.message(&c, &feature_of(&c, "generations")),
        "Daily limit reached"
    );
}

#[test]
fn credits_are_spent_only_after_the_allowance() {
    let c = catalog();
    let a = allowed(ask(&c, &member("free"), "generations", 4, 100));
    assert_eq!(a.remaining, Some(106), "allowance left plus credits");
    let a = allowed(ask(&c, &member("free"), "generations", 10, 1));
    assert_eq!(a.remaining, Some(1));
    let terms = terms(&c, &member("free"), &feature_of(&c, "generations"), NOW).unwrap();
    // A use is paid from one source: 3 do not fit in 2 left, but do fit in 5 credits.
    assert!(decide(
        &terms,
        Usage {
            used: 8,
            credits: 5
        },
        3
    )
    .is_allowed());
    assert!(!decide(
        &terms,
        Usage {
            used: 8,
            credits: 2
        },
        3
    )
    .is_allowed());
}

#[test]
fn reporting_after_a_charge_may_show_zero_left() {
    let c = catalog();
    let terms = terms(&c, &member("free"), &feature_of(&c, "generations"), NOW).unwrap();
    let a = allowed(decide(
        &terms,
        Usage {
            used: 10,
            credits: 0,
        },
        0,
    ));
    assert_eq!(a.remaining, Some(0));
}

#[test]
fn pro_and_team_allowances() {
    let c = catalog();
    assert_eq!(
        allowed(ask(&c, &member("pro"), "generations", 99, 0)).remaining,
        Some(1)
    );
    let d = denied(ask(&c, &member("pro"), "generations", 100, 0));
    assert_eq!(d.upgrade_to, Some(PlanId::parse("team").unwrap()));
    let team = allowed(ask(&c, &member("team"), "generations", 1_000_000, 0));
    assert_eq!(team.remaining, None);
    assert_eq!(team.limit, None);
    assert_eq!(
        team.resets_at,
        Some(MIDNIGHT),
        "counted per day even when unlimited"
    );
}

#[test]
fn monthly_features_use_the_billing_anchor() {
    let c = catalog();
    let anchor = NOW - 10 * 86_400;
    let who = Who::Member {
        admin: false,
        banned: false,
        standing: Standing::Plan {
            plan: pro(),
            anchor: Some(anchor),
        },
    };
    let t = terms(&c, &who, &feature_of(&c, "tutor_sessions"), NOW).unwrap();
    let Grant::Metered { limit, window, .. } = t.grant else {
        panic!("metered")
    };
    assert_eq!(limit, Some(30));
    assert_eq!(window.start, anchor);
    let d = denied(ask(&c, &member("free"), "tutor_sessions", 3, 0));
    assert_eq!(
        d.message(&c, &feature_of(&c, "tutor_sessions")),
        "Monthly limit reached"
    );
}

#[test]
fn boolean_features_name_the_plan_that_has_them() {
    let c = catalog();
    let d = denied(ask(&c, &member("free"), "pro_tutors", 0, 0));
    assert_eq!(d.reason, DenyReason::RequiresPlan(pro()));
    assert_eq!(d.upgrade_to, Some(pro()));
    assert_eq!(
        d.message(&c, &feature_of(&c, "pro_tutors")),
        "Upgrade to Pro to use Pro tutors."
    );
    let a = allowed(ask(&c, &member("pro"), "pro_tutors", 0, 0));
    assert_eq!((a.remaining, a.limit), (None, None));
}

#[test]
fn count_limits_compare_live_rows_and_say_what_to_do() {
    let c = catalog();
    let a = allowed(ask(&c, &member("free"), "tracked_accounts", 2, 0));
    assert_eq!(
        (a.remaining, a.limit, a.resets_at),
        (Some(1), Some(3), None)
    );
    let d = denied(ask(&c, &member("free"), "tracked_accounts", 3, 50));
    assert_eq!(
        d.reason,
        DenyReason::LimitReached,
        "credits never buy counts"
    );
    assert_eq!(d.upgrade_to, Some(pro()));
    assert_eq!(
        d.message(&c, &feature_of(&c, "tracked_accounts")),
        "You've reached your tracked accounts limit (3). Remove one or upgrade your plan to add more."
    );
    let team = denied(ask(&c, &member("team"), "tracked_accounts", 50, 0));
    assert_eq!(team.upgrade_to, None, "no bigger plan to offer");
}

#[test]
fn numeric_settings_come_from_the_plan() {
    let c = catalog();
    for (plan, tokens) in [("free", 500), ("pro", 2000), ("team", 4000)] {
        assert_eq!(
            allowed(ask(&c, &member(plan), "max_tokens", 0, 0)).limit,
            Some(tokens)
        );
    }
}

#[test]
fn guests_get_five_generations_in_total_then_must_sign_in() {
    let c = catalog();
    let a = allowed(ask(&c, &Who::Guest, "generations", 4, 0));
    assert_eq!(
        (a.remaining, a.limit, a.resets_at),
        (Some(1), Some(5), None)
    );
    let t = terms(&c, &Who::Guest, &feature_of(&c, "generations"), NOW).unwrap();
    assert_eq!(
        t.grant,
        Grant::Metered {
            limit: Some(5),
            window: Window::FOREVER,
            credits: false
        }
    );
    let d = denied(ask(&c, &Who::Guest, "generations", 5, 0));
    assert_eq!(d.reason, DenyReason::SignInRequired);
    assert_eq!(
        d.message(&c, &feature_of(&c, "generations")),
        "You've used your 5 free generations. Sign in to continue."
    );
    for other in ["tutor_sessions", "tracked_accounts", "pro_tutors"] {
        assert_eq!(
            denied(ask(&c, &Who::Guest, other, 0, 0)).reason,
            DenyReason::SignInRequired,
            "{other}"
        );
    }
}

#[test]
fn admins_are_exempt_from_every_limit() {
    let c = catalog();
    let admin = Who::Member {
        admin: true,
        banned: false,
        standing: Standing::Plan {
            plan: PlanId::free(),
            anchor: None,
        },
    };
    for f in [
        "generations",
        "tutor_sessions",
        "tracked_accounts",
        "pro_tutors",
    ] {
        let a = allowed(ask(&c, &admin, f, 1_000_000, 0));
        assert_eq!(a.remaining, None, "{f}");
    }
    assert_eq!(
        allowed(ask(&c, &admin, "max_tokens", 0, 0)).limit,
        Some(4000)
    );
    // Even when their own subscription is unpaid: they run the site.
    let unpaid_admin = Who::Member {
        admin: true,
        banned: false,
        standing: Standing::Restricted(SubscriptionStatus::Unpaid),
    };
    assert_eq!(
        allowed(ask(&c, &unpaid_admin, "generations", 500, 0)).remaining,
        None
    );
}

#[test]
fn banned_members_are_refused_everything_even_admins() {
    let c = catalog();
    let banned = Who::Member {
        admin: true,
        banned: true,
        standing: Standing::Plan {
            plan: PlanId::parse("team").unwrap(),
            anchor: None,
        },
    };
    for f in ["generations", "pro_tutors", "max_tokens"] {
        assert_eq!(denied(ask(&c, &banned, f, 0, 0)).reason, DenyReason::Banned);
    }
}

#[test]
fn unpaid_subscriptions_are_restricted_to_billing() {
    let c = catalog();
    let unpaid = Who::Member {
        admin: false,
        banned: false,
        standing: Standing::Restricted(SubscriptionStatus::Unpaid),
    };
    let d = denied(ask(&c, &unpaid, "generations", 0, 100));
    assert_eq!(
        d.reason,
        DenyReason::PaymentRequired(SubscriptionStatus::Unpaid)
    );
    assert!(d
        .message(&c, &feature_of(&c, "generations"))
        .contains("update your payment method"));
}

#[test]
fn a_plan_with_no_allowance_is_out_of_credits_not_waiting_for_tomorrow() {
    let mut c = catalog();
    c.plans[0].entitlements[0].1 = super::catalog::Entitlement::Limit(0);
    assert!(ask(&c, &member("free"), "generations", 0, 1).is_allowed());
    let d = denied(ask(&c, &member("free"), "generations", 0, 0));
    assert_eq!(d.reason, DenyReason::OutOfCredits);
    assert!(d
        .message(&c, &feature_of(&c, "generations"))
        .starts_with("You're out of generations"));
}

#[test]
fn an_unknown_plan_counts_as_free() {
    let c = catalog();
    let d = denied(ask(&c, &member("legacy"), "generations", 10, 0));
    assert_eq!(d.limit, Some(10));
    assert_eq!(d.upgrade_to, Some(pro()));
}

#[test]
fn guests_write_with_the_free_plans_settings() {
    let c = catalog();
    let free = allowed(ask(&c, &member("free"), "max_tokens", 0, 0)).limit;
    let guest = allowed(ask(&c, &Who::Guest, "max_tokens", 0, 0));
    assert_eq!(guest.limit, free);
    assert!(free.is_some());
}
