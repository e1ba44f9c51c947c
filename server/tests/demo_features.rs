//! The demo app's features through their pages and forms: tracked accounts (a count limit),
//! tutors (a boolean feature and a monthly meter), API keys, and the usage counters.

mod common;

use common::{location, session, spawn_app, TestApp};

fn query_param(location: &str, key: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

async fn add_account(app: &TestApp, cookie: &str, name: &str, number: &str) -> String {
    let response = app
        .post_form(
            "/accounts",
            &[("name", name), ("account_number", number)],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status(), 303);
    location(&response)
}

#[tokio::test]
async fn tracked_accounts_stop_at_the_plan_limit_with_the_seed_message() {
    let app = spawn_app().await;
    let cookie = app.sign_in("ledger@example.com").await;
    for i in 0..3 {
        let to = add_account(
            &app,
            &cookie,
            &format!("Account {i}"),
            "GB29 NWBK 6016 1331 9268 19",
        )
        .await;
        assert_eq!(query_param(&to, "notice").as_deref(), Some("added"), "{to}");
    }
    let refused = add_account(&app, &cookie, "Fourth", "12345678").await;
    assert_eq!(query_param(&refused, "error").as_deref(), Some("limit"));
    assert_eq!(
        query_param(&refused, "message"),
        None,
        "no sentence in the URL"
    );
    assert_eq!(
        query_param(&refused, "account_number"),
        None,
        "nor the number"
    );
    assert_eq!(
        query_param(&refused, "name").as_deref(),
        Some("Fourth"),
        "the form keeps its name"
    );
    let page = app
        .get_as(&refused, Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("reached your tracked accounts limit (3)"),
        "{page}"
    );
    assert!(page.contains("•••• 6819"), "numbers are masked");
    assert_eq!(app.count("tracked_accounts").await, 3);
}

#[tokio::test]
async fn bad_input_is_named_and_nothing_is_stored() {
    let app = spawn_app().await;
    let cookie = app.sign_in("typo@example.com").await;
    let to = add_account(&app, &cookie, "  ", "12345678").await;
    assert_eq!(query_param(&to, "error").as_deref(), Some("name"));
    let to = add_account(&app, &cookie, "Main", "12!").await;
    assert_eq!(query_param(&to, "error").as_deref(), Some("number"));
    let page = app.get_as(&to, Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("4 to 34 letters and digits"));
    assert_eq!(app.count("tracked_accounts").await, 0);
}

#[tokio::test]
async fn people_can_only_see_and_delete_their_own_accounts_and_deleting_frees_a_slot() {
    let app = spawn_app().await;
    let alice = app.sign_in("alice@example.com").await;
    let bob = app.sign_in("bob@example.com").await;
    for name in ["A1", "A2", "A3"] {
        add_account(&app, &alice, name, "11112222").await;
    }
    let alices_id: i64 = sqlx::query_scalar("SELECT id FROM tracked_accounts WHERE name = 'A1'")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    let bobs_view = app
        .get_as("/accounts", Some(&bob))
        .await
        .text()
        .await
        .unwrap();
    // As element text: the page also carries a random CSP nonce, which may spell "A1".
    assert!(
        !bobs_view.contains(">A1<"),
        "Bob does not see Alice's accounts"
    );
    let alices_view = app
        .get_as("/accounts", Some(&alice))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        alices_view.contains(">A1<"),
        "the same check sees Alice's own"
    );
    let id = alices_id.to_string();
    let attempt = app
        .post_form("/accounts/delete", &[("id", &id)], Some(&bob))
        .await;
    assert_eq!(
        query_param(&location(&attempt), "error").as_deref(),
        Some("not_found")
    );
    assert_eq!(app.count("tracked_accounts").await, 3);
    let done = app
        .post_form("/accounts/delete", &[("id", &id)], Some(&alice))
        .await;
    assert_eq!(
        query_param(&location(&done), "notice").as_deref(),
        Some("deleted")
    );
    let again = add_account(&app, &alice, "A4", "11112222").await;
    assert_eq!(query_param(&again, "notice").as_deref(), Some("added"));
    let signed_out = app
        .post_form(
            "/accounts",
            &[("name", "x"), ("account_number", "12345")],
            None,
        )
        .await;
    assert!(
        location(&signed_out).starts_with("/login"),
        "forms need sign-in"
    );
}

/// Submits the start form of `tutor` with the form key `key`; returns where it redirects.
async fn start_tutor(app: &TestApp, cookie: &str, tutor: &str, key: &str) -> String {
    let response = app
        .post_form(
            "/tutors/start",
            &[("tutor", tutor), ("key", key)],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status(), 303);
    location(&response)
}

#[tokio::test]
async fn pro_tutors_are_refused_to_free_users_and_sessions_are_metered_monthly() {
    let app = spawn_app().await;
    let cookie = app.sign_in("student@example.com").await;
    let page = app
        .get_as("/tutors", Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Requires Pro"));
    assert!(page.contains("You have 3 tutor sessions left this month"));

    let to = start_tutor(&app, &cookie, "fiction", "form-1").await;
    assert_eq!(to, "/tutors?error=denied&tutor=fiction");
    let refusal = app.get_as(&to, Some(&cookie)).await.text().await.unwrap();
    assert!(
        refusal.contains("Upgrade to Pro to use Pro tutors."),
        "{refusal}"
    );

    for attempt in 0..2 {
        // The same form submitted twice starts one session.
        let started = start_tutor(&app, &cookie, "grammar", "form-2").await;
        assert_eq!(
            query_param(&started, "started").as_deref(),
            Some("grammar"),
            "attempt {attempt}"
        );
    }
    assert_eq!(app.count("tutor_sessions").await, 1);
    for key in ["form-3", "form-4"] {
        start_tutor(&app, &cookie, "structure", key).await;
    }
    let over = start_tutor(&app, &cookie, "grammar", "form-5").await;
    assert_eq!(over, "/tutors?error=denied&tutor=grammar");
    let refusal = app.get_as(&over, Some(&cookie)).await.text().await.unwrap();
    assert!(refusal.contains("Monthly limit reached"), "{refusal}");
    assert_eq!(app.count("tutor_sessions").await, 3);
}

#[tokio::test]
async fn api_keys_are_created_shown_once_and_revoked_on_the_account_page() {
    let app = spawn_app().await;
    let cookie = app.sign_in("dev@example.com").await;
    let created = app
        .post_form("/account/api-keys", &[("name", "CI bot")], Some(&cookie))
        .await;
    assert_eq!(location(&created), "/account?notice=key_created");
    let flash =
        common::cookie_value(&created, "tollgate_new_key").expect("the key waits in a cookie");
    assert!(flash.starts_with("tg_"));
    assert!(!location(&created).contains(&flash), "never in a URL");
    let page = app
        .client
        .get(app.url("/account"))
        .header("Accept", "text/html")
        .header(
            "Cookie",
            format!("tollgate_session={cookie}; tollgate_new_key={flash}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        common::cookie_value(&page, "tollgate_new_key").as_deref(),
        Some(""),
        "shown once: the page clears it"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains(&flash));
    assert!(html.contains("CI bot"));
    let usage = app
        .client
        .get(app.url("/api/usage"))
        .bearer_auth(&flash)
        .send()
        .await
        .unwrap();
    assert_eq!(usage.status(), 200);
    let key_id: i64 = sqlx::query_scalar("SELECT id FROM api_keys")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    let revoked = app
        .post_form(
            "/account/api-keys/revoke",
            &[("key_id", &key_id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(location(&revoked), "/account?notice=key_revoked");
    let after = app
        .client
        .get(app.url("/api/usage"))
        .bearer_auth(&flash)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
    let empty_name = app
        .post_form("/account/api-keys", &[("name", " ")], Some(&cookie))
        .await;
    assert_eq!(location(&empty_name), "/account?error=key_name");
}

#[tokio::test]
async fn the_dashboard_and_writer_show_what_is_left() {
    let app = spawn_app().await;
    let cookie = app.sign_in("counter@example.com").await;
    for _ in 0..7 {
        app.generate("x", Some(&session(&cookie)), &[]).await;
    }
    let dashboard = app
        .get_as("/dashboard", Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        dashboard.contains("You have 3 generations left today"),
        "{dashboard}"
    );
    assert!(dashboard.contains("Plan: Free (active)"));
    let guest = app.get_as("/generate", None).await.text().await.unwrap();
    assert!(guest.contains("You have 5 generations left to try"));
}

#[tokio::test]
async fn a_tutor_session_that_cannot_be_stored_is_refunded_and_its_form_goes_stale() {
    let app = spawn_app().await;
    let cookie = app.sign_in("unlucky-student@example.com").await;
    let pool = app.running.state.db.pool();
    // The session row cannot be written after the charge.
    sqlx::query("ALTER TABLE tutor_sessions RENAME TO tutor_sessions_away")
        .execute(pool)
        .await
        .unwrap();
    let to = start_tutor(&app, &cookie, "grammar", "form-broken").await;
    assert_eq!(to, "/tutors?error=unavailable");
    sqlx::query("ALTER TABLE tutor_sessions_away RENAME TO tutor_sessions")
        .execute(pool)
        .await
        .unwrap();
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["features"]["tutor_sessions"]["used"], 0, "refunded");
    // Sending that same form again starts nothing: the page must be reloaded for a new key.
    let again = start_tutor(&app, &cookie, "grammar", "form-broken").await;
    assert_eq!(again, "/tutors?error=stale_form");
    assert_eq!(app.count("tutor_sessions").await, 0);
    let fresh = start_tutor(&app, &cookie, "grammar", "form-new").await;
    assert!(fresh.starts_with("/tutors?started="), "{fresh}");
}
