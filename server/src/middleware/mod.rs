//! Layers every request passes through.

pub mod csrf;
pub mod headers;
pub mod session;
pub mod visitor_pages;
