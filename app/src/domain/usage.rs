//! The usage summary: what `GET /api/usage` returns and the UI shows (credit counter, badges,
//! the out-of-credits modal). Field names are the contract of ARCHITECTURE §7.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageSummary {
    /// Plan id in use now (`guest` when not signed in).
    pub plan: String,
    pub plan_name: String,
    /// Subscription status (`active` without a subscription, `guest` when not signed in).
    pub status: String,
    /// By feature id.
    pub features: BTreeMap<String, FeatureUsage>,
    /// Credit balance over all features.
    pub credits: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeatureUsage {
    /// Used in the current window (metered) or held now (count).
    pub used: u64,
    /// The plan's limit or setting; `null` when unlimited or on/off.
    pub limit: Option<u64>,
    /// Left now, credits included; `null` when unlimited.
    pub remaining: Option<u64>,
    /// ISO-8601 UTC; `null` when it never renews.
    pub resets_at: Option<String>,
    /// Whether one more use would be allowed now.
    pub allowed: bool,
    /// Why not, in words, when not allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The plan to offer when not allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_to: Option<String>,
}

impl UsageSummary {
    pub fn feature(&self, id: &str) -> Option<&FeatureUsage> {
        self.features.get(id)
    }
}
