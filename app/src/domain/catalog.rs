//! The plan catalog: which features exist, which plans grant how much of each, what they cost.
//!
//! Values of these types are only built by `crate::plans_file` (which validates a whole
//! `plans.toml`) or by tests, so every `Catalog` the app sees is consistent: each plan has an
//! entitlement of the right kind for every feature, ids are unique, a `free` plan exists.

use super::money::Money;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Accepts 1–40 characters of `a-z`, `0-9` and `_`, starting with a letter: ids end up
            /// in URLs, Stripe lookup keys and SQL rows, so they must stay boring.
            pub fn parse(raw: &str) -> Result<Self, CatalogError> {
                let ok = !raw.is_empty()
                    && raw.len() <= 40
                    && raw.starts_with(|c: char| c.is_ascii_lowercase())
                    && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if ok {
                    Ok(Self(raw.to_owned()))
                } else {
                    Err(CatalogError(format!(
                        "{} id `{raw}` must be lowercase letters, digits or `_`, start with a letter, at most 40 characters",
                        $what
                    )))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_id!(
    /// Names a feature of the catalog, e.g. `generations`.
    FeatureId,
    "feature"
);
slug_id!(
    /// Names a plan of the catalog, e.g. `pro`.
    PlanId,
    "plan"
);

/// The billing provider's name for one price (Stripe's `lookup_key`), written in `plans.toml`:
/// how a plan and interval, or a credit pack, find their price at the provider and how a
/// provider's subscription finds its plan again — never guessed from amounts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PriceKey(String);

impl PriceKey {
    /// 1–200 visible ASCII characters (Stripe's limit), no spaces.
    pub fn parse(raw: &str) -> Result<Self, CatalogError> {
        if !raw.is_empty() && raw.len() <= 200 && raw.chars().all(|c| c.is_ascii_graphic()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(CatalogError(format!(
                "lookup key `{raw}` must be 1–200 letters, digits or punctuation, without spaces"
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PriceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A paid plan's two prices at the billing provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPriceKeys {
    pub monthly: PriceKey,
    pub yearly: PriceKey,
}

/// What one of the catalog's price keys sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogPrice<'a> {
    Plan {
        plan: &'a Plan,
        interval: BillingInterval,
    },
    Pack(&'a CreditPack),
}

impl PlanId {
    /// The plan every account has without a subscription.
    pub fn free() -> Self {
        Self("free".to_owned())
    }
}

/// A rule the catalog breaks, in words a designer editing `plans.toml` can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CatalogError(pub String);

/// When a metered allowance starts again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Resets at 00:00 UTC.
    Day,
    /// Resets on the subscription's billing anchor (the calendar month for Free).
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Month => "month",
        }
    }
}

/// How a feature is limited; decides which entitlement values a plan may give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum FeatureKind {
    /// On or off for the plan (e.g. `pro_tutors`).
    Boolean,
    /// Spent per use, allowance renewed each period (e.g. `generations` per day).
    Metered { period: Period },
    /// A number of live things the account may hold at once (e.g. `tracked_accounts`).
    Count,
    /// A numeric setting of the plan, not spent (e.g. `max_tokens`).
    Number,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feature {
    pub id: FeatureId,
    pub kind: FeatureKind,
    /// Display name, e.g. "Pro tutors".
    pub name: String,
    /// Singular unit, e.g. "generation".
    pub unit: String,
    /// Plural unit, e.g. "generations" (given, not guessed: English plurals are irregular).
    pub units: String,
    /// Optional words after the amount, e.g. "per generation" for `max_tokens`.
    pub suffix: Option<String>,
}

impl Feature {
    /// "generation" for one, "generations" otherwise.
    pub fn units_for(&self, n: u64) -> &str {
        if n == 1 {
            &self.unit
        } else {
            &self.units
        }
    }
}

/// What a plan grants of one feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "type", content = "value")]
pub enum Entitlement {
    /// For boolean features.
    Flag(bool),
    /// An amount: the allowance per period, the maximum count, or the setting's value.
    Limit(u64),
    /// No limit at all.
    Unlimited,
}

impl Entitlement {
    /// Whether this entitlement is valid for a feature of `kind`.
    pub fn fits(self, kind: FeatureKind) -> bool {
        matches!(
            (kind, self),
            (FeatureKind::Boolean, Entitlement::Flag(_))
                | (
                    FeatureKind::Metered { .. } | FeatureKind::Count,
                    Entitlement::Limit(_) | Entitlement::Unlimited
                )
                | (FeatureKind::Number, Entitlement::Limit(_))
        )
    }
}

/// Monthly or yearly billing, as chosen on the pricing page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BillingInterval {
    #[default]
    Monthly,
    Yearly,
}

impl BillingInterval {
    /// Reads the `?billing=` query value; anything unknown falls back to monthly, because a
    /// mistyped link should still show prices rather than an error.
    pub fn from_query(raw: Option<&str>) -> Self {
        match raw {
            Some("yearly") => BillingInterval::Yearly,
            _ => BillingInterval::Monthly,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BillingInterval::Monthly => "monthly",
            BillingInterval::Yearly => "yearly",
        }
    }

    /// The stored value back (`as_str`); `None` for anything else, so a bad row is visible.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "monthly" => Some(BillingInterval::Monthly),
            "yearly" => Some(BillingInterval::Yearly),
            _ => None,
        }
    }

    /// The word after "every" / "per": "month" or "year".
    pub fn unit(self) -> &'static str {
        match self {
            BillingInterval::Monthly => "month",
            BillingInterval::Yearly => "year",
        }
    }

    /// How many calendar months one billing period lasts.
    pub fn months(self) -> u32 {
        match self {
            BillingInterval::Monthly => 1,
            BillingInterval::Yearly => 12,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub name: String,
    pub tagline: String,
    pub monthly_price: Money,
    pub yearly_price: Money,
    /// Days of free trial when subscribing; 0 means no trial.
    pub trial_days: u32,
    /// Shown as "Most popular" on the pricing page.
    pub highlighted: bool,
    /// One entry per catalog feature, in the catalog's feature order.
    pub entitlements: Vec<(FeatureId, Entitlement)>,
    /// The provider's prices; `None` for a free plan (nothing to pay).
    pub price_keys: Option<PlanPriceKeys>,
}

impl Plan {
    pub fn price(&self, interval: BillingInterval) -> Money {
        match interval {
            BillingInterval::Monthly => self.monthly_price,
            BillingInterval::Yearly => self.yearly_price,
        }
    }

    /// The provider's price for paying `interval`; `None` for a free plan.
    pub fn price_key(&self, interval: BillingInterval) -> Option<&PriceKey> {
        self.price_keys.as_ref().map(|keys| match interval {
            BillingInterval::Monthly => &keys.monthly,
            BillingInterval::Yearly => &keys.yearly,
        })
    }

    pub fn is_free(&self) -> bool {
        self.monthly_price.cents == 0 && self.yearly_price.cents == 0
    }

    /// The whole-percent saving of paying yearly instead of twelve months.
    pub fn yearly_saving_percent(&self) -> Option<u64> {
        self.yearly_price
            .saving_percent_against(Money::from_cents(self.monthly_price.cents * 12))
    }

    pub fn entitlement(&self, feature: &FeatureId) -> Option<Entitlement> {
        self.entitlements
            .iter()
            .find(|(id, _)| id == feature)
            .map(|(_, e)| *e)
    }
}

/// A one-off purchase that adds credits of one metered feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditPack {
    pub id: String,
    pub name: String,
    pub feature: FeatureId,
    pub credits: u64,
    pub price: Money,
    /// The provider's one-off price.
    pub price_key: PriceKey,
}

/// What visitors who are not signed in may use, in total (not per period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestAllowance {
    pub feature: FeatureId,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// ISO currency code of every price, e.g. "usd".
    pub currency: String,
    pub features: Vec<Feature>,
    /// In display order, cheapest first.
    pub plans: Vec<Plan>,
    pub credit_packs: Vec<CreditPack>,
    pub guest: GuestAllowance,
    /// Days a past-due subscription keeps its plan (`BILLING_GRACE_DAYS`, default 7).
    pub past_due_grace_days: u32,
}

impl Catalog {
    pub fn plan(&self, id: &PlanId) -> Option<&Plan> {
        self.plans.iter().find(|p| &p.id == id)
    }

    pub fn feature(&self, id: &FeatureId) -> Option<&Feature> {
        self.features.iter().find(|f| &f.id == id)
    }

    /// "generations" for `n` of feature `id` (its id, for a feature the catalog lost).
    pub fn units_for(&self, id: &FeatureId, n: u64) -> String {
        self.feature(id)
            .map_or_else(|| id.to_string(), |f| f.units_for(n).to_owned())
    }

    pub fn credit_pack(&self, id: &str) -> Option<&CreditPack> {
        self.credit_packs.iter().find(|p| p.id == id)
    }

    /// What the provider's price `key` sells; `None` for a price this catalog does not name.
    pub fn price(&self, key: &str) -> Option<CatalogPrice<'_>> {
        let plans = self.plans.iter().flat_map(|plan| {
            [BillingInterval::Monthly, BillingInterval::Yearly]
                .into_iter()
                .filter(move |interval| {
                    plan.price_key(*interval).map(PriceKey::as_str) == Some(key)
                })
                .map(move |interval| CatalogPrice::Plan { plan, interval })
        });
        let packs = self
            .credit_packs
            .iter()
            .filter(|pack| pack.price_key.as_str() == key)
            .map(CatalogPrice::Pack);
        plans.chain(packs).next()
    }

    /// The best yearly saving of any paid plan, for the toggle's "Save 20%" label.
    pub fn best_yearly_saving_percent(&self) -> Option<u64> {
        self.plans
            .iter()
            .filter_map(Plan::yearly_saving_percent)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accept_snake_case_slugs() {
        assert_eq!(
            FeatureId::parse("tracked_accounts").unwrap().as_str(),
            "tracked_accounts"
        );
        assert_eq!(PlanId::parse("pro2").unwrap().to_string(), "pro2");
    }

    #[test]
    fn ids_reject_what_would_break_urls_or_keys() {
        for bad in ["", "Pro", "2pro", "pro plan", "pro-plan", &"a".repeat(41)] {
            let err = PlanId::parse(bad).unwrap_err();
            assert!(err.0.contains("plan id"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn entitlements_fit_only_their_feature_kind() {
        let metered = FeatureKind::Metered {
            period: Period::Day,
        };
        assert!(Entitlement::Flag(true).fits(FeatureKind::Boolean));
        assert!(!Entitlement::Limit(1).fits(FeatureKind::Boolean));
        assert!(Entitlement::Limit(10).fits(metered));
        assert!(Entitlement::Unlimited.fits(metered));
        assert!(!Entitlement::Flag(true).fits(metered));
        assert!(Entitlement::Unlimited.fits(FeatureKind::Count));
        assert!(Entitlement::Limit(500).fits(FeatureKind::Number));
        assert!(!Entitlement::Unlimited.fits(FeatureKind::Number));
    }

    #[test]
    fn a_price_key_finds_its_plan_and_interval_or_its_pack() {
        let catalog = crate::domain::fixture::catalog();
        match catalog.price("pro_yearly") {
            Some(CatalogPrice::Plan { plan, interval }) => {
                assert_eq!(
                    (plan.id.as_str(), interval),
                    ("pro", BillingInterval::Yearly)
                )
            }
            other => panic!("{other:?}"),
        }
        match catalog.price("generations_100") {
            Some(CatalogPrice::Pack(pack)) => assert_eq!(pack.credits, 100),
            other => panic!("{other:?}"),
        }
        assert_eq!(catalog.price("pro"), None);
        assert_eq!(catalog.price(""), None);
    }

    #[test]
    fn price_keys_are_visible_ascii_without_spaces() {
        assert!(PriceKey::parse("pro_monthly-2024.v2").is_ok());
        for bad in ["", "pro monthly", "prö", &"k".repeat(201)] {
            assert!(PriceKey::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn billing_interval_reads_the_query_and_defaults_to_monthly() {
        assert_eq!(
            BillingInterval::from_query(Some("yearly")),
            BillingInterval::Yearly
        );
        assert_eq!(
            BillingInterval::from_query(Some("monthly")),
            BillingInterval::Monthly
        );
        assert_eq!(
            BillingInterval::from_query(Some("weekly")),
            BillingInterval::Monthly
        );
        assert_eq!(BillingInterval::from_query(None), BillingInterval::Monthly);
    }

    #[test]
    fn yearly_saving_compares_against_twelve_months() {
        let plan = Plan {
            id: PlanId::parse("pro").unwrap(),
            name: "Pro".into(),
            tagline: String::new(),
            monthly_price: Money::from_cents(1900),
            yearly_price: Money::from_cents(18240),
            trial_days: 7,
            highlighted: true,
            entitlements: vec![],
            price_keys: None,
        };
        assert_eq!(plan.yearly_saving_percent(), Some(20));
        assert_eq!(
            plan.price(BillingInterval::Yearly),
            Money::from_cents(18240)
        );
        assert!(!plan.is_free());
    }
}
