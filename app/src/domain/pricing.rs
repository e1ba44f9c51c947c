//! The pricing table as people read it, worded from the catalog once, on the server: the page
//! only picks the interval. The browser then needs neither the catalog's types nor the wording
//! rules (a smaller first wasm file), and the server renders and sends less.

use super::catalog::{BillingInterval, Catalog, FeatureId, Plan, PlanId};
use super::describe::{plan_lines, FeatureLine};
use serde::{Deserialize, Serialize};

/// Everything `/pricing` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingTable {
    pub plans: Vec<PlanOffer>,
    /// The largest whole-percent saving of paying yearly, for the interval toggle.
    pub best_yearly_saving: Option<u64>,
    /// One per credit pack.
    pub credit_packs: Vec<PackOffer>,
    /// "No account yet? Try 5 generations without signing up."
    pub guest_offer: String,
}

/// A credit pack as offered: "100 generations: $5", bought with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackOffer {
    pub id: String,
    pub text: String,
}

impl PackOffer {
    fn of(pack: &super::catalog::CreditPack) -> Self {
        PackOffer {
            id: pack.id.clone(),
            text: format!("{}: {}", pack.name, pack.price),
        }
    }
}

/// One plan's column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOffer {
    pub id: PlanId,
    pub name: String,
    pub tagline: String,
    /// Shown as "Most popular".
    pub highlighted: bool,
    /// The call to action: "Start for free", "Start 14-day free trial", "Get Team".
    pub action: String,
    /// Bought through checkout; a free plan's action is only signing up.
    pub paid: bool,
    pub monthly: PriceText,
    pub yearly: PriceText,
    pub lines: Vec<FeatureLine>,
}

/// A price as shown: "$19" "/month", and the note below it ("Billed monthly").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceText {
    pub amount: String,
    pub per: String,
    pub note: String,
}

impl PricingTable {
    pub fn from_catalog(catalog: &Catalog) -> Self {
        let guest_units = catalog
            .feature(&catalog.guest.feature)
            .map(|f| f.units.as_str())
            .unwrap_or_default();
        Self {
            plans: catalog
                .plans
                .iter()
                .map(|plan| PlanOffer {
                    id: plan.id.clone(),
                    name: plan.name.clone(),
                    tagline: plan.tagline.clone(),
                    highlighted: plan.highlighted,
                    action: action(plan),
                    paid: !plan.is_free(),
                    monthly: price_text(plan, BillingInterval::Monthly),
                    yearly: price_text(plan, BillingInterval::Yearly),
                    lines: plan_lines(catalog, plan),
                })
                .collect(),
            best_yearly_saving: catalog.best_yearly_saving_percent(),
            credit_packs: catalog.credit_packs.iter().map(PackOffer::of).collect(),
            guest_offer: format!(
                "No account yet? Try {} {guest_units} without signing up.",
                catalog.guest.total
            ),
        }
    }
}

fn action(plan: &Plan) -> String {
    if plan.is_free() {
        "Start for free".to_owned()
    } else if plan.trial_days > 0 {
        format!("Start {}-day free trial", plan.trial_days)
    } else {
        format!("Get {}", plan.name)
    }
}

fn price_text(plan: &Plan, interval: BillingInterval) -> PriceText {
    let per = "/month".to_owned();
    if plan.is_free() {
        return PriceText {
            amount: "$0".into(),
            per,
            note: "Free forever".into(),
        };
    }
    match interval {
        BillingInterval::Monthly => PriceText {
            amount: plan.monthly_price.to_string(),
            per,
            note: "Billed monthly".into(),
        },
        BillingInterval::Yearly => PriceText {
            amount: plan.yearly_price.per_month_of_year().to_string(),
            per,
            note: format!("{} billed yearly", plan.yearly_price),
        },
    }
}

/// The ways on when a feature runs out, as the out-of-credits modal offers them: the plan that
/// gives more of it (straight into its checkout) and the credit packs of that feature.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaysOn {
    pub upgrade: Option<UpgradeOffer>,
    pub packs: Vec<PackOffer>,
}

/// "Upgrade to Pro · $19 a month".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradeOffer {
    pub plan: PlanId,
    pub name: String,
    /// "$19 a month"
    pub price: String,
}

impl WaysOn {
    /// For `feature`, whose better plan (the access decision's `upgrade_to`) is `upgrade_to`.
    pub fn from_catalog(
        catalog: &Catalog,
        feature: &FeatureId,
        upgrade_to: Option<&PlanId>,
    ) -> Self {
        let upgrade = upgrade_to
            .and_then(|id| catalog.plan(id))
            .filter(|plan| !plan.is_free())
            .map(|plan| UpgradeOffer {
                plan: plan.id.clone(),
                name: plan.name.clone(),
                price: format!("{} a month", plan.price(BillingInterval::Monthly)),
            });
        let packs = catalog
            .credit_packs
            .iter()
            .filter(|pack| &pack.feature == feature)
            .map(PackOffer::of)
            .collect();
        WaysOn { upgrade, packs }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixture;

    #[test]
    fn the_shipped_plans_read_as_the_pricing_page_shows_them() {
        let table = PricingTable::from_catalog(&fixture::catalog());
        let plan = |id: &str| {
            table
                .plans
                .iter()
                .find(|p| p.id.as_str() == id)
                .expect("plan")
        };
        let free = plan("free");
        assert_eq!(free.action, "Start for free");
        assert_eq!(free.yearly.amount, "$0");
        assert_eq!(free.yearly.note, "Free forever");
        let pro = plan("pro");
        assert_eq!(pro.monthly.amount, "$19");
        assert_eq!(pro.monthly.note, "Billed monthly");
        assert_eq!(pro.yearly.per, "/month");
        assert!(
            pro.yearly.note.ends_with("billed yearly"),
            "{:?}",
            pro.yearly
        );
        assert!(pro
            .lines
            .iter()
            .any(|l| l.text == "100 generations per day"));
        assert_eq!(table.best_yearly_saving, Some(20));
        assert!(table.guest_offer.starts_with("No account yet? Try "));
    }

    #[test]
    fn out_of_generations_offers_the_better_plan_and_the_feature_s_own_packs() {
        let catalog = fixture::catalog();
        let generations = FeatureId::parse("generations").expect("id");
        let pro = PlanId::parse("pro").expect("id");
        let ways = WaysOn::from_catalog(&catalog, &generations, Some(&pro));
        let upgrade = ways.upgrade.expect("an upgrade");
        assert_eq!(
            (upgrade.name.as_str(), upgrade.price.as_str()),
            ("Pro", "$19 a month")
        );
        assert!(ways.packs.iter().all(|p| catalog
            .credit_pack(&p.id)
            .is_some_and(|c| c.feature == generations)));
        let free = PlanId::parse("free").expect("id");
        assert_eq!(
            WaysOn::from_catalog(&catalog, &generations, Some(&free)).upgrade,
            None,
            "a free plan is never an upgrade"
        );
        assert_eq!(
            WaysOn::from_catalog(&catalog, &generations, None).upgrade,
            None
        );
    }
}
