//! Time-dependent rules through real HTTP at a chosen moment: the server's one clock
//! (`Db::clock`) is moved, not the rows. On both engines.
mod common;

use common::{session, spawn_app, spawn_app_with, tollgate};

#[tokio::test]
async fn the_days_allowance_renews_at_midnight_utc() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("ada@example.com").await);
    for _ in 0..10 {
        let ok = app.generate("x", Some(&cookie), &[]).await;
        assert_eq!(ok.status(), 200);
        ok.text().await.unwrap();
    }
    let refused = app.generate("x", Some(&cookie), &[]).await;
    assert_eq!(refused.status(), 429);
    let body: serde_json::Value = refused.json().await.unwrap();
    let reset = body["resetAt"].as_str().unwrap().to_owned();
    let usage = app.usage(Some(&cookie)).await;
    let midnight = usage["features"]["generations"]["resetsAt"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(reset, midnight);

    // The window the 10 were counted in; one second into the next day:
    let today: i64 = sqlx::query_scalar("SELECT MAX(window_start) FROM usage_counters")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    app.running.state.db.clock().set(today + 86_400 + 1);
    let renewed = app.generate("x", Some(&cookie), &[]).await;
    assert_eq!(renewed.status(), 200, "a new day, a new allowance");
    assert_eq!(renewed.headers()["x-usage-remaining"], "9");
}

#[tokio::test]
async fn past_due_keeps_the_plan_for_the_grace_period_then_falls_to_free() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("late@example.com").await);
    let out = tollgate(
        &app.database,
        &[
            "user",
            "set-plan",
            "late@example.com",
            "pro",
            "--status",
            "past_due",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let limit = |usage: &serde_json::Value| usage["features"]["generations"]["limit"].clone();
    assert_eq!(
        limit(&app.usage(Some(&cookie)).await),
        100,
        "Pro during the grace period"
    );

    let clock = app.running.state.db.clock();
    clock.advance(6 * 86_400);
    assert_eq!(
        limit(&app.usage(Some(&cookie)).await),
        100,
        "day 6: still Pro"
    );
    clock.advance(2 * 86_400);
    assert_eq!(limit(&app.usage(Some(&cookie)).await), 10, "day 8: Free");
    let generated = app.generate("x", Some(&cookie), &[]).await;
    assert_eq!(generated.headers()["x-usage-limit"], "10");
}

#[tokio::test]
async fn billing_grace_days_sets_how_long_past_due_keeps_the_plan() {
    let app = spawn_app_with(|config| config.billing_grace_days = 2).await;
    let cookie = session(&app.sign_in("short@example.com").await);
    let args = [
        "user",
        "set-plan",
        "short@example.com",
        "pro",
        "--status",
        "past_due",
    ];
    let out = tollgate(&app.database, &args, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let limit = |usage: &serde_json::Value| usage["features"]["generations"]["limit"].clone();
    let clock = app.running.state.db.clock();
    clock.advance(86_400);
    assert_eq!(
        limit(&app.usage(Some(&cookie)).await),
        100,
        "day 1 of 2: Pro"
    );
    clock.advance(86_400 + 1);
    assert_eq!(
        limit(&app.usage(Some(&cookie)).await),
        10,
        "day 2 over: Free"
    );
}

#[tokio::test]
async fn a_sign_in_link_expires_fifteen_minutes_later() {
    let app = spawn_app().await;
    let link = app.request_link("ada@example.com").await;
    app.running.state.db.clock().advance(15 * 60 + 1);
    let response = app.redeem(&link, None).await;
    assert_eq!(common::location(&response), "/login?error=link_expired");
}
