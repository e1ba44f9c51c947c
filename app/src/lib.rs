//! Tollgate's shared crate: domain rules (everywhere), the Leptos UI (server and browser) and,
//! under the `ssr` feature, the server-side services the UI's server functions call.

pub mod api;
pub mod domain;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod billing;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod generation;
#[cfg(feature = "ssr")]
pub mod housekeeping;
#[cfg(feature = "ssr")]
pub mod live_pages;
#[cfg(feature = "ssr")]
pub mod plans_file;
#[cfg(feature = "ssr")]
pub mod resources;
#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
pub mod site;
#[cfg(feature = "ssr")]
pub mod state;

pub use ui::app::{shell, App};
