//! The dashboard's usage chart: server-rendered SVG from the ledger, readable without JS.
mod common;

use common::{session, spawn_app};

#[tokio::test]
async fn the_chart_counts_today_s_generations_from_the_ledger_in_plain_html() {
    let app = spawn_app().await;
    let cookie = app.sign_in("chart@example.com").await;
    let html = app.text("/dashboard", &cookie).await;
    assert!(
        html.contains("No generations in the last 30 days yet."),
        "an empty chart says so"
    );
    for prompt in ["one", "two", "three"] {
        let response = app.generate(prompt, Some(&session(&cookie)), &[]).await;
        assert_eq!(response.status(), 200);
        response.text().await.expect("the text");
    }
    let html = app.text("/dashboard", &cookie).await;
    assert!(html.contains("data-testid=\"usage-chart\""));
    assert!(
        html.contains("3 generations in the last 30 days; most on "),
        "the summary sentence is in the page"
    );
    assert_eq!(html.matches("<rect").count(), 30, "one bar per day");
    assert!(
        html.contains("data-uses=\"3\""),
        "today's bar holds the three"
    );
}

/// The markers by which the wasm entry point loads the code of the shell's signed-in parts
/// before it hydrates: the header's on every signed-in page, the notices' only on a page that
/// shows some (a past-due banner here), neither for a visitor.
#[tokio::test]
async fn pages_mark_the_signed_in_parts_the_server_drew() {
    use app::ui::components::{NOTICES_MARKER, SIGNED_IN_MARKER};
    let app = spawn_app().await;
    let visitor = app.get_as("/pricing", None).await.text().await.unwrap();
    assert!(!visitor.contains(SIGNED_IN_MARKER) && !visitor.contains(NOTICES_MARKER));

    let cookie = app.sign_in("marks@example.com").await;
    let html = app.text("/dashboard", &cookie).await;
    assert!(html.contains(SIGNED_IN_MARKER), "the header's parts");
    assert!(!html.contains(NOTICES_MARKER), "no notices, no marker");

    let db = &app.running.state.db;
    let email = app::domain::EmailAddress::parse("marks@example.com").unwrap();
    let user = app::auth::users::find_by_email(db, &email)
        .await
        .unwrap()
        .unwrap();
    let now = db.now();
    let past_due = app::domain::Subscription {
        plan: app::domain::PlanId::parse("pro").unwrap(),
        status: app::domain::SubscriptionStatus::PastDue,
        current_period_start: Some(now - 86_400),
        current_period_end: Some(now + 86_400),
        past_due_since: Some(now - 3_600),
        kept: None,
    };
    app::billing::subscriptions::upsert(db, user.id, &past_due)
        .await
        .unwrap();
    let html = app.text("/dashboard", &cookie).await;
    assert!(html.contains("data-testid=\"status-banner-past_due\""));
    assert!(html.contains(SIGNED_IN_MARKER) && html.contains(NOTICES_MARKER));
}

/// Pages are the session's user's: a script that adds another account's API key to a
/// signed-in page request does not get that account's numbers drawn in (the page's actions
/// spend the session's user's allowance anyway).
#[tokio::test]
async fn a_signed_in_page_is_the_session_user_s_whatever_key_comes_with_it() {
    let app = spawn_app().await;
    let cookie = app.sign_in("page-owner@example.com").await;
    let db = &app.running.state.db;
    let other = app::domain::EmailAddress::parse("key-owner@example.com").unwrap();
    let other = app::auth::users::find_or_create(db, &other, None, None)
        .await
        .unwrap();
    let pro = app::domain::Subscription {
        plan: app::domain::PlanId::parse("pro").unwrap(),
        status: app::domain::SubscriptionStatus::Active,
        current_period_start: None,
        current_period_end: None,
        past_due_since: None,
        kept: None,
    };
    app::billing::subscriptions::upsert(db, other.id, &pro)
        .await
        .unwrap();
    let key = app::auth::api_keys::create(db, other.id, "script")
        .await
        .unwrap();
    for prompt in ["one", "two", "three"] {
        let spent = app
            .generate(prompt, None, &[("Authorization", &format!("Bearer {key}"))])
            .await;
        assert_eq!(spent.status(), 200);
        spent.text().await.unwrap();
    }
    let page = |path: &'static str| {
        app.client
            .get(app.url(path))
            .header("Cookie", session(&cookie))
            .header("Authorization", format!("Bearer {key}"))
            .send()
    };
    let dashboard = page("/dashboard").await.unwrap();
    assert_eq!(dashboard.status(), 200);
    let html = dashboard.text().await.unwrap();
    assert!(
        html.contains("10 left today"),
        "the page owner's Free day, untouched"
    );
    assert!(
        !html.contains("97 left today"),
        "not the key owner's Pro day"
    );
    let tutors = page("/tutors").await.unwrap().text().await.unwrap();
    assert!(
        tutors.contains("data-testid=\"requires-pro\""),
        "Pro tutors locked, as on the page owner's Free plan"
    );
}
