//! The Leptos UI: the app shell and routes, pages (one per route) and components.

pub mod app;
pub mod billing;
pub mod components;
pub mod csp;
pub mod generate_client;
pub mod loaded;
pub mod pages;
