//! `tollgate [serve|migrate|user …]`: the operator's entry points.

use crate::config::Config;
use crate::{operator, serve};
use app::access::Access;
use app::auth::users::{self, BanOutcome, Role};
use app::db::Db;
use app::domain::EmailAddress;
use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "tollgate",
    version,
    about = "Sign-in, plans, credits and billing in one app"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage credit balances.
    #[command(subcommand)]
    Credits(CreditsCommand),
    /// Billing: re-read subscriptions from the provider, or act on a recorded webhook again.
    #[command(subcommand)]
    Billing(BillingCommand),
    /// Purge expired rows (OAuth states, sign-in links, sessions, rate-limit windows, guests,
    /// kept generations); the server also does this every hour.
    Housekeeping,
}

#[derive(Subcommand, Debug)]
enum CreditsCommand {
    /// Add N credits to an account (spent after the plan's allowance).
    Grant {
        email: String,
        amount: u64,
        /// The metered feature the credits are for.
        #[arg(long, default_value = "generations")]
        feature: String,
    },
}

#[derive(Subcommand, Debug)]
enum BillingCommand {
    /// Re-syncs one customer's subscription (by email), or every customer's: the way back to
    /// the provider's state after an outage or a missed webhook.
    Sync { email: Option<String> },
    /// Acts on a recorded webhook event again (its effect re-reads the provider).
    Replay { event_id: String },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Suspend an account and sign it out everywhere at once.
    Ban { email: String },
    /// Lift a suspension.
    Unban { email: String },
    /// Give an account the admin role.
    MakeAdmin { email: String },
    /// Put an account on a plan with a subscription status, without a payment (QA, support).
    SetPlan {
        email: String,
        plan: String,
        /// active, trialing, past_due, incomplete, incomplete_expired, unpaid, canceled, paused
        #[arg(long, default_value = "active")]
        status: String,
        /// Switch even when the account holds more than the plan allows.
        #[arg(long)]
        force: bool,
    },
}

/// Parses the command line, runs the command, and turns any failure into one line on stderr.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tollgate: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tollgate: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    match command {
        Command::Serve => serve::serve(config).await.map_err(|e| e.to_string()),
        Command::Migrate => {
            let db = open_db(&config).await?;
            let count = db.migrate().await.map_err(|e| e.to_string())?;
            db.close().await;
            println!(
                "{} is up to date ({count} migrations).",
                config.database_url
            );
            Ok(())
        }
        Command::User(UserCommand::SetPlan {
            email,
            plan,
            status,
            force,
        }) => {
            let (db, access) = open_access(&config).await?;
            let result = operator::set_plan(&db, &access, &email, &plan, &status, force).await;
            db.close().await;
            println!("{}", result?);
            Ok(())
        }
        Command::User(command) => {
            let db = open_db(&config).await?;
            db.migrate().await.map_err(|e| e.to_string())?;
            let result = user_command(&db, command).await;
            db.close().await;
            println!("{}", result?);
            Ok(())
        }
        Command::Housekeeping => {
            let db = open_db(&config).await?;
            db.migrate().await.map_err(|e| e.to_string())?;
            let purged = app::housekeeping::run(&db, db.now()).await;
            db.close().await;
            println!("{}.", purged.map_err(|e| e.to_string())?);
            Ok(())
        }
        Command::Billing(command) => {
            let (db, access) = open_access(&config).await?;
            let app_url = config
                .app_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.bind_addr));
            let catalog = Arc::new(access.catalog().clone());
            let billing = serve::billing(&config, &db, &catalog, &access, &app_url)
                .map_err(|e| e.to_string())?;
            let result = operator::billing(&db, &billing, command_args(command)).await;
            db.close().await;
            println!("{}", result?);
            Ok(())
        }
        Command::Credits(CreditsCommand::Grant {
            email,
            amount,
            feature,
        }) => {
            let (db, access) = open_access(&config).await?;
            let result = operator::grant_credits(&db, &access, &email, amount, &feature).await;
            db.close().await;
            println!("{}", result?);
            Ok(())
        }
    }
}

fn command_args(command: BillingCommand) -> operator::BillingTask {
    match command {
        BillingCommand::Sync { email } => operator::BillingTask::Sync(email),
        BillingCommand::Replay { event_id } => operator::BillingTask::Replay(event_id),
    }
}

/// The database (migrated) and the access module over the configured catalog.
async fn open_access(config: &Config) -> Result<(Db, Access), String> {
    let catalog = serve::catalog(config).map_err(|e| e.to_string())?;
    let db = open_db(config).await?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let access = Access::new(db.clone(), Arc::new(catalog))
        .map_err(|problem| format!("{}: {problem}", config.plans_file.display()))?;
    Ok((db, access))
}

async fn open_db(config: &Config) -> Result<Db, String> {
    Db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())
}

async fn user_command(db: &Db, command: UserCommand) -> Result<String, String> {
    let (raw, done) = match &command {
        UserCommand::Ban { email } => (email, "is banned and signed out everywhere"),
        UserCommand::Unban { email } => (email, "is no longer banned"),
        UserCommand::MakeAdmin { email } => (email, "is now an admin"),
        UserCommand::SetPlan { .. } => {
            return Err("set-plan is handled by operator::set_plan".into())
        }
    };
    let email = EmailAddress::lookup(raw)?;
    let outcome = match command {
        UserCommand::Ban { .. } => users::set_banned(db, &email, true).await,
        UserCommand::Unban { .. } => users::set_banned(db, &email, false).await,
        UserCommand::MakeAdmin { .. } => {
            users::set_role(db, &email, Role::Admin).await.map(|found| {
                if found {
                    BanOutcome::Done
                } else {
                    BanOutcome::NoSuchAccount
                }
            })
        }
        UserCommand::SetPlan { .. } => {
            return Err("set-plan is handled by operator::set_plan".into())
        }
    }
    .map_err(|e| e.to_string())?;
    match outcome {
        BanOutcome::Done => Ok(format!("{email} {done}.")),
        BanOutcome::NoSuchAccount => Err(format!("no account with email {email}")),
        BanOutcome::LastAdmin => Err(format!(
            "{email} is the last admin who is not banned; make another account admin first"
        )),
    }
}
