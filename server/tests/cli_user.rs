//! `tollgate user …` for operators: ban (signs out everywhere), unban, make-admin.
mod common;

use common::{session, spawn_app, tollgate, TestApp};

/// (success, stdout, stderr) of `tollgate ARGS` on the app's database.
fn run(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let output = tollgate(&app.database, args, &[]);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    )
}

#[tokio::test]
async fn ban_signs_the_user_out_of_the_running_server_at_once() {
    let app = spawn_app().await;
    let cookie = app.sign_in("mallory@example.com").await;
    assert_eq!(app.get_as("/account", Some(&cookie)).await.status(), 200);

    let (ok, stdout, stderr) = run(&app, &["user", "ban", "Mallory@example.com"]);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        "mallory@example.com is banned and signed out everywhere."
    );
    assert_eq!(app.get_as("/account", Some(&cookie)).await.status(), 302);

    let (ok, stdout, _) = run(&app, &["user", "unban", "mallory@example.com"]);
    assert!(ok);
    assert_eq!(stdout, "mallory@example.com is no longer banned.");
    assert_eq!(
        app.get_as("/account", Some(&cookie)).await.status(),
        302,
        "unbanning does not revive old sessions"
    );
    app.sign_in("mallory@example.com").await;
}

#[tokio::test]
async fn make_admin_sets_the_role() {
    let app = spawn_app().await;
    app.sign_in("root@example.com").await;
    let (ok, stdout, _) = run(&app, &["user", "make-admin", "root@example.com"]);
    assert!(ok);
    assert_eq!(stdout, "root@example.com is now an admin.");
    let email = app::domain::EmailAddress::parse("root@example.com").unwrap();
    let user = app::auth::users::find_by_email(&app.running.state.db, &email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, app::auth::users::Role::Admin);
}

#[tokio::test]
async fn unknown_or_malformed_emails_fail_with_one_line() {
    let app = spawn_app().await;
    let (ok, _, stderr) = run(&app, &["user", "ban", "nobody@example.com"]);
    assert!(!ok);
    assert_eq!(stderr, "tollgate: no account with email nobody@example.com");
    let (ok, _, stderr) = run(&app, &["user", "make-admin", "nope"]);
    assert!(!ok);
    assert!(
        stderr.starts_with("tollgate: “nope” is not an email address"),
        "{stderr}"
    );
}

#[tokio::test]
async fn set_plan_changes_limits_at_once_and_refuses_unknown_plans_and_statuses() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("qa@example.com").await);
    let (ok, stdout, stderr) = run(
        &app,
        &[
            "user",
            "set-plan",
            "qa@example.com",
            "pro",
            "--status",
            "trialing",
        ],
    );
    assert!(ok, "{stderr}");
    assert_eq!(stdout, "qa@example.com is now on pro (trialing).");
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(
        (usage["plan"].as_str(), usage["status"].as_str()),
        (Some("pro"), Some("trialing"))
    );
    assert_eq!(usage["features"]["generations"]["limit"], 100);

    let (ok, _, stderr) = run(&app, &["user", "set-plan", "qa@example.com", "gold"]);
    assert!(!ok);
    assert!(
        stderr.contains("unknown plan `gold`; use one of: free, pro, team"),
        "{stderr}"
    );
    let (ok, _, stderr) = run(
        &app,
        &[
            "user",
            "set-plan",
            "qa@example.com",
            "pro",
            "--status",
            "late",
        ],
    );
    assert!(!ok);
    assert!(stderr.contains("past_due"), "{stderr}");
}

#[tokio::test]
async fn credits_grant_adds_to_the_balance_each_time() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("buyer@example.com").await);
    let (ok, stdout, stderr) = run(&app, &["credits", "grant", "buyer@example.com", "100"]);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        "Granted 100 generations credits to buyer@example.com; credit balance is now 100."
    );
    let (ok, stdout, _) = run(&app, &["credits", "grant", "buyer@example.com", "5"]);
    assert!(ok);
    assert!(stdout.ends_with("now 105."), "{stdout}");
    assert_eq!(app.usage(Some(&cookie)).await["credits"], 105);
    let (ok, _, stderr) = run(
        &app,
        &[
            "credits",
            "grant",
            "buyer@example.com",
            "5",
            "--feature",
            "pro_tutors",
        ],
    );
    assert!(!ok);
    assert!(stderr.contains("not a metered feature"), "{stderr}");
    let (ok, _, stderr) = run(&app, &["credits", "grant", "buyer@example.com", "lots"]);
    assert!(!ok);
    assert!(stderr.contains("invalid value"), "{stderr}");
}

#[tokio::test]
async fn setting_the_same_plan_again_keeps_the_months_usage() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("month@example.com").await);
    let (ok, _, stderr) = run(&app, &["user", "set-plan", "month@example.com", "pro"]);
    assert!(ok, "{stderr}");
    let email = app::domain::EmailAddress::parse("month@example.com").unwrap();
    let user = app::auth::users::find_by_email(&app.running.state.db, &email)
        .await
        .unwrap()
        .unwrap();
    let sessions = app::domain::FeatureId::parse("tutor_sessions").unwrap();
    let key = app::domain::IdempotencyKey::parse("first-session").unwrap();
    let spent = app
        .running
        .state
        .access
        .consume(&app::access::Subject::User(user.id), &sessions, 1, &key)
        .await
        .unwrap();
    assert!(matches!(spent, app::access::Consumed::Charged(_)));
    let used = |usage: serde_json::Value| usage["features"]["tutor_sessions"]["used"].clone();
    assert_eq!(used(app.usage(Some(&cookie)).await), 1);
    let args = [
        "user",
        "set-plan",
        "month@example.com",
        "pro",
        "--status",
        "past_due",
    ];
    let (ok, _, stderr) = run(&app, &args);
    assert!(ok, "{stderr}");
    assert_eq!(
        used(app.usage(Some(&cookie)).await),
        1,
        "only the status changed"
    );
}
