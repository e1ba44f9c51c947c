//! Start-up refuses bad settings with one clear line, and the CLI works end to end.
mod common;

use common::{test_config, tollgate, workspace_file, TestDatabase};

/// Starts the server on a copy of the shipped catalog changed by `edit`; returns the catalog's
/// path and the one line start-up refused with.
async fn refused_with_catalog(edit: impl FnOnce(String) -> String) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("plans.toml");
    let shipped = std::fs::read_to_string(workspace_file("plans.toml")).unwrap();
    std::fs::write(&plans, edit(shipped)).unwrap();
    let database = TestDatabase::fresh().await;
    let mut config = test_config(&database);
    config.plans_file = plans.clone();
    let error = server::serve::start(config, std::future::pending())
        .await
        .err()
        .expect("start-up refused");
    (plans.display().to_string(), error.to_string())
}

#[tokio::test]
async fn a_malformed_plan_catalog_stops_startup_naming_file_and_line() {
    let (plans, message) = refused_with_catalog(|shipped| {
        shipped.replacen("pro_tutors = true", "pro_tutors = \"yes\"", 1)
    })
    .await;
    assert!(message.starts_with(&format!("{plans}:")), "{message}");
    assert!(
        message.contains("plan `pro` sets `pro_tutors`"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1);
}

#[tokio::test]
async fn a_catalog_without_a_feature_the_app_uses_stops_startup_in_one_line() {
    // A valid catalog that simply has no `max_tokens` (its feature and every plan's value).
    let (plans, message) = refused_with_catalog(|shipped| {
        let without = shipped
        .replace(
            "[[features]]\nid = \"max_tokens\"\nkind = \"number\"\nname = \"Maximum length\"\nunit = \"token\"\nunits = \"tokens\"\nsuffix = \"per generation\"\n",
            "",
        )
        .lines()
        .filter(|line| !line.starts_with("max_tokens ="))
        .collect::<Vec<_>>()
        .join("\n");
        assert!(!without.contains("max_tokens"), "the test removed every trace");
        without
    })
    .await;
    assert_eq!(
        message,
        format!("{plans}: the app needs a number feature `max_tokens`, but the catalog does not define it")
    );
}

#[tokio::test]
async fn the_binary_exits_with_one_line_on_a_bad_setting() {
    let database = TestDatabase::fresh().await;
    let output = tollgate(&database, &["serve"], &[("BIND_ADDR", "nowhere")]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.trim(),
        "tollgate: BIND_ADDR: `nowhere` is not an address like 127.0.0.1:3000"
    );
}

#[tokio::test]
async fn the_binary_exits_with_one_line_on_a_broken_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("broken.toml");
    std::fs::write(&plans, "currency = \"usd\"\n[guest\n").unwrap();
    let database = TestDatabase::fresh().await;
    let output = tollgate(
        &database,
        &["serve"],
        &[("PLANS_FILE", plans.to_str().unwrap())],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!("tollgate: {}:2:", plans.display())),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[tokio::test]
async fn tollgate_migrate_brings_a_fresh_database_up_to_date() {
    let database = TestDatabase::fresh().await;
    let output = tollgate(&database, &["migrate"], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("is up to date"));
    let db = database.connect().await;
    db.migrate().await.expect("already migrated");
    assert!(sqlx::query("SELECT id FROM users")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn an_unknown_subcommand_is_refused_with_usage() {
    let database = TestDatabase::fresh().await;
    let output = tollgate(&database, &["frobnicate"], &[]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Usage"));
}
