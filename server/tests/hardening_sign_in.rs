//! Sign-in hardening (issue 7), over real HTTP on both engines: the dev mailbox, link budgets,
//! strict addresses, the confirm step, cookies, CSRF scheme, session lifetimes and bans.
mod common;

use common::{
    location, serve_process, session_cookie, spawn_app, spawn_app_with, tollgate, TestApp,
};
use sqlx::Row;

fn via_proxy() -> Vec<ipnet::IpNet> {
    vec!["127.0.0.1/32".parse().unwrap()]
}

/// `POST /auth/email` relayed by our local proxy for a client at `client_ip`.
async fn request_link_from(app: &TestApp, email: &str, client_ip: &str) -> String {
    let response = app
        .client
        .post(app.url("/auth/email"))
        .header("Origin", app.url(""))
        .header("X-Forwarded-For", client_ip)
        .form(&[("email", email)])
        .send()
        .await
        .unwrap();
    location(&response)
}

#[tokio::test]
async fn the_dev_mailbox_shows_links_only_to_visitors_on_this_machine() {
    let app = spawn_app_with(|c| c.trusted_proxies = via_proxy()).await;
    let link = app.request_link("admin@example.com").await;
    let token = link.split("token=").nth(1).unwrap().to_owned();

    let remote = app
        .client
        .get(app.url("/dev/mailbox"))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !remote.contains(&token),
        "a remote visitor never sees a link"
    );
    assert!(remote.contains("only shown on the machine the server runs on"));

    let local = app.get_as("/dev/mailbox", None).await.text().await.unwrap();
    assert!(local.contains(&token), "on this machine the mailbox works");
}

#[tokio::test]
async fn a_public_server_without_smtp_refuses_to_start_with_one_line() {
    let database = common::TestDatabase::fresh().await;
    let out = tollgate(&database, &["serve"], &[("BIND_ADDR", "0.0.0.0:0")]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.contains("SMTP_URL") && line.contains("DEV_MAILBOX=1"),
        "{line}"
    );
    let https = tollgate(
        &database,
        &["migrate"],
        &[("APP_URL", "https://app.example.com")],
    );
    assert!(!https.status.success(), "any command reads the same config");
}

#[tokio::test]
async fn sign_in_links_and_tokens_never_reach_the_log() {
    let database = common::TestDatabase::fresh().await;
    let log_path = std::env::temp_dir().join(format!("tollgate-log-{}", std::process::id()));
    let log = std::fs::File::create(&log_path).unwrap();
    let server = serve_process(&database, &[("RUST_LOG", "debug")], log.into()).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let sent = client
        .post(format!("{}/auth/email", server.base))
        .header("Origin", &server.base)
        .form(&[("email", "ada@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let db = database.connect().await;
    let opened_path = |token: &str| format!("{}/auth/email/confirm?token={token}", server.base);
    let body: String = sqlx::query_scalar("SELECT body FROM dev_mailbox")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let token = body
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    // Opening the link (a request whose URL holds the token) must not log it either.
    let opened = client.get(opened_path(&token)).send().await.unwrap();
    assert_eq!(opened.status(), 200);
    drop(server);
    let logged = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    assert!(
        logged.contains("dev mailbox"),
        "the message was logged: {logged}"
    );
    assert!(!logged.contains(&token), "the token is not in the log");
    assert!(!logged.contains("/auth/email/confirm?"), "nor the link");
}

#[tokio::test]
async fn requests_the_ip_limit_refuses_do_not_spend_the_victims_address_budget() {
    let app = spawn_app_with(|c| {
        c.trusted_proxies = via_proxy();
        c.login_links_per_ip = 3;
    })
    .await;
    app.at_start_of_a_rate_window();
    let mut sent = 0;
    for _ in 0..10 {
        if request_link_from(&app, "victim@example.com", "203.0.113.66")
            .await
            .starts_with("/login?sent=1")
        {
            sent += 1;
        }
    }
    assert_eq!(sent, 3, "the attacker's address is stopped after 3");
    // The victim, from home, still has a whole budget of their own: neither the refused nor
    // the accepted requests of the attacker's address spent it.
    for _ in 0..3 {
        let to = request_link_from(&app, "victim@example.com", "198.51.100.1").await;
        assert!(to.starts_with("/login?sent=1"), "{to}");
    }
    let fourth = request_link_from(&app, "victim@example.com", "198.51.100.1").await;
    assert!(
        fourth.starts_with("/login?error=rate_limited"),
        "the victim's own IP limit (3) applies: {fourth}"
    );
    assert_eq!(app.count("dev_mailbox").await, 6);
}

#[tokio::test]
async fn one_address_gets_at_most_twenty_links_a_quarter_hour_from_all_networks_together() {
    let app = spawn_app_with(|c| c.trusted_proxies = via_proxy()).await;
    app.at_start_of_a_rate_window();
    for i in 0..20 {
        let from = format!("203.0.113.{}", i / 4);
        let to = request_link_from(&app, "bombed@example.com", &from).await;
        assert!(to.starts_with("/login?sent=1"), "{i}: {to}");
    }
    let more = request_link_from(&app, "bombed@example.com", "198.51.100.200").await;
    assert!(more.starts_with("/login?error=rate_limited"), "{more}");
    assert_eq!(app.count("dev_mailbox").await, 20);
}

#[tokio::test]
async fn requests_the_address_limit_refuses_do_not_spend_the_ip_budget() {
    let app = spawn_app_with(|c| {
        c.trusted_proxies = via_proxy();
        c.login_links_per_ip = 7;
    })
    .await;
    app.at_start_of_a_rate_window();
    for i in 0..8 {
        let to = request_link_from(&app, "busy@example.com", "203.0.113.5").await;
        assert_eq!(to.starts_with("/login?sent=1"), i < 5, "{i}: {to}");
    }
    // 5 sent + 3 refused by the address limit: the office still has 2 of its 7.
    for email in ["a@example.com", "b@example.com"] {
        let to = request_link_from(&app, email, "203.0.113.5").await;
        assert!(to.starts_with("/login?sent=1"), "{email}: {to}");
    }
    let third = request_link_from(&app, "c@example.com", "203.0.113.5").await;
    assert!(third.starts_with("/login?error=rate_limited"), "{third}");
}

#[tokio::test]
async fn one_mailbox_cannot_open_a_second_account_under_another_spelling() {
    let app = spawn_app().await;
    app.sign_in("victim@example.com").await;
    for spelling in [
        "x<victim@example.com>",
        "\"victim\"@example.com",
        "victim@example.com (work)",
        "Victim <victim@example.com>",
    ] {
        let response = app
            .post_form("/auth/email", &[("email", spelling)], None)
            .await;
        assert_eq!(response.status(), 303);
        assert!(
            location(&response).starts_with("/login?error=invalid_email"),
            "{spelling}: {}",
            location(&response)
        );
    }
    assert_eq!(app.count("users").await, 1);
    assert_eq!(app.count("dev_mailbox").await, 1, "nothing more was sent");
    let page = app
        .get_as("/login?error=invalid_email", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("without a name, quotes, angle brackets or comments"));

    let huge = format!("<{}@example.com>", "a".repeat(5_000));
    let response = app
        .post_form("/auth/email", &[("email", &huge)], None)
        .await;
    assert!(
        location(&response).len() < 1_000,
        "the Location never echoes unbounded input"
    );
}

#[tokio::test]
async fn an_account_with_an_old_odd_address_can_still_sign_in() {
    let app = spawn_app().await;
    sqlx::query(
        "INSERT INTO users (email, name, created_at) VALUES ('x<old@example.com>', 'old', 0)",
    )
    .execute(app.running.state.db.pool())
    .await
    .unwrap();
    let cookie = app.sign_in("x<old@example.com>").await;
    let account = app.get_as("/account", Some(&cookie)).await;
    assert_eq!(account.status(), 200);
    assert_eq!(
        app.count("users").await,
        1,
        "no new account, nothing migrated"
    );
}

#[tokio::test]
async fn mail_scanners_that_open_links_use_nothing_up() {
    let app = spawn_app().await;
    let link = app.request_link("ada@example.com").await;
    for _ in 0..3 {
        assert_eq!(app.get_as(&link, None).await.status(), 200);
        let head = app.client.head(app.url(&link)).send().await.unwrap();
        assert!(head.status().is_success());
    }
    assert_eq!(app.count("sessions").await, 0);
    // Only the confirm button's POST signs in — and it must come from our own page.
    let token = link.split("token=").nth(1).unwrap();
    let forged = app
        .client
        .post(app.url("/auth/email/callback"))
        .header("Origin", "https://evil.example")
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let response = app.redeem(&link, None).await;
    assert_eq!(location(&response), "/account");
    assert!(session_cookie(&response).is_some());
}

#[tokio::test]
async fn signing_in_ends_the_session_this_browser_held_before() {
    let app = spawn_app().await;
    let attacker = app.sign_in("mallory@example.com").await;
    let link = app.request_link("ada@example.com").await;
    let response = app.redeem(&link, Some(&attacker)).await;
    let ada = session_cookie(&response).unwrap();
    assert_eq!(
        app.get_as("/account", Some(&attacker)).await.status(),
        302,
        "the earlier session of this browser is over"
    );
    assert_eq!(app.get_as("/account", Some(&ada)).await.status(), 200);
    assert_eq!(app.count("sessions").await, 1);
}

#[tokio::test]
async fn a_session_ends_after_its_absolute_lifetime_however_active() {
    use app::auth::sessions::SESSION_ABSOLUTE_SECS;
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let now = app::clock::system_now();
    sqlx::query("UPDATE sessions SET created_at = $1, last_seen_at = $2, expires_at = $3")
        .bind(now - SESSION_ABSOLUTE_SECS - 1)
        .bind(now - 60)
        .bind(now + 86_400)
        .execute(app.running.state.db.pool())
        .await
        .unwrap();
    let response = app.get_as("/account", Some(&cookie)).await;
    assert_eq!(location(&response), "/login?next=/account");
}

/// A server whose public URL is https (as behind a TLS-terminating proxy).
async fn https_app() -> TestApp {
    spawn_app_with(|c| c.app_url = Some("https://app.example.com".into())).await
}

#[tokio::test]
async fn on_https_the_session_cookie_is_host_prefixed_and_only_that_name_counts() {
    let app = https_app().await;
    let origin = "https://app.example.com";
    let sent = app
        .client
        .post(app.url("/auth/email"))
        .header("Origin", origin)
        .form(&[("email", "ada@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let link = app.last_email().await.unwrap().link().unwrap().to_owned();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let signed_in = app
        .client
        .post(app.url("/auth/email/callback"))
        .header("Origin", origin)
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let set_cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.starts_with("__Host-tollgate_session="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("Secure") && set_cookie.contains("Path=/"));
    assert!(!set_cookie.contains("Domain"));
    let value = set_cookie
        .trim_start_matches("__Host-tollgate_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = |cookie: String| {
        app.client
            .get(app.url("/account"))
            .header("Accept", "text/html")
            .header("Cookie", cookie)
            .send()
    };
    let signed_in = page(format!("__Host-tollgate_session={value}"))
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    assert!(signed_in.text().await.unwrap().contains("ada@example.com"));
    assert_eq!(
        page(format!("tollgate_session={value}"))
            .await
            .unwrap()
            .status(),
        302,
        "an unprefixed cookie (plantable by a sibling domain) is ignored"
    );
}

#[tokio::test]
async fn a_post_from_the_right_host_over_plain_http_is_refused_on_an_https_site() {
    let app = https_app().await;
    let host_origin = app.url(""); // http://127.0.0.1:PORT: the Host, but not our scheme
    let response = app
        .client
        .post(app.url("/auth/email"))
        .header("Origin", host_origin)
        .form(&[("email", "ada@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(app.last_email().await.is_none());
}

#[tokio::test]
async fn a_ban_from_the_admin_page_stops_the_users_api_keys_too() {
    let app = spawn_app().await;
    let boss = app.sign_in_admin("boss@example.com").await;
    app.sign_in("bot@example.com").await;
    let id: i64 = sqlx::query("SELECT id FROM users WHERE email = 'bot@example.com'")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap()
        .get("id");
    let key = app::auth::api_keys::create(&app.running.state.db, id, "CI")
        .await
        .unwrap()
        .to_string();
    let call = || {
        app.client
            .post(app.url("/api/generate"))
            .bearer_auth(&key)
            .json(&serde_json::json!({"prompt": "hi"}))
            .send()
    };
    assert_eq!(call().await.unwrap().status(), 200);
    let banned = app
        .post_form(
            "/admin/users/ban",
            &[("email", "bot@example.com")],
            Some(&boss),
        )
        .await;
    assert_eq!(location(&banned), "/admin?notice=banned");
    assert_eq!(call().await.unwrap().status(), 403);
    let usage = app
        .client
        .get(app.url("/api/usage"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        usage.status(),
        403,
        "every route refuses the key, not only metered ones"
    );
}

#[tokio::test]
async fn an_admin_cannot_ban_themself_nor_the_last_admin() {
    let app = spawn_app().await;
    let boss = app.sign_in_admin("boss@example.com").await;
    let response = app
        .post_form(
            "/admin/users/ban",
            &[("email", "boss@example.com")],
            Some(&boss),
        )
        .await;
    assert_eq!(location(&response), "/admin?notice=self");
    let page = app
        .get_as("/admin?notice=self", Some(&boss))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("you cannot ban yourself"));
    assert_eq!(app.get_as("/account", Some(&boss)).await.status(), 200);

    let out = tollgate(&app.database, &["user", "ban", "boss@example.com"], &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("last admin"));
    assert_eq!(app.get_as("/account", Some(&boss)).await.status(), 200);

    // With a second admin, either can be banned (by the other).
    let deputy = app.sign_in_admin("deputy@example.com").await;
    let response = app
        .post_form(
            "/admin/users/ban",
            &[("email", "boss@example.com")],
            Some(&deputy),
        )
        .await;
    assert_eq!(location(&response), "/admin?notice=banned");
}
