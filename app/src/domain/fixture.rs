//! The default catalog of `plans.toml`, built by hand for the domain's unit tests (the file
//! loader is server-only). `plans_file_tests::the_unit_test_fixture_is_the_shipped_catalog`
//! holds it to `plans.toml`, so the domain is never tested against a catalog nobody ships.

use super::catalog::*;
use super::money::Money;

fn feature(id: &str, kind: FeatureKind, name: &str, [unit, units]: [&str; 2]) -> Feature {
    Feature {
        id: FeatureId::parse(id).unwrap(),
        kind,
        name: name.into(),
        unit: unit.into(),
        units: units.into(),
        suffix: None,
    }
}

fn plan(id: &str, name: &str, cents: u64, limits: [Entitlement; 5]) -> Plan {
    let ids = [
        "generations",
        "tutor_sessions",
        "tracked_accounts",
        "max_tokens",
        "pro_tutors",
    ];
    Plan {
        id: PlanId::parse(id).unwrap(),
        name: name.into(),
        tagline: String::new(),
        monthly_price: Money::from_cents(cents),
        yearly_price: Money::from_cents(cents * 12 * 8 / 10),
        trial_days: if cents > 0 { 7 } else { 0 },
        highlighted: false,
        entitlements: ids
            .iter()
            .map(|id| FeatureId::parse(id).unwrap())
            .zip(limits)
            .collect(),
        price_keys: (cents > 0).then(|| PlanPriceKeys {
            monthly: PriceKey::parse(&format!("{id}_monthly")).unwrap(),
            yearly: PriceKey::parse(&format!("{id}_yearly")).unwrap(),
        }),
    }
}

pub fn catalog() -> Catalog {
    use Entitlement::*;
    Catalog {
        currency: "usd".into(),
        features: vec![
            feature(
                "generations",
                FeatureKind::Metered {
                    period: Period::Day,
                },
                "Generations",
                ["generation", "generations"],
            ),
            feature(
                "tutor_sessions",
                FeatureKind::Metered {
                    period: Period::Month,
                },
                "Tutor sessions",
                ["tutor session", "tutor sessions"],
            ),
            feature(
                "tracked_accounts",
                FeatureKind::Count,
                "Tracked accounts",
                ["tracked account", "tracked accounts"],
            ),
            feature(
                "max_tokens",
                FeatureKind::Number,
                "Maximum length",
                ["token", "tokens"],
            ),
            feature("pro_tutors", FeatureKind::Boolean, "Pro tutors", ["", ""]),
        ],
        plans: vec![
            plan(
                "free",
                "Free",
                0,
                [Limit(10), Limit(3), Limit(3), Limit(500), Flag(false)],
            ),
            plan(
                "pro",
                "Pro",
                1900,
                [Limit(100), Limit(30), Limit(5), Limit(2000), Flag(true)],
            ),
            plan(
                "team",
                "Team",
                4900,
                [Unlimited, Unlimited, Limit(50), Limit(4000), Flag(true)],
            ),
        ],
        credit_packs: vec![CreditPack {
            id: "generations_100".into(),
            name: "100 generations".into(),
            feature: FeatureId::parse("generations").unwrap(),
            credits: 100,
            price: Money::from_cents(500),
            price_key: PriceKey::parse("generations_100").unwrap(),
        }],
        guest: GuestAllowance {
            feature: FeatureId::parse("generations").unwrap(),
            total: 5,
        },
        past_due_grace_days: super::subscription::DEFAULT_GRACE_DAYS,
    }
}

pub fn feature_of(catalog: &Catalog, id: &str) -> Feature {
    catalog
        .feature(&FeatureId::parse(id).unwrap())
        .unwrap()
        .clone()
}
