//! Server functions: thin wrappers that authenticate, call a service and return a wire type.
//! One function per file; server-only imports live inside their bodies.

pub mod error;
pub mod pricing;

pub use error::ApiError;
