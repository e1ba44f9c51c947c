//! Whether an account may move to another plan: a downgrade is refused while it holds more
//! live things than the target plan allows, with a sentence naming what to remove.

use super::catalog::{Catalog, Entitlement, FeatureId, FeatureKind, PlanId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DowngradeBlocked {
    /// The feature over the target's limit; `None` when the target plan does not exist.
    pub feature: Option<FeatureId>,
    pub message: String,
}

/// Whether a move to another plan may go ahead (what `Access::can_change_plan` answers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanChange {
    Allowed,
    /// Refused, with the sentence naming what to remove.
    Blocked(DowngradeBlocked),
}

impl From<Result<(), DowngradeBlocked>> for PlanChange {
    fn from(checked: Result<(), DowngradeBlocked>) -> Self {
        match checked {
            Ok(()) => PlanChange::Allowed,
            Err(blocked) => PlanChange::Blocked(blocked),
        }
    }
}

/// `counts` holds the live count of each count feature (missing = 0).
pub fn can_change_plan(
    catalog: &Catalog,
    target: &PlanId,
    counts: &[(FeatureId, u64)],
) -> Result<(), DowngradeBlocked> {
    let Some(plan) = catalog.plan(target) else {
        return Err(DowngradeBlocked {
            feature: None,
            message: format!("There is no plan called `{target}`."),
        });
    };
    for feature in catalog
        .features
        .iter()
        .filter(|f| f.kind == FeatureKind::Count)
    {
        let have = counts
            .iter()
            .find(|(id, _)| id == &feature.id)
            .map_or(0, |(_, n)| *n);
        if let Some(Entitlement::Limit(allowed)) = plan.entitlement(&feature.id) {
            if have > allowed {
                return Err(DowngradeBlocked {
                    feature: Some(feature.id.clone()),
                    message: format!(
                        "You have {have} {}; {} allows {allowed}. Remove {} to switch.",
                        feature.units_for(have),
                        plan.name,
                        have - allowed
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Where a plan of the catalog stands from the viewer's: what its button on /pricing does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanMove {
    /// The plan the viewer is on.
    Current,
    /// Later in the catalog (dearer): always allowed, applies at once.
    Upgrade,
    /// Earlier in the catalog; `blocked` says what to remove first when the account holds more
    /// than the plan allows.
    Downgrade { blocked: Option<String> },
}

/// Every plan of `catalog` as a move from `current`, downgrades checked against `counts` (the
/// live count of each count feature) with the rule of [`can_change_plan`].
pub fn plan_moves(
    catalog: &Catalog,
    current: &PlanId,
    counts: &[(FeatureId, u64)],
) -> Vec<(PlanId, PlanMove)> {
    let at = |id: &PlanId| catalog.plans.iter().position(|p| &p.id == id);
    let here = at(current);
    catalog
        .plans
        .iter()
        .map(|plan| {
            let position = at(&plan.id);
            let step = if &plan.id == current {
                PlanMove::Current
            } else if position > here {
                PlanMove::Upgrade
            } else {
                PlanMove::Downgrade {
                    blocked: can_change_plan(catalog, &plan.id, counts)
                        .err()
                        .map(|b| b.message),
                }
            };
            (plan.id.clone(), step)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixture::catalog;

    fn accounts(n: u64) -> Vec<(FeatureId, u64)> {
        vec![(FeatureId::parse("tracked_accounts").unwrap(), n)]
    }

    #[test]
    fn a_downgrade_that_fits_is_allowed() {
        let c = catalog();
        assert_eq!(can_change_plan(&c, &PlanId::free(), &accounts(3)), Ok(()));
        assert_eq!(can_change_plan(&c, &PlanId::free(), &[]), Ok(()));
    }

    #[test]
    fn a_downgrade_over_the_target_limit_names_what_to_remove() {
        let c = catalog();
        let err = can_change_plan(&c, &PlanId::free(), &accounts(5)).unwrap_err();
        assert_eq!(
            err.message,
            "You have 5 tracked accounts; Free allows 3. Remove 2 to switch."
        );
    }

    #[test]
    fn upgrades_always_fit_and_unknown_plans_are_named() {
        let c = catalog();
        assert_eq!(
            can_change_plan(&c, &PlanId::parse("team").unwrap(), &accounts(5)),
            Ok(())
        );
        let err = can_change_plan(&c, &PlanId::parse("gold").unwrap(), &[]).unwrap_err();
        assert!(err.message.contains("gold"));
    }

    #[test]
    fn each_plan_is_the_current_one_an_upgrade_or_a_downgrade_checked_against_the_usage() {
        let c = catalog();
        let pro = PlanId::parse("pro").unwrap();
        let moves = plan_moves(&c, &pro, &accounts(5));
        let of = |id: &str| {
            moves
                .iter()
                .find(|(p, _)| p.as_str() == id)
                .map(|(_, m)| m.clone())
                .expect("plan")
        };
        assert_eq!(of("pro"), PlanMove::Current);
        assert_eq!(of("team"), PlanMove::Upgrade);
        assert_eq!(
            of("free"),
            PlanMove::Downgrade {
                blocked: Some(
                    "You have 5 tracked accounts; Free allows 3. Remove 2 to switch.".into()
                )
            }
        );
        let fits = plan_moves(&c, &pro, &accounts(1));
        assert!(fits.contains(&(PlanId::free(), PlanMove::Downgrade { blocked: None })));
    }
}
