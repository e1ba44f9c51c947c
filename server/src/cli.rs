//! `tollgate [serve|migrate]`: the operator's entry points.

use crate::config::Config;
use crate::serve;
use app::db::Db;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
            let db = Db::connect(&config.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let count = db.migrate().await.map_err(|e| e.to_string())?;
            db.close().await;
            println!(
                "{} is up to date ({count} migrations).",
                config.database_url
            );
            Ok(())
        }
    }
}
