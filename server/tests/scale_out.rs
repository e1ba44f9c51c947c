//! Two `tollgate serve` processes on one database (PostgreSQL in CI's second pass, SQLite in
//! the first): 200 concurrent generations against a limit of 10, spread over both processes,
//! allow exactly 10.

mod common;

use common::{workspace_file, TestDatabase};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A server process killed when dropped, so a failing test leaves nothing behind.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start_server(database: &TestDatabase) -> (Process, String) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .arg("serve")
        .current_dir(workspace_file(""))
        .env_clear()
        .env("DATABASE_URL", database.url.expose())
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("DEMO_WORD_DELAY_MS", "0")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .expect("start tollgate serve");
    let process = Process(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status() == 200 {
                return (process, base);
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("tollgate serve did not become healthy on {base}");
}

#[tokio::test]
async fn two_processes_on_one_database_never_overspend() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    db.migrate().await.expect("migrate");
    let (_a, url_a) = start_server(&database).await;
    let (_b, url_b) = start_server(&database).await;

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
