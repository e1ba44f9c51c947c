//! `GET /api/events`: a page hears that its viewer's usage, credits or plan changed — from this
//! server, from another process (the CLI), on both engines — and nobody else's changes.
mod common;

use common::{session, spawn_app, tollgate, TestApp};
use std::time::Duration;

/// An open event stream, read chunk by chunk.
struct Stream(reqwest::Response);

impl Stream {
    /// Opens the stream as a page rendered just now does, long after the server's watch began
    /// (a page rendered within seconds of it is told to look again).
    async fn open(app: &TestApp, cookie: &str) -> Stream {
        let clock = app.running.state.db.clock();
        clock.advance(10);
        Self::open_since(app, cookie, Some(clock.now())).await
    }

    /// Opens the stream of a page whose state was read at `since`.
    async fn open_since(app: &TestApp, cookie: &str, since: Option<i64>) -> Stream {
        let path = match since {
            Some(since) => format!("/api/events?since={since}"),
            None => "/api/events".to_owned(),
        };
        let response = app
            .client
            .get(app.url(&path))
            .header("Cookie", cookie)
            .send()
            .await
            .expect("request reaches the server");
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "a server-sent event stream"
        );
        let mut stream = Stream(response);
        assert_eq!(
            stream.next_event(Duration::from_secs(5)).await.as_deref(),
            Some("ready")
        );
        stream
    }

    /// The name of the next event (keep-alive comments skipped), or `None` after `within`.
    async fn next_event(&mut self, within: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let chunk = tokio::time::timeout_at(deadline, self.0.chunk())
                .await
                .ok()?;
            let chunk = chunk.expect("the stream stays open")?;
            let text = String::from_utf8_lossy(&chunk).into_owned();
            if let Some(name) = text.lines().find_map(|l| l.strip_prefix("event: ")) {
                // Browsers never dispatch an event without data.
                assert!(
                    text.lines()
                        .any(|l| l.len() > "data: ".len() && l.starts_with("data: ")),
                    "event {name} carries data: {text:?}"
                );
                return Some(name.to_owned());
            }
        }
    }
}

const WITHIN: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_generation_elsewhere_tells_the_viewers_open_pages_and_only_theirs() {
    let app = spawn_app().await;
    let ada = session(&app.sign_in("ada@example.com").await);
    let bob = session(&app.sign_in("bob@example.com").await);
    let mut adas_tab = Stream::open(&app, &ada).await;
    let mut bobs_tab = Stream::open(&app, &bob).await;

    // Ada writes something from another tab (or her API key): her page hears of it.
    assert_eq!(app.generate("hello", Some(&ada), &[]).await.status(), 200);
    assert_eq!(
        adas_tab.next_event(WITHIN).await.as_deref(),
        Some("changed")
    );
    // Bob's page heard nothing of Ada's usage (the poll and the coalescing have long passed).
    assert_eq!(
        bobs_tab.next_event(Duration::from_millis(1_500)).await,
        None
    );

    // Several at once arrive as few events, never as none.
    for _ in 0..3 {
        assert_eq!(app.generate("again", Some(&bob), &[]).await.status(), 200);
    }
    assert_eq!(
        bobs_tab.next_event(WITHIN).await.as_deref(),
        Some("changed")
    );
}

#[tokio::test]
async fn an_operator_command_in_another_process_reaches_the_page_on_both_engines() {
    let app = spawn_app().await;
    let cookie = session(&app.sign_in("qa@example.com").await);
    let mut tab = Stream::open(&app, &cookie).await;
    let output = tollgate(
        &app.database,
        &[
            "user",
            "set-plan",
            "qa@example.com",
            "pro",
            "--status",
            "past_due",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(tab.next_event(WITHIN).await.as_deref(), Some("changed"));
    // And what the page then reads is the new plan.
    let usage = app.usage(Some(&cookie)).await;
    assert_eq!(usage["status"], "past_due");
}

#[tokio::test]
async fn a_change_between_the_render_and_the_connection_is_told_at_once() {
    let app = spawn_app().await;
    let ada = session(&app.sign_in("ada@example.com").await);
    // Nothing changed since the render: only `ready`.
    let mut quiet = Stream::open(&app, &ada).await;
    assert_eq!(quiet.next_event(Duration::from_millis(1_000)).await, None);

    // The page is rendered, then a generation lands before its stream connects.
    let rendered = app.running.state.db.now();
    assert_eq!(app.generate("hello", Some(&ada), &[]).await.status(), 200);
    assert_eq!(
        quiet.next_event(WITHIN).await.as_deref(),
        Some("changed"),
        "the change has been heard"
    );
    let mut late = Stream::open_since(&app, &ada, Some(rendered)).await;
    assert_eq!(late.next_event(WITHIN).await.as_deref(), Some("changed"));
    // A page that does not say when it was read (or says nonsense) looks again too.
    let mut unknown = Stream::open_since(&app, &ada, None).await;
    assert_eq!(unknown.next_event(WITHIN).await.as_deref(), Some("changed"));
    // Bob changed nothing since his render.
    let bob = session(&app.sign_in("bob@example.com").await);
    let mut bobs = Stream::open_since(&app, &bob, Some(rendered)).await;
    assert_eq!(bobs.next_event(Duration::from_millis(1_000)).await, None);
}

#[tokio::test]
async fn nobody_to_follow_gets_a_sentence_and_a_user_cannot_open_streams_without_end() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/events")).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("Sign in"),
        "{body}"
    );

    let cookie = session(&app.sign_in("tabs@example.com").await);
    let mut tabs = Vec::new();
    for _ in 0..app::live_pages::PER_SUBJECT {
        tabs.push(Stream::open(&app, &cookie).await);
    }
    let refused = app
        .client
        .get(app.url("/api/events"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    // Closing a tab gives its place back.
    drop(tabs.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _again = Stream::open(&app, &cookie).await;
}

#[tokio::test]
async fn a_write_from_a_connection_with_another_search_path_is_heard() {
    let app = spawn_app().await;
    let ada = session(&app.sign_in("ada@example.com").await);
    let mut tab = Stream::open(&app, &ada).await;
    let db = &app.running.state.db;
    const TOUCH_BAN: &str = "UPDATE {table} SET banned = banned WHERE email = 'ada@example.com'";
    match db.backend() {
        // A script or a second role whose search_path does not start with our schema names
        // the table in full; its change is told under the table's schema all the same.
        app::db::Backend::Postgres => {
            use sqlx::Connection;
            let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
                .fetch_one(db.pool())
                .await
                .unwrap();
            let admin_url = std::env::var("TEST_DATABASE_URL").unwrap();
            let mut other = sqlx::PgConnection::connect(&admin_url).await.unwrap();
            sqlx::query("SET search_path TO pg_catalog")
                .execute(&mut other)
                .await
                .unwrap();
            let sql = TOUCH_BAN.replace("{table}", &format!("\"{schema}\".users"));
            sqlx::query(&sql).execute(&mut other).await.unwrap();
        }
        // One schema per file: any connection is heard.
        app::db::Backend::Sqlite => {
            let sql = TOUCH_BAN.replace("{table}", "users");
            sqlx::query(&sql).execute(db.pool()).await.unwrap();
        }
    }
    assert_eq!(tab.next_event(WITHIN).await.as_deref(), Some("changed"));
}
