//! The usage summary the UI shows (credit counter, badges, the out-of-credits modal), with each
//! feature's unit words and renewal taken from the catalog, so no page re-types them.
//! `GET /api/usage` sends its contract fields (ARCHITECTURE §7) through `api::wire::UsageJson`.

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
    pub fn feature(&self, id: &str) -> Option<&FeatureUsage> {
        self.features.get(id)
    }
}
