//! Bought credits after the purchase, on both engines: refunds and disputes against the fake
//! Stripe over real HTTP — the credits nobody paid for are taken back once in total (the unspent
//! part at once, the spent part owed and paid first by the next pack), whatever the order,
//! repetition or concurrency of the events — and the "running low" email.

mod common;

use app::access::Subject;
use common::fake_stripe::FakeStripe;
use common::stripe_app::{app_on, credits, deliver, return_from_stripe, session_id};
use common::{location, TestApp};

/// Buys pack `pack` at Stripe and comes back: its checkout session id.
async fn buy(app: &TestApp, fake: &FakeStripe, cookie: &str, pack: &str) -> String {
    let id = session_id(&app.buy_pack(cookie, pack).await).to_owned();
    fake.complete_checkout(&id);
    return_from_stripe(app, fake, &id, cookie).await;
    id
}

/// Spends `n` credits (after the day's 10 free generations, spent first).
async fn spend(app: &TestApp, cookie: &str, n: usize) {
    let session = common::session(cookie);
    for _ in 0..n {
        let answer = app.generate("x", Some(&session), &[]).await;
        assert_eq!(answer.status(), 200);
    }
}

async fn owed(app: &TestApp, email: &str) -> u64 {
    let email = app::domain::EmailAddress::parse(email).unwrap();
    let user = app::auth::users::find_by_email(&app.running.state.db, &email)
        .await
        .unwrap()
        .expect("the user");
    let debts = app
        .running
        .state
        .access
        .credit_debts(&Subject::User(user.id))
        .await
        .unwrap();
    debts
        .iter()
        .find(|(feature, _)| feature.as_str() == "generations")
        .map_or(0, |(_, owed)| *owed)
}

/// The ledger explains the balance: grants minus credits spent, plus refunds of spent credits,
/// minus what was taken back.
async fn ledger_balance(app: &TestApp) -> i64 {
    let db = app.database.connect().await;
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(CASE kind WHEN 'grant' THEN from_credits
                                            WHEN 'refund' THEN from_credits
                                            ELSE -from_credits END), 0) AS BIGINT)
         FROM usage_ledger",
    )
    .fetch_one(db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_refunded_pack_takes_back_what_is_left_and_the_next_pack_pays_what_was_spent() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("ada@example.com").await;
    let pack = buy(&app, &fake, &cookie, "generations_100").await;
    assert_eq!(credits(&app, &cookie).await, 100);
    spend(&app, &cookie, 10 + 30).await;
    assert_eq!(credits(&app, &cookie).await, 70);

    // Half the $5.00 refunded: half the credits go, all from what is left.
    let charge = fake.refund(&pack, 250);
    let refunded = fake.event("charge.refunded", charge.clone());
    assert_eq!(deliver(&app, &refunded).await, "credits_taken_back");
    assert_eq!(credits(&app, &cookie).await, 20);
    assert_eq!(owed(&app, "ada@example.com").await, 0);
    // The same event again, and another about the same refund: nothing more.
    assert_eq!(deliver(&app, &refunded).await, "duplicate");
    let updated = fake.event("charge.refund.updated", charge);
    assert_eq!(deliver(&app, &updated).await, "nothing_to_take_back");
    assert_eq!(credits(&app, &cookie).await, 20);

    // A second refund of $1.00 fails at the bank: counted, then taken off again.
    let charge = fake.refund(&pack, 100);
    let refunded = fake.event("charge.refunded", charge);
    assert_eq!(deliver(&app, &refunded).await, "credits_taken_back");
    assert_eq!(credits(&app, &cookie).await, 0);
    let charge = fake.refund(&pack, -100);
    let failed = fake.event("charge.refund.updated", charge);
    assert_eq!(deliver(&app, &failed).await, "credits_returned");
    assert_eq!(credits(&app, &cookie).await, 20);

    // The rest refunded: the other 50 credits, of which 30 were spent and are owed.
    let charge = fake.refund(&pack, 250);
    let refunded = fake.event("charge.refunded", charge);
    assert_eq!(deliver(&app, &refunded).await, "credits_taken_back");
    assert_eq!(credits(&app, &cookie).await, 0);
    assert_eq!(owed(&app, "ada@example.com").await, 30);
    let before = app
        .generate("x", Some(&common::session(&cookie)), &[])
        .await;
    assert_eq!(before.status(), 429, "nothing left to spend");

    // The next pack pays the debt first.
    buy(&app, &fake, &cookie, "generations_100").await;
    assert_eq!(credits(&app, &cookie).await, 70);
    assert_eq!(owed(&app, "ada@example.com").await, 0);
    assert_eq!(
        ledger_balance(&app).await,
        70,
        "the ledger explains the balance"
    );
}

#[tokio::test]
async fn a_dispute_takes_back_the_whole_pack_and_a_later_refund_takes_nothing_more() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("bob@example.com").await;
    let pack = buy(&app, &fake, &cookie, "generations_100").await;
    spend(&app, &cookie, 10 + 5).await;

    let dispute = fake.dispute(&pack);
    let opened = fake.event("charge.dispute.created", dispute);
    assert_eq!(deliver(&app, &opened).await, "credits_taken_back");
    assert_eq!(credits(&app, &cookie).await, 0);
    assert_eq!(owed(&app, "bob@example.com").await, 5);

    let charge = fake.refund(&pack, 500);
    let refunded = fake.event("charge.refunded", charge);
    assert_eq!(deliver(&app, &refunded).await, "nothing_to_take_back");
    assert_eq!(owed(&app, "bob@example.com").await, 5);
    assert_eq!(ledger_balance(&app).await, 0);
}

#[tokio::test]
async fn refund_events_delivered_three_times_each_at_once_and_shuffled_take_back_once() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("cy@example.com").await;
    let pack = buy(&app, &fake, &cookie, "generations_500").await;
    spend(&app, &cookie, 10 + 100).await;

    // Two partial refunds and a dispute happened; their events arrive late, three times each,
    // shuffled and at once (each delivery its own event id, as retries of separate events).
    let first = fake.refund(&pack, 500);
    let second = fake.refund(&pack, 500);
    let dispute = fake.dispute(&pack);
    let mut bodies = Vec::new();
    for _ in 0..3 {
        bodies.push(fake.event("charge.refunded", first.clone()));
        bodies.push(fake.event("charge.refunded", second.clone()));
        bodies.push(fake.event("charge.dispute.created", dispute.clone()));
    }
    bodies.reverse();
    bodies.swap(0, 4);
    let outcomes =
        futures_util::future::join_all(bodies.iter().map(|body| deliver(&app, body))).await;
    let took = outcomes
        .iter()
        .filter(|o| *o == "credits_taken_back")
        .count();
    assert!(took >= 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|o| o == "credits_taken_back" || o == "nothing_to_take_back"),
        "{outcomes:?}"
    );
    // Everything taken back once: 400 left at once, the 100 spent owed.
    assert_eq!(credits(&app, &cookie).await, 0);
    assert_eq!(owed(&app, "cy@example.com").await, 100);
    assert_eq!(ledger_balance(&app).await, 0);
}

#[tokio::test]
async fn a_charge_that_paid_for_no_pack_changes_nothing() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("dee@example.com").await;
    let pack = buy(&app, &fake, &cookie, "generations_100").await;
    let mut charge = fake.charge_of(&pack);
    charge["id"] = serde_json::json!("ch_unknown_to_stripe");
    let refunded = fake.event("charge.refunded", charge);
    assert_eq!(deliver(&app, &refunded).await, "not_a_pack");
    assert_eq!(credits(&app, &cookie).await, 100);
}

#[tokio::test]
async fn in_test_mode_the_portal_refunds_and_disputes_a_pack_through_the_same_code() {
    let app = common::spawn_app().await;
    let cookie = app.sign_in("eve@example.com").await;
    let mut checkouts = Vec::new();
    for _ in 0..2 {
        let checkout = app.buy_pack(&cookie, "generations_100").await;
        app.pay(&checkout, &cookie, "succeeds").await;
        checkouts.push(checkout.rsplit('/').next().unwrap_or_default().to_owned());
    }
    assert_eq!(credits(&app, &cookie).await, 200);
    spend(&app, &cookie, 10 + 150).await;

    let page = app.get_as("/billing/test-portal", Some(&cookie)).await;
    let text = page.text().await.unwrap();
    assert!(text.contains("100 generations, $5.00, paid"), "{text}");
    assert!(text.contains("Refund (test)"), "{text}");

    let press = |action: &'static str, checkout: String| {
        let (app, cookie) = (&app, cookie.clone());
        async move {
            let done = app
                .post_form(
                    "/billing/test-portal",
                    &[("action", action), ("checkout", &checkout)],
                    Some(&cookie),
                )
                .await;
            location(&done)
        }
    };
    assert_eq!(
        press("refund", checkouts[0].clone()).await,
        "/billing/test-portal?notice=charge"
    );
    assert_eq!(credits(&app, &cookie).await, 0, "the 50 left went first");
    assert_eq!(owed(&app, "eve@example.com").await, 50);
    press("dispute", checkouts[1].clone()).await;
    assert_eq!(owed(&app, "eve@example.com").await, 150);
    // Pressed again, or on a payment that is not theirs: nothing more.
    press("dispute", checkouts[1].clone()).await;
    assert_eq!(owed(&app, "eve@example.com").await, 150);
    assert_eq!(
        press("refund", "cs_local_someone_else".into()).await,
        "/billing/test-portal?error=no_such_payment"
    );
    let text = app.text("/billing/test-portal", &cookie).await;
    assert!(
        text.contains("Refunded") && text.contains("Disputed"),
        "{text}"
    );
    assert_eq!(ledger_balance(&app).await, 0);
    let account = app.text("/account", &cookie).await;
    assert!(
        account.contains("You owe 150 generations from a refunded or disputed credit pack"),
        "{account}"
    );
}

/// The mails whose subject contains `words`, once the background mailer has had its chance.
async fn mails_about(app: &TestApp, words: &str) -> usize {
    let mut found = 0;
    for _ in 0..50 {
        found = app::auth::mailer::dev_mailbox(&app.running.state.db, 100)
            .await
            .unwrap()
            .iter()
            .filter(|m| m.email.subject.contains(words))
            .count();
        if found > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    found
}

#[tokio::test]
async fn the_use_that_leaves_ten_credits_mails_once_that_they_run_low() {
    let app = common::spawn_app().await;
    let cookie = app.sign_in("fay@example.com").await;
    let checkout = app.buy_pack(&cookie, "generations_100").await;
    app.pay(&checkout, &cookie, "succeeds").await;
    spend(&app, &cookie, 10 + 89).await;
    assert_eq!(credits(&app, &cookie).await, 11);
    assert_eq!(
        mails_about(&app, "of credit left").await,
        0,
        "11 left: not yet"
    );
    spend(&app, &cookie, 1).await;
    assert_eq!(
        mails_about(&app, "You have 10 generations of credit left").await,
        1
    );
    spend(&app, &cookie, 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        mails_about(&app, "of credit left").await,
        1,
        "once per fall"
    );
    let mail = app.last_email().await.unwrap();
    assert_eq!(mail.to, "fay@example.com");
    assert!(mail.body.contains("/pricing#credit-packs"), "{}", mail.body);
}
