//! Load benchmark (not a test) of the release server over real HTTP, driven by `wrk`: the
//! metered path, refusals and pages, each next to `GET /healthz` of the same run (the ceiling
//! of this server on this machine), plus peak memory and cold start. `make bench` runs it on
//! SQLite and on PostgreSQL; the README keeps the numbers.
//!
//!     make bench    (both engines; builds in target/bench, see the Makefile)
//!     CARGO_TARGET_DIR=target/bench cargo bench -p tollgate --bench http
//!
//! Settings: `BENCH_SECONDS` per figure (default 10), `BENCH_CONNECTIONS` (default 64),
//! `BENCH_ONLY` (e.g. `refused,pricing`: only those rows, next to `/healthz`; for profiling),
//! `BENCH_WITHOUT_DAY_TOTALS` (drops `usage_days`' trigger: what it costs a charge, as an A/B).

#[path = "../tests/common/mod.rs"]
mod common;

use app::domain::{EmailAddress, PlanId, Subscription, SubscriptionStatus};
use common::{serve_process, ServerProcess, TestDatabase};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Starts `tollgate serve` from this build and waits for its first 200 from `/healthz`;
/// returns how long that took (the cold start).
async fn start(database: &TestDatabase, connections: u64) -> (ServerProcess, Duration) {
    let started = Instant::now();
    let max = connections.to_string();
    let server = serve_process(
        database,
        &[("MAX_CONCURRENT_GENERATIONS", max.as_str())],
        Stdio::null(),
    )
    .await;
    (server, started.elapsed())
}

fn url(server: &ServerProcess, path: &str) -> String {
    format!("{}{path}", server.base)
}

/// Peak resident memory of `pid` so far (`VmHWM`), in MB.
fn peak_rss_mb(pid: u32) -> f64 {
    memory_mb(pid, "VmHWM:")
}

/// Resident memory of `pid` now (`VmRSS`), in MB: after each row, to see which load grows it.
fn rss_mb(pid: u32) -> f64 {
    memory_mb(pid, "VmRSS:")
}

fn memory_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// A row of the table: what it measures, its `BENCH_ONLY` name, the path, the headers, the
/// body of a POST, and whether every answer must be a refusal.
type Row<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a [String],
    Option<&'a str>,
    bool,
);

/// What `wrk` measured.
struct Figure {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Answers that were not 2xx/3xx.
    other: u64,
    total: u64,
}

/// `1.23ms`, `456.00us`, `1.01s` → milliseconds.
fn millis(raw: &str) -> f64 {
    let number = |suffix: &str| raw.strip_suffix(suffix).and_then(|n| n.parse::<f64>().ok());
    number("us")
        .map(|n| n / 1000.0)
        .or_else(|| number("ms"))
        .or_else(|| number("s").map(|n| n * 1000.0))
        .unwrap_or(f64::NAN)
}

fn parse_wrk(output: &str) -> Figure {
    let field = |prefix: &str| {
        output
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
    };
    let total = output
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Figure {
        per_second: field("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0),
        p50_ms: field("50%").map_or(f64::NAN, millis),
        p99_ms: field("99%").map_or(f64::NAN, millis),
        other: field("Non-2xx or 3xx responses:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        total,
    }
}

/// One `wrk` run against `url` with `headers`; a POST of `body` when given.
fn wrk(
    url: &str,
    headers: &[String],
    body: Option<&str>,
    seconds: u64,
    connections: u64,
) -> Figure {
    let mut command = Command::new("wrk");
    command.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    for header in headers {
        command.args(["-H", header]);
    }
    let script;
    if let Some(body) = body {
        script = tempfile::NamedTempFile::new().expect("temp file");
        let lua = format!(
            "wrk.method = \"POST\"\nwrk.body = {}\n",
            serde_json::to_string(body).expect("a JSON string is a Lua string")
        );
        std::fs::write(script.path(), lua).expect("write the wrk script");
        command.arg("-s").arg(script.path());
    }
    let output = command
        .arg(url)
        .output()
        .expect("wrk must be installed (scripts/setup.sh bench installs it)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "wrk failed: {text}");
    parse_wrk(&text)
}

#[tokio::main]
async fn main() {
    let seconds = setting("BENCH_SECONDS", 10);
    let connections = setting("BENCH_CONNECTIONS", 64);
    let database = TestDatabase::fresh().await;
    let engine = match database.backend() {
        app::db::Backend::Sqlite => "SQLite",
        app::db::Backend::Postgres => "PostgreSQL",
    };

    // First start: migrations, then the accounts the load uses.
    let (server, _) = start(&database, connections).await;
    let db = database.connect().await;
    let account = |email: &str| EmailAddress::parse(email).expect("address");
    let team = app::auth::users::find_or_create(&db, &account("team@bench.test"), None, None)
        .await
        .expect("team user");
    let on_team = Subscription {
        plan: PlanId::parse("team").expect("team plan"),
        status: SubscriptionStatus::Active,
        current_period_start: None,
        current_period_end: None,
        past_due_since: None,
        kept: None,
    };
    app::billing::subscriptions::upsert(&db, team.id, &on_team)
        .await
        .expect("team plan");
    // An A/B of what the chart's per-day totals cost a charge (docs/architecture.md, "Pages:
    // what a request costs"): their trigger dropped, so the chart stays empty. Never for the
    // README's table.
    if std::env::var_os("BENCH_WITHOUT_DAY_TOTALS").is_some() {
        let drop = match database.backend() {
            app::db::Backend::Sqlite => "DROP TRIGGER usage_days_ledger",
            app::db::Backend::Postgres => "DROP TRIGGER usage_days_ledger ON usage_ledger",
        };
        sqlx::query(drop)
            .execute(db.pool())
            .await
            .expect("drop usage_days' trigger");
        println!("(usage_days' trigger dropped: an A/B run, not for the README)");
    }
    let team_key = app::auth::api_keys::create(&db, team.id, "bench")
        .await
        .expect("team key");
    let session = app::auth::sessions::create(&db, team.id, "bench", "127.0.0.1")
        .await
        .expect("session");
    let free = app::auth::users::find_or_create(&db, &account("free@bench.test"), None, None)
        .await
        .expect("free user");
    let free_key = app::auth::api_keys::create(&db, free.id, "bench")
        .await
        .expect("free key");
    // The Free user spends the day's 10, so every request of theirs is the 429.
    let client = reqwest::Client::new();
    for i in 0..10 {
        let spent = client
            .post(url(&server, "/api/generate"))
            .bearer_auth(&free_key)
            .json(&serde_json::json!({ "prompt": format!("spend {i}") }))
            .send()
            .await
            .expect("generate");
        assert_eq!(spent.status(), 200);
        spent.bytes().await.expect("body");
    }
    drop(server);
    db.close().await;

    // Second start on the migrated database: the cold start, then the load.
    let (server, cold_start) = start(&database, connections).await;
    let json = "Content-Type: application/json".to_owned();
    let bearer = |key: &str| format!("Authorization: Bearer {key}");
    let cookie = format!("Cookie: tollgate_session={}", session.expose());
    let prompt = r#"{"prompt":"Write a short note about tea"}"#;
    // Warm-up: connections, caches, the SQLite page cache.
    wrk(
        &url(&server, "/api/generate"),
        &[json.clone(), bearer(&team_key)],
        Some(prompt),
        2,
        connections,
    );

    // Each row: what it measures, a short name for `BENCH_ONLY`, the request, and whether
    // every answer must be a refusal. `/healthz` always runs: it is the ceiling.
    let team_headers = [json.clone(), bearer(&team_key)];
    let free_headers = [json.clone(), bearer(&free_key)];
    // The page's own script spends by the session cookie, with the `Origin` every browser sends
    // on a POST (the CSRF check): the session's read, then the charge's.
    let origin = format!("Origin: {}", url(&server, "").trim_end_matches('/'));
    let browser_headers = [json.clone(), cookie.clone(), origin];
    let cookie_headers = [cookie];
    let rows: [Row; 7] = [
        ("`GET /healthz`", "healthz", "/healthz", &[], None, false),
        (
            "`POST /api/generate`, allowed (Team, streamed text read whole)",
            "generate",
            "/api/generate",
            &team_headers,
            Some(prompt),
            false,
        ),
        (
            "`POST /api/generate`, allowed, by the page's session cookie (Team)",
            "browser",
            "/api/generate",
            &browser_headers,
            Some(prompt),
            false,
        ),
        (
            "`POST /api/generate`, refused (429, Free user out of generations)",
            "refused",
            "/api/generate",
            &free_headers,
            Some(prompt),
            true,
        ),
        (
            "`GET /dashboard` (SSR, signed in)",
            "dashboard",
            "/dashboard",
            &cookie_headers,
            None,
            false,
        ),
        (
            "`GET /pricing`, a first-time visitor (the stored page, a fresh nonce)",
            "pricing",
            "/pricing",
            &[],
            None,
            false,
        ),
        (
            "`GET /pricing`, signed in (SSR each time: the session, then the page)",
            "rendered",
            "/pricing",
            &cookie_headers,
            None,
            false,
        ),
    ];
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let runs: Vec<(&str, Figure, bool, f64)> = rows
        .iter()
        .filter(|(_, name, ..)| *name == "healthz" || only.is_empty() || only.contains(name))
        .map(|(what, _, path, headers, body, refusals)| {
            let figure = wrk(&url(&server, path), headers, *body, seconds, connections);
            (*what, figure, *refusals, rss_mb(server.pid()))
        })
        .collect();
    let ceiling = runs[0].1.per_second;
    println!(
        "\n{engine}, {connections} connections, {seconds} s each, wrk -t2 on the same 2 cores:\n"
    );
    println!("| what | req/s | of /healthz | p50 | p99 | memory after (VmRSS) |");
    println!("|---|---|---|---|---|---|");
    for (what, figure, refusals, rss) in &runs {
        println!(
            "| {what} | {:.0} | {:.0} % | {:.2} ms | {:.2} ms | {rss:.1} MB |",
            figure.per_second,
            100.0 * figure.per_second / ceiling,
            figure.p50_ms,
            figure.p99_ms
        );
        // Every answer must be the one the row names, or the figure means nothing.
        let expected_other = if *refusals { figure.total } else { 0 };
        assert_eq!(figure.other, expected_other, "{what}: unexpected statuses");
    }
    println!(
        "| peak server memory (VmHWM) | {:.1} MB | | | | |",
        peak_rss_mb(server.pid())
    );
    println!(
        "| cold start to the first 200 | {} ms | | | | |",
        cold_start.as_millis()
    );
}
