//! The Stripe adapter against a fake Stripe that speaks real HTTP (`common::fake_stripe`), on
//! both engines: what Tollgate asks of Stripe (one customer per user under an idempotency key,
//! a subscription-mode checkout with the trial, promotion codes and tax ids), and the journey
//! checkout → back from Stripe → Pro before any webhook → webhooks keep it current.

mod common;

use common::fake_stripe::FakeStripe;
use common::stripe_app::{
    app_on, checkout, credits, deliver, plan_and_status, return_from_stripe, session_id,
};
use common::{location, session, spawn_app_with};
use serde_json::json;
use server::config::StripeSettings;

#[tokio::test]
async fn checkout_asks_stripe_for_what_the_product_needs() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("ada@example.com").await;
    let url = checkout(&app, &cookie, "pro", "yearly").await;

    let requests = fake.requests();
    let customer = requests
        .iter()
        .find(|r| r.path == "/v1/customers")
        .expect("a customer was created");
    assert_eq!(
        customer.idempotency_key.as_deref(),
        Some("tollgate-customer-1")
    );
    assert_eq!(customer.param("email"), Some("ada@example.com"));
    assert_eq!(customer.param("metadata[user_id]"), Some("1"));
    let prices = requests.iter().find(|r| r.path == "/v1/prices").unwrap();
    assert_eq!(prices.param("lookup_keys[0]"), Some("pro_yearly"));
    let created = requests
        .iter()
        .find(|r| r.path == "/v1/checkout/sessions")
        .expect("a checkout session");
    for (name, value) in [
        ("mode", "subscription"),
        ("customer", fake.customers()[0]["id"].as_str().unwrap()),
        ("line_items[0][price]", "price_pro_yearly"),
        ("line_items[0][quantity]", "1"),
        ("subscription_data[trial_period_days]", "7"),
        ("allow_promotion_codes", "true"),
        ("tax_id_collection[enabled]", "true"),
        ("customer_update[name]", "auto"),
    ] {
        assert_eq!(created.param(name), Some(value), "{name}");
    }
    let success = created.param("success_url").unwrap();
    assert_eq!(
        success,
        app.url("/billing/success?session_id={CHECKOUT_SESSION_ID}")
    );
    assert!(session_id(&url).starts_with("cs_test_"));

    // A second try (the buyer came back without paying) reuses the one customer.
    checkout(&app, &cookie, "pro", "monthly").await;
    assert_eq!(fake.customers().len(), 1);
    assert_eq!(app.count("billing_customers").await, 1);
}

#[tokio::test]
async fn paid_at_stripe_the_user_is_on_the_plan_before_any_webhook_and_webhooks_keep_it_current() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("ada@example.com").await;
    let url = checkout(&app, &cookie, "pro", "monthly").await;
    let id = session_id(&url).to_owned();

    // Back before paying (a tab restored, a forged link): nothing changes.
    assert_eq!(
        return_from_stripe(&app, &fake, &id, &cookie).await,
        "/dashboard"
    );
    assert_eq!(plan_and_status(&app, &cookie).await.0, "free");

    let sub = fake.complete_checkout(&id);
    assert_eq!(
        return_from_stripe(&app, &fake, &id, &cookie).await,
        "/dashboard"
    );
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "trialing".into())
    );
    let usage = app.usage(Some(&session(&cookie))).await;
    assert_eq!(usage["features"]["generations"]["limit"], 100);

    // Then Stripe's webhooks: the checkout, the trial's end, a failed renewal, a cancellation.
    let customer = sub["customer"].as_str().unwrap().to_owned();
    let completed = fake.event("checkout.session.completed", fake.session(&id).unwrap());
    assert_eq!(deliver(&app, &completed).await, "synced");

    let sub_id = sub["id"].as_str().unwrap().to_owned();
    fake.update_subscription(&sub_id, |s, _| s["status"] = json!("active"));
    let paid = fake.event(
        "invoice.paid",
        json!({ "object": "invoice", "customer": customer }),
    );
    assert_eq!(deliver(&app, &paid).await, "synced");
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "active".into())
    );

    fake.update_subscription(&sub_id, |s, _| s["status"] = json!("past_due"));
    let failed = fake.event(
        "invoice.payment_failed",
        json!({ "object": "invoice", "customer": customer }),
    );
    assert_eq!(deliver(&app, &failed).await, "synced");
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "past_due".into())
    );
    app.running.state.db.clock().advance(7 * 86_400 + 1);
    assert_eq!(plan_and_status(&app, &cookie).await.0, "free", "grace over");

    fake.update_subscription(&sub_id, |s, _| s["status"] = json!("canceled"));
    let deleted = fake.event(
        "customer.subscription.deleted",
        fake.subscription_of(&customer).unwrap(),
    );
    assert_eq!(deliver(&app, &deleted).await, "synced");
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("free".into(), "canceled".into())
    );
}

#[tokio::test]
async fn an_upgrade_made_at_stripe_is_read_by_its_lookup_key() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("ada@example.com").await;
    let id = session_id(&checkout(&app, &cookie, "pro", "monthly").await).to_owned();
    let sub = fake.complete_checkout(&id);
    return_from_stripe(&app, &fake, &id, &cookie).await;

    let updated = fake.switch_price(sub["id"].as_str().unwrap(), "team_yearly");
    assert_eq!(deliver(&app, &updated).await, "synced");
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("team".into(), "active".into())
    );
}

#[tokio::test]
async fn stripe_refusing_or_unreachable_sends_the_buyer_back_with_a_sentence() {
    let fake = FakeStripe::start().await;
    let app = spawn_app_with({
        let base = fake.base.clone();
        move |config| {
            config.stripe = Some(StripeSettings {
                secret_key: app::secret::Secret::new("sk_test_wrong_key"),
                api_base: Some(base),
            });
        }
    })
    .await;
    let cookie = app.sign_in("ada@example.com").await;
    let refused = app
        .post_form(
            "/billing/checkout",
            &[("plan", "pro"), ("billing", "monthly")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        location(&refused),
        "/pricing?billing=monthly&error=billing_unavailable"
    );
    assert_eq!(app.count("billing_customers").await, 0);
    // A session id that is not Stripe's shape is never sent to Stripe.
    let before = fake.requests().len();
    let odd = app
        .get_as("/billing/success?session_id=..%2Fcustomers", Some(&cookie))
        .await;
    assert_eq!(location(&odd), "/pricing?error=not_your_checkout");
    assert_eq!(fake.requests().len(), before);
}

#[tokio::test]
async fn manage_billing_opens_stripes_customer_portal_for_the_users_customer() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("ada@example.com").await;
    let id = session_id(&checkout(&app, &cookie, "pro", "monthly").await).to_owned();
    fake.complete_checkout(&id);
    return_from_stripe(&app, &fake, &id, &cookie).await;

    let portal = app.post_form("/billing/portal", &[], Some(&cookie)).await;
    assert!(
        location(&portal).starts_with("https://billing.stripe.test/p/session/"),
        "{}",
        location(&portal)
    );
    let asked = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/billing_portal/sessions")
        .expect("a portal session");
    assert_eq!(asked.param("customer"), fake.customers()[0]["id"].as_str());
    assert_eq!(
        asked.param("return_url"),
        Some(app.url("/account").as_str())
    );
    // The test-mode portal does not exist beside real Stripe.
    let test_portal = app
        .post_form(
            "/billing/test-portal",
            &[("action", "renew_now")],
            Some(&cookie),
        )
        .await;
    assert_eq!(test_portal.status(), 404);
}

#[tokio::test]
async fn a_pack_paid_at_stripe_adds_its_credits_once_by_return_or_webhook_whichever_is_first() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("ada@example.com").await;
    let buy = |pack: &'static str| {
        let (app, cookie) = (&app, cookie.clone());
        async move { session_id(&app.buy_pack(&cookie, pack).await).to_owned() }
    };

    // Return first, then the webhook.
    let first = buy("generations_100").await;
    let asked = fake
        .requests()
        .into_iter()
        .rfind(|r| r.path == "/v1/checkout/sessions")
        .unwrap();
    assert_eq!(asked.param("mode"), Some("payment"));
    assert_eq!(
        asked.param("line_items[0][price]"),
        Some("price_generations_100")
    );
    assert_eq!(asked.param("subscription_data[trial_period_days]"), None);
    return_from_stripe(&app, &fake, &first, &cookie).await;
    assert_eq!(credits(&app, &cookie).await, 0, "not paid yet");
    fake.complete_checkout(&first);
    return_from_stripe(&app, &fake, &first, &cookie).await;
    assert_eq!(credits(&app, &cookie).await, 100);
    let completed = fake.event("checkout.session.completed", fake.session(&first).unwrap());
    assert_eq!(deliver(&app, &completed).await, "credits_already_granted");
    assert_eq!(credits(&app, &cookie).await, 100);

    // The webhook first, then the return.
    let second = buy("generations_500").await;
    fake.complete_checkout(&second);
    let completed = fake.event("checkout.session.completed", fake.session(&second).unwrap());
    assert_eq!(deliver(&app, &completed).await, "credits_granted");
    assert_eq!(credits(&app, &cookie).await, 600);
    return_from_stripe(&app, &fake, &second, &cookie).await;
    assert_eq!(credits(&app, &cookie).await, 600);
    assert_eq!(app.usage(Some(&session(&cookie))).await["plan"], "free");
}

#[tokio::test]
async fn a_subscription_live_at_stripe_blocks_a_second_checkout_before_any_webhook() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("ada@example.com").await;
    let id = session_id(&checkout(&app, &cookie, "pro", "monthly").await).to_owned();
    // Paid at Stripe; the buyer closed the tab and the webhook is late: our copy says Free.
    fake.complete_checkout(&id);
    assert_eq!(plan_and_status(&app, &cookie).await.0, "free");
    assert_eq!(
        app.press_plan(&cookie, "team", "monthly").await,
        "/pricing?billing=monthly&error=already_subscribed"
    );
}

#[tokio::test]
async fn a_subscription_canceled_at_once_at_stripe_ends_the_plan_at_once() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    fake.set_now(app.running.state.db.now());
    let cookie = app.sign_in("ada@example.com").await;
    let id = session_id(&checkout(&app, &cookie, "team", "yearly").await).to_owned();
    let sub = fake.complete_checkout(&id);
    return_from_stripe(&app, &fake, &id, &cookie).await;
    assert_eq!(plan_and_status(&app, &cookie).await.0, "team");

    // Refunded and canceled in the dashboard: the period paid for stays as it was at Stripe.
    let now = app.running.state.db.now();
    fake.update_subscription(sub["id"].as_str().unwrap(), |s, _| {
        s["status"] = json!("canceled");
        s["ended_at"] = json!(now);
        s["canceled_at"] = json!(now);
    });
    let customer = sub["customer"].as_str().unwrap();
    let deleted = fake.event(
        "customer.subscription.deleted",
        fake.subscription_of(customer).unwrap(),
    );
    assert_eq!(deliver(&app, &deleted).await, "synced");
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("free".into(), "canceled".into())
    );
}

/// A Team subscriber with 6 tracked accounts switches to Pro (5 allowed) in Stripe's portal
/// (not configured to forbid it): the app, the cookie, the customer and the event.
async fn team_switched_to_pro_with_6_accounts(
    fake: &FakeStripe,
) -> (common::TestApp, String, String, Vec<u8>) {
    let app = app_on(fake).await;
    let cookie = app.sign_in("ada@example.com").await;
    let id = session_id(&checkout(&app, &cookie, "team", "monthly").await).to_owned();
    let sub = fake.complete_checkout(&id);
    return_from_stripe(&app, fake, &id, &cookie).await;
    app.add_tracked_accounts(&cookie, 6).await;

    // In Stripe's portal (not configured to forbid it) the user switches Team → Pro.
    let customer = sub["customer"].as_str().unwrap();
    let switched = fake.switch_price(sub["id"].as_str().unwrap(), "pro_monthly");
    (app, cookie, customer.to_owned(), switched)
}

#[tokio::test]
async fn a_portal_downgrade_over_the_limits_keeps_the_old_plan_until_enough_is_removed() {
    let fake = FakeStripe::start().await;
    let (app, cookie, customer, switched) = team_switched_to_pro_with_6_accounts(&fake).await;
    assert_eq!(deliver(&app, &switched).await, "plan_kept");
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("team".into(), "active".into()),
        "Team's limits stay while the account is over Pro's"
    );
    let dashboard = app.text("/dashboard", &cookie).await;
    assert!(
        dashboard.contains(
            "Your billing now says Pro, but your account is over its limits. You have 6 tracked \
             accounts; Pro allows 5. Remove 1 to switch. Until then, and at most until"
        ),
        "{dashboard}"
    );
    // Redelivered: still held, nothing else changes.
    let again = fake.event(
        "customer.subscription.updated",
        fake.subscription_of(&customer).unwrap(),
    );
    assert_eq!(deliver(&app, &again).await, "plan_kept");

    // Removing one account moves the switch through.
    let db = app.database.connect().await;
    let one: i64 = sqlx::query_scalar("SELECT MIN(id) FROM tracked_accounts")
        .fetch_one(db.pool())
        .await
        .unwrap();
    app.post_form(
        "/accounts/delete",
        &[("id", &one.to_string())],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "active".into())
    );
    let dashboard = app.text("/dashboard", &cookie).await;
    assert!(!dashboard.contains("Your billing now says"), "{dashboard}");
    // The next event finds the usage fits: an ordinary sync.
    let later = fake.event(
        "customer.subscription.updated",
        fake.subscription_of(&customer).unwrap(),
    );
    assert_eq!(deliver(&app, &later).await, "synced");
}

#[tokio::test]
async fn a_kept_plan_ended_by_a_page_view_shows_the_billed_plan_s_limits_in_that_same_view() {
    let fake = FakeStripe::start().await;
    let (app, cookie, _, switched) = team_switched_to_pro_with_6_accounts(&fake).await;
    assert_eq!(deliver(&app, &switched).await, "plan_kept");
    // An account removed by another writer (the CLI goes through the access module, not the
    // billing service): the next view's kept-plan check finds the usage fits and ends the kept
    // plan while the page renders.
    let db = app.database.connect().await;
    let (user, one): (i64, i64) =
        sqlx::query_as("SELECT user_id, MIN(id) FROM tracked_accounts GROUP BY user_id")
            .fetch_one(db.pool())
            .await
            .unwrap();
    let state = &app.running.state;
    assert!(
        app::resources::tracked_accounts::delete(&state.access, user, one)
            .await
            .unwrap()
    );
    let dashboard = app.text("/dashboard", &cookie).await;
    assert!(!dashboard.contains("Your billing now says"), "{dashboard}");
    // Header and page alike: Pro's 100 a day, not the kept Team's unlimited.
    assert!(
        !dashboard.contains("Unlimited generations today"),
        "{dashboard}"
    );
    assert!(dashboard.contains("Plan: Pro (active)"), "{dashboard}");
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "active".into())
    );
}

#[tokio::test]
async fn a_kept_plan_ends_at_its_deadline_even_if_nothing_was_removed() {
    let fake = FakeStripe::start().await;
    let (app, cookie, _, switched) = team_switched_to_pro_with_6_accounts(&fake).await;
    assert_eq!(deliver(&app, &switched).await, "plan_kept");
    let clock = app.running.state.db.clock();
    clock.advance(6 * 86_400);
    assert_eq!(plan_and_status(&app, &cookie).await.0, "team", "day 6 of 7");
    clock.advance(86_400);
    assert_eq!(
        plan_and_status(&app, &cookie).await.0,
        "pro",
        "day 7: what is billed"
    );
    let dashboard = app.text("/dashboard", &cookie).await;
    assert!(!dashboard.contains("Your billing now says"), "{dashboard}");
}

#[tokio::test]
async fn switching_back_and_forth_cannot_renew_a_kept_plan() {
    let fake = FakeStripe::start().await;
    let (app, cookie, customer, switched) = team_switched_to_pro_with_6_accounts(&fake).await;
    assert_eq!(deliver(&app, &switched).await, "plan_kept");
    let sub = fake.subscription_of(&customer).unwrap();
    let sub_id = sub["id"].as_str().unwrap();
    // Back to Team (the kept plan ends: it is what is billed), then to Pro again.
    let back = fake.switch_price(sub_id, "team_monthly");
    assert_eq!(deliver(&app, &back).await, "synced");
    let again = fake.switch_price(sub_id, "pro_monthly");
    assert_eq!(deliver(&app, &again).await, "synced", "no second hold");
    assert_eq!(plan_and_status(&app, &cookie).await.0, "pro");
}

#[tokio::test]
async fn the_account_page_lists_stripes_invoices_newest_first_with_their_pages() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("ada@example.com").await;
    assert!(
        app.text("/account", &cookie).await.contains("See plans"),
        "no customer, no invoices asked for"
    );
    assert!(!fake.requests().iter().any(|r| r.path == "/v1/invoices"));

    let id = session_id(&checkout(&app, &cookie, "pro", "monthly").await).to_owned();
    fake.complete_checkout(&id);
    return_from_stripe(&app, &fake, &id, &cookie).await;
    let customer = fake.customers()[0]["id"].as_str().unwrap().to_owned();
    fake.set_now(1_769_904_000);
    let open = fake.add_invoice(&customer, "open", 1_900);
    fake.add_invoice(&customer, "draft", 1_900);

    let html = app.text("/account", &cookie).await;
    let rows: Vec<&str> = html.split("data-testid=\"invoice\"").skip(1).collect();
    assert_eq!(rows.len(), 2, "the draft is left to the portal: {html}");
    assert!(rows[0].contains("2026-02-01") && rows[0].contains("$19.00"));
    assert!(rows[0].contains("Due") && rows[0].contains("FAKE-0002"));
    assert!(
        !rows[0].contains("<a "),
        "{open} has no hosted page at Stripe: no link"
    );
    assert!(
        rows[1].contains("$0.00") && rows[1].contains("Paid"),
        "the trial's first invoice"
    );
    assert!(rows[1].contains("href=\"https://invoice.stripe.test/i/in_"));
    assert!(rows[1].contains("rel=\"noopener noreferrer\""));
    let asked = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/invoices")
        .expect("invoices listed");
    assert_eq!(asked.param("customer"), Some(customer.as_str()));

    // Stripe failing costs the list, not the page.
    fake.fail_invoice_listing();
    let account = app.get_as("/account", Some(&cookie)).await;
    assert_eq!(account.status(), 200);
    let html = account.text().await.unwrap();
    assert!(html.contains("Your invoices could not be loaded just now."));
    assert!(html.contains("Manage billing"));
}
