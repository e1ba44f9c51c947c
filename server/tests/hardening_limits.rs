//! Hardening (issue 7), over real HTTP on both engines: housekeeping and bounded state,
//! security headers, no user text in URLs, proxies by address, late idempotency keys, two OAuth
//! tabs, and the per-caller cap on concurrent generations.
mod common;

use common::fake_oidc::{app_with_oidc, FakeOidc, FakeUser};
use common::{cookie_value, location, session, spawn_app, spawn_app_with, tollgate, TestApp};
use std::time::Duration;

fn ada() -> FakeUser {
    FakeUser {
        subject: "sub-ada".into(),
        email: "ada@example.com".into(),
        email_verified: true,
        name: "Ada".into(),
    }
}

/// Clicks "Continue with Acme SSO" in a browser holding `browser` (the binding cookie) if any;
/// returns the provider's authorize URL and the binding cookie the response leaves.
async fn click_continue(app: &TestApp, browser: Option<&str>) -> (String, String) {
    let mut request = app.client.get(app.url("/auth/oauth/oidc?next=/account"));
    if let Some(browser) = browser {
        request = request.header("Cookie", format!("tollgate_oauth={browser}"));
    }
    let start = request.send().await.unwrap();
    assert_eq!(start.status(), 303, "{}", location(&start));
    (
        location(&start),
        cookie_value(&start, "tollgate_oauth").expect("binding cookie"),
    )
}

#[tokio::test]
async fn oauth_clicks_are_limited_per_client_address() {
    let fake = FakeOidc::start(ada()).await;
    let app = app_with_oidc(&fake, |c| c.login_links_per_ip = 3).await;
    app.at_start_of_a_rate_window();
    for _ in 0..3 {
        click_continue(&app, None).await;
    }
    let refused = app.get_as("/auth/oauth/oidc", None).await;
    assert!(location(&refused).starts_with("/login?error=rate_limited"));
    assert_eq!(
        app.count("oauth_states").await,
        3,
        "no row for a refused click"
    );
}

#[tokio::test]
async fn a_sign_in_started_in_a_second_tab_does_not_break_the_first() {
    let fake = FakeOidc::start(ada()).await;
    let app = app_with_oidc(&fake, |_| {}).await;
    let (first_authorize, browser) = click_continue(&app, None).await;
    let (second_authorize, browser_again) = click_continue(&app, Some(&browser)).await;
    assert_eq!(
        browser, browser_again,
        "the tab shares the browser's binding"
    );
    for authorize in [first_authorize, second_authorize] {
        let consent = app.client.get(&authorize).send().await.unwrap();
        let callback = location(&consent);
        let done = app
            .client
            .get(&callback)
            .header("Cookie", format!("tollgate_oauth={browser}"))
            .send()
            .await
            .unwrap();
        assert_eq!(location(&done), "/account", "both tabs sign in");
    }
}

#[tokio::test]
async fn housekeeping_purges_what_expired_and_keeps_what_is_live() {
    let fake = FakeOidc::start(ada()).await;
    let app = app_with_oidc(&fake, |_| {}).await;
    let live_session = app.sign_in("ada@example.com").await;
    app.sign_in("old@example.com").await;
    click_continue(&app, None).await;
    click_continue(&app, None).await;
    app.generate("hello", None, &[]).await; // a guest, a rate-limit window
    app.generate(
        "keep me",
        Some(&session(&live_session)),
        &[("Idempotency-Key", "k1")],
    )
    .await
    .text()
    .await
    .unwrap();
    let pool = app.running.state.db.pool();
    let now = app::clock::system_now();
    let year = 400 * 86_400;
    for sql in [
        "UPDATE oauth_states SET expires_at = $1 - 1",
        "UPDATE login_links SET expires_at = $1 - 2 * 86400",
        "UPDATE sessions SET expires_at = $1 - 1 WHERE user_id = (SELECT id FROM users WHERE email = 'old@example.com')",
        "UPDATE rate_limits SET window_start = $1 - 3 * 86400",
        "UPDATE generation_results SET created_at = $1 - 2 * 86400",
        "UPDATE dev_mailbox SET created_at = $1 - 2 * 86400",
    ] {
        sqlx::query(sql).bind(now).execute(pool).await.unwrap();
    }
    sqlx::query("UPDATE guests SET created_at = $1")
        .bind(now - year - 1)
        .execute(pool)
        .await
        .unwrap();
    let out = tollgate(&app.database, &["housekeeping"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("purged 2 OAuth states"), "{said}");
    for table in [
        "oauth_states",
        "login_links",
        "rate_limits",
        "guests",
        "generation_results",
        "dev_mailbox",
    ] {
        assert_eq!(app.count(table).await, 0, "{table}");
    }
    assert_eq!(app.count("sessions").await, 1, "the live session stays");
    assert_eq!(
        app.get_as("/account", Some(&live_session)).await.status(),
        200
    );
}

#[tokio::test]
async fn the_server_runs_housekeeping_by_itself() {
    let app = spawn_app_with(|c| c.housekeeping_interval_secs = 1).await;
    app.request_link("ada@example.com").await;
    sqlx::query("UPDATE login_links SET expires_at = 0")
        .execute(app.running.state.db.pool())
        .await
        .unwrap();
    for _ in 0..50 {
        if app.count("login_links").await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the expired link was not purged within 5 s");
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_the_other_security_headers() {
    let app = spawn_app().await;
    let page = app.get_as("/login", None).await;
    let header = |name: &str| {
        page.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let csp = header("content-security-policy");
    let nonce = app::ui::csp::nonce_in(&csp)
        .expect("a nonce in script-src")
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));
    assert!(!csp.contains("'unsafe-inline' 'unsafe-eval'"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "same-origin");
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(
        header("strict-transport-security"),
        "",
        "no HSTS on plain http"
    );
    assert_eq!(
        header("cache-control"),
        "",
        "a signed-out page may be cached"
    );
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration scripts carry this response's nonce"
    );
    let again = app.get_as("/login", None).await;
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce),
        "a fresh nonce per response"
    );
    let json = app.get("/healthz").await;
    assert!(json.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
}

#[tokio::test]
async fn signed_in_responses_are_never_stored_and_https_adds_hsts() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let created = app
        .post_form("/account/api-keys", &[("name", "CI")], Some(&cookie))
        .await;
    let flash = cookie_value(&created, "tollgate_new_key").unwrap();
    let page = app
        .client
        .get(app.url("/account"))
        .header(
            "Cookie",
            format!("{}; tollgate_new_key={flash}", session(&cookie)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.headers()["cache-control"],
        "no-store",
        "the page showing a new key"
    );
    let usage = app
        .client
        .get(app.url("/api/usage"))
        .header("Cookie", session(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(usage.headers()["cache-control"], "no-store");

    let https = spawn_app_with(|c| c.app_url = Some("https://app.example.com".into())).await;
    let page = https.get("/pricing").await;
    assert!(page.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

#[tokio::test]
async fn pages_show_no_text_a_link_puts_in_the_url() {
    let app = spawn_app().await;
    let bait = "Call+support+at+555-0100";
    let login = app
        .get_as(
            &format!("/login?error=oauth_refused&provider=EvilCorp&detail={bait}"),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!login.contains("555-0100") && !login.contains("EvilCorp"));
    assert!(login.contains("The provider did not sign you in"));
    let cookie = app.sign_in("ada@example.com").await;
    for path in [
        format!("/tutors?error=denied&tutor=socrates&message={bait}"),
        format!("/accounts?error=limit&message={bait}"),
    ] {
        let html = app.get_as(&path, Some(&cookie)).await.text().await.unwrap();
        assert!(!html.contains("555-0100"), "{path}");
    }
}

#[tokio::test]
async fn a_refused_tracked_account_never_puts_its_number_in_the_url() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    for i in 0..3 {
        let number = format!("DE89 3704 0044 0532 0130 0{i}");
        let added = app
            .post_form(
                "/accounts",
                &[("name", "Bank"), ("account_number", &number)],
                Some(&cookie),
            )
            .await;
        assert_eq!(location(&added), "/accounts?notice=added");
    }
    let refused = app
        .post_form(
            "/accounts",
            &[
                ("name", "Fourth"),
                ("account_number", "DE89 3704 0044 0532 0130 99"),
            ],
            Some(&cookie),
        )
        .await;
    let to = location(&refused);
    assert_eq!(to, "/accounts?error=limit&name=Fourth");
    let page = app.get_as(&to, Some(&cookie)).await.text().await.unwrap();
    assert!(
        page.contains("data-testid=\"accounts-error\""),
        "the page words the limit itself"
    );
    assert!(!page.contains("Something went wrong"));
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_a_listed_proxy_address() {
    // Our proxy is 10.0.0.0/8; the test client connects from 127.0.0.1, so it is not one.
    let app = spawn_app_with(|c| {
        c.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
        c.login_links_per_ip = 2;
    })
    .await;
    app.at_start_of_a_rate_window();
    let mut outcomes = Vec::new();
    for (i, forged) in ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
        .iter()
        .enumerate()
    {
        let response = app
            .client
            .post(app.url("/auth/email"))
            .header("Origin", app.url(""))
            .header("X-Forwarded-For", *forged)
            .form(&[("email", format!("u{i}@example.com"))])
            .send()
            .await
            .unwrap();
        outcomes.push(location(&response).starts_with("/login?sent=1"));
    }
    assert_eq!(
        outcomes,
        [true, true, false],
        "all three counted as 127.0.0.1"
    );
}

#[tokio::test]
async fn a_late_idempotency_key_gets_a_clear_answer_not_409_forever() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("ada@example.com").await);
    let key = [("Idempotency-Key", "report-2026-11-24")];
    let first = app.generate("a report", Some(&cookie), &key).await;
    assert_eq!(first.status(), 200);
    first.text().await.unwrap();
    // A day and an hour later the kept text is gone (housekeeping) and the charge is old.
    let pool = app.running.state.db.pool();
    let then = app::clock::system_now() - 25 * 3600;
    sqlx::query("UPDATE usage_ledger SET created_at = $1")
        .bind(then)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM generation_results")
        .execute(pool)
        .await
        .unwrap();
    let late = app.generate("a report", Some(&cookie), &key).await;
    assert_eq!(late.status(), 422);
    let body: serde_json::Value = late.json().await.unwrap();
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("more than 24 hours ago"));
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(
        usage["features"]["generations"]["used"], 1,
        "nothing charged again"
    );
}

#[tokio::test]
async fn one_caller_can_stream_only_so_many_generations_at_once() {
    let app = spawn_app_with(|c| {
        c.max_concurrent_generations = 2;
        c.generator = server::config::GeneratorSettings::Demo { word_delay_ms: 40 };
    })
    .await;
    let cookie = session(&app.sign_in("ada@example.com").await);
    let first = app.generate("one", Some(&cookie), &[]).await;
    let second = app.generate("two", Some(&cookie), &[]).await;
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    let third = app.generate("three", Some(&cookie), &[]).await;
    assert_eq!(third.status(), 429);
    assert_eq!(third.headers()["retry-after"], "1");
    let body: serde_json::Value = third.json().await.unwrap();
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("2 generations running at once"));
    let other = session(&app.sign_in("grace@example.com").await);
    assert_eq!(
        app.generate("mine", Some(&other), &[]).await.status(),
        200,
        "others are not affected"
    );
    first.text().await.unwrap();
    second.text().await.unwrap();
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(
        usage["features"]["generations"]["used"], 2,
        "the refused one cost nothing"
    );
    let mut fourth = app.generate("four", Some(&cookie), &[]).await;
    for _ in 0..20 {
        if fourth.status() == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        fourth = app.generate("four", Some(&cookie), &[]).await;
    }
    assert_eq!(
        fourth.status(),
        200,
        "slots come back when the text is done"
    );
}
