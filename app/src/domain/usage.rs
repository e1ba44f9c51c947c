//! The usage summary the UI shows (credit counter, badges, the out-of-credits modal), with each
//! feature's unit words and renewal taken from the catalog, so no page re-types them.
//! `GET /api/usage` sends its contract fields (ARCHITECTURE §7) through `api::wire::UsageJson`.

use super::catalog::{FeatureId, PlanId};
use super::product::Product;
use super::subscription::SubscriptionStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageSummary {
    pub holder: Holder,
    /// Which feature plays which part in the product (pages look features up by role).
    pub product: Product,
    pub features: BTreeMap<FeatureId, FeatureUsage>,
    /// Credit balance over all features.
    pub credits: u64,
}

/// Whose usage it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Holder {
    /// A visitor who has not signed in: the guest allowance only.
    Guest,
    Member {
        /// The plan in use now (the subscription's plan while payment is being sorted out).
        plan: PlanId,
        plan_name: String,
        /// The subscription's status; `Active` for an account without one (Free).
        status: SubscriptionStatus,
        /// Payment trouble has cut access down to the billing pages.
        restricted: bool,
    },
}

impl Holder {
    pub fn plan_name(&self) -> &str {
        match self {
            Holder::Guest => "Guest",
            Holder::Member { plan_name, .. } => plan_name,
        }
    }
}

/// The numbers of one feature, as `GET /api/usage` sends them (camelCase) and the UI reads
/// them: one struct for both, so the wire and the page cannot drift apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeatureCounts {
    /// Used in the current window (metered) or held now (count).
    pub used: u64,
    /// The plan's limit or setting; `null` when unlimited or on/off.
    pub limit: Option<u64>,
    /// Left now, credits included; `null` when unlimited.
    pub remaining: Option<u64>,
    /// RFC 3339 in UTC; `null` when it never renews.
    #[serde(with = "time::serde::rfc3339::option")]
    pub resets_at: Option<OffsetDateTime>,
    /// Whether one more use would be allowed now.
    pub allowed: bool,
    /// Why not, in words, when not allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The plan to offer when not allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_to: Option<PlanId>,
}

/// One feature's line of the summary: its numbers and the catalog's words for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureUsage {
    pub counts: FeatureCounts,
    /// The catalog's words for one and for many, e.g. "generation" / "generations".
    pub unit: String,
    pub units: String,
    /// When what is left comes back.
    pub renewal: Renewal,
}

/// When a feature's allowance comes back, as the UI says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Renewal {
    /// At 00:00 UTC.
    Day,
    /// On the billing anchor.
    Month,
    /// Never: a guest's allowance is all there is.
    Never,
    /// A count of things held: freed by removing one.
    Held,
    /// A flag or a setting: nothing is spent.
    NotSpent,
}

impl Renewal {
    /// The words after "You have 3 generations left …".
    pub fn words(self) -> &'static str {
        match self {
            Renewal::Day => "today",
            Renewal::Month => "this month",
            Renewal::Never => "to try",
            Renewal::Held => "on your plan",
            Renewal::NotSpent => "",
        }
    }
}

impl FeatureUsage {
    /// "generation" for one, "generations" otherwise.
    pub fn units_for(&self, n: u64) -> &str {
        if n == 1 {
            &self.unit
        } else {
            &self.units
        }
    }
}

impl UsageSummary {
    pub fn feature(&self, id: &FeatureId) -> Option<&FeatureUsage> {
        self.features.get(id)
    }
}
