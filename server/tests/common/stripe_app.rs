//! A test server billing through the fake Stripe, and the steps of a buyer's journey there.

use super::fake_stripe::{FakeStripe, SECRET_KEY};
use super::{location, session, spawn_app_with, TestApp, WEBHOOK_SECRET};
use app::billing::webhook::signature::sign;
use serde_json::Value;
use server::config::StripeSettings;

pub async fn app_on(fake: &FakeStripe) -> TestApp {
    let base = fake.base.clone();
    spawn_app_with(move |config| {
        config.stripe = Some(StripeSettings {
            secret_key: app::secret::Secret::new(SECRET_KEY),
            api_base: Some(base),
        });
    })
    .await
}

/// Presses a plan's button on /pricing; the Stripe Checkout URL it leads to.
pub async fn checkout(app: &TestApp, cookie: &str, plan: &str, billing: &str) -> String {
    let to = app.press_plan(cookie, plan, billing).await;
    assert!(
        to.starts_with("https://checkout.stripe.test/c/pay/cs_test_"),
        "to Stripe Checkout: {to}"
    );
    to
}

pub fn session_id(checkout_url: &str) -> &str {
    checkout_url.rsplit('/').next().unwrap_or_default()
}

/// Stripe sends the buyer back to the success URL it was given, the session id filled in.
pub async fn return_from_stripe(
    app: &TestApp,
    fake: &FakeStripe,
    id: &str,
    cookie: &str,
) -> String {
    let session = fake.session(id).expect("the session");
    let success = session["success_url"]
        .as_str()
        .expect("a success URL")
        .replace("{CHECKOUT_SESSION_ID}", id);
    let path = success
        .strip_prefix(&app.url(""))
        .expect("on this app")
        .to_owned();
    location(&app.get_as(&path, Some(cookie)).await)
}

pub async fn deliver(app: &TestApp, body: &[u8]) -> String {
    let signature = sign(body, WEBHOOK_SECRET, app.running.state.db.now());
    let response = app
        .client
        .post(app.url("/api/webhooks/stripe"))
        .header("Stripe-Signature", signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    answer["outcome"].as_str().unwrap_or_default().to_owned()
}

pub async fn plan_and_status(app: &TestApp, cookie: &str) -> (String, String) {
    let usage = app.usage(Some(&session(cookie))).await;
    (
        usage["plan"].as_str().unwrap_or_default().to_owned(),
        usage["status"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The credits the usage summary shows.
pub async fn credits(app: &TestApp, cookie: &str) -> i64 {
    app.usage(Some(&session(cookie))).await["credits"]
        .as_i64()
        .unwrap_or(-1)
}
