//! Start-up (config → catalog → database → router) and graceful shutdown.

use crate::config::{Config, GeneratorSettings, OUTPUT_NAME};
use crate::router::router;
use app::access::Access;
use app::auth::mailer::{DevMailbox, Mailer};
use app::auth::oauth::{IdentityProvider, OAuth2Provider};
use app::auth::smtp::SmtpMailer;
use app::billing::stripe::StripeBilling;
use app::billing::Billing;
use app::db::changes::ChangeFeed;
use app::db::{Db, DbError};
use app::domain::Catalog;
use app::generation::in_flight::InFlight;
use app::generation::{DemoGenerator, Generator, OpenAiGenerator};
use app::live_pages::LivePages;
use app::plans_file::{self, PlansFileError};
use app::state::{AppState, Services, Site};
use leptos::config::LeptosOptions;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A mail, sign-in or generator setting that cannot work.
    #[error("{0}")]
    Provider(String),
    #[error("{0}")]
    Plans(#[from] PlansFileError),
    #[error("{0}")]
    Db(#[from] DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// A server that is bound and serving in the background (what tests get).
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    pub task: tokio::task::JoinHandle<Result<(), StartError>>,
}

/// Runs until SIGINT/SIGTERM, then finishes in-flight requests and closes the database.
pub async fn serve(config: Config) -> Result<(), StartError> {
    crate::open_files::raise_limit();
    let running = start(config, shutdown_signal()).await?;
    running
        .task
        .await
        .unwrap_or_else(|e| Err(StartError::Serve(std::io::Error::other(e))))
}

/// The plan catalog of `PLANS_FILE` with the deployment's billing settings, for the server and
/// the operator commands alike.
pub fn catalog(config: &Config) -> Result<Catalog, PlansFileError> {
    let mut catalog = plans_file::load(&config.plans_file)?;
    catalog.past_due_grace_days = config.billing_grace_days;
    Ok(catalog)
}

/// Loads everything, binds, and serves in a background task until `shutdown` completes.
pub async fn start(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<Running, StartError> {
    let catalog = catalog(&config)?;
    tracing::info!(plans = catalog.plans.len(), file = %config.plans_file.display(), "plan catalog loaded");
    let db = Db::connect(&config.database_url).await?;
    let migrations = db.migrate().await?;
    tracing::info!(database = %config.database_url, migrations, "database ready");

    let listener = TcpListener::bind(config.bind_addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.bind_addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.bind_addr,
        source,
    })?;

    let leptos_options = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.display().to_string())
        .site_addr(addr)
        .build();
    let site = Site {
        app_url: config
            .app_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}")),
        login_links_per_ip: config.login_links_per_ip,
        guests_per_ip: config.guests_per_ip,
        trusted_proxies: config.trusted_proxies.clone(),
    };
    let mailer: Arc<dyn Mailer> = match &config.smtp_url {
        Some(url) => Arc::new(
            SmtpMailer::new(url.expose(), &config.mail_from).map_err(StartError::Provider)?,
        ),
        None => {
            tracing::info!("SMTP_URL is not set: email goes to the dev mailbox at /dev/mailbox");
            Arc::new(DevMailbox { db: db.clone() })
        }
    };
    let mut providers: Vec<Arc<dyn IdentityProvider>> = Vec::new();
    for settings in &config.oauth {
        let provider = OAuth2Provider::new(
            settings.id,
            &settings.label,
            settings.kind.clone(),
            &settings.client_id,
            settings.client_secret.expose(),
        )
        .map_err(|e| StartError::Provider(format!("{} sign-in: {e}", settings.label)))?;
        providers.push(Arc::new(provider));
    }
    let generator: Arc<dyn Generator> = match &config.generator {
        GeneratorSettings::Demo { word_delay_ms } => {
            tracing::info!("OPENAI_API_KEY is not set: /api/generate uses the demo generator");
            Arc::new(DemoGenerator::new(Duration::from_millis(*word_delay_ms)))
        }
        GeneratorSettings::OpenAi {
            base_url,
            api_key,
            model,
        } => Arc::new(
            OpenAiGenerator::new(base_url, api_key.expose(), model)
                .map_err(|e| StartError::Provider(format!("OPENAI_BASE_URL: {e}")))?,
        ),
    };
    let catalog = Arc::new(catalog);
    let access = Access::new(db.clone(), catalog.clone()).map_err(|problem| {
        StartError::Provider(format!("{}: {problem}", config.plans_file.display()))
    })?;
    let billing =
        billing(&config, &db, &catalog, &access, &site.app_url)?.with_mailer(mailer.clone());
    let state = AppState::new(Services {
        billing,
        generator,
        generations_in_flight: InFlight::new(config.max_concurrent_generations),
        changes: ChangeFeed::default(),
        live_pages: LivePages::default(),
        providers: Arc::new(providers),
        leptos_options,
        access,
        db: db.clone(),
        catalog,
        mailer,
        site: Arc::new(site),
    });
    let app = router(state.clone());
    let billing_mail = tokio::spawn(
        state
            .billing
            .clone()
            .mail_on_access_events(state.access.subscribe()),
    );
    let change_watch = tokio::spawn(state.changes.clone().watch(db.clone()));
    let housekeeping = tokio::spawn(housekeep_every(
        db.clone(),
        Duration::from_secs(config.housekeeping_interval_secs),
    ));
    tracing::info!("listening on http://{addr}");
    let task = tokio::spawn(async move {
        let result = axum::serve(
            crate::no_delay::sending_at_once(listener),
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        housekeeping.abort();
        billing_mail.abort();
        change_watch.abort();
        db.close().await;
        tracing::info!("server stopped");
        result.map_err(StartError::Serve)
    });
    Ok(Running { addr, state, task })
}

/// Purges expired rows now and then every `interval` (see `app::housekeeping`); a failure is
/// logged and tried again next time.
async fn housekeep_every(db: Db, interval: Duration) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match app::housekeeping::run(&db, db.now()).await {
            Ok(purged) if purged.total() > 0 => tracing::info!("housekeeping: {purged}"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "housekeeping failed; trying again later"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// Billing as configured: through Stripe with `STRIPE_SECRET_KEY`, else the test-mode provider.
/// The server and the `tollgate billing` commands share it.
pub fn billing(
    config: &Config,
    db: &Db,
    catalog: &Arc<Catalog>,
    access: &Access,
    app_url: &str,
) -> Result<Billing, StartError> {
    let billing = match &config.stripe {
        Some(stripe) => {
            let provider =
                StripeBilling::new(stripe.secret_key.expose(), stripe.api_base.as_deref())
                    .map_err(StartError::Provider)?;
            Billing::with_provider(
                db.clone(),
                catalog.clone(),
                access.clone(),
                Arc::new(provider),
                app_url,
            )
        }
        None => {
            tracing::info!(
                "STRIPE_SECRET_KEY is not set: billing runs in test mode (/billing/test-checkout)"
            );
            Billing::local(db.clone(), catalog.clone(), access.clone(), app_url)
        }
    };
    Ok(billing.with_webhook_secret(config.stripe_webhook_secret.clone()))
}
