//! Plan limits in the words people read on a pricing page: "10 generations per day",
//! "Unlimited generations", "Pro tutors".

use super::catalog::{Catalog, Entitlement, Feature, FeatureKind, Plan};
use serde::{Deserialize, Serialize};

/// One line of a plan's feature list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureLine {
    pub text: String,
    /// `false` for a boolean feature the plan lacks: shown struck through, so the difference
    /// between plans is visible at a glance.
    pub included: bool,
}

/// Describes what `entitlement` gives of `feature`.
pub fn describe(feature: &Feature, entitlement: Entitlement) -> FeatureLine {
    let amount = |n: u64| feature.units_for(n);
    let with_suffix = |text: String| match &feature.suffix {
        Some(suffix) => format!("{text} {suffix}"),
        None => text,
    };
    let (text, included) = match (feature.kind, entitlement) {
        (FeatureKind::Boolean, Entitlement::Flag(on)) => (feature.name.clone(), on),
        (_, Entitlement::Unlimited) => (with_suffix(format!("Unlimited {}", feature.units)), true),
        (FeatureKind::Metered { period }, Entitlement::Limit(n)) => (
            with_suffix(format!("{n} {} per {}", amount(n), period.as_str())),
            true,
        ),
        (FeatureKind::Count, Entitlement::Limit(1)) => {
            (with_suffix(format!("1 {}", feature.unit)), true)
        }
        (FeatureKind::Count, Entitlement::Limit(n)) => {
            (with_suffix(format!("Up to {n} {}", amount(n))), true)
        }
        (_, Entitlement::Limit(n)) => (with_suffix(format!("{n} {}", amount(n))), n > 0),
        // A flag on a non-boolean feature cannot come out of `plans_file`; read it as on/off.
        (_, Entitlement::Flag(on)) => (feature.name.clone(), on),
    };
    FeatureLine { text, included }
}

/// Every feature line of `plan`, in the catalog's feature order.
pub fn plan_lines(catalog: &Catalog, plan: &Plan) -> Vec<FeatureLine> {
    catalog
        .features
        .iter()
        .filter_map(|feature| plan.entitlement(&feature.id).map(|e| describe(feature, e)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::{FeatureId, Period};

    fn feature(
        id: &str,
        kind: FeatureKind,
        name: &str,
        unit: &str,
        units: &str,
        suffix: Option<&str>,
    ) -> Feature {
        Feature {
            id: FeatureId::parse(id).unwrap(),
            kind,
            name: name.into(),
            unit: unit.into(),
            units: units.into(),
            suffix: suffix.map(Into::into),
        }
    }

    fn generations() -> Feature {
        feature(
            "generations",
            FeatureKind::Metered {
                period: Period::Day,
            },
            "Generations",
            "generation",
            "generations",
            None,
        )
    }

    #[test]
    fn metered_limits_name_their_period() {
        assert_eq!(
            describe(&generations(), Entitlement::Limit(10)).text,
            "10 generations per day"
        );
        assert_eq!(
            describe(&generations(), Entitlement::Limit(1)).text,
            "1 generation per day"
        );
        let tutors = feature(
            "tutor_sessions",
            FeatureKind::Metered {
                period: Period::Month,
            },
            "Tutor sessions",
            "tutor session",
            "tutor sessions",
            None,
        );
        assert_eq!(
            describe(&tutors, Entitlement::Limit(3)).text,
            "3 tutor sessions per month"
        );
    }

    #[test]
    fn unlimited_reads_as_unlimited() {
        let line = describe(&generations(), Entitlement::Unlimited);
        assert_eq!(
            line,
            FeatureLine {
                text: "Unlimited generations".into(),
                included: true
            }
        );
    }

    #[test]
    fn counts_read_as_a_maximum() {
        let accounts = feature(
            "tracked_accounts",
            FeatureKind::Count,
            "Tracked accounts",
            "tracked account",
            "tracked accounts",
            None,
        );
        assert_eq!(
            describe(&accounts, Entitlement::Limit(3)).text,
            "Up to 3 tracked accounts"
        );
        let members = feature(
            "members",
            FeatureKind::Count,
            "Members",
            "team member",
            "team members",
            None,
        );
        assert_eq!(
            describe(&members, Entitlement::Limit(1)).text,
            "1 team member"
        );
        assert_eq!(
            describe(&members, Entitlement::Limit(10)).text,
            "Up to 10 team members"
        );
    }

    #[test]
    fn numbers_carry_their_suffix() {
        let tokens = feature(
            "max_tokens",
            FeatureKind::Number,
            "Max tokens",
            "token",
            "tokens",
            Some("per generation"),
        );
        assert_eq!(
            describe(&tokens, Entitlement::Limit(500)).text,
            "500 tokens per generation"
        );
    }

    #[test]
    fn booleans_show_their_name_and_whether_included() {
        let pro = feature(
            "pro_tutors",
            FeatureKind::Boolean,
            "Pro tutors",
            "",
            "",
            None,
        );
        assert_eq!(
            describe(&pro, Entitlement::Flag(true)),
            FeatureLine {
                text: "Pro tutors".into(),
                included: true
            }
        );
        assert_eq!(
            describe(&pro, Entitlement::Flag(false)),
            FeatureLine {
                text: "Pro tutors".into(),
                included: false
            }
        );
    }
}
