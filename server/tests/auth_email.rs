//! Email magic-link sign-in, sessions, sign-out, bans and CSRF, end to end over HTTP.
mod common;

use common::{location, session, session_cookie, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_magic_link_signs_a_new_user_in_and_lands_on_next() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            "/auth/email",
            &[("email", " Ada@Example.com "), ("next", "/account")],
            None,
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        "/login?sent=1&email=ada%40example.com&next=%2Faccount"
    );

    let mail = app.last_email().await.expect("a sign-in email");
    assert_eq!(mail.to, "ada@example.com");
    assert!(mail.body.contains("15 minutes"));
    let link = mail.link().expect("the email holds a link").to_owned();

    let link = link.strip_prefix(&app.url("")).unwrap();
    assert!(link.starts_with("/auth/email/confirm?token="), "{link}");
    let confirm = app.get_as(link, None).await;
    assert_eq!(confirm.status(), 200);
    let confirm = confirm.text().await.unwrap();
    assert!(confirm.contains("Sign in as") && confirm.contains("ada@example.com"));
    assert_eq!(
        app.count("sessions").await,
        0,
        "opening the link signs nobody in"
    );
    let response = app.redeem(link, None).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account");
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(
        !set_cookie.contains("Secure"),
        "plain-http localhost must not get Secure cookies"
    );
    let cookie = session_cookie(&response).unwrap();

    let page = app.get_as("/account", Some(&cookie)).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("ada@example.com"));
    assert!(
        html.contains("data-testid=\"viewer-name\""),
        "the header shows who is signed in"
    );
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn the_same_email_in_any_case_is_one_account() {
    let app = spawn_app().await;
    app.sign_in("grace@example.com").await;
    app.sign_in("GRACE@example.com").await;
    assert_eq!(app.count("users").await, 1);
    assert_eq!(app.count("sessions").await, 2);
}

#[tokio::test]
async fn a_used_link_is_refused_and_creates_no_session() {
    let app = spawn_app().await;
    let link = app.request_link("ada@example.com").await;
    assert_eq!(app.redeem(&link, None).await.status(), 303);
    let replay = app.redeem(&link, None).await;
    assert_eq!(location(&replay), "/login?error=link_used");
    let page = app.get_as(&link, None).await.text().await.unwrap();
    assert!(
        page.contains("already used"),
        "the confirm page says so too"
    );
    assert!(session_cookie(&replay).is_none());
    assert_eq!(app.count("sessions").await, 1);
}

#[tokio::test]
async fn an_expired_link_is_refused() {
    let app = spawn_app().await;
    let link = app.request_link("ada@example.com").await;
    sqlx::query("UPDATE login_links SET expires_at = 0")
        .execute(app.running.state.db.pool())
        .await
        .unwrap();
    let response = app.redeem(&link, None).await;
    assert_eq!(location(&response), "/login?error=link_expired");
    assert_eq!(app.count("sessions").await, 0);
    let page = app
        .get_as("/login?error=link_expired", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("has expired") && page.contains("get a new one"));
}

#[tokio::test]
async fn a_made_up_link_is_refused() {
    let app = spawn_app().await;
    for link in [
        "/auth/email/callback?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/auth/email/callback",
        "/auth/email/callback?token=x",
    ] {
        let response = app.redeem(link, None).await;
        assert_eq!(location(&response), "/login?error=link_invalid", "{link}");
    }
    // Links mailed before the confirm step still open, and only a token of ours is carried on.
    let old = app
        .get_as(
            "/auth/email/callback?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            None,
        )
        .await;
    assert_eq!(
        location(&old),
        "/auth/email/confirm?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    );
    let junk = app
        .get_as("/auth/email/callback?token=%3Cscript%3E", None)
        .await;
    assert_eq!(location(&junk), "/login?error=link_invalid");
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn an_invalid_email_is_sent_back_with_a_message_and_nothing_mailed() {
    let app = spawn_app().await;
    let response = app
        .post_form("/auth/email", &[("email", "not-an-email")], None)
        .await;
    assert_eq!(
        location(&response),
        "/login?error=invalid_email&email=not-an-email&next=%2Fdashboard"
    );
    assert!(app.last_email().await.is_none());
    let page = app
        .get_as(&location(&response), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("not a plain email address"));
    assert!(
        page.contains("value=\"not-an-email\""),
        "the form keeps what was typed"
    );
}

#[tokio::test]
async fn link_requests_are_rate_limited_per_email() {
    let app = spawn_app().await;
    app.at_start_of_a_rate_window();
    for _ in 0..5 {
        app.request_link("ada@example.com").await;
    }
    let response = app
        .post_form("/auth/email", &[("email", "ada@example.com")], None)
        .await;
    assert!(location(&response).starts_with("/login?error=rate_limited"));
    assert_eq!(app.count("dev_mailbox").await, 5);
}

#[tokio::test]
async fn link_requests_are_rate_limited_per_client_address_behind_a_trusted_proxy() {
    let app = spawn_app_with(|c| {
        c.login_links_per_ip = 2;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    app.at_start_of_a_rate_window();
    let request = |email: &'static str, ip: &'static str| {
        app.client
            .post(app.url("/auth/email"))
            .header("Origin", app.url(""))
            .header("X-Forwarded-For", ip)
            .form(&[("email", email)])
            .send()
    };
    for email in ["a@example.com", "b@example.com"] {
        let sent = request(email, "203.0.113.7").await.unwrap();
        assert!(
            location(&sent).starts_with("/login?sent=1"),
            "{}",
            location(&sent)
        );
    }
    let third = request("c@example.com", "203.0.113.7").await.unwrap();
    assert!(location(&third).starts_with("/login?error=rate_limited"));
    let elsewhere = request("c@example.com", "198.51.100.4").await.unwrap();
    assert!(location(&elsewhere).starts_with("/login?sent=1"));
    assert_eq!(app.count("dev_mailbox").await, 3);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let forged = app
        .client
        .post(app.url("/auth/email"))
        .header("Origin", "https://evil.example")
        .form(&[("email", "ada@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(forged
        .text()
        .await
        .unwrap()
        .contains("did not come from this site"));
    let no_origin = app
        .client
        .post(app.url("/auth/email"))
        .form(&[("email", "ada@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_origin.status(), 403);
    assert!(app.last_email().await.is_none());

    let cookie = app.sign_in("ada@example.com").await;
    let forged_logout = app
        .client
        .post(app.url("/auth/logout"))
        .header("Origin", "https://evil.example")
        .header("Cookie", session(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(forged_logout.status(), 403);
    assert_eq!(
        app.get_as("/account", Some(&cookie)).await.status(),
        200,
        "still signed in"
    );
}

#[tokio::test]
async fn next_cannot_send_people_to_another_site() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            "/auth/email",
            &[
                ("email", "ada@example.com"),
                ("next", "https://evil.example/x"),
            ],
            None,
        )
        .await;
    assert!(location(&response).ends_with("next=%2Fdashboard"));
    let link = app.last_email().await.unwrap().link().unwrap().to_owned();
    let response = app
        .redeem(link.strip_prefix(&app.url("")).unwrap(), None)
        .await;
    // A first sign-in picks a plan before the dashboard; either way, this site.
    assert_eq!(location(&response), "/welcome");
}

/// Signs `email` in through the login form (asked to go to `next`, if any); where it lands.
async fn sign_in_going(app: &common::TestApp, email: &str, next: Option<&str>) -> (String, String) {
    let mut form = vec![("email", email)];
    form.extend(next.map(|next| ("next", next)));
    app.post_form("/auth/email", &form, None).await;
    let link = app.last_email().await.unwrap().link().unwrap().to_owned();
    let response = app
        .redeem(link.strip_prefix(&app.url("")).unwrap(), None)
        .await;
    let cookie = common::session_cookie(&response).expect("signed in");
    (location(&response), cookie)
}

#[tokio::test]
async fn the_first_sign_in_offers_the_plan_picker_once() {
    let app = spawn_app().await;
    let (landed, cookie) = sign_in_going(&app, "new@example.com", None).await;
    assert_eq!(landed, "/welcome");
    let picker = app.text("/welcome", &cookie).await;
    for words in [
        "Welcome! Pick a plan to start",
        "Continue with Free",
        "Start 7-day free trial",
        "href=\"/dashboard\"",
    ] {
        assert!(picker.contains(words), "{words}: {picker}");
    }
    // A paid plan's button is the pricing page's: checkout, with the trial.
    let checkout = app.start_checkout(&cookie, "pro", "monthly").await;
    let page = app.text(&checkout, &cookie).await;
    assert!(
        page.contains("Start 7-day free trial — test mode"),
        "{page}"
    );

    let (again, _) = sign_in_going(&app, "new@example.com", None).await;
    assert_eq!(again, "/dashboard", "only the first sign-in");
    // A first sign-in that was going somewhere goes there (and is welcomed all the same).
    let (asked, _) = sign_in_going(&app, "busy@example.com", Some("/accounts")).await;
    assert_eq!(asked, "/accounts");
    let (later, _) = sign_in_going(&app, "busy@example.com", None).await;
    assert_eq!(later, "/dashboard");
}

#[tokio::test]
async fn pages_that_need_sign_in_send_visitors_to_login_and_back() {
    let app = spawn_app().await;
    let response = app.get_as("/account", None).await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), "/login?next=/account");
    let login = app
        .get_as("/login?next=/account", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(login.contains("name=\"next\" value=\"/account\""));
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ada@example.com").await;
    let response = app.post_form("/auth/logout", &[], Some(&cookie)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        session_cookie(&response).as_deref(),
        Some(""),
        "the cookie is cleared"
    );
    assert_eq!(app.count("sessions").await, 0);
    let after = app.get_as("/account", Some(&cookie)).await;
    assert_eq!(after.status(), 302, "the old cookie no longer signs in");
}

#[tokio::test]
async fn sessions_slide_forward_when_used_and_end_when_they_expire() {
    use app::auth::sessions::SESSION_LIFETIME_SECS;
    let app = spawn_app().await;
    let cookie = app.sign_in("slide@example.com").await;
    let pool = app.running.state.db.pool();
    let fresh = app.get_as("/account", Some(&cookie)).await;
    assert_eq!(fresh.status(), 200);
    assert_eq!(
        session_cookie(&fresh),
        None,
        "not rewritten within the hour"
    );

    // Last used two days ago, one hour left: this visit renews it for the full lifetime.
    let now = app::clock::system_now();
    sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2")
        .bind(now - 2 * 86_400)
        .bind(now + 3_600)
        .execute(pool)
        .await
        .unwrap();
    let used = app.get_as("/account", Some(&cookie)).await;
    assert_eq!(used.status(), 200);
    let renewed = used
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tollgate_session="))
        .expect("the cookie is sent again")
        .to_owned();
    assert!(
        renewed.contains(&format!("Max-Age={SESSION_LIFETIME_SECS}")),
        "{renewed}"
    );
    let expires: i64 = sqlx::query_scalar("SELECT expires_at FROM sessions")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(expires >= now + SESSION_LIFETIME_SECS, "{expires}");

    sqlx::query("UPDATE sessions SET expires_at = $1")
        .bind(app::clock::system_now() - 1)
        .execute(pool)
        .await
        .unwrap();
    let expired = app.get_as("/account", Some(&cookie)).await;
    assert_eq!(location(&expired), "/login?next=/account");
    assert_eq!(session_cookie(&expired).as_deref(), Some(""), "cleared");
}

#[tokio::test]
async fn a_banned_user_is_signed_out_on_the_next_request_and_cannot_sign_in() {
    let app = spawn_app().await;
    let laptop = app.sign_in("mallory@example.com").await;
    let phone = app.sign_in("mallory@example.com").await;
    let email = app::domain::EmailAddress::parse("mallory@example.com").unwrap();
    assert_eq!(
        app::auth::users::set_banned(&app.running.state.db, &email, true)
            .await
            .unwrap(),
        app::auth::users::BanOutcome::Done
    );

    for cookie in [&laptop, &phone] {
        let response = app.get_as("/account", Some(cookie)).await;
        assert_eq!(response.status(), 302);
        assert_eq!(
            session_cookie(&response).as_deref(),
            Some(""),
            "the dead cookie is cleared"
        );
    }
    let link = app.request_link("mallory@example.com").await;
    let response = app.redeem(&link, None).await;
    assert_eq!(location(&response), "/login?error=banned");
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn a_user_can_revoke_another_of_their_sessions() {
    let app = spawn_app().await;
    let laptop = app.sign_in("ada@example.com").await;
    let phone = app.sign_in("ada@example.com").await;
    let html = app
        .get_as("/account", Some(&laptop))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("data-testid=\"session\"").count(), 2);

    use sqlx::Row;
    let rows = sqlx::query("SELECT id FROM sessions ORDER BY id")
        .fetch_all(app.running.state.db.pool())
        .await
        .unwrap();
    let phone_id: i64 = rows[1].get("id");
    let response = app
        .post_form(
            "/account/sessions/revoke",
            &[("session_id", &phone_id.to_string())],
            Some(&laptop),
        )
        .await;
    assert_eq!(location(&response), "/account?notice=session_revoked");
    assert_eq!(
        app.get_as("/account", Some(&phone)).await.status(),
        302,
        "the phone is signed out"
    );
    assert_eq!(
        app.get_as("/account", Some(&laptop)).await.status(),
        200,
        "the laptop is not"
    );
}

#[tokio::test]
async fn sign_out_everywhere_else_keeps_this_browser() {
    let app = spawn_app().await;
    let here = app.sign_in("ada@example.com").await;
    let other_a = app.sign_in("ada@example.com").await;
    let other_b = app.sign_in("ada@example.com").await;
    let response = app
        .post_form("/account/sessions/revoke-others", &[], Some(&here))
        .await;
    assert_eq!(
        location(&response),
        "/account?notice=others_revoked&count=2"
    );
    assert_eq!(app.get_as("/account", Some(&here)).await.status(), 200);
    for cookie in [&other_a, &other_b] {
        assert_eq!(app.get_as("/account", Some(cookie)).await.status(), 302);
    }
}

#[tokio::test]
async fn nobody_can_revoke_someone_elses_session() {
    let app = spawn_app().await;
    let _ada = app.sign_in("ada@example.com").await;
    let eve = app.sign_in("eve@example.com").await;
    use sqlx::Row;
    let ada_session: i64 = sqlx::query("SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'ada@example.com'")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap()
        .get("id");
    let response = app
        .post_form(
            "/account/sessions/revoke",
            &[("session_id", &ada_session.to_string())],
            Some(&eve),
        )
        .await;
    assert_eq!(location(&response), "/account?error=no_such_session");
    assert_eq!(app.count("sessions").await, 2);
    let garbage = app
        .post_form(
            "/account/sessions/revoke",
            &[("session_id", "DROP TABLE")],
            Some(&eve),
        )
        .await;
    assert_eq!(location(&garbage), "/account?error=no_such_session");
}
