//! Denials in words people can act on: the `error` of the 429 JSON, the out-of-credits modal,
//! the form errors on `/accounts` and `/tutors`.

use super::catalog::{Catalog, Feature, FeatureId, FeatureKind, Period};
use super::decision::{Denial, DenyReason};

impl Denial {
    /// `message` for a feature named by id; empty when the catalog has no such feature.
    pub fn message_for(&self, catalog: &Catalog, feature: &FeatureId) -> String {
        catalog
            .feature(feature)
            .map(|f| self.message(catalog, f))
            .unwrap_or_default()
    }

    pub fn message(&self, catalog: &Catalog, feature: &Feature) -> String {
        match &self.reason {
            DenyReason::SignInRequired => match self.limit {
                Some(total) if catalog.guest.feature == feature.id => format!(
                    "You've used your {total} free {}. Sign in to continue.",
                    feature.units
                ),
                _ => "Sign in to continue.".to_owned(),
            },
            DenyReason::Banned => "This account has been suspended.".to_owned(),
            DenyReason::PaymentRequired(_) => {
                "Payment required: update your payment method to continue.".to_owned()
            }
            DenyReason::RequiresPlan(plan) => {
                let plan_name = catalog.plan(plan).map_or(plan.as_str(), |p| &p.name);
                format!("Upgrade to {plan_name} to use {}.", feature.name)
            }
            DenyReason::OutOfCredits => format!(
                "You're out of {}. Buy a credit pack or upgrade your plan.",
                feature.units
            ),
            DenyReason::LimitReached => match (feature.kind, self.limit) {
                (FeatureKind::Metered { period: Period::Day }, _) => {
                    "Daily limit reached".to_owned()
                }
                (FeatureKind::Metered { period: Period::Month }, _) => {
                    "Monthly limit reached".to_owned()
                }
                (FeatureKind::Count, Some(limit)) => format!(
                    "You've reached your {} limit ({limit}). Remove one or upgrade your plan to add more.",
                    feature.units
                ),
                _ => format!("{} is not available.", feature.name),
            },
        }
    }
}
