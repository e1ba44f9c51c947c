//! `POST /api/generate` and `GET /api/usage` over real HTTP: the contract of ARCHITECTURE §7.

mod common;

use app::access::Subject;
use app::auth::api_keys;
use app::billing::subscriptions;
use app::domain::{FeatureId, IdempotencyKey, PlanId, Subscription, SubscriptionStatus};
use common::fake_openai::{self, FakeOpenAi};
use common::{cookie_value, session, spawn_app, spawn_app_with, TestApp};
use futures_util::StreamExt;
use server::config::{GeneratorSettings, Secret};

async fn user_id(app: &TestApp, email: &str) -> i64 {
    let email = app::domain::EmailAddress::parse(email).unwrap();
    app::auth::users::find_by_email(&app.running.state.db, &email)
        .await
        .unwrap()
        .expect("user exists")
        .id
}

async fn set_plan(app: &TestApp, email: &str, plan: &str) {
    set_subscription(app, email, plan, SubscriptionStatus::Active).await;
}

async fn set_subscription(app: &TestApp, email: &str, plan: &str, status: SubscriptionStatus) {
    let id = user_id(app, email).await;
    let sub = Subscription {
        plan: PlanId::parse(plan).unwrap(),
        status,
        current_period_start: None,
        current_period_end: None,
        past_due_since: None,
        kept: None,
    };
    subscriptions::upsert(&app.running.state.db, id, &sub)
        .await
        .unwrap();
}

/// Signs `email` up and creates an API key for them: (user id, key).
async fn user_with_api_key(app: &TestApp, email: &str) -> (i64, String) {
    app.sign_in(email).await;
    let id = user_id(app, email).await;
    let key = api_keys::create(&app.running.state.db, id, "CI")
        .await
        .unwrap();
    (id, key.to_string())
}

/// `POST /api/generate` the way an API client sends it: an `Authorization` header, no cookie,
/// no `Origin`.
async fn generate_with_auth(app: &TestApp, authorization: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/generate"))
        .header("Authorization", authorization)
        .json(&serde_json::json!({"prompt": "status report"}))
        .send()
        .await
        .unwrap()
}

async fn with_fake_openai() -> (TestApp, FakeOpenAi) {
    let fake = FakeOpenAi::start().await;
    let base_url = fake.base_url.clone();
    let app = spawn_app_with(move |c| {
        c.generator = GeneratorSettings::OpenAi {
            base_url,
            api_key: Secret::new(fake_openai::API_KEY),
            model: "test-model".into(),
        }
    })
    .await;
    (app, fake)
}

#[tokio::test]
async fn a_free_user_gets_ten_generations_then_the_contract_429() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("writer@example.com").await);
    for left in (0..10).rev() {
        let response = app.generate("a haiku about tea", Some(&cookie), &[]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["x-usage-remaining"],
            left.to_string().as_str()
        );
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
        let text = response.text().await.unwrap();
        assert!(text.contains("a haiku about tea"), "{text}");
    }
    let response = app.generate("one more", Some(&cookie), &[]).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let raw = response.text().await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(
        raw,
        format!(
            r#"{{"error":"Daily limit reached","limit":10,"remaining":0,"resetAt":"{}","upgradeUrl":"/pricing"}}"#,
            body["resetAt"].as_str().unwrap()
        ),
        "the seed client's body, byte for byte"
    );
    assert_eq!(body["error"], "Daily limit reached");
    assert_eq!(body["remaining"], 0);
    assert_eq!(body["limit"], 10);
    assert_eq!(body["upgradeUrl"], "/pricing");
    let reset = body["resetAt"].as_str().unwrap();
    assert!(reset.ends_with("T00:00:00Z"), "{reset}");
    assert_eq!(
        body.as_object().unwrap().len(),
        5,
        "exactly the seed's fields"
    );
}

#[tokio::test]
async fn a_granted_credit_pack_lets_a_user_continue_after_the_limit() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("credits@example.com").await);
    for _ in 0..10 {
        app.generate("x", Some(&cookie), &[]).await;
    }
    assert_eq!(app.generate("x", Some(&cookie), &[]).await.status(), 429);
    let subject = Subject::User(user_id(&app, "credits@example.com").await);
    app.running
        .state
        .access
        .grant_credits(
            &subject,
            &FeatureId::parse("generations").unwrap(),
            100,
            &IdempotencyKey::parse("pack").unwrap(),
        )
        .await
        .unwrap();
    let response = app.generate("x", Some(&cookie), &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-usage-remaining"], "99");
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["credits"], 99);
}

#[tokio::test]
async fn guests_get_five_then_are_asked_to_sign_in() {
    let app = spawn_app().await;
    let first = app.generate("hello", None, &[]).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["x-usage-remaining"], "4");
    let guest = cookie_value(&first, "tollgate_guest").expect("a guest cookie is set");
    let cookie = format!("tollgate_guest={guest}");
    for left in (0..4).rev() {
        let r = app.generate("hello", Some(&cookie), &[]).await;
        assert_eq!(r.headers()["x-usage-remaining"], left.to_string().as_str());
    }
    let refused = app.generate("hello", Some(&cookie), &[]).await;
    assert_eq!(refused.status(), 401);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(
        body["error"],
        "You've used your 5 free generations. Sign in to continue."
    );
    assert_eq!(body["upgradeUrl"], "/login");
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["plan"], "guest");
    assert_eq!(usage["features"]["generations"]["used"], 5);
}

#[tokio::test]
async fn clients_that_drop_the_guest_cookie_run_out_of_new_guests_per_address() {
    let app = spawn_app_with(|c| {
        c.guests_per_ip = 2;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let from = |ip: &'static str| [("X-Forwarded-For", ip)];
    for _ in 0..2 {
        let fresh = app.generate("hello", None, &from("203.0.113.7")).await;
        assert_eq!(fresh.status(), 200);
        assert!(cookie_value(&fresh, "tollgate_guest").is_some());
    }
    let refused = app.generate("hello", None, &from("203.0.113.7")).await;
    assert_eq!(refused.status(), 401);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(
        body["error"],
        "Too many new guests from your network today. Sign in to continue."
    );
    assert_eq!(body["upgradeUrl"], "/login");
    assert_eq!(body["limit"], 5);
    // Another address (as the trusted proxy reports it) is not affected.
    let other = app.generate("hello", None, &from("198.51.100.4")).await;
    assert_eq!(other.status(), 200);
    // A client-written entry left of the proxy's own is not believed.
    let spoofed = app
        .generate("hello", None, &from("10.9.9.9, 203.0.113.7"))
        .await;
    assert_eq!(spoofed.status(), 401);
}

#[tokio::test]
async fn unpaid_and_banned_accounts_get_their_own_answers_over_http() {
    let app = spawn_app().await;
    let (_, key) = user_with_api_key(&app, "late@example.com").await;
    let bearer = format!("Bearer {key}");
    set_subscription(&app, "late@example.com", "pro", SubscriptionStatus::Unpaid).await;
    let payment = generate_with_auth(&app, &bearer).await;
    assert_eq!(payment.status(), 402);
    let raw = payment.text().await.unwrap();
    assert_eq!(
        raw,
        r#"{"error":"Payment required: update your payment method to continue.","reason":"unpaid","upgradeUrl":"/account"}"#
    );
    let body: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(body["reason"], "unpaid");
    assert_eq!(body["upgradeUrl"], "/account");
    assert!(!body["error"].as_str().unwrap().is_empty());

    let email = app::domain::EmailAddress::parse("late@example.com").unwrap();
    app::auth::users::set_banned(&app.running.state.db, &email, true)
        .await
        .unwrap();
    let banned = generate_with_auth(&app, &bearer).await;
    assert_eq!(banned.status(), 403, "suspended, not 'invalid key'");
    let body: serde_json::Value = banned.json().await.unwrap();
    assert_eq!(body["reason"], "banned");
    let usage = app.usage(None).await;
    assert_eq!(usage["plan"], "guest", "no key, no cookie: nothing leaks");
}

#[tokio::test]
async fn api_keys_authenticate_without_cookies_until_revoked() {
    let app = spawn_app().await;
    let (id, key) = user_with_api_key(&app, "bot@example.com").await;
    let ok = generate_with_auth(&app, &format!("Bearer {key}")).await;
    assert_eq!(ok.status(), 200, "no Origin needed for a bearer key");
    assert_eq!(ok.headers()["x-usage-remaining"], "9");
    let bad = generate_with_auth(&app, "Bearer tg_not-a-real-key-not-a-real-key-0000000").await;
    assert_eq!(bad.status(), 401);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("not valid"));
    let keys = api_keys::list(&app.running.state.db, id).await.unwrap();
    assert!(api_keys::revoke(&app.running.state.db, id, keys[0].id)
        .await
        .unwrap());
    let revoked = generate_with_auth(&app, &format!("Bearer {key}")).await;
    assert_eq!(revoked.status(), 401);
}

/// The API key is looked up in the same read as its owner's usage, with the owner's row keys
/// built in SQL: a key's charges, refusals and replays must be the owner's, whichever way
/// they come.
#[tokio::test]
async fn an_api_key_spends_replays_and_is_refused_as_its_owner() {
    let (app, fake) = with_fake_openai().await;
    let (id, key) = user_with_api_key(&app, "script@example.com").await;
    let cookie = session(&app.sign_in("script@example.com").await);
    let keyed = |idempotency: &'static str| {
        app.client
            .post(app.url("/api/generate"))
            .header("Authorization", format!("Bearer {key}"))
            .header("Idempotency-Key", idempotency)
            .json(&serde_json::json!({"prompt": "status report"}))
            .send()
    };
    for (i, idempotency) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .enumerate()
    {
        let response = keyed(idempotency).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["x-usage-remaining"],
            (9 - i).to_string().as_str()
        );
        response.text().await.unwrap();
    }
    // The tenth by the owner's session: the same allowance.
    let tenth = app.generate("by hand", Some(&cookie), &[]).await;
    assert_eq!(tenth.headers()["x-usage-remaining"], "0");
    tenth.text().await.unwrap();
    let over = keyed("j").await.unwrap();
    assert_eq!(over.status(), 429);
    let body: serde_json::Value = over.json().await.unwrap();
    assert_eq!(body["error"], "Daily limit reached");
    assert_eq!(body["limit"], 10);
    // Past the limit a used key replays its own text, by key or by session.
    let replay = keyed("c").await.unwrap();
    assert_eq!(replay.status(), 200);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.text().await.unwrap(), "Fake reply to: status report");
    let by_session = app
        .generate("status report", Some(&cookie), &[("Idempotency-Key", "c")])
        .await;
    assert_eq!(by_session.status(), 200);
    assert_eq!(by_session.headers()["idempotent-replayed"], "true");
    assert_eq!(fake.requests().len(), 10, "nothing ran twice");
    let keys = api_keys::list(&app.running.state.db, id).await.unwrap();
    assert!(keys[0].last_used_at.is_some(), "the key's use is recorded");
}

#[tokio::test]
async fn a_retried_request_with_the_same_idempotency_key_gets_the_same_text_and_is_charged_once() {
    let (app, fake) = with_fake_openai().await;
    let cookie = session(&app.sign_in("retry@example.com").await);
    let headers = [("Idempotency-Key", "req-42")];
    let first = app.generate("a poem", Some(&cookie), &headers).await;
    assert_eq!(first.headers()["x-usage-remaining"], "9");
    let first_text = first.text().await.unwrap();
    assert_eq!(first_text, "Fake reply to: a poem");
    let second = app.generate("a poem", Some(&cookie), &headers).await;
    assert_eq!(second.status(), 200);
    assert_eq!(second.headers()["x-usage-remaining"], "9");
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(second.text().await.unwrap(), first_text);
    assert_eq!(fake.requests().len(), 1, "the model ran once");
    let unkeyed = app.generate("no key", Some(&cookie), &[]).await;
    assert_eq!(unkeyed.text().await.unwrap(), "Fake reply to: no key");
    assert_eq!(
        app.count("generation_results").await,
        1,
        "only texts whose key the client chose are kept"
    );
    let bad = app
        .generate("x", Some(&cookie), &[("Idempotency-Key", "has space")])
        .await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn a_reused_idempotency_key_never_buys_another_generation() {
    let (app, fake) = with_fake_openai().await;
    let cookie = session(&app.sign_in("reuse@example.com").await);
    for i in 0..10 {
        let key = format!("k{i}");
        let response = app
            .generate("a poem", Some(&cookie), &[("Idempotency-Key", &key)])
            .await;
        assert_eq!(response.status(), 200);
        response.text().await.unwrap();
    }
    let over = app
        .generate("a poem", Some(&cookie), &[("Idempotency-Key", "k10")])
        .await;
    assert_eq!(over.status(), 429);
    // Past the limit an old key still reads its own text back, and runs nothing.
    let replay = app
        .generate("a poem", Some(&cookie), &[("Idempotency-Key", "k3")])
        .await;
    assert_eq!(replay.status(), 200);
    assert_eq!(replay.headers()["x-usage-remaining"], "0");
    assert_eq!(replay.text().await.unwrap(), "Fake reply to: a poem");
    assert_eq!(fake.requests().len(), 10);

    // A key whose generation failed (and was refunded) does not run again either.
    let fresh = session(&app.sign_in("reuse-failed@example.com").await);
    let failed = [("Idempotency-Key", "f1")];
    assert_eq!(
        app.generate("upstream-down", Some(&fresh), &failed)
            .await
            .status(),
        502
    );
    let again = app.generate("a poem", Some(&fresh), &failed).await;
    assert_eq!(again.status(), 409);
    let body: serde_json::Value = again.json().await.unwrap();
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("failed and was not counted"));
    assert_eq!(fake.requests().len(), 11);

    // A key whose generation is still streaming: 409 until it has finished, then its text.
    let slow = [("Idempotency-Key", "slow")];
    let running = app.generate("please hold", Some(&fresh), &slow).await;
    let mut body = running.bytes_stream();
    assert_eq!(&body.next().await.unwrap().unwrap()[..], b"Hello");
    let during = app.generate("please hold", Some(&fresh), &slow).await;
    assert_eq!(during.status(), 409);
    let message: serde_json::Value = during.json().await.unwrap();
    assert!(message["error"].as_str().unwrap().contains("still running"));
    fake.release();
    while let Some(chunk) = body.next().await {
        chunk.unwrap();
    }
    let after = app.generate("please hold", Some(&fresh), &slow).await;
    assert_eq!(after.headers()["idempotent-replayed"], "true");
    assert_eq!(after.text().await.unwrap(), "Hello world");
    assert_eq!(
        fake.requests().len(),
        12,
        "the model ran once per fresh key"
    );
    let usage = app.usage(Some(&fresh)).await;
    assert_eq!(usage["features"]["generations"]["used"], 1);

    // The same key with another prompt is a mistake, not a retry.
    let other = app.generate("a limerick", Some(&fresh), &slow).await;
    assert_eq!(other.status(), 422);
    let message: serde_json::Value = other.json().await.unwrap();
    assert!(message["error"]
        .as_str()
        .unwrap()
        .contains("different prompt"));
}

#[tokio::test]
async fn a_keyed_generation_finishes_after_the_client_hangs_up_and_its_retry_reads_it() {
    let (app, fake) = with_fake_openai().await;
    let cookie = session(&app.sign_in("hangup@example.com").await);
    let key = [("Idempotency-Key", "lost-connection")];
    let response = app.generate("please hold", Some(&cookie), &key).await;
    let mut body = response.bytes_stream();
    assert_eq!(&body.next().await.unwrap().unwrap()[..], b"Hello");
    drop(body); // the client hangs up mid-stream
    fake.release();
    let mut retried = None;
    for _ in 0..100 {
        let retry = app.generate("please hold", Some(&cookie), &key).await;
        if retry.status() == 200 {
            retried = Some(retry);
            break;
        }
        assert_eq!(retry.status(), 409, "still running until it is kept");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let retried = retried.expect("the finished text is kept");
    assert_eq!(retried.headers()["idempotent-replayed"], "true");
    assert_eq!(retried.text().await.unwrap(), "Hello world");
    assert_eq!(fake.requests().len(), 1, "the model ran once");
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["features"]["generations"]["used"], 1, "charged once");
}

#[tokio::test]
async fn a_guest_cookie_the_server_never_issued_counts_as_none() {
    let app = spawn_app_with(|c| c.guests_per_ip = 1).await;
    let made_up = |n: u32| format!("tollgate_guest={n:0>43}");
    let first = app.generate("hello", Some(&made_up(1)), &[]).await;
    assert_eq!(first.status(), 200);
    let issued = cookie_value(&first, "tollgate_guest").expect("a real guest cookie is issued");
    assert_ne!(format!("tollgate_guest={issued}"), made_up(1));
    // Another invented cookie is a new guest again, and this address has had its one.
    let second = app.generate("hello", Some(&made_up(2)), &[]).await;
    assert_eq!(second.status(), 401);
    // The issued cookie goes on working.
    let real = format!("tollgate_guest={issued}");
    let third = app.generate("hello", Some(&real), &[]).await;
    assert_eq!(third.status(), 200);
    assert_eq!(third.headers()["x-usage-remaining"], "3");
}

#[tokio::test]
async fn bad_requests_get_a_sentence_and_cost_nothing() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("typo@example.com").await);
    let not_json = app
        .client
        .post(app.url("/api/generate"))
        .header("Origin", app.url(""))
        .header("Cookie", &cookie)
        .body("prompt=hi")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 400);
    let body: serde_json::Value = not_json.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("Send JSON"));
    let empty = app.generate("   ", Some(&cookie), &[]).await;
    assert_eq!(empty.status(), 400);
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["features"]["generations"]["used"], 0);
}

#[tokio::test]
async fn text_streams_from_an_openai_compatible_server_with_the_plans_max_tokens() {
    let (app, fake) = with_fake_openai().await;
    let cookie = session(&app.sign_in("stream@example.com").await);
    let response = app.generate("please hold", Some(&cookie), &[]).await;
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    // The first words arrive while the upstream is still holding back the rest.
    let first = body.next().await.unwrap().unwrap();
    assert_eq!(&first[..], b"Hello");
    fake.release();
    let mut rest = Vec::new();
    while let Some(chunk) = body.next().await {
        rest.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(rest, b" world");
    let sent = &fake.requests()[0];
    assert_eq!(sent["max_tokens"], 500, "Free plan");
    assert_eq!(sent["model"], "test-model");
    set_plan(&app, "stream@example.com", "pro").await;
    let text = app
        .generate("tell me", Some(&cookie), &[])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(text, "Fake reply to: tell me");
    assert_eq!(fake.requests()[1]["max_tokens"], 2000, "Pro plan");
}

#[tokio::test]
async fn a_guest_is_shown_and_given_the_same_max_tokens() {
    let (app, fake) = with_fake_openai().await;
    let response = app.generate("hi", None, &[]).await;
    assert_eq!(response.status(), 200);
    let guest = common::cookie_value(&response, "tollgate_guest").expect("a guest cookie");
    response.text().await.unwrap();
    let usage = app.usage(Some(&format!("tollgate_guest={guest}"))).await;
    let shown = &usage["features"]["max_tokens"];
    assert_eq!(shown["allowed"], true);
    assert_eq!(shown["limit"], fake.requests()[0]["max_tokens"]);
    assert_eq!(shown["limit"], 500, "the Free plan's setting");
}

#[tokio::test]
async fn a_generator_failure_is_refunded_before_or_during_the_stream() {
    let (app, _fake) = with_fake_openai().await;
    let cookie = session(&app.sign_in("unlucky@example.com").await);
    let refused = app.generate("upstream-down", Some(&cookie), &[]).await;
    assert_eq!(refused.status(), 502);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("not counted"));
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["features"]["generations"]["used"], 0);

    // A stream that breaks before its first word: the headers wait for the text, so this is
    // still a clean 502.
    let at_once = app.generate("break-at-once", Some(&cookie), &[]).await;
    assert_eq!(at_once.status(), 502);
    let body: serde_json::Value = at_once.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("not counted"));

    let broken = app.generate("break-midway", Some(&cookie), &[]).await;
    assert_eq!(broken.status(), 200, "headers went out before the failure");
    assert!(
        broken.text().await.is_err(),
        "the client sees a failed transfer"
    );
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["features"]["generations"]["used"], 0);
    assert_eq!(usage["features"]["generations"]["remaining"], 10);
    let ledger: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usage_ledger WHERE kind = 'refund'")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(ledger, 3);
}

#[tokio::test]
async fn usage_reports_every_feature_in_the_contract_shape() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("summary@example.com").await);
    app.generate("x", Some(&cookie), &[]).await;
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["plan"], "free");
    assert_eq!(usage["status"], "active");
    assert_eq!(usage["credits"], 0);
    let g = &usage["features"]["generations"];
    let mut keys: Vec<_> = usage.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["credits", "features", "plan", "planName", "status"]);
    let mut keys: Vec<_> = g.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["allowed", "limit", "remaining", "resetsAt", "used"],
        "exactly the contract's fields: the UI's words stay out"
    );
    assert_eq!(
        (
            g["used"].clone(),
            g["limit"].clone(),
            g["remaining"].clone()
        ),
        (1.into(), 10.into(), 9.into())
    );
    assert!(g["resetsAt"].as_str().unwrap().ends_with("T00:00:00Z"));
    let tutors = &usage["features"]["pro_tutors"];
    assert_eq!(tutors["allowed"], false);
    assert_eq!(tutors["upgradeTo"], "pro");
    assert_eq!(usage["features"]["max_tokens"]["limit"], 500);
    set_plan(&app, "summary@example.com", "team").await;
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["planName"], "Team");
    assert!(
        usage["features"]["generations"]["remaining"].is_null(),
        "unlimited"
    );
}

#[tokio::test]
async fn a_cross_site_post_with_a_cookie_is_refused() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("csrf@example.com").await);
    let forged = app
        .client
        .post(app.url("/api/generate"))
        .header("Origin", "https://evil.example")
        .header("Cookie", &cookie)
        .json(&serde_json::json!({"prompt": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(
        app.usage(Some(&cookie)).await["features"]["generations"]["used"],
        0
    );
}
