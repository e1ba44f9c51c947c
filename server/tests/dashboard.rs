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
