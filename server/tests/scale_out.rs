//! Two `tollgate serve` processes on one database (PostgreSQL in CI's second pass, SQLite in
//! the first): 200 concurrent generations against a limit of 10, spread over both processes,
//! allow exactly 10.

mod common;

use common::{serve_process, TestDatabase};

#[tokio::test]
async fn two_processes_on_one_database_never_overspend() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    db.migrate().await.expect("migrate");
    // The per-caller stream cap is not what this proves: lift it.
    let env = [("MAX_CONCURRENT_GENERATIONS", "1000")];
    let a = serve_process(&database, &env, std::process::Stdio::null()).await;
    let b = serve_process(&database, &env, std::process::Stdio::null()).await;
    let (url_a, url_b) = (a.base.clone(), b.base.clone());

    let email = app::domain::EmailAddress::parse("scale@example.com").unwrap();
    let user = app::auth::users::find_or_create(&db, &email, None, None)
        .await
        .unwrap();
    let key = app::auth::api_keys::create(&db, user.id, "load")
        .await
        .unwrap();

    let client = reqwest::Client::new();
    let requests = (0..200).map(|i| {
        let url = if i % 2 == 0 { &url_a } else { &url_b };
        client
            .post(format!("{url}/api/generate"))
            .bearer_auth(&key)
            .json(&serde_json::json!({"prompt": format!("request {i}")}))
            .send()
    });
    let responses = futures_util::future::join_all(requests).await;
    let mut ok = 0;
    let mut limited = 0;
    for response in responses {
        let response = response.expect("request reaches a server");
        match response.status().as_u16() {
            200 => {
                response.text().await.expect("the text streams to the end");
                ok += 1;
            }
            429 => limited += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((ok, limited), (10, 190));
    let counter: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(used), 0) AS BIGINT) FROM usage_counters WHERE feature = 'generations'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let ledger: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM usage_ledger WHERE kind = 'consume' AND feature = 'generations'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!((counter, ledger), (10, 10));
}
