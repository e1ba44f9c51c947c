//! The access module against a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL):
//! atomic consumption under concurrency, idempotency, refunds, credits, slots, the ledger.

mod common;

use app::access::{Access, Consumed, Member, Subject};
use app::auth::users;
use app::billing::subscriptions;
use app::db::{Backend, Db};
use app::domain::tracked_account::NewTrackedAccount;
use app::domain::{
    Decision, DenyReason, EmailAddress, FeatureId, IdempotencyKey, PlanChange, PlanId,
    Subscription, SubscriptionStatus,
};
use app::resources::tracked_accounts;
use common::{workspace_file, TestDatabase};
use std::sync::Arc;

struct Fixture {
    access: Access,
    db: Db,
    _database: TestDatabase,
}

async fn fixture() -> Fixture {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    db.migrate().await.expect("migrate");
    let catalog = app::plans_file::load(&workspace_file("plans.toml")).expect("plans.toml");
    Fixture {
        access: Access::new(db.clone(), Arc::new(catalog)).expect("the shipped catalog"),
        db,
        _database: database,
    }
}

impl Fixture {
    async fn user(&self, email: &str) -> Subject {
        let email = EmailAddress::parse(email).unwrap();
        let user = users::find_or_create(&self.db, &email, None, None)
            .await
            .unwrap();
        Subject::User(user.id)
    }

    async fn set_plan(&self, subject: &Subject, plan: &str, status: SubscriptionStatus) {
        let sub = Subscription {
            plan: PlanId::parse(plan).unwrap(),
            status,
            current_period_start: Some(1_700_000_000),
            current_period_end: None,
            past_due_since: None,
            kept: None,
        };
        subscriptions::upsert(&self.db, subject.user_id().unwrap(), &sub)
            .await
            .unwrap();
    }

    async fn consume(&self, subject: &Subject, key: &str) -> Decision {
        self.access
            .consume(subject, &feature("generations"), 1, &idem(key))
            .await
            .unwrap()
            .decision()
            .expect("a fresh key is charged or refused")
    }

    /// Spends the Free day's 10 generations under keys `{prefix}0`..`{prefix}9`.
    async fn spend_the_day(&self, subject: &Subject, prefix: &str) {
        for i in 0..10 {
            assert!(self
                .consume(subject, &format!("{prefix}{i}"))
                .await
                .is_allowed());
        }
    }

    /// Holds what every charge of `subject` needs until the returned transaction ends: SQLite's
    /// one writer connection (and its write lock), and on PostgreSQL the counter rows' locks.
    async fn hold_the_writer(&self, subject: &Subject) -> app::db::Tx {
        let mut held = self.db.begin().await.unwrap();
        sqlx::query("UPDATE usage_counters SET used = used WHERE subject = $1")
            .bind(subject.key())
            .execute(&mut *held)
            .await
            .unwrap();
        held
    }

    /// Starts a charge and gives up on it after 300 ms; true when it was still waiting then.
    async fn give_up_waiting_for(&self, subject: &Subject, key: &str) -> bool {
        tokio::time::timeout(
            std::time::Duration::from_millis(300),
            self.consume(subject, key),
        )
        .await
        .is_err()
    }

    /// Waits (up to 10 s) until `n` uses of `subject` have been given back: a charge whose
    /// caller left is given back once it has run, which on PostgreSQL is on a task of its own.
    async fn wait_for_refunds(&self, subject: &Subject, n: i64) {
        let count = "SELECT COUNT(*) FROM usage_ledger WHERE subject = $1 AND kind = 'refund'";
        for _ in 0..200 {
            if self.scalar(count, subject).await == n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "expected {n} given back, found {}",
            self.scalar(count, subject).await
        );
    }

    async fn scalar(&self, sql: &str, subject: &Subject) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(subject.key())
            .fetch_one(self.db.pool())
            .await
            .unwrap()
    }

    /// Counter of the current window versus what the ledger says it should be.
    async fn counter_and_ledger(&self, subject: &Subject) -> (i64, i64) {
        let counter = self
            .scalar(
                "SELECT CAST(COALESCE(SUM(used), 0) AS BIGINT) FROM usage_counters
                 WHERE subject = $1 AND feature = 'generations'",
                subject,
            )
            .await;
        let ledger = self
            .scalar(
                "SELECT CAST(COALESCE(SUM(CASE kind WHEN 'consume' THEN from_allowance
                                                    WHEN 'refund' THEN -from_allowance
                                                    ELSE 0 END), 0) AS BIGINT)
                 FROM usage_ledger WHERE subject = $1 AND feature = 'generations'",
                subject,
            )
            .await;
        (counter, ledger)
    }
}

/// The summary as `GET /api/usage` words it (plan and status as the contract's strings).
async fn usage_json(f: &Fixture, subject: &Subject) -> app::api::wire::UsageJson {
    f.access.summary(subject).await.unwrap().into()
}

fn feature(id: &str) -> FeatureId {
    FeatureId::parse(id).unwrap()
}

fn idem(key: &str) -> IdempotencyKey {
    IdempotencyKey::parse(key).unwrap()
}

fn reason(d: &Decision) -> Option<DenyReason> {
    match d {
        Decision::Denied(d) => Some(d.reason.clone()),
        Decision::Allowed(_) => None,
    }
}

#[tokio::test]
async fn two_hundred_concurrent_consumes_against_a_limit_of_ten_allow_exactly_ten() {
    let f = Arc::new(fixture().await);
    let subject = f.user("racer@example.com").await;
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let f = f.clone();
            let subject = subject.clone();
            tokio::spawn(async move { f.consume(&subject, &format!("race-{i}")).await })
        })
        .collect();
    let mut allowed = 0;
    let mut denied = 0;
    for task in tasks {
        match task.await.unwrap() {
            Decision::Allowed(_) => allowed += 1,
            Decision::Denied(d) => {
                assert_eq!(d.reason, DenyReason::LimitReached);
                denied += 1;
            }
        }
    }
    assert_eq!((allowed, denied), (10, 190));
    assert_eq!(f.counter_and_ledger(&subject).await, (10, 10));
    let consumes = f
        .scalar(
            "SELECT COUNT(*) FROM usage_ledger WHERE subject = $1 AND kind = 'consume'",
            &subject,
        )
        .await;
    assert_eq!(consumes, 10, "denied attempts leave no ledger rows");
}

#[tokio::test]
async fn replaying_an_idempotency_key_never_charges_twice_even_concurrently() {
    let f = Arc::new(fixture().await);
    let subject = f.user("retry@example.com").await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let f = f.clone();
            let subject = subject.clone();
            // Four keys, each sent ten times at once.
            tokio::spawn(async move {
                f.access
                    .consume(
                        &subject,
                        &feature("generations"),
                        1,
                        &idem(&format!("k{}", i % 4)),
                    )
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut fresh = 0;
    for task in tasks {
        match task.await.unwrap() {
            Consumed::Charged(_) => fresh += 1,
            Consumed::AlreadyCharged(now) => assert!(now.is_allowed()),
            other => panic!("every attempt is a charge or a replay of one, got {other:?}"),
        }
    }
    assert_eq!(fresh, 4, "one real charge per key");
    assert_eq!(f.counter_and_ledger(&subject).await, (4, 4));
    let again = f
        .access
        .consume(&subject, &feature("generations"), 1, &idem("k0"))
        .await
        .unwrap();
    let Consumed::AlreadyCharged(now) = again else {
        panic!("a used key is a replay, got {again:?}");
    };
    assert_eq!(now.remaining(), Some(6));
}

#[tokio::test]
async fn keys_are_per_subject_so_two_users_never_collide() {
    let f = fixture().await;
    let a = f.user("a@example.com").await;
    let b = f.user("b@example.com").await;
    assert!(f.consume(&a, "same").await.is_allowed());
    let c = f
        .access
        .consume(&b, &feature("generations"), 1, &idem("same"))
        .await
        .unwrap();
    let Consumed::Charged(left) = c else {
        panic!("another user's key is a fresh charge, got {c:?}");
    };
    assert_eq!(left.remaining, Some(9));
}

#[tokio::test]
async fn a_refund_gives_the_use_back_once() {
    let f = fixture().await;
    let s = f.user("refund@example.com").await;
    f.spend_the_day(&s, "g").await;
    assert!(!f.consume(&s, "g10").await.is_allowed());
    let generations = feature("generations");
    assert!(f
        .access
        .refund(&s, &generations, &idem("g3"))
        .await
        .unwrap());
    assert!(
        !f.access
            .refund(&s, &generations, &idem("g3"))
            .await
            .unwrap(),
        "only once"
    );
    assert!(!f
        .access
        .refund(&s, &generations, &idem("never"))
        .await
        .unwrap());
    assert_eq!(f.counter_and_ledger(&s).await, (9, 9));
    assert!(f.consume(&s, "g11").await.is_allowed());
    assert!(!f.consume(&s, "g12").await.is_allowed());
    // A refunded key stays spent: replaying it charges nothing and says it was refunded.
    let replay = f
        .access
        .consume(&s, &generations, 1, &idem("g3"))
        .await
        .unwrap();
    assert_eq!(replay, Consumed::AlreadyRefunded);
}

#[tokio::test]
async fn credits_continue_after_the_daily_allowance_and_come_back_on_refund() {
    let f = fixture().await;
    let s = f.user("credits@example.com").await;
    let generations = feature("generations");
    assert!(f
        .access
        .grant_credits(&s, &generations, 2, &idem("pack-1"))
        .await
        .unwrap());
    assert!(
        !f.access
            .grant_credits(&s, &generations, 2, &idem("pack-1"))
            .await
            .unwrap(),
        "a purchase is granted once"
    );
    for i in 0..10 {
        f.consume(&s, &format!("d{i}")).await;
    }
    let summary = f.access.summary(&s).await.unwrap();
    assert_eq!(summary.credits, 2, "allowance spent first");
    assert!(f.consume(&s, "c1").await.is_allowed());
    let last = f.consume(&s, "c2").await;
    assert_eq!(last.remaining(), Some(0));
    assert_eq!(
        reason(&f.consume(&s, "c3").await),
        Some(DenyReason::LimitReached)
    );
    assert!(f
        .access
        .refund(&s, &generations, &idem("c2"))
        .await
        .unwrap());
    assert_eq!(f.access.summary(&s).await.unwrap().credits, 1);
}

#[tokio::test]
async fn credits_taken_back_while_a_use_was_in_flight_are_repaid_by_its_refund() {
    let f = fixture().await;
    let s = f.user("inflight@example.com").await;
    let generations = feature("generations");
    f.access
        .grant_credits(&s, &generations, 5, &idem("pack-1"))
        .await
        .unwrap();
    for i in 0..10 {
        f.consume(&s, &format!("d{i}")).await;
    }
    assert!(
        f.consume(&s, "in-flight").await.is_allowed(),
        "one credit spent"
    );
    // The pack is refunded while that generation runs: 4 go at once, 1 is owed.
    let mut tx = f.db.begin_durable().await.unwrap();
    let clawed = f
        .access
        .claw_back_credits_in(&mut tx, &s, &generations, 5, &idem("refund-1"))
        .await
        .unwrap()
        .expect("taken back");
    tx.commit().await.unwrap();
    assert_eq!((clawed.taken, clawed.owed), (4, 1));
    // The generation fails: its credit comes back and pays the debt, so nothing is spendable.
    assert!(f
        .access
        .refund(&s, &generations, &idem("in-flight"))
        .await
        .unwrap());
    assert_eq!(f.access.summary(&s).await.unwrap().credits, 0);
    assert!(f.access.credit_debts(&s).await.unwrap().is_empty());
}

#[tokio::test]
async fn plans_and_statuses_change_what_is_allowed_at_once() {
    let f = fixture().await;
    let s = f.user("plans@example.com").await;
    for i in 0..10 {
        f.consume(&s, &format!("p{i}")).await;
    }
    assert!(!f.consume(&s, "p10").await.is_allowed());
    f.set_plan(&s, "pro", SubscriptionStatus::Active).await;
    assert_eq!(f.consume(&s, "p11").await.remaining(), Some(89));
    let pro_tutors = feature("pro_tutors");
    assert!(f.access.check(&s, &pro_tutors).await.unwrap().is_allowed());
    f.set_plan(&s, "pro", SubscriptionStatus::Unpaid).await;
    assert_eq!(
        reason(&f.consume(&s, "p12").await),
        Some(DenyReason::PaymentRequired(SubscriptionStatus::Unpaid))
    );
    f.set_plan(&s, "pro", SubscriptionStatus::Paused).await;
    assert_eq!(
        reason(&f.access.check(&s, &pro_tutors).await.unwrap().decision()),
        Some(DenyReason::RequiresPlan(PlanId::parse("pro").unwrap()))
    );
    let summary = usage_json(&f, &s).await;
    assert_eq!(
        (summary.plan.as_str(), summary.status.as_str()),
        ("free", "paused")
    );
    assert_eq!(
        f.access.setting(&s, &feature("max_tokens")).await.unwrap(),
        Some(500)
    );
}

#[tokio::test]
async fn guests_get_five_in_total() {
    let f = fixture().await;
    let guest = Subject::Guest("0123abcd".into());
    for i in 0..5 {
        assert!(f.consume(&guest, &format!("x{i}")).await.is_allowed());
    }
    assert_eq!(
        reason(&f.consume(&guest, "x5").await),
        Some(DenyReason::SignInRequired)
    );
    assert_eq!(
        reason(
            &f.access
                .check(&guest, &feature("tutor_sessions"))
                .await
                .unwrap()
                .decision()
        ),
        Some(DenyReason::SignInRequired)
    );
}

#[tokio::test]
async fn count_slots_hold_under_concurrency_and_block_downgrades() {
    let f = Arc::new(fixture().await);
    let s = f.user("slots@example.com").await;
    f.set_plan(&s, "pro", SubscriptionStatus::Active).await;
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let f = f.clone();
            let s = s.clone();
            tokio::spawn(async move {
                let account = NewTrackedAccount::parse("Savings", "12345678").unwrap();
                let user = s.user_id().unwrap();
                match tracked_accounts::add(&f.access, &f.db, user, &account).await {
                    Ok(_) => true,
                    Err(tracked_accounts::AddError::Refused(_)) => false,
                    Err(e) => panic!("{e}"),
                }
            })
        })
        .collect();
    let mut taken = 0;
    for task in tasks {
        taken += i32::from(task.await.unwrap());
    }
    assert_eq!(taken, 5, "Pro allows 5 tracked accounts");
    let blocked = f.access.can_change_plan(&s, &PlanId::free()).await.unwrap();
    let PlanChange::Blocked(blocked) = blocked else {
        panic!("a downgrade below the live count must be blocked, got {blocked:?}");
    };
    assert_eq!(
        blocked.message,
        "You have 5 tracked accounts; Free allows 3. Remove 2 to switch."
    );
    assert!(
        f.access
            .can_change_plan(&s, &PlanId::parse("team").unwrap())
            .await
            .unwrap()
            == PlanChange::Allowed
    );
}

#[tokio::test]
async fn the_count_limit_is_the_number_of_live_rows_whatever_changed_them() {
    let f = fixture().await;
    let s = f.user("rows@example.com").await;
    let user = s.user_id().unwrap();
    let account = NewTrackedAccount::parse("Checking", "87654321").unwrap();
    let first = tracked_accounts::add(&f.access, &f.db, user, &account)
        .await
        .unwrap();
    // Rows added and removed behind the module's back (an operator's SQL, a cascade).
    for name in ["Import 1", "Import 2"] {
        sqlx::query(
            "INSERT INTO tracked_accounts (user_id, name, account_number, created_at)
             VALUES ($1, $2, '11112222', 0)",
        )
        .bind(user)
        .bind(name)
        .execute(f.db.pool())
        .await
        .unwrap();
    }
    assert!(
        matches!(
            tracked_accounts::add(&f.access, &f.db, user, &account).await,
            Err(tracked_accounts::AddError::Refused(_))
        ),
        "3 live rows fill Free's 3"
    );
    sqlx::query("DELETE FROM tracked_accounts WHERE user_id = $1 AND name LIKE 'Import%'")
        .bind(user)
        .execute(f.db.pool())
        .await
        .unwrap();
    tracked_accounts::add(&f.access, &f.db, user, &account)
        .await
        .unwrap();
    assert!(tracked_accounts::delete(&f.access, user, first)
        .await
        .unwrap());
    let summary = usage_json(&f, &s).await;
    assert_eq!(
        summary.features[&feature("tracked_accounts")].used,
        1,
        "recounted"
    );
}

/// Asserts that `Access::member_summary` from the user's stored facts equals `Access::summary`.
async fn same_summary(f: &Fixture, s: &Subject, admin: bool, label: &str) {
    let id = s.user_id().unwrap();
    let member = Member {
        admin,
        banned: false,
        subscription: subscriptions::find_with_details(&f.db, id)
            .await
            .unwrap()
            .map(|(subscription, _)| subscription),
    };
    let from_facts = f.access.member_summary(id, member).await.unwrap();
    assert_eq!(from_facts, f.access.summary(s).await.unwrap(), "{label}");
}

/// A page's summary from the role, ban and subscription its request read already (the
/// session's user, the account read) is the summary `Access` reads afresh: every status, a
/// past-due plan within and after its grace days, a kept plan and an ended hold, no
/// subscription, an admin.
#[tokio::test]
async fn a_member_summary_from_facts_read_already_is_the_summary_read_afresh() {
    let f = fixture().await;
    let s = f.user("facts@example.com").await;
    let id = s.user_id().unwrap();
    for i in 0..3 {
        f.consume(&s, &format!("f{i}")).await;
    }
    same_summary(&f, &s, false, "no subscription").await;
    let now = f.db.now();
    for plan in ["pro", "team"] {
        for status in SubscriptionStatus::ALL {
            for past_due_since in [None, Some(now - 3600), Some(now - 30 * 86_400)] {
                let subscription = Subscription {
                    plan: PlanId::parse(plan).unwrap(),
                    status,
                    current_period_start: Some(now - 86_400),
                    current_period_end: Some(now + 29 * 86_400),
                    past_due_since,
                    kept: None,
                };
                subscriptions::upsert(&f.db, id, &subscription)
                    .await
                    .unwrap();
                let label = format!("{plan} {status:?} past due since {past_due_since:?}");
                same_summary(&f, &s, false, &label).await;
            }
        }
    }
    // A plan kept after a switch to one the usage exceeds, then a hold that has ended.
    for kept in [
        app::domain::subscription::KeptPlan {
            plan: Some(PlanId::parse("team").unwrap()),
            until: now + 7 * 86_400,
        },
        app::domain::subscription::KeptPlan {
            plan: None,
            until: now - 86_400,
        },
    ] {
        let subscription = Subscription {
            plan: PlanId::parse("pro").unwrap(),
            status: SubscriptionStatus::Active,
            current_period_start: Some(now - 86_400),
            current_period_end: Some(now + 29 * 86_400),
            past_due_since: None,
            kept: Some(kept.clone()),
        };
        subscriptions::upsert(&f.db, id, &subscription)
            .await
            .unwrap();
        same_summary(&f, &s, false, &format!("kept {kept:?}")).await;
    }
    let email = EmailAddress::parse("facts@example.com").unwrap();
    users::set_role(&f.db, &email, users::Role::Admin)
        .await
        .unwrap();
    same_summary(&f, &s, true, "an admin").await;
}

#[tokio::test]
async fn admins_are_exempt_and_banned_users_refused() {
    let f = fixture().await;
    let admin = f.user("boss@example.com").await;
    let email = EmailAddress::parse("boss@example.com").unwrap();
    users::set_role(&f.db, &email, users::Role::Admin)
        .await
        .unwrap();
    for i in 0..15 {
        assert!(f.consume(&admin, &format!("a{i}")).await.is_allowed());
    }
    // A second admin, so this one is not the last (who cannot be banned).
    f.user("deputy@example.com").await;
    let deputy = EmailAddress::parse("deputy@example.com").unwrap();
    users::set_role(&f.db, &deputy, users::Role::Admin)
        .await
        .unwrap();
    assert_eq!(
        users::set_banned(&f.db, &email, true).await.unwrap(),
        users::BanOutcome::Done
    );
    assert_eq!(
        reason(&f.consume(&admin, "a99").await),
        Some(DenyReason::Banned)
    );
}

#[tokio::test]
async fn unknown_features_and_zero_amounts_are_errors_not_decisions() {
    let f = fixture().await;
    let s = f.user("errors@example.com").await;
    let err = f.access.feature_id("teleports").unwrap_err();
    assert!(err.to_string().contains("teleports"));
    let err = f
        .access
        .consume(&s, &feature("generations"), 0, &idem("z"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at least 1"));
    let err = f
        .access
        .consume(&s, &feature("pro_tutors"), 1, &idem("z"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a metered feature"));
}

#[tokio::test]
async fn writes_joined_into_one_transaction_are_kept_or_dropped_together() {
    let f = fixture().await;
    let s = f.user("payer@example.com").await;
    let user_id = s.user_id().unwrap();
    let generations = feature("generations");
    let pro = Subscription {
        plan: PlanId::parse("pro").unwrap(),
        status: SubscriptionStatus::Active,
        current_period_start: None,
        current_period_end: None,
        past_due_since: None,
        kept: None,
    };
    let write_both = |mut tx: app::db::Tx| {
        let (f, s, generations, pro) = (&f, &s, &generations, &pro);
        async move {
            let granted = f
                .access
                .grant_credits_in(&mut tx, s, generations, 100, &idem("pack-9"))
                .await
                .unwrap();
            subscriptions::upsert_in(&mut tx, f.db.now(), user_id, pro)
                .await
                .unwrap();
            (granted, tx)
        }
    };

    let (granted, tx) = write_both(f.db.begin_durable().await.unwrap()).await;
    assert!(granted);
    tx.rollback().await.unwrap();
    assert_eq!(f.access.summary(&s).await.unwrap().credits, 0);
    assert!(subscriptions::find(&f.db, user_id).await.unwrap().is_none());

    let (granted, tx) = write_both(f.db.begin_durable().await.unwrap()).await;
    assert!(granted, "the rolled-back grant left no trace of its key");
    tx.commit().await.unwrap();
    let summary = usage_json(&f, &s).await;
    assert_eq!((summary.credits, summary.plan.as_str()), (100, "pro"));
    let ledger = f
        .scalar(
            "SELECT COUNT(*) FROM usage_ledger WHERE subject = $1 AND kind = 'grant'",
            &s,
        )
        .await;
    assert_eq!(ledger, 1);
}

#[tokio::test]
async fn a_visitor_the_server_has_not_named_reads_a_fresh_allowance_and_can_spend_nothing() {
    let f = fixture().await;
    let nobody = Subject::UnnamedGuest;
    let summary = usage_json(&f, &nobody).await;
    assert_eq!(summary.plan, "guest");
    assert_eq!(summary.features[&feature("generations")].remaining, Some(5));
    let generations = feature("generations");
    assert!(f
        .access
        .consume(&nobody, &generations, 1, &idem("x"))
        .await
        .is_err());
    assert!(f
        .access
        .grant_credits(&nobody, &generations, 1, &idem("y"))
        .await
        .is_err());
    assert_eq!(
        f.scalar(
            "SELECT COUNT(*) FROM usage_ledger WHERE subject = $1",
            &nobody
        )
        .await,
        0
    );
}

#[tokio::test]
async fn paid_work_is_refunded_when_it_fails_or_is_abandoned_and_never_runs_twice() {
    use app::access::Metered;
    let f = fixture().await;
    let s = f.user("work@example.com").await;
    let generations = feature("generations");
    let ran = std::sync::atomic::AtomicU32::new(0);
    let work = |fail: bool| {
        let ran = &ran;
        move |_refund| async move {
            ran.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if fail {
                Err("the upstream broke")
            } else {
                Ok("done")
            }
        }
    };
    let done = f
        .access
        .metered(&s, &generations, &idem("w1"), work(false))
        .await
        .unwrap();
    assert!(
        matches!(done, Metered::Done { output: "done", ref left } if left.remaining == Some(9))
    );
    let again = f
        .access
        .metered(&s, &generations, &idem("w1"), work(false))
        .await
        .unwrap();
    assert!(matches!(again, Metered::AlreadyDone(ref now) if now.remaining() == Some(9)));
    assert_eq!(
        ran.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "a paid key never runs twice"
    );

    let failed = f
        .access
        .metered(&s, &generations, &idem("w2"), work(true))
        .await
        .unwrap();
    assert!(matches!(failed, Metered::Failed("the upstream broke")));
    assert_eq!(
        f.counter_and_ledger(&s).await,
        (1, 1),
        "the failed use came back"
    );
    let retried = f
        .access
        .metered(&s, &generations, &idem("w2"), work(false))
        .await
        .unwrap();
    assert!(matches!(retried, Metered::AlreadyRefunded));

    // A request cancelled while its work runs (the client hung up) gets its use back.
    let abandoned = tokio::time::timeout(
        std::time::Duration::from_millis(200),
        f.access
            .metered(&s, &generations, &idem("w3"), |_refund| async {
                std::future::pending::<Result<(), ()>>().await
            }),
    )
    .await;
    assert!(abandoned.is_err(), "the work never finishes");
    let mut after = None;
    for _ in 0..100 {
        after = Some(
            f.access
                .consume(&s, &generations, 1, &idem("w3"))
                .await
                .unwrap(),
        );
        if after == Some(Consumed::AlreadyRefunded) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        after,
        Some(Consumed::AlreadyRefunded),
        "charged, then given back"
    );
    assert_eq!(
        f.counter_and_ledger(&s).await,
        (1, 1),
        "the abandoned use came back"
    );
}

#[tokio::test]
async fn a_spent_allowance_is_refused_without_waiting_for_the_writer_and_replays_still_answer() {
    let f = fixture().await;
    let s = f.user("spent@example.com").await;
    f.spend_the_day(&s, "k").await;
    // A refusal that queued for the writer would hang here.
    let held = f.hold_the_writer(&s).await;
    let refused = tokio::time::timeout(std::time::Duration::from_secs(5), f.consume(&s, "k10"))
        .await
        .expect("a spent allowance is answered from a read, not behind the writer");
    assert_eq!(reason(&refused), Some(DenyReason::LimitReached));
    assert_eq!(refused.remaining(), Some(0));
    held.rollback().await.unwrap();

    // A retry of a key that was charged is still answered as that charge, not as a refusal.
    let replayed = f
        .access
        .consume(&s, &feature("generations"), 1, &idem("k3"))
        .await
        .unwrap();
    assert!(
        matches!(replayed, Consumed::AlreadyCharged(_)),
        "got {replayed:?}"
    );
    assert_eq!(f.counter_and_ledger(&s).await, (10, 10));
}

#[tokio::test]
async fn a_charge_whose_caller_left_while_it_waited_for_the_writer_is_not_counted() {
    let f = fixture().await;
    let s = f.user("left@example.com").await;
    assert!(f.consume(&s, "first").await.is_allowed());
    // The writer is busy, so the next charge waits, and its caller gives up.
    let held = f.hold_the_writer(&s).await;
    assert!(
        f.give_up_waiting_for(&s, "abandoned").await,
        "the charge should still be waiting"
    );
    held.rollback().await.unwrap();
    // It ran once the writer was free, and was given back.
    f.wait_for_refunds(&s, 1).await;
    assert_eq!(f.consume(&s, "after").await.remaining(), Some(8));
    assert_eq!(f.counter_and_ledger(&s).await, (2, 2));
}

/// SQLite: a charge still queued for the process's writer when its caller leaves is never made,
/// and its key stays usable. PostgreSQL has no such queue: the charge is already with the
/// database, waiting for the counter's row, so it is made and given back (as above), and its
/// key answers that its use was not counted (the API then asks for a new key).
#[tokio::test]
async fn a_charge_abandoned_while_queued_is_never_counted() {
    let f = fixture().await;
    let s = f.user("queued@example.com").await;
    assert!(f.consume(&s, "first").await.is_allowed());
    let held = f.hold_the_writer(&s).await;
    // One charge takes the writer's next turn (and waits there)…
    let waiting = tokio::spawn({
        let (access, s) = (f.access.clone(), s.clone());
        async move {
            access
                .consume(&s, &feature("generations"), 1, &idem("waiting"))
                .await
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // …and the next one's caller gives up while it is still queued behind it.
    assert!(
        f.give_up_waiting_for(&s, "abandoned").await,
        "the charge should still be queued"
    );
    held.rollback().await.unwrap();
    assert!(waiting
        .await
        .unwrap()
        .unwrap()
        .decision()
        .unwrap()
        .is_allowed());
    let retry = || async {
        f.access
            .consume(&s, &feature("generations"), 1, &idem("abandoned"))
            .await
            .unwrap()
    };
    match f.db.backend() {
        Backend::Sqlite => {
            // Never made: a retry under its key is a fresh charge.
            let retried = retry().await;
            assert!(matches!(retried, Consumed::Charged(_)), "got {retried:?}");
            assert_eq!(f.counter_and_ledger(&s).await, (3, 3));
        }
        Backend::Postgres => {
            f.wait_for_refunds(&s, 1).await;
            let retried = retry().await;
            assert!(
                matches!(retried, Consumed::AlreadyRefunded),
                "got {retried:?}"
            );
            assert_eq!(f.counter_and_ledger(&s).await, (2, 2));
        }
    }
}

#[tokio::test]
async fn the_chart_s_daily_totals_equal_the_ledger_s_sums_after_charges_refunds_and_a_burst() {
    let f = Arc::new(fixture().await);
    let s = f.user("chart@example.com").await;
    let generations = feature("generations");
    f.access
        .grant_credits(&s, &generations, 3, &idem("pack"))
        .await
        .unwrap();
    // Day one: 44 attempts at once under 40 keys (four sent twice) against 10 uses and 3
    // credits; two refunds, one sent twice; a use paid by credits, refunded.
    let tasks: Vec<_> = (0..44)
        .map(|i| {
            let f = f.clone();
            let s = s.clone();
            tokio::spawn(async move {
                let key = format!("burst-{}", i % 40);
                let consumed = f
                    .access
                    .consume(&s, &feature("generations"), 1, &idem(&key))
                    .await
                    .unwrap();
                matches!(consumed, Consumed::Charged(_)).then_some(key)
            })
        })
        .collect();
    let mut charged = Vec::new();
    for task in tasks {
        charged.extend(task.await.unwrap());
    }
    assert_eq!(charged.len(), 13, "10 uses and 3 credits, each key once");
    for key in [&charged[0], &charged[1], &charged[0]] {
        f.access.refund(&s, &generations, &idem(key)).await.unwrap();
    }
    f.access
        .grant_credits(&s, &generations, 1, &idem("pack-2"))
        .await
        .unwrap();
    assert!(f.consume(&s, "paid").await.is_allowed());
    assert!(f
        .access
        .refund(&s, &generations, &idem("paid"))
        .await
        .unwrap());
    // Day two: a charge, and the refund of one of day one's (it counts on the day it is made).
    f.db.clock().advance(86_400);
    assert!(f.consume(&s, "next-day").await.is_allowed());
    f.access
        .refund(&s, &generations, &idem(&charged[2]))
        .await
        .unwrap();

    let ledger: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT created_at / 86400,
                CAST(SUM(CASE kind WHEN 'consume' THEN from_allowance + from_credits
                                   ELSE -(from_allowance + from_credits) END) AS BIGINT)
         FROM usage_ledger WHERE subject = $1 AND kind IN ('consume', 'refund')
         GROUP BY created_at / 86400 ORDER BY 1",
    )
    .bind(s.key())
    .fetch_all(f.db.pool())
    .await
    .unwrap();
    let rolled_up: Vec<(i64, i64)> =
        sqlx::query_as("SELECT day, uses FROM usage_days WHERE subject = $1 ORDER BY day")
            .bind(s.key())
            .fetch_all(f.db.pool())
            .await
            .unwrap();
    assert_eq!(rolled_up, ledger);
    let today = f.db.now().div_euclid(86_400);
    assert_eq!(ledger, [(today - 1, 14 - 3), (today, 1 - 1)]);
    let chart = f.access.daily_uses(&s, &generations, 30).await.unwrap();
    let shown: Vec<u64> = chart.iter().rev().take(3).map(|d| d.uses).collect();
    assert_eq!(shown, [0, 11, 0], "today, yesterday, the day before");
}

#[tokio::test]
async fn charges_and_refunds_of_one_subject_at_once_all_go_through() {
    let f = Arc::new(fixture().await);
    let s = f.user("busy@example.com").await;
    f.set_plan(&s, "team", SubscriptionStatus::Active).await;
    for i in 0..24 {
        assert!(f.consume(&s, &format!("early-{i}")).await.is_allowed());
    }
    // Refunds of earlier uses while new ones are charged: on PostgreSQL both lock the counter
    // and the day's total, and must take them in one order or deadlock.
    let tasks: Vec<_> = (0..48)
        .map(|i| {
            let f = f.clone();
            let s = s.clone();
            tokio::spawn(async move {
                let generations = feature("generations");
                if i % 2 == 0 {
                    let key = idem(&format!("early-{}", i / 2));
                    let refunded = f.access.refund(&s, &generations, &key).await;
                    assert!(refunded.expect("a refund beside charges"), "refunded once");
                } else {
                    let key = idem(&format!("late-{i}"));
                    let charged = f.access.consume(&s, &generations, 1, &key).await;
                    assert!(matches!(charged, Ok(Consumed::Charged(_))), "{charged:?}");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("no charge or refund failed");
    }
    assert_eq!(f.counter_and_ledger(&s).await, (24, 24));
    let day_total = f
        .scalar(
            "SELECT CAST(COALESCE(SUM(uses), 0) AS BIGINT) FROM usage_days WHERE subject = $1",
            &s,
        )
        .await;
    assert_eq!(day_total, 24, "24 uses, 24 refunded, 24 more");
}
