//! Managing a subscription, over real HTTP on both engines: "Manage billing" on /account leads
//! to the provider's portal; in test mode its buttons reach every billing state (renewal
//! failing, unpaid, paid again, plan switches, cancellation), each applied through the same
//! sync a webhook runs, and a switch the user's usage does not fit is refused with what to
//! remove.

mod common;

use common::{location, session, spawn_app, TestApp};

async fn press(app: &TestApp, cookie: &str, action: &str, price: Option<&str>) -> String {
    let mut form = vec![("action", action)];
    if let Some(price) = price {
        form.push(("price", price));
    }
    let response = app
        .post_form("/billing/test-portal", &form, Some(cookie))
        .await;
    assert_eq!(response.status(), 303);
    location(&response)
}

async fn plan_and_status(app: &TestApp, cookie: &str) -> (String, String) {
    let usage = app.usage(Some(&session(cookie))).await;
    (
        usage["plan"].as_str().unwrap_or_default().to_owned(),
        usage["status"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn portal_text(app: &TestApp, path: &str, cookie: &str) -> String {
    let page = app.get_as(path, Some(cookie)).await;
    assert_eq!(page.status(), 200);
    page.text().await.unwrap()
}

#[tokio::test]
async fn manage_billing_leads_to_the_portal_only_for_customers() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let account = portal_text(&app, "/account", &cookie).await;
    assert!(account.contains("See plans") && !account.contains("Manage billing"));
    let nothing = app.post_form("/billing/portal", &[], Some(&cookie)).await;
    assert_eq!(location(&nothing), "/pricing?error=nothing_to_manage");

    app.subscribe(&cookie, "pro", "monthly").await;
    assert!(portal_text(&app, "/account", &cookie)
        .await
        .contains("Manage billing"));
    let portal = app.post_form("/billing/portal", &[], Some(&cookie)).await;
    assert_eq!(location(&portal), "/billing/test-portal");
    let text = portal_text(&app, "/billing/test-portal", &cookie).await;
    assert!(text.contains("Pro, billed monthly"), "{text}");
    assert!(
        text.contains("Trialing") && text.contains("Trial ends on"),
        "{text}"
    );
}

#[tokio::test]
async fn a_failed_renewal_goes_past_due_then_unpaid_until_paid() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    app.subscribe(&cookie, "pro", "monthly").await;

    assert_eq!(
        press(&app, &cookie, "fail_next_renewal", None).await,
        "/billing/test-portal?notice=changed"
    );
    press(&app, &cookie, "renew_now", None).await;
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "past_due".into())
    );
    press(&app, &cookie, "mark_unpaid", None).await;
    assert_eq!(plan_and_status(&app, &cookie).await.1, "unpaid");
    let refused = app
        .generate("while unpaid", Some(&session(&cookie)), &[])
        .await;
    assert_eq!(
        refused.status(),
        402,
        "unpaid is restricted to the billing pages"
    );
    press(&app, &cookie, "pay_now", None).await;
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "active".into())
    );
    // A button that means nothing now says so and changes nothing.
    assert_eq!(
        press(&app, &cookie, "pay_now", None).await,
        "/billing/test-portal?error=not_now"
    );
    assert_eq!(
        press(&app, &cookie, "sell_my_data", None).await,
        "/billing/test-portal?error=not_now"
    );
}

#[tokio::test]
async fn upgrades_apply_now_downgrades_at_the_renewal_and_cancelling_ends_on_free() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    app.subscribe(&cookie, "pro", "monthly").await;

    press(&app, &cookie, "switch", Some("team_monthly")).await;
    assert_eq!(plan_and_status(&app, &cookie).await.0, "team");
    press(&app, &cookie, "switch", Some("pro_yearly")).await;
    assert_eq!(
        plan_and_status(&app, &cookie).await.0,
        "team",
        "until the period ends"
    );
    let text = portal_text(&app, "/billing/test-portal", &cookie).await;
    assert!(text.contains("Switches to Pro, billed yearly on"), "{text}");
    press(&app, &cookie, "renew_now", None).await;
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "active".into())
    );

    press(&app, &cookie, "cancel", None).await;
    assert!(portal_text(&app, "/billing/test-portal", &cookie)
        .await
        .contains("Cancels on"));
    assert_eq!(
        plan_and_status(&app, &cookie).await.0,
        "pro",
        "kept until the end"
    );
    press(&app, &cookie, "renew_now", None).await;
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("free".into(), "canceled".into())
    );
}

#[tokio::test]
async fn a_switch_the_usage_does_not_fit_is_refused_with_what_to_remove() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    app.subscribe(&cookie, "team", "monthly").await;
    app.add_tracked_accounts(&cookie, 6).await;
    let refused = press(&app, &cookie, "switch", Some("pro_monthly")).await;
    assert_eq!(
        refused,
        "/billing/test-portal?error=downgrade_blocked&price=pro_monthly"
    );
    let text = portal_text(&app, &refused, &cookie).await;
    assert!(
        text.contains("You have 6 tracked accounts; Pro allows 5. Remove 1 to switch."),
        "{text}"
    );
    press(&app, &cookie, "renew_now", None).await;
    assert_eq!(
        plan_and_status(&app, &cookie).await.0,
        "team",
        "nothing was scheduled"
    );
}

#[tokio::test]
async fn the_account_page_lists_every_test_mode_payment_as_an_invoice_newest_first() {
    let app = spawn_app().await;
    let cookie = app.sign_in("receipts@example.com").await;
    app.subscribe(&cookie, "pro", "monthly").await;
    let pack = app.buy_pack(&cookie, "generations_100").await;
    let paid = app.pay(&pack, &cookie, "succeeds").await;
    app.come_back(&location(&paid), &cookie).await;

    let html = app.text("/account", &cookie).await;
    let rows: Vec<&str> = html.split("data-testid=\"invoice\"").skip(1).collect();
    assert_eq!(rows.len(), 2, "{html}");
    assert!(
        rows[0].contains("TEST-0002") && rows[0].contains("$5.00") && rows[0].contains("Paid"),
        "the pack, newest first: {}",
        rows[0]
    );
    assert!(
        rows[1].contains("TEST-0001") && rows[1].contains("$0.00"),
        "Pro's first invoice is the trial's: {}",
        rows[1]
    );
}
