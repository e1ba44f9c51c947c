//! Pure types and rules of the product: the plan catalog, prices and how they read.
//!
//! Nothing here does I/O or imports leptos, axum, sqlx or stripe, so the same code runs in the
//! server, in the wasm bundle and in plain unit tests.

pub mod catalog;
pub mod describe;
pub mod email;
pub mod money;

pub use catalog::{
    BillingInterval, Catalog, CatalogError, CreditPack, Entitlement, Feature, FeatureId,
    FeatureKind, GuestAllowance, Period, Plan, PlanId,
};
pub use email::EmailAddress;
pub use money::Money;
