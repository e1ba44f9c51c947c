//! Benchmark (not a test): the access check and `POST /api/generate` with the demo generator,
//! at 64 concurrent connections, on SQLite — or PostgreSQL with TEST_DATABASE_URL set.
//!
//!     cargo bench -p tollgate --bench access
//!     TEST_DATABASE_URL=$(scripts/postgres.sh) cargo bench -p tollgate --bench access
//!
//! Prints requests per second and p50/p99 latency; the README keeps the measured numbers.

#[path = "../tests/common/mod.rs"]
mod common;

use app::access::Subject;
use app::domain::{FeatureId, PlanId, Subscription, SubscriptionStatus};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 64;
const CHECKS: usize = 20_000;
const GENERATIONS: usize = 4_000;

struct Stats {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

fn stats(mut latencies: Vec<Duration>, elapsed: Duration) -> Stats {
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Stats {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
    }
}

/// Runs `total` calls of `call` from `CONCURRENCY` tasks; returns every call's latency.
async fn hammer<F, Fut>(total: usize, call: F) -> Stats
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let call = Arc::new(call);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let call = call.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= total {
                        return latencies;
                    }
                    let t = Instant::now();
                    call(i).await;
                    latencies.push(t.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(total);
    for worker in workers {
        latencies.extend(worker.await.expect("worker"));
    }
    stats(latencies, started.elapsed())
}

fn print(what: &str, engine: &str, s: &Stats) {
    println!(
        "| {what} | {engine} | {:.0} | {:.2} ms | {:.2} ms |",
        s.per_second,
        s.p50.as_secs_f64() * 1000.0,
        s.p99.as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() {
    // One Team account drives every request: the per-caller stream cap must not be the limit.
    let app = common::spawn_app_with(|c| c.max_concurrent_generations = CONCURRENCY).await;
    let engine = format!("{:?}", app.database.backend());
    let state = app.running.state.clone();
    let db = state.db.clone();

    let email = app::domain::EmailAddress::parse("bench@example.com").unwrap();
    let user = app::auth::users::find_or_create(&db, &email, None, None)
        .await
        .unwrap();
    // Team: unlimited generations, so every request takes the full consume path.
    let team = Subscription {
        plan: PlanId::parse("team").unwrap(),
        status: SubscriptionStatus::Active,
        current_period_start: None,
        current_period_end: None,
        past_due_since: None,
        kept: None,
    };
    app::billing::subscriptions::upsert(&db, user.id, &team)
        .await
        .unwrap();
    let key = Arc::new(
        app::auth::api_keys::create(&db, user.id, "bench")
            .await
            .unwrap(),
    );

    println!("| what | database | per second | p50 | p99 |");
    println!("|---|---|---|---|---|");

    let access = Arc::new(state.access.clone());
    let generations = FeatureId::parse("generations").unwrap();
    let check = {
        let access = access.clone();
        let subject = Subject::User(user.id);
        hammer(CHECKS, move |_| {
            let access = access.clone();
            let subject = subject.clone();
            let feature = generations.clone();
            async move {
                access.check(&subject, &feature).await.expect("check");
            }
        })
        .await
    };
    print("`access::check`", &engine, &check);

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let url = Arc::new(app.url("/api/generate"));
    for (what, with_key) in [
        ("`POST /api/generate` (demo, whole body)", false),
        ("… with `Idempotency-Key` (text kept for replays)", true),
    ] {
        let (client, url, key) = (client.clone(), url.clone(), key.clone());
        let generate = hammer(GENERATIONS, move |i| {
            let client = client.clone();
            let url = url.clone();
            let key = key.clone();
            async move {
                let mut request = client
                    .post(url.as_str())
                    .bearer_auth(key.as_str())
                    .json(&serde_json::json!({"prompt": format!("benchmark prompt {i}")}));
                if with_key {
                    request = request.header("Idempotency-Key", format!("bench-{i}"));
                }
                let response = request.send().await.expect("request");
                assert_eq!(response.status(), 200);
                response.bytes().await.expect("body");
            }
        })
        .await;
        print(what, &engine, &generate);
    }
    app.stop().await;
}
