//! Test helpers shared by every integration test: start the real server on a random port with a
//! fresh database — SQLite by default, PostgreSQL when `TEST_DATABASE_URL` is set.
#![allow(dead_code)] // each test binary uses a different subset

use app::db::{Backend, DatabaseUrl, Db};
use server::config::Config;
use server::serve::{self, Running};
use sqlx::Connection;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub fn workspace_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// A database nobody else uses; SQLite files live in a temp dir removed on drop.
pub struct TestDatabase {
    pub url: DatabaseUrl,
    _dir: Option<TempDir>,
}

impl TestDatabase {
    pub async fn fresh() -> Self {
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|v| !v.is_empty())
        {
            Some(admin_url) => Self::fresh_postgres(&admin_url).await,
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
                Self {
                    url: DatabaseUrl::parse(&url).expect("sqlite url"),
                    _dir: Some(dir),
                }
            }
        }
    }

    /// Creates `tollgate_t_<unique>` next to the database of `admin_url`.
    /// `scripts/postgres.sh` drops leftovers of earlier runs.
    async fn fresh_postgres(admin_url: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .subsec_nanos();
        let name = format!(
            "tollgate_t_{}_{}_{}",
            std::process::id(),
            nanos,
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("TEST_DATABASE_URL must reach a PostgreSQL server (see scripts/postgres.sh)");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let (base, _) = admin_url
            .rsplit_once('/')
            .expect("TEST_DATABASE_URL has a database name");
        Self {
            url: DatabaseUrl::parse(&format!("{base}/{name}")).expect("postgres url"),
            _dir: None,
        }
    }

    pub fn backend(&self) -> Backend {
        self.url.backend()
    }

    pub async fn connect(&self) -> Db {
        Db::connect(&self.url)
            .await
            .expect("connect to test database")
    }
}

/// Server settings for tests: random port, the shipped catalog, the given database.
pub fn test_config(database: &TestDatabase) -> Config {
    Config {
        database_url: database.url.clone(),
        bind_addr: "127.0.0.1:0".parse().expect("addr"),
        app_url: None,
        plans_file: workspace_file("plans.toml"),
        site_root: workspace_file("target/site"),
    }
}

/// A running server and a client for it. Dropping it stops the server.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub running: Running,
    pub database: TestDatabase,
    shutdown: Option<oneshot::Sender<()>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request reaches the server")
    }

    /// Stops the server gracefully and waits for it to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let task = std::mem::replace(&mut self.running.task, tokio::spawn(async { Ok(()) }));
        task.await
            .expect("server task")
            .expect("server stopped cleanly");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the real server (same code as `tollgate serve`) after letting the test adjust the config.
pub async fn spawn_app_with(customize: impl FnOnce(&mut Config)) -> TestApp {
    let database = TestDatabase::fresh().await;
    let mut config = test_config(&database);
    customize(&mut config);
    let (tx, rx) = oneshot::channel::<()>();
    let running = serve::start(config, async {
        let _ = rx.await;
    })
    .await
    .expect("server starts");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    TestApp {
        addr: running.addr,
        client,
        running,
        database,
        shutdown: Some(tx),
    }
}
