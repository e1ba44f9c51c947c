//! Billing (server only). For now: our copy of each user's subscription, which the access
//! module reads and operators set with `tollgate user set-plan`.

pub mod subscriptions;
