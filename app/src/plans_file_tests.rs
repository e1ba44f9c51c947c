use super::*;
use crate::domain::describe::plan_lines;

const SHIPPED: &str = include_str!("../../plans.toml");

fn error_of(source: &str) -> (usize, String) {
    parse(source).expect_err("the catalog should be refused")
}

/// The shipped catalog with one line replaced, to break exactly one thing.
fn shipped_with(from: &str, to: &str) -> String {
    assert!(
        SHIPPED.contains(from),
        "test edits a line that is not in plans.toml: {from}"
    );
    SHIPPED.replacen(from, to, 1)
}

fn line_number_of(source: &str, needle: &str) -> usize {
    line_of(source, source.find(needle).expect("needle in source"))
}

#[test]
fn the_shipped_catalog_has_the_three_plans_of_the_product() {
    let catalog = parse(SHIPPED).expect("plans.toml is valid");
    let names: Vec<_> = catalog
        .plans
        .iter()
        .map(|p| (p.name.as_str(), p.monthly_price.to_string()))
        .collect();
    assert_eq!(
        names,
        [
            ("Free", "$0".to_string()),
            ("Pro", "$19".to_string()),
            ("Team", "$49".to_string())
        ]
    );
    assert_eq!(catalog.best_yearly_saving_percent(), Some(20));
    assert_eq!(catalog.guest.total, 5);
    assert_eq!(catalog.credit_packs[0].price.to_string(), "$5");
}

#[test]
fn the_shipped_catalog_reads_in_plain_words() {
    let catalog = parse(SHIPPED).unwrap();
    let lines = |id: &str| -> Vec<String> {
        let plan = catalog.plan(&PlanId::parse(id).unwrap()).unwrap();
        plan_lines(&catalog, plan)
            .into_iter()
            .map(|l| l.text)
            .collect()
    };
    assert!(lines("free").contains(&"10 generations per day".to_string()));
    assert!(lines("pro").contains(&"100 generations per day".to_string()));
    assert!(lines("team").contains(&"Unlimited generations".to_string()));
    assert!(lines("team").contains(&"Up to 10 team members".to_string()));
    assert!(lines("free").contains(&"500 tokens per generation".to_string()));
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let source = shipped_with(
        "tagline = \"For people who write every day.\"",
        "tagline = \"unterminated",
    );
    let (line, message) = error_of(&source);
    assert_eq!(line, line_number_of(&source, "tagline = \"unterminated"));
    assert!(!message.is_empty());
}

#[test]
fn an_unknown_field_is_refused_at_its_line() {
    let source = shipped_with("trial_days = 7\nhighlighted", "trial_dayz = 7\nhighlighted");
    let (line, message) = error_of(&source);
    assert_eq!(line, line_number_of(&source, "trial_dayz"));
    assert!(message.contains("trial_dayz"), "{message}");
}

#[test]
fn a_limit_of_the_wrong_kind_names_plan_and_feature() {
    let source = shipped_with("pro_tutors = true", "pro_tutors = 3");
    let (_, message) = error_of(&source);
    assert!(
        message.contains("plan `pro` sets `pro_tutors` to 3"),
        "{message}"
    );
    assert!(message.contains("true or false"), "{message}");
}

#[test]
fn a_missing_limit_is_refused() {
    let source = shipped_with("max_tokens = 2000\n", "");
    let (line, message) = error_of(&source);
    assert_eq!(message, "plan `pro` does not set `max_tokens`");
    assert!(line > line_number_of(&source, "id = \"pro\""));
}

#[test]
fn a_limit_for_an_unknown_feature_is_refused() {
    let (_, message) = error_of(&shipped_with("members = 10", "members = 10\nseats = 3"));
    assert_eq!(
        message,
        "plan `team` sets `seats`, which is not a feature of the catalog"
    );
}

#[test]
fn unlimited_must_be_spelled_out() {
    let (_, message) = error_of(&shipped_with(
        "generations = \"unlimited\"",
        "generations = \"infinite\"",
    ));
    assert!(message.contains("\"unlimited\""), "{message}");
}

#[test]
fn a_yearly_price_above_twelve_months_is_refused() {
    let source = shipped_with("yearly_price_cents = 18240", "yearly_price_cents = 30000");
    let (line, message) = error_of(&source);
    assert_eq!(line, line_number_of(&source, "yearly_price_cents = 30000"));
    assert!(message.contains("$300"), "{message}");
}

#[test]
fn duplicate_plan_ids_are_refused() {
    let (_, message) = error_of(&shipped_with("id = \"team\"", "id = \"pro\""));
    assert_eq!(message, "plan `pro` is defined twice");
}

#[test]
fn a_catalog_without_free_is_refused() {
    let (_, message) = error_of(&shipped_with("id = \"free\"", "id = \"starter\""));
    assert!(message.contains("\"free\""), "{message}");
}

#[test]
fn metered_features_need_a_known_period() {
    let (_, message) = error_of(&shipped_with("period = \"day\"", "period = \"week\""));
    assert!(message.contains("period `week`"), "{message}");
}

#[test]
fn a_credit_pack_for_a_non_metered_feature_is_refused() {
    let (_, message) = error_of(&shipped_with(
        "feature = \"generations\"\ncredits = 100",
        "feature = \"pro_tutors\"\ncredits = 100",
    ));
    assert!(message.contains("not a metered feature"), "{message}");
}

#[test]
fn load_prefixes_errors_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plans.toml");
    std::fs::write(&path, shipped_with("pro_tutors = true", "pro_tutors = 3")).unwrap();
    let err = load(&path).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}:", path.display())), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_missing_file_is_reported_by_name() {
    let err = load(Path::new("/nonexistent/plans.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("/nonexistent/plans.toml: cannot read"),
        "{err}"
    );
}

/// The domain's unit tests run against `domain::fixture::catalog()`; it must say what
/// `plans.toml` says about everything it holds (the fixture leaves out display-only fields
/// and features its tests do not use), or those tests prove rules for a product nobody ships.
#[test]
fn the_unit_test_fixture_is_the_shipped_catalog() {
    let shipped = parse(SHIPPED).expect("plans.toml is valid");
    let fixture = crate::domain::fixture::catalog();
    assert_eq!(fixture.currency, shipped.currency);
    assert_eq!(fixture.guest, shipped.guest);
    for pack in &fixture.credit_packs {
        assert_eq!(
            Some(pack),
            shipped.credit_pack(&pack.id),
            "credit pack {}",
            pack.id
        );
    }
    for feature in &fixture.features {
        let theirs = shipped
            .feature(&feature.id)
            .unwrap_or_else(|| panic!("plans.toml has no feature {}", feature.id));
        let words =
            |f: &crate::domain::Feature| (f.kind, f.name.clone(), f.unit.clone(), f.units.clone());
        assert_eq!(words(feature), words(theirs), "feature {}", feature.id);
    }
    let ids =
        |plans: &[crate::domain::Plan]| plans.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(&fixture.plans),
        ids(&shipped.plans),
        "the same plans, in order"
    );
    for (ours, theirs) in fixture.plans.iter().zip(&shipped.plans) {
        assert_eq!(
            (
                &ours.name,
                ours.monthly_price,
                ours.yearly_price,
                ours.trial_days
            ),
            (
                &theirs.name,
                theirs.monthly_price,
                theirs.yearly_price,
                theirs.trial_days
            ),
            "plan {}",
            ours.id
        );
        assert_eq!(ours.price_keys, theirs.price_keys, "plan {}", ours.id);
        for (feature, entitlement) in &ours.entitlements {
            assert_eq!(
                Some(*entitlement),
                theirs.entitlement(feature),
                "plan {} feature {feature}",
                ours.id
            );
        }
    }
}

#[test]
fn a_paid_plan_without_lookup_keys_is_refused_with_what_to_add() {
    let source = shipped_with("monthly_lookup_key = \"pro_monthly\"\n", "");
    let (_, message) = error_of(&source);
    assert!(
        message.contains(
            "plan `pro` is paid, so it needs `monthly_lookup_key` and `yearly_lookup_key`"
        ),
        "{message}"
    );
}

#[test]
fn a_lookup_key_names_one_price() {
    let source = shipped_with(
        "lookup_key = \"generations_500\"",
        "lookup_key = \"pro_monthly\"",
    );
    let (line, message) = error_of(&source);
    assert!(
        message.contains("lookup key `pro_monthly` is used twice"),
        "{message}"
    );
    let second_use = source.rfind("lookup_key = \"pro_monthly\"").unwrap();
    assert_eq!(line, line_of(&source, second_use));
}

#[test]
fn a_credit_pack_needs_a_lookup_key_and_a_free_plan_has_none() {
    let (_, message) = error_of(&shipped_with("lookup_key = \"generations_100\"\n", ""));
    assert!(
        message.contains("credit pack `generations_100` needs `lookup_key`"),
        "{message}"
    );
    let source = shipped_with(
        "yearly_price_cents = 0\n",
        "yearly_price_cents = 0\nmonthly_lookup_key = \"free_monthly\"\n",
    );
    let (_, message) = error_of(&source);
    assert!(
        message.contains("plan `free` is free, so it has no lookup keys"),
        "{message}"
    );
}

#[test]
fn every_shipped_price_finds_its_way_back() {
    let catalog = parse(SHIPPED).unwrap();
    for plan in catalog.plans.iter().filter(|p| !p.is_free()) {
        for interval in [
            crate::domain::BillingInterval::Monthly,
            crate::domain::BillingInterval::Yearly,
        ] {
            let key = plan.price_key(interval).expect("a paid plan has both keys");
            assert_eq!(
                catalog.price(key.as_str()),
                Some(crate::domain::CatalogPrice::Plan { plan, interval })
            );
        }
    }
    for pack in &catalog.credit_packs {
        assert_eq!(
            catalog.price(pack.price_key.as_str()),
            Some(crate::domain::CatalogPrice::Pack(pack))
        );
    }
}
