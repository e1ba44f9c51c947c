//! `tollgate user …` for operators: ban (signs out everywhere), unban, make-admin.
mod common;

use common::{spawn_app, workspace_file};
use std::process::Command;

fn tollgate(database_url: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .args(args)
        .current_dir(workspace_file(""))
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "error")
        .output()
        .expect("run tollgate");
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

    let (ok, stdout, stderr) = tollgate(
        app.database.url.expose(),
        &["user", "ban", "Mallory@example.com"],
    );
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        "mallory@example.com is banned and signed out everywhere."
    );
    assert_eq!(app.get_as("/account", Some(&cookie)).await.status(), 302);

    let (ok, stdout, _) = tollgate(
        app.database.url.expose(),
        &["user", "unban", "mallory@example.com"],
    );
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
    let (ok, stdout, _) = tollgate(
        app.database.url.expose(),
        &["user", "make-admin", "root@example.com"],
    );
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
    let (ok, _, stderr) = tollgate(
        app.database.url.expose(),
        &["user", "ban", "nobody@example.com"],
    );
    assert!(!ok);
    assert_eq!(stderr, "tollgate: no account with email nobody@example.com");
    let (ok, _, stderr) = tollgate(app.database.url.expose(), &["user", "make-admin", "nope"]);
    assert!(!ok);
    assert!(
        stderr.starts_with("tollgate: “nope” is not an email address"),
        "{stderr}"
    );
}
