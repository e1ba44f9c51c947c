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
