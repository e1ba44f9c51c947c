//! Layers every request passes through.

pub mod csrf;
pub mod session;
