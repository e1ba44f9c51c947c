//! Paying for a plan through the built-in test-mode provider, over real HTTP, on both engines:
//! pricing form → checkout → the test card → back on the app, already on the plan before any
//! webhook. Who may see and pay which checkout, and what a second checkout does.

mod common;

use common::{location, session, spawn_app, TestApp};

async fn page_text(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let page = app.get_as(path, Some(cookie)).await;
    let status = page.status().as_u16();
    (status, page.text().await.expect("page body"))
}

#[tokio::test]
async fn a_free_user_pays_in_test_mode_and_is_on_pro_at_once() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let usage = app.usage(Some(&session(&cookie))).await;
    assert_eq!(usage["plan"], "free");

    let checkout = app.start_checkout(&cookie, "pro", "monthly").await;
    let (status, text) = page_text(&app, &checkout, &cookie).await;
    assert_eq!(status, 200);
    assert!(text.contains("Pro, billed monthly"), "{text}");
    assert!(
        text.contains("Start 7-day free trial — test mode"),
        "{text}"
    );
    assert!(text.contains("then $19.00 per month"), "{text}");

    // The declined card changes nothing.
    let declined = app.pay(&checkout, &cookie, "declined").await;
    assert_eq!(declined.status(), 303);
    assert_eq!(location(&declined), format!("{checkout}?error=declined"));
    let (_, text) = page_text(&app, &location(&declined), &cookie).await;
    assert!(
        text.contains("Your card was declined (test mode)"),
        "{text}"
    );
    assert_eq!(app.usage(Some(&session(&cookie))).await["plan"], "free");

    let paid = app.pay(&checkout, &cookie, "succeeds").await;
    assert_eq!(paid.status(), 303);
    let success = location(&paid);
    assert!(
        success.contains("/billing/success?session_id=cs_local_"),
        "{success}"
    );
    let back = app.come_back(&success, &cookie).await;
    assert_eq!(back.status(), 303);
    assert_eq!(location(&back), "/dashboard");

    let usage = app.usage(Some(&session(&cookie))).await;
    assert_eq!(usage["plan"], "pro");
    assert_eq!(usage["status"], "trialing");
    assert_eq!(usage["features"]["generations"]["limit"], 100);

    // Paying the same checkout again (a double submit) makes no second subscription.
    let again = app.pay(&checkout, &cookie, "succeeds").await;
    assert_eq!(location(&again), success);
    assert_eq!(app.count("local_billing_subscriptions").await, 1);
    assert_eq!(app.count("billing_customers").await, 1);
}

#[tokio::test]
async fn a_paying_user_cannot_start_a_second_subscription() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let checkout = app.start_checkout(&cookie, "pro", "yearly").await;
    let success = location(&app.pay(&checkout, &cookie, "succeeds").await);
    app.come_back(&success, &cookie).await;

    let second = app
        .post_form(
            "/billing/checkout",
            &[("plan", "team"), ("billing", "monthly")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        location(&second),
        "/pricing?billing=monthly&error=already_subscribed"
    );
    let (_, text) = page_text(&app, &location(&second), &cookie).await;
    assert!(
        text.contains("a second checkout would charge you twice"),
        "{text}"
    );
    assert_eq!(app.count("local_billing_checkouts").await, 1);
    // The pricing page says so before anyone presses: every change goes through the portal.
    let (_, pricing) = page_text(&app, "/pricing", &cookie).await;
    assert!(
        pricing.contains(r#"data-testid="manage-plan""#),
        "{pricing}"
    );
    assert!(
        pricing.contains(r#"data-testid="upgrade-plan""#),
        "{pricing}"
    );
    assert!(
        !pricing.contains(r#"action="/billing/checkout""#),
        "{pricing}"
    );
}

/// A plan an operator set (`tollgate user set-plan`) has no subscription at the provider: the
/// pricing page offers checkout for the other paid plans, as checkout itself allows it, and
/// no "Manage billing" that would lead to a portal with nothing in it.
#[tokio::test]
async fn a_plan_an_operator_set_is_upgraded_by_checkout_not_the_portal() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let state = &app.running.state;
    server::operator::set_plan(
        &state.db,
        &state.access,
        "ada@example.com",
        "pro",
        "active",
        false,
    )
    .await
    .expect("an operator sets Pro");
    assert_eq!(app.usage(Some(&session(&cookie))).await["plan"], "pro");

    let (_, pricing) = page_text(&app, "/pricing", &cookie).await;
    assert!(
        pricing.contains(r#"data-testid="current-plan""#),
        "{pricing}"
    );
    assert!(
        !pricing.contains(r#"data-testid="manage-plan""#),
        "{pricing}"
    );
    assert!(
        !pricing.contains(r#"data-testid="upgrade-plan""#),
        "{pricing}"
    );
    assert!(
        pricing.contains(r#"action="/billing/checkout""#),
        "{pricing}"
    );
    assert!(pricing.contains(r#"value="team""#), "{pricing}");

    let checkout = app.start_checkout(&cookie, "team", "monthly").await;
    let success = location(&app.pay(&checkout, &cookie, "succeeds").await);
    app.come_back(&success, &cookie).await;
    assert_eq!(app.usage(Some(&session(&cookie))).await["plan"], "team");
    let (_, pricing) = page_text(&app, "/pricing", &cookie).await;
    assert!(
        pricing.contains(r#"data-testid="manage-plan""#),
        "{pricing}"
    );
}

#[tokio::test]
async fn the_trial_is_offered_once_per_customer() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let checkout = app.start_checkout(&cookie, "pro", "monthly").await;
    let success = location(&app.pay(&checkout, &cookie, "succeeds").await);
    app.come_back(&success, &cookie).await;
    // The subscription ended at the provider (canceled, its period over), and is synced.
    sqlx::query(
        "UPDATE local_billing_subscriptions
         SET status = 'canceled', current_period_end = current_period_start",
    )
    .execute(app.running.state.db.pool())
    .await
    .unwrap();
    let customer = app::billing::customers::find(&app.running.state.db, 1)
        .await
        .unwrap()
        .unwrap();
    app.running.state.billing.sync(&customer).await.unwrap();
    assert_eq!(app.usage(Some(&session(&cookie))).await["plan"], "free");

    let checkout = app.start_checkout(&cookie, "pro", "monthly").await;
    let (_, text) = page_text(&app, &checkout, &cookie).await;
    assert!(
        text.contains("Pay $19.00 — test mode"),
        "no second trial: {text}"
    );
    let success = location(&app.pay(&checkout, &cookie, "succeeds").await);
    app.come_back(&success, &cookie).await;
    let usage = app.usage(Some(&session(&cookie))).await;
    assert_eq!(
        (usage["plan"].as_str(), usage["status"].as_str()),
        (Some("pro"), Some("active"))
    );
}

#[tokio::test]
async fn nobody_else_can_see_pay_or_claim_a_checkout() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@example.com").await;
    let eve = app.sign_in("eve@example.com").await;
    let checkout = app.start_checkout(&ada, "pro", "monthly").await;

    let (_, text) = page_text(&app, &checkout, &eve).await;
    assert!(text.contains("There is no such checkout"), "{text}");
    assert_eq!(app.pay(&checkout, &eve, "succeeds").await.status(), 404);
    assert_eq!(app.count("local_billing_subscriptions").await, 0);

    // Ada pays; Eve replays Ada's success URL: nothing of Ada's is synced to Eve.
    let success = location(&app.pay(&checkout, &ada, "succeeds").await);
    let claimed = app.come_back(&success, &eve).await;
    assert_eq!(location(&claimed), "/pricing?error=not_your_checkout");
    assert_eq!(app.usage(Some(&session(&eve))).await["plan"], "free");
    assert_eq!(app.usage(Some(&session(&ada))).await["plan"], "pro");

    // Signed out, the checkout page asks for sign-in and the pay button refuses.
    let page = app.get_as(&checkout, None).await;
    assert_eq!(page.status(), 302);
    assert!(
        location(&page).starts_with("/login?next="),
        "{}",
        location(&page)
    );
    let anonymous = app
        .client
        .post(app.url(&format!("{checkout}/pay")))
        .header("Origin", app.url(""))
        .form(&[("card", "succeeds")])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
    assert!(location(&anonymous).starts_with("/login"));
}

#[tokio::test]
async fn checkout_forms_that_cannot_start_say_why() {
    let app = spawn_app().await;
    // Not signed in: sign in first, then back to the plans with the same interval.
    let visitor = app
        .client
        .post(app.url("/billing/checkout"))
        .header("Origin", app.url(""))
        .form(&[("plan", "pro"), ("billing", "yearly")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&visitor),
        "/login?next=%2Fpricing%3Fbilling%3Dyearly"
    );

    let cookie = app.sign_in("ada@example.com").await;
    for (plan, code) in [
        ("free", "free_plan"),
        ("enterprise", "unknown_plan"),
        ("", "unknown_plan"),
    ] {
        let refused = app
            .post_form(
                "/billing/checkout",
                &[("plan", plan), ("billing", "monthly")],
                Some(&cookie),
            )
            .await;
        assert_eq!(
            location(&refused),
            format!("/pricing?billing=monthly&error={code}"),
            "{plan:?}"
        );
    }
    let (_, text) = page_text(&app, "/pricing?error=free_plan", &cookie).await;
    assert!(text.contains("The Free plan needs no payment"), "{text}");
    // A cross-site form cannot start a checkout for the signed-in user.
    let forged = app
        .client
        .post(app.url("/billing/checkout"))
        .header("Origin", "https://evil.example")
        .header("Cookie", session(&cookie))
        .form(&[("plan", "pro")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(app.count("local_billing_checkouts").await, 0);
}

#[tokio::test]
async fn concurrent_first_checkouts_make_one_customer() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let starts = (0..8).map(|_| app.start_checkout(&cookie, "pro", "monthly"));
    let checkouts = futures_util::future::join_all(starts).await;
    assert_eq!(checkouts.len(), 8);
    assert_eq!(app.count("billing_customers").await, 1);
    assert_eq!(app.count("local_billing_customers").await, 1);
}

#[tokio::test]
async fn a_credit_pack_bought_in_test_mode_adds_its_credits_once() {
    let app = spawn_app().await;
    let visitor = app
        .client
        .post(app.url("/billing/credits"))
        .header("Origin", app.url(""))
        .form(&[("pack", "generations_100")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&visitor), "/login?next=%2Fpricing");

    let cookie = app.sign_in("ada@example.com").await;
    let unknown = app
        .post_form("/billing/credits", &[("pack", "free_money")], Some(&cookie))
        .await;
    assert_eq!(location(&unknown), "/pricing?error=unknown_pack");

    let checkout = app.buy_pack(&cookie, "generations_100").await;
    assert!(
        checkout.starts_with("/billing/test-checkout/cs_local_"),
        "{checkout}"
    );
    let (_, text) = page_text(&app, &checkout, &cookie).await;
    assert!(text.contains("Credit pack: 100 generations"), "{text}");
    assert!(text.contains("Pay $5.00 — test mode"), "{text}");

    let success = location(&app.pay(&checkout, &cookie, "succeeds").await);
    assert_eq!(
        app.usage(Some(&session(&cookie))).await["credits"],
        100,
        "granted on payment"
    );
    // The return, a double submit and a second return give nothing more.
    assert_eq!(
        location(&app.come_back(&success, &cookie).await),
        "/dashboard"
    );
    app.pay(&checkout, &cookie, "succeeds").await;
    app.come_back(&success, &cookie).await;
    let usage = app.usage(Some(&session(&cookie))).await;
    assert_eq!(usage["credits"], 100);
    assert_eq!(usage["plan"], "free", "a pack is no subscription");
    assert_eq!(app.count("local_billing_subscriptions").await, 0);
}
