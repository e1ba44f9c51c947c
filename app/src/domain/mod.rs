//! Pure types and rules of the product: the plan catalog, prices and how they read,
//! subscription states, usage windows, and the access decision itself.
//!
//! Nothing here does I/O or imports leptos, axum, sqlx or stripe, so the same code runs in the
//! server, in the wasm bundle and in plain unit tests.

pub mod calendar;
pub mod catalog;
pub mod clawback;
pub mod decision;
pub mod describe;
pub mod email;
pub mod explain;
pub mod idempotency;
pub mod invoice;
pub mod low_credits;
pub mod money;
pub mod plan_change;
pub mod pricing;
pub mod product;
pub mod provider_subscription;
pub mod sign_in;
pub mod status_notice;
pub mod subscription;
pub mod tracked_account;
pub mod tutors;
pub mod usage;
pub mod usage_history;
pub mod usage_words;

#[cfg(test)]
mod decision_tests;
#[cfg(test)]
pub(crate) mod fixture;

pub use calendar::Window;
pub use catalog::{
    BillingInterval, Catalog, CatalogError, CatalogPrice, CreditPack, Entitlement, Feature,
    FeatureId, FeatureKind, GuestAllowance, Period, Plan, PlanId, PlanPriceKeys, PriceKey,
};
pub use decision::{Allowance, Decision, Denial, DenyReason, Grant, Terms, Usage, Who};
pub use email::EmailAddress;
pub use idempotency::IdempotencyKey;
pub use money::Money;
pub use plan_change::{can_change_plan, DowngradeBlocked, PlanChange};
pub use product::Product;
pub use subscription::{Standing, Subscription, SubscriptionStatus};
pub use usage::{FeatureCounts, FeatureUsage, Holder, Renewal, UsageSummary};
