//! `tollgate billing sync [EMAIL]` and `tollgate billing replay EVENT_ID`: the operator's way
//! back to the provider's state after an outage or a missed webhook, on both engines.

mod common;

use app::billing::webhook::signature::sign;
use common::{session, spawn_app, tollgate, TestApp, WEBHOOK_SECRET};
use serde_json::json;

/// (success, stdout, stderr) of `tollgate ARGS` on the app's database.
fn run(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let output = tollgate(&app.database, args, &[]);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    )
}

/// The test-mode provider's side changes without telling us (a webhook lost in an outage).
async fn provider_quietly_sets(app: &TestApp, status: &str) {
    sqlx::query("UPDATE local_billing_subscriptions SET status = $1")
        .bind(status)
        .execute(app.running.state.db.pool())
        .await
        .unwrap();
}

async fn status(app: &TestApp, cookie: &str) -> String {
    app.usage(Some(&session(cookie))).await["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn sync_brings_one_or_every_customer_back_to_the_providers_state() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@example.com").await;
    let bob = app.sign_in("bob@example.com").await;
    app.subscribe(&ada, "pro", "monthly").await;
    app.subscribe(&bob, "team", "yearly").await;
    provider_quietly_sets(&app, "past_due").await;
    assert_eq!(status(&app, &ada).await, "trialing", "nothing told us yet");

    let (ok, out, err) = run(&app, &["billing", "sync", "ada@example.com"]);
    assert!(ok, "{err}");
    assert_eq!(out, "ada@example.com: pro (past_due)");
    assert_eq!(status(&app, &ada).await, "past_due");
    assert_eq!(
        status(&app, &bob).await,
        "trialing",
        "only the one asked for"
    );

    let (ok, out, err) = run(&app, &["billing", "sync"]);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        "ada@example.com: pro (past_due)\nbob@example.com: team (past_due)"
    );

    let (ok, _, err) = run(&app, &["billing", "sync", "carol@example.com"]);
    assert!(!ok);
    assert!(
        err.contains("carol@example.com has no billing customer"),
        "{err}"
    );
}

#[tokio::test]
async fn replay_acts_on_a_recorded_event_again() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@example.com").await;
    let customer = app.subscribe(&ada, "pro", "monthly").await;
    let body = serde_json::to_vec(&json!({
        "id": "evt_replayed", "object": "event", "type": "invoice.payment_failed",
        "created": 1_700_000_000,
        "data": { "object": { "object": "invoice", "customer": customer } }
    }))
    .unwrap();
    let signature = sign(&body, WEBHOOK_SECRET, app.running.state.db.now());
    let delivered = app
        .client
        .post(app.url("/api/webhooks/stripe"))
        .header("Stripe-Signature", signature)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(delivered.status(), 200);
    provider_quietly_sets(&app, "unpaid").await;

    let (ok, out, err) = run(&app, &["billing", "replay", "evt_replayed"]);
    assert!(ok, "{err}");
    assert_eq!(out, "event evt_replayed: synced");
    assert_eq!(status(&app, &ada).await, "unpaid");
    assert_eq!(
        app.count("billing_events").await,
        1,
        "replaying records nothing new"
    );

    let (ok, _, err) = run(&app, &["billing", "replay", "evt_never"]);
    assert!(!ok);
    assert!(err.contains("no recorded event evt_never"), "{err}");
}

#[tokio::test]
async fn sync_grants_a_pack_paid_while_nobody_was_told() {
    let app = spawn_app().await;
    let ada = app.sign_in("ada@example.com").await;
    let started = app
        .post_form(
            "/billing/credits",
            &[("pack", "generations_100")],
            Some(&ada),
        )
        .await;
    assert_eq!(started.status(), 303);
    // Paid at the provider; the buyer never came back and the event was lost.
    sqlx::query("UPDATE local_billing_checkouts SET status = 'complete'")
        .execute(app.running.state.db.pool())
        .await
        .unwrap();
    let credits = || async {
        app.usage(Some(&session(&ada))).await["credits"]
            .as_i64()
            .unwrap_or(-1)
    };
    assert_eq!(credits().await, 0);

    let (ok, out, err) = run(&app, &["billing", "sync", "ada@example.com"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("ada@example.com: pack generations_100: credits granted"),
        "{out}"
    );
    assert_eq!(credits().await, 100);
    let (ok, out, _) = run(&app, &["billing", "sync"]);
    assert!(ok);
    assert!(!out.contains("pack"), "nothing pending any more: {out}");
    assert_eq!(credits().await, 100);
}
