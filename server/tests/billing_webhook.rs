//! `POST /api/webhooks/stripe` over real HTTP, on both engines: only Stripe-signed deliveries
//! are accepted, each event acts once, and any order or repetition of deliveries ends in the
//! provider's current state. The events are Stripe's own example objects
//! (`testdata/stripe/fixtures.json`) with this test's ids and customer.

mod common;

use app::billing::webhook::signature::sign;
use common::{session, spawn_app, workspace_file, TestApp, WEBHOOK_SECRET};
use serde_json::{json, Value};

fn fixture(resource: &str) -> Value {
    let all: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_file("testdata/stripe/fixtures.json"))
            .expect("the Stripe fixtures"),
    )
    .expect("fixtures are JSON");
    all["resources"][resource].clone()
}

/// A Stripe event of `kind` about `customer`'s subscription, as Stripe's fixture shapes it.
fn event(id: &str, kind: &str, customer: &str) -> Vec<u8> {
    let resource = match kind.split('.').next() {
        Some("invoice") => "invoice",
        Some("checkout") => "checkout.session",
        _ => "subscription",
    };
    let mut object = fixture(resource);
    object["customer"] = json!(customer);
    let mut event = fixture("event");
    event["id"] = json!(id);
    event["type"] = json!(kind);
    event["created"] = json!(1_700_000_000);
    event["data"] = json!({ "object": object });
    serde_json::to_vec(&event).expect("event JSON")
}

async fn deliver_signed(app: &TestApp, body: &[u8], signature: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/api/webhooks/stripe"))
        .header("Content-Type", "application/json")
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    request.send().await.expect("request reaches the server")
}

/// Delivers `body` signed as Stripe would, now; the answer's `outcome`.
async fn deliver(app: &TestApp, body: &[u8]) -> String {
    let signature = sign(body, WEBHOOK_SECRET, app.running.state.db.now());
    let response = deliver_signed(app, body, Some(&signature)).await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.expect("JSON answer");
    answer["outcome"].as_str().unwrap_or_default().to_owned()
}

/// Changes the test-mode provider's subscription of `customer` (what Stripe's side would do).
async fn provider_sets(app: &TestApp, customer: &str, status: &str, lookup_key: &str) {
    sqlx::query(
        "UPDATE local_billing_subscriptions SET status = $2, lookup_key = $3 WHERE customer_id = $1",
    )
    .bind(customer)
    .bind(status)
    .bind(lookup_key)
    .execute(app.running.state.db.pool())
    .await
    .expect("provider state changed");
}

async fn plan_and_status(app: &TestApp, cookie: &str) -> (String, String) {
    let usage = app.usage(Some(&session(cookie))).await;
    (
        usage["plan"].as_str().unwrap_or_default().to_owned(),
        usage["status"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn only_deliveries_signed_by_stripe_change_anything() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let customer = app.subscribe(&cookie, "pro", "monthly").await;
    provider_sets(&app, &customer, "unpaid", "pro_monthly").await;
    let body = event("evt_forged", "customer.subscription.updated", &customer);
    let now = app.running.state.db.now();
    let forged = [
        (None, "Stripe-Signature header is missing"),
        (Some("garbage".to_owned()), "not in Stripe's"),
        (
            Some(sign(&body, "whsec_someone_else", now)),
            "not signed with this endpoint's STRIPE_WEBHOOK_SECRET",
        ),
        (Some(sign(&body, WEBHOOK_SECRET, now - 301)), "too old"),
    ];
    for (signature, says) in forged {
        let response = deliver_signed(&app, &body, signature.as_deref()).await;
        assert_eq!(response.status(), 400, "{signature:?}");
        let answer: Value = response.json().await.unwrap();
        assert!(
            answer["error"].as_str().unwrap_or_default().contains(says),
            "{answer}"
        );
    }
    // A signed body that was changed after signing is a forgery too.
    let signature = sign(&body, WEBHOOK_SECRET, now);
    let tampered = event("evt_other", "customer.subscription.updated", &customer);
    assert_eq!(
        deliver_signed(&app, &tampered, Some(&signature))
            .await
            .status(),
        400
    );

    assert_eq!(app.count("billing_events").await, 0);
    assert_eq!(plan_and_status(&app, &cookie).await.1, "trialing");
}

#[tokio::test]
async fn an_event_acts_once_and_a_redelivery_changes_nothing() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let customer = app.subscribe(&cookie, "pro", "monthly").await;
    provider_sets(&app, &customer, "past_due", "pro_monthly").await;

    let body = event("evt_1", "invoice.payment_failed", &customer);
    assert_eq!(deliver(&app, &body).await, "synced");
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "past_due".into()),
        "past due keeps the plan during the grace period"
    );
    for _ in 0..3 {
        assert_eq!(deliver(&app, &body).await, "duplicate");
    }
    assert_eq!(app.count("billing_events").await, 1);

    // The grace period ends: Free, without any further event.
    app.running.state.db.clock().advance(7 * 86_400 + 1);
    assert_eq!(plan_and_status(&app, &cookie).await.0, "free");
}

#[tokio::test]
async fn events_we_do_not_act_on_are_recorded_and_answered_2xx() {
    let app = spawn_app().await;
    assert_eq!(
        deliver(&app, &event("evt_a", "customer.created", "cus_x")).await,
        "ignored"
    );
    assert_eq!(
        deliver(&app, &event("evt_b", "invoice.paid", "cus_not_ours")).await,
        "unknown_customer"
    );
    // Signed, but no event at all: logged, answered 2xx, nothing to record.
    assert_eq!(deliver(&app, b"{\"hello\": 1}").await, "unreadable");
    assert_eq!(app.count("billing_events").await, 2);
}

#[tokio::test]
async fn any_order_and_repetition_of_deliveries_ends_in_the_providers_state() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let customer = app.subscribe(&cookie, "pro", "monthly").await;
    // The provider's history: trial → active → upgraded to Team → past due; one event each.
    let history = [
        ("active", "pro_monthly", "customer.subscription.updated"),
        ("active", "team_monthly", "customer.subscription.updated"),
        ("past_due", "team_monthly", "invoice.payment_failed"),
    ];
    let mut events = Vec::new();
    for (n, (status, key, kind)) in history.iter().enumerate() {
        provider_sets(&app, &customer, status, key).await;
        events.push(event(&format!("evt_{n}"), kind, &customer));
    }
    // Every event three times, in a shuffled order (fixed, so a failure can be replayed).
    let mut deliveries: Vec<&Vec<u8>> = events.iter().chain(&events).chain(&events).collect();
    let mut seed = 7_u64;
    for i in (1..deliveries.len()).rev() {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        deliveries.swap(i, (seed >> 33) as usize % (i + 1));
    }
    for body in deliveries {
        deliver(&app, body).await;
    }
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("team".into(), "past_due".into())
    );
    assert_eq!(app.count("billing_events").await, 3);
}

#[tokio::test]
async fn a_sync_that_read_the_provider_earlier_never_overwrites_a_later_one() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let customer = app.subscribe(&cookie, "pro", "monthly").await;
    let state = &app.running.state;
    let (db, provider) = (&state.db, state.billing.provider());
    let read = |catalog| app::billing::sync::read(db, provider, catalog, &customer);

    // Two webhooks at once: the first reads "active Pro", the provider then changes to
    // "active Team", the second reads that and writes first; the first writes last.
    provider_sets(&app, &customer, "active", "pro_monthly").await;
    let earlier = read(&state.access).await.unwrap().expect("our customer");
    provider_sets(&app, &customer, "active", "team_monthly").await;
    let later = read(&state.access).await.unwrap().expect("our customer");
    for (reading, expected) in [(&later, "synced"), (&earlier, "stale")] {
        let mut tx = db.begin_durable().await.unwrap();
        let synced = app::billing::sync::write_in(&mut tx, db.now(), reading)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(synced.outcome().as_str(), expected);
    }
    assert_eq!(plan_and_status(&app, &cookie).await.0, "team");
}

#[tokio::test]
async fn one_event_delivered_many_times_at_once_acts_once() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let customer = app.subscribe(&cookie, "pro", "monthly").await;
    provider_sets(&app, &customer, "active", "pro_monthly").await;
    let body = event("evt_burst", "invoice.paid", &customer);
    let outcomes = futures_util::future::join_all((0..12).map(|_| deliver(&app, &body))).await;
    assert_eq!(
        outcomes.iter().filter(|o| *o == "synced").count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes.iter().all(|o| o == "synced" || o == "duplicate"),
        "{outcomes:?}"
    );
    assert_eq!(app.count("billing_events").await, 1);
    assert_eq!(
        plan_and_status(&app, &cookie).await,
        ("pro".into(), "active".into())
    );
}

#[tokio::test]
async fn a_failed_payment_and_an_ending_trial_are_mailed_once_each() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let customer = app.subscribe(&cookie, "pro", "monthly").await;
    let mails_before = app.count("dev_mailbox").await;

    let ending = event(
        "evt_trial",
        "customer.subscription.trial_will_end",
        &customer,
    );
    deliver(&app, &ending).await;
    let mail = app.last_email().await.expect("a trial email");
    assert_eq!(mail.to, "ada@example.com");
    assert_eq!(mail.subject, "Your Tollgate Pro trial ends soon");

    provider_sets(&app, &customer, "past_due", "pro_monthly").await;
    let failed = event("evt_failed", "invoice.payment_failed", &customer);
    for _ in 0..3 {
        deliver(&app, &failed).await;
    }
    let mail = app.last_email().await.expect("a payment email");
    assert_eq!(mail.subject, "Your payment for Tollgate Pro failed");
    assert!(mail.body.contains("/account"), "{}", mail.body);
    assert_eq!(
        app.count("dev_mailbox").await,
        mails_before + 2,
        "one each, however often delivered"
    );
}
