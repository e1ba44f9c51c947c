//! Whether an account may move to another plan: a downgrade is refused while it holds more
//! live things than the target plan allows, with a sentence naming what to remove.

use super::catalog::{Catalog, Entitlement, FeatureId, FeatureKind, PlanId};

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
}
