//! The `tollgate` server: configuration, HTTP router, start-up and shutdown, CLI commands.
//! Kept as a library so integration tests start the very same server on a random port.

pub mod cli;
pub mod config;
pub mod health;
pub mod middleware;
pub mod no_delay;
pub mod open_files;
pub mod operator;
pub mod router;
pub mod routes;
pub mod serve;
pub mod telemetry;
