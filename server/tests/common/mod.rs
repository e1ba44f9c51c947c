//! Test helpers shared by every integration test: start the real server on a random port with a
//! fresh database — SQLite by default, PostgreSQL when `TEST_DATABASE_URL` is set.
#![allow(dead_code)] // each test binary uses a different subset

pub mod fake_oidc;
pub mod fake_openai;
pub mod fake_stripe;
pub mod stripe_app;

use app::db::{Backend, DatabaseUrl, Db};
use server::config::Config;
#[allow(unused_imports)] // used by some test binaries only
pub use server::config::Secret;
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

    /// Creates schema `tollgate_t_<unique>` in the database of `admin_url` and points the
    /// connection's `search_path` at it: as isolated as a database for our tables, but created
    /// and dropped in milliseconds (a `CREATE DATABASE` costs a checkpoint). `scripts/postgres.sh`
    /// makes a new database per test run and drops those of earlier runs.
    async fn fresh_postgres(admin_url: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .subsec_nanos();
        let schema = format!(
            "tollgate_t_{}_{}_{}",
            std::process::id(),
            nanos,
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("TEST_DATABASE_URL must reach a PostgreSQL server (see scripts/postgres.sh)");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .await
            .expect("create test schema");
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
        Self {
            url: DatabaseUrl::parse(&url).expect("postgres url"),
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

/// Runs the `tollgate` binary on `database` with a clean environment plus `extra_env`.
pub fn tollgate(
    database: &TestDatabase,
    args: &[&str],
    extra_env: &[(&str, &str)],
) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tollgate"));
    command
        .args(args)
        .current_dir(workspace_file(""))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database.url.expose())
        .env("RUST_LOG", "error");
    for (key, value) in extra_env {
        command.env(key, value);
    }
    command.output().expect("run tollgate")
}

/// A `tollgate serve` process, killed when dropped so a failing test leaves nothing behind.
pub struct ServerProcess {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl ServerProcess {
    /// The process id (the load benchmark reads its peak memory from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts the `tollgate serve` binary on `database` (clean environment plus `extra_env`, its
/// log to `log`) and waits until `/healthz` answers 200.
pub async fn serve_process(
    database: &TestDatabase,
    extra_env: &[(&str, &str)],
    log: std::process::Stdio,
) -> ServerProcess {
    let port = free_port();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tollgate"));
    command
        .arg("serve")
        .current_dir(workspace_file(""))
        .env_clear()
        .env("DATABASE_URL", database.url.expose())
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("DEMO_WORD_DELAY_MS", "0")
        .env("RUST_LOG", "error")
        .stdout(log)
        .stderr(std::process::Stdio::null());
    for (key, value) in extra_env {
        command.env(key, value);
    }
    let process = ServerProcess {
        child: command.spawn().expect("start tollgate serve"),
        base: format!("http://127.0.0.1:{port}"),
    };
    // Polled often, so the load benchmark can time the cold start by this call.
    let client = reqwest::Client::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{}/healthz", process.base)).send().await {
            if r.status() == 200 {
                return process;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    panic!("tollgate serve did not become healthy on {}", process.base);
}

/// Server settings for tests: random port, the shipped catalog, the given database.
/// The webhook signing secret of every test server.
pub const WEBHOOK_SECRET: &str = "whsec_tollgate_tests";

pub fn test_config(database: &TestDatabase) -> Config {
    Config {
        database_url: database.url.clone(),
        bind_addr: "127.0.0.1:0".parse().expect("addr"),
        app_url: None,
        plans_file: workspace_file("plans.toml"),
        site_root: workspace_file("target/site"),
        smtp_url: None,
        mail_from: "Tollgate <no-reply@localhost>".into(),
        oauth: Vec::new(),
        generator: server::config::GeneratorSettings::Demo { word_delay_ms: 0 },
        login_links_per_ip: 20,
        guests_per_ip: 20,
        trusted_proxies: Vec::new(),
        max_concurrent_generations: 8,
        housekeeping_interval_secs: 3600,
        billing_grace_days: 7,
        stripe_webhook_secret: Some(app::secret::Secret::new(WEBHOOK_SECRET)),
        stripe: None,
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
    // Logs only when RUST_LOG asks for them (e.g. RUST_LOG=debug cargo test …).
    if std::env::var_os("RUST_LOG").is_some() {
        server::telemetry::init();
    }
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

/// Browser-like helpers for the sign-in flows.
impl TestApp {
    /// POSTs a form the way our pages do: same-site `Origin`, optional session cookie.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("Origin", self.url(""))
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header("Cookie", session(cookie));
        }
        request.send().await.expect("request reaches the server")
    }

    /// GETs a page as a browser navigation (`Accept: text/html`) with an optional session.
    pub async fn get_as(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .get(self.url(path))
            .header("Accept", "text/html");
        if let Some(cookie) = cookie {
            request = request.header("Cookie", session(cookie));
        }
        request.send().await.expect("request reaches the server")
    }

    /// `POST /api/generate` as a browser page would send it (same-site `Origin`), with the
    /// given `Cookie` header (session and/or guest cookie) and extra headers.
    pub async fn generate(
        &self,
        prompt: &str,
        cookie: Option<&str>,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url("/api/generate"))
            .header("Origin", self.url(""))
            .json(&serde_json::json!({ "prompt": prompt }));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request reaches the server")
    }

    /// `GET /api/usage` with the given `Cookie` header.
    pub async fn usage(&self, cookie: Option<&str>) -> serde_json::Value {
        let mut request = self.client.get(self.url("/api/usage"));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        let response = request.send().await.expect("request reaches the server");
        assert_eq!(response.status(), 200);
        response.json().await.expect("usage is JSON")
    }

    /// The newest message of the dev mailbox.
    pub async fn last_email(&self) -> Option<app::api::wire::MailboxMessage> {
        app::auth::mailer::dev_mailbox(&self.running.state.db, 1)
            .await
            .expect("read mailbox")
            .into_iter()
            .next()
            .map(app::api::wire::MailboxMessage::from)
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(self.running.state.db.pool())
            .await
            .expect("count rows")
            .get("n")
    }

    /// Requests a magic link for `email` and returns the link's path and query.
    pub async fn request_link(&self, email: &str) -> String {
        let response = self
            .post_form(
                "/auth/email",
                &[("email", email), ("next", "/account")],
                None,
            )
            .await;
        assert_eq!(
            response.status(),
            303,
            "requesting a link redirects to the check-your-inbox page"
        );
        let link = self
            .last_email()
            .await
            .and_then(|m| m.link().map(str::to_owned))
            .expect("a link was mailed");
        link.strip_prefix(&self.url(""))
            .expect("link points at this server")
            .to_owned()
    }

    /// Presses "Sign in" on the confirm page of `link` (a path with `?token=`), in a browser
    /// holding session `cookie` if any: the POST that uses the link up.
    pub async fn redeem(&self, link: &str, cookie: Option<&str>) -> reqwest::Response {
        let token = link
            .split("token=")
            .nth(1)
            .map(|t| t.split('&').next().unwrap_or_default())
            .unwrap_or_default()
            .to_owned();
        self.post_form("/auth/email/callback", &[("token", &token)], cookie)
            .await
    }

    /// Moves the server's clock to the first second of the next quarter hour, so a test that
    /// counts requests against a 15-minute rate-limit window cannot straddle two windows.
    pub fn at_start_of_a_rate_window(&self) {
        let clock = self.running.state.db.clock();
        clock.set((clock.now() / 900 + 1) * 900 + 1);
    }

    /// Signs `email` in and makes the account an admin; returns the session cookie.
    pub async fn sign_in_admin(&self, email: &str) -> String {
        let cookie = self.sign_in(email).await;
        let address = app::domain::EmailAddress::parse(email).expect("a plain address");
        let role = app::auth::users::Role::Admin;
        assert!(
            app::auth::users::set_role(&self.running.state.db, &address, role)
                .await
                .expect("set the role")
        );
        cookie
    }

    /// Signs `email` in by magic link (open the link, confirm); returns the session cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let link = self.request_link(email).await;
        let page = self.get_as(&link, None).await;
        assert_eq!(page.status(), 200, "the link shows the confirm page");
        let response = self.redeem(&link, None).await;
        assert_eq!(response.status(), 303, "confirming signs in and redirects");
        session_cookie(&response).expect("a session cookie is set")
    }
}

/// The `Cookie` header of a signed-in browser, from the value `sign_in` returns (what
/// `generate` and `usage` take; `get_as` and `post_form` take the bare value).
pub fn session(cookie: &str) -> String {
    format!("tollgate_session={cookie}")
}

/// The value the response sets for cookie `name` (empty when it clears it).
pub fn cookie_value(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
}

/// The value the response sets for the session cookie (empty when it clears it).
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    cookie_value(response, "tollgate_session")
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Billing helpers: paying through the test-mode provider as a browser would.
impl TestApp {
    /// Presses `plan`'s button on /pricing as the signed-in `cookie`; where it leads.
    pub async fn press_plan(&self, cookie: &str, plan: &str, billing: &str) -> String {
        let response = self
            .post_form(
                "/billing/checkout",
                &[("plan", plan), ("billing", billing)],
                Some(cookie),
            )
            .await;
        assert_eq!(response.status(), 303);
        location(&response)
    }

    /// Starts a test-mode checkout for `plan`; the test checkout's path.
    pub async fn start_checkout(&self, cookie: &str, plan: &str, billing: &str) -> String {
        let to = self.press_plan(cookie, plan, billing).await;
        assert!(
            to.starts_with("/billing/test-checkout/cs_local_"),
            "to the test checkout: {to}"
        );
        to
    }

    /// Adds `n` tracked accounts for the signed-in `cookie` through the accounts page's form.
    pub async fn add_tracked_accounts(&self, cookie: &str, n: usize) {
        for i in 0..n {
            let added = self
                .post_form(
                    "/accounts",
                    &[
                        ("name", &format!("Account {i}")),
                        ("account_number", &format!("1000{i}")),
                    ],
                    Some(cookie),
                )
                .await;
            assert_eq!(location(&added), "/accounts?notice=added");
        }
    }

    /// The body of page `path` as the signed-in `cookie` sees it.
    pub async fn text(&self, path: &str, cookie: &str) -> String {
        let page = self.get_as(path, Some(cookie)).await;
        page.text().await.expect("a page body")
    }

    /// Presses a pack's "Buy" button on /pricing as the signed-in `cookie`; where it leads.
    pub async fn buy_pack(&self, cookie: &str, pack: &str) -> String {
        let started = self
            .post_form("/billing/credits", &[("pack", pack)], Some(cookie))
            .await;
        location(&started)
    }

    /// Presses a test checkout's pay button (`card`: `succeeds` or `declined`).
    pub async fn pay(&self, checkout: &str, cookie: &str, card: &str) -> reqwest::Response {
        self.post_form(&format!("{checkout}/pay"), &[("card", card)], Some(cookie))
            .await
    }

    /// Follows the provider's success URL back into the app.
    pub async fn come_back(&self, success_url: &str, cookie: &str) -> reqwest::Response {
        let path = success_url
            .strip_prefix(&self.url(""))
            .unwrap_or_else(|| panic!("success URL on this app: {success_url}"));
        self.get_as(path, Some(cookie)).await
    }

    /// Checkout, pay, come back; returns the user's provider customer id.
    pub async fn subscribe(&self, cookie: &str, plan: &str, billing: &str) -> String {
        let checkout = self.start_checkout(cookie, plan, billing).await;
        let paid = self.pay(&checkout, cookie, "succeeds").await;
        let back = self.come_back(&location(&paid), cookie).await;
        assert_eq!(location(&back), "/dashboard");
        sqlx::query_scalar(
            "SELECT customer_id FROM billing_customers WHERE customer_id IN
                 (SELECT customer_id FROM local_billing_checkouts WHERE id = $1)",
        )
        .bind(checkout.rsplit('/').next().unwrap_or_default())
        .fetch_one(self.running.state.db.pool())
        .await
        .expect("the customer of the checkout")
    }
}
