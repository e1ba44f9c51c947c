//! Reads and validates `plans.toml` into a [`Catalog`].
//!
//! Every problem is reported as `FILE:LINE: what is wrong`, one line, because the person who
//! reads it is a designer who just edited the file and wants to know where to look.

use crate::domain::{
    Catalog, CatalogError, CreditPack, Entitlement, Feature, FeatureId, FeatureKind,
    GuestAllowance, Money, Period, Plan, PlanId, PlanPriceKeys, PriceKey,
};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;
use toml::Spanned;

/// A problem in the catalog file, located by line (1-based) when the file could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlansFileError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for PlansFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for PlansFileError {}

/// Reads the catalog at `path`.
pub fn load(path: &Path) -> Result<Catalog, PlansFileError> {
    let file = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| PlansFileError {
        file: file.clone(),
        line: None,
        message: format!("cannot read the plan catalog: {e}"),
    })?;
    parse(&source).map_err(|(line, message)| PlansFileError {
        file,
        line: Some(line),
        message,
    })
}

/// Parses catalog text; errors are `(line, message)`.
pub fn parse(source: &str) -> Result<Catalog, (usize, String)> {
    let raw: RawFile = toml::from_str(source).map_err(|e| {
        let line = e.span().map(|s| line_of(source, s.start)).unwrap_or(1);
        // toml's messages can span lines; the report must stay one line.
        let message = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        (line, message)
    })?;
    raw.validate()
        .map_err(|(offset, e)| (line_of(source, offset), e.0))
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// A validation failure at a byte offset of the file.
type Located = (usize, CatalogError);

fn at<T>(spanned: &Spanned<T>, message: String) -> Located {
    (spanned.span().start, CatalogError(message))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default = "default_currency")]
    currency: Spanned<String>,
    guest: Spanned<RawGuest>,
    features: Vec<Spanned<RawFeature>>,
    plans: Vec<Spanned<RawPlan>>,
    #[serde(default)]
    credit_packs: Vec<Spanned<RawCreditPack>>,
}

fn default_currency() -> Spanned<String> {
    Spanned::new(0..0, "usd".to_owned())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuest {
    feature: Spanned<String>,
    total: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeature {
    id: Spanned<String>,
    kind: Spanned<String>,
    period: Option<Spanned<String>>,
    name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    units: String,
    suffix: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    tagline: String,
    monthly_price_cents: u64,
    yearly_price_cents: Spanned<u64>,
    trial_days: Option<Spanned<u32>>,
    #[serde(default)]
    highlighted: bool,
    // An empty string means the key was not written.
    #[serde(default = "unset_key")]
    monthly_lookup_key: Spanned<String>,
    #[serde(default = "unset_key")]
    yearly_lookup_key: Spanned<String>,
    limits: Spanned<toml::map::Map<String, toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCreditPack {
    id: Spanned<String>,
    name: String,
    feature: Spanned<String>,
    credits: Spanned<u64>,
    price_cents: Spanned<u64>,
    #[serde(default = "unset_key")]
    lookup_key: Spanned<String>,
}

fn unset_key() -> Spanned<String> {
    Spanned::new(0..0, String::new())
}

/// A lookup key field, `None` when it was not written.
fn written(raw: &Spanned<String>) -> Option<&Spanned<String>> {
    (!raw.get_ref().is_empty()).then_some(raw)
}

impl RawFile {
    fn validate(self) -> Result<Catalog, Located> {
        let currency = self.currency.get_ref();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(at(
                &self.currency,
                format!("currency `{currency}` must be a 3-letter lowercase ISO code like \"usd\""),
            ));
        }
        let features = validate_features(&self.features)?;
        let mut keys = PriceKeys::default();
        let plans = validate_plans(&self.plans, &features, &mut keys)?;
        let credit_packs = validate_credit_packs(&self.credit_packs, &features, &mut keys)?;
        let guest = self.guest.get_ref();
        let guest_feature = metered_feature(&guest.feature, &features, "guest allowance")?;
        Ok(Catalog {
            currency: currency.clone(),
            features,
            plans,
            credit_packs,
            guest: GuestAllowance {
                feature: guest_feature,
                total: guest.total,
            },
            past_due_grace_days: crate::domain::subscription::DEFAULT_GRACE_DAYS,
        })
    }
}

fn validate_features(raw: &[Spanned<RawFeature>]) -> Result<Vec<Feature>, Located> {
    let mut seen = HashSet::new();
    let mut features = Vec::with_capacity(raw.len());
    for spanned in raw {
        let f = spanned.get_ref();
        let id = FeatureId::parse(f.id.get_ref()).map_err(|e| at(&f.id, e.0))?;
        if !seen.insert(id.clone()) {
            return Err(at(&f.id, format!("feature `{id}` is defined twice")));
        }
        let period = f
            .period
            .as_ref()
            .map(|p| match p.get_ref().as_str() {
                "day" => Ok(Period::Day),
                "month" => Ok(Period::Month),
                other => Err(at(
                    p,
                    format!("period `{other}` of feature `{id}` must be \"day\" or \"month\""),
                )),
            })
            .transpose()?;
        let kind = match (f.kind.get_ref().as_str(), period) {
            ("metered", Some(period)) => FeatureKind::Metered { period },
            ("metered", None) => return Err(at(&f.kind, format!("metered feature `{id}` needs a period (\"day\" or \"month\")"))),
            (_, Some(_)) => {
                return Err(at(&f.kind, format!("only metered features have a period; remove it from `{id}`")))
            }
            ("boolean", _) => FeatureKind::Boolean,
            ("count", _) => FeatureKind::Count,
            ("number", _) => FeatureKind::Number,
            (other, _) => {
                return Err(at(&f.kind, format!("kind `{other}` of feature `{id}` must be one of metered, count, number, boolean")))
            }
        };
        if kind != FeatureKind::Boolean && (f.unit.is_empty() || f.units.is_empty()) {
            return Err(at(spanned, format!("feature `{id}` needs `unit` and `units` (e.g. \"generation\" and \"generations\")")));
        }
        if f.name.trim().is_empty() {
            return Err(at(spanned, format!("feature `{id}` needs a `name`")));
        }
        features.push(Feature {
            id,
            kind,
            name: f.name.clone(),
            unit: f.unit.clone(),
            units: f.units.clone(),
            suffix: f.suffix.clone(),
        });
    }
    if features.is_empty() {
        return Err((
            0,
            CatalogError("the catalog defines no [[features]]".into()),
        ));
    }
    Ok(features)
}

/// A paid plan names its monthly and yearly lookup keys; a free one names none.
fn plan_price_keys(
    id: &PlanId,
    p: &RawPlan,
    spanned: &Spanned<RawPlan>,
    free: bool,
    keys: &mut PriceKeys,
) -> Result<Option<PlanPriceKeys>, Located> {
    match (written(&p.monthly_lookup_key), written(&p.yearly_lookup_key)) {
        (None, None) if free => Ok(None),
        (Some(raw), _) | (_, Some(raw)) if free => Err(at(
            raw,
            format!("plan `{id}` is free, so it has no lookup keys: nothing is paid for it"),
        )),
        (Some(monthly), Some(yearly)) => Ok(Some(PlanPriceKeys {
            monthly: keys.take(monthly)?,
            yearly: keys.take(yearly)?,
        })),
        _ => Err(at(
            spanned,
            format!(
                "plan `{id}` is paid, so it needs `monthly_lookup_key` and `yearly_lookup_key`: the lookup keys of its prices at Stripe"
            ),
        )),
    }
}

/// The catalog's lookup keys so far: each names exactly one price.
#[derive(Default)]
struct PriceKeys(HashSet<String>);

impl PriceKeys {
    fn take(&mut self, raw: &Spanned<String>) -> Result<PriceKey, Located> {
        let key = PriceKey::parse(raw.get_ref()).map_err(|e| at(raw, e.0))?;
        if !self.0.insert(key.as_str().to_owned()) {
            return Err(at(
                raw,
                format!("lookup key `{key}` is used twice; each names one price"),
            ));
        }
        Ok(key)
    }
}

fn validate_plans(
    raw: &[Spanned<RawPlan>],
    features: &[Feature],
    keys: &mut PriceKeys,
) -> Result<Vec<Plan>, Located> {
    let mut seen = HashSet::new();
    let mut plans = Vec::with_capacity(raw.len());
    for spanned in raw {
        let p = spanned.get_ref();
        let id = PlanId::parse(p.id.get_ref()).map_err(|e| at(&p.id, e.0))?;
        if !seen.insert(id.clone()) {
            return Err(at(&p.id, format!("plan `{id}` is defined twice")));
        }
        let monthly = Money::from_cents(p.monthly_price_cents);
        let yearly = Money::from_cents(*p.yearly_price_cents.get_ref());
        if yearly.cents > monthly.cents * 12 {
            return Err(at(
                &p.yearly_price_cents,
                format!(
                    "plan `{id}` costs more yearly ({yearly}) than 12 monthly payments ({})",
                    Money::from_cents(monthly.cents * 12)
                ),
            ));
        }
        if (monthly.cents == 0) != (yearly.cents == 0) {
            return Err(at(
                &p.yearly_price_cents,
                format!("plan `{id}` must be free both monthly and yearly, or paid both ways"),
            ));
        }
        let trial_days = match &p.trial_days {
            Some(days) if *days.get_ref() > 365 => {
                return Err(at(
                    days,
                    format!("plan `{id}` has a trial longer than a year"),
                ))
            }
            Some(days) => *days.get_ref(),
            None => 0,
        };
        let entitlements = validate_limits(&id, &p.limits, features)?;
        let price_keys = plan_price_keys(&id, p, spanned, monthly.cents == 0, keys)?;
        plans.push(Plan {
            id,
            name: p.name.clone(),
            tagline: p.tagline.clone(),
            monthly_price: monthly,
            yearly_price: yearly,
            trial_days,
            highlighted: p.highlighted,
            entitlements,
            price_keys,
        });
    }
    match plans.iter().find(|p| p.id == PlanId::free()) {
        None => Err((0, CatalogError("the catalog needs a plan with id \"free\": it is what accounts without a subscription get".into()))),
        Some(free) if !free.is_free() => {
            let span = raw.iter().find(|p| p.get_ref().id.get_ref() == "free").map(|p| p.span().start).unwrap_or(0);
            Err((span, CatalogError("plan `free` must cost 0".into())))
        }
        Some(_) => Ok(plans),
    }
}

fn validate_limits(
    plan: &PlanId,
    limits: &Spanned<toml::map::Map<String, toml::Value>>,
    features: &[Feature],
) -> Result<Vec<(FeatureId, Entitlement)>, Located> {
    if let Some(unknown) = limits
        .get_ref()
        .keys()
        .find(|k| !features.iter().any(|f| f.id.as_str() == k.as_str()))
    {
        return Err(at(
            limits,
            format!("plan `{plan}` sets `{unknown}`, which is not a feature of the catalog"),
        ));
    }
    features
        .iter()
        .map(|feature| {
            let value = limits.get_ref().get(feature.id.as_str()).ok_or_else(|| {
                at(limits, format!("plan `{plan}` does not set `{}`", feature.id))
            })?;
            let entitlement = match value {
                toml::Value::Boolean(on) => Entitlement::Flag(*on),
                toml::Value::Integer(n) if *n >= 0 => Entitlement::Limit(*n as u64),
                toml::Value::String(s) if s == "unlimited" => Entitlement::Unlimited,
                other => {
                    return Err(at(limits, format!("plan `{plan}` sets `{}` to {other}; use a whole number ≥ 0, \"unlimited\" or true/false", feature.id)))
                }
            };
            if !entitlement.fits(feature.kind) {
                let expected = match feature.kind {
                    FeatureKind::Boolean => "true or false",
                    FeatureKind::Number => "a whole number",
                    FeatureKind::Metered { .. } | FeatureKind::Count => "a whole number or \"unlimited\"",
                };
                return Err(at(limits, format!("plan `{plan}` sets `{}` to {value}, but that feature takes {expected}", feature.id)));
            }
            Ok((feature.id.clone(), entitlement))
        })
        .collect()
}

fn metered_feature(
    raw: &Spanned<String>,
    features: &[Feature],
    what: &str,
) -> Result<FeatureId, Located> {
    match features.iter().find(|f| f.id.as_str() == raw.get_ref()) {
        Some(f) if matches!(f.kind, FeatureKind::Metered { .. }) => Ok(f.id.clone()),
        Some(f) => Err(at(
            raw,
            format!("{what} uses `{}`, which is not a metered feature", f.id),
        )),
        None => Err(at(
            raw,
            format!(
                "{what} uses `{}`, which is not a feature of the catalog",
                raw.get_ref()
            ),
        )),
    }
}

fn validate_credit_packs(
    raw: &[Spanned<RawCreditPack>],
    features: &[Feature],
    keys: &mut PriceKeys,
) -> Result<Vec<CreditPack>, Located> {
    let mut seen = HashSet::new();
    raw.iter()
        .map(|spanned| {
            let c = spanned.get_ref();
            let id = FeatureId::parse(c.id.get_ref())
                .map_err(|e| at(&c.id, e.0.replace("feature id", "credit pack id")))?;
            if !seen.insert(id.clone()) {
                return Err(at(&c.id, format!("credit pack `{id}` is defined twice")));
            }
            let feature = metered_feature(&c.feature, features, &format!("credit pack `{id}`"))?;
            if *c.credits.get_ref() == 0 {
                return Err(at(
                    &c.credits,
                    format!("credit pack `{id}` must add at least 1 credit"),
                ));
            }
            if *c.price_cents.get_ref() == 0 {
                return Err(at(
                    &c.price_cents,
                    format!("credit pack `{id}` must cost more than 0"),
                ));
            }
            let price_key = match written(&c.lookup_key) {
                Some(raw) => keys.take(raw)?,
                None => {
                    return Err(at(
                        spanned,
                        format!("credit pack `{id}` needs `lookup_key`: the lookup key of its price at Stripe"),
                    ))
                }
            };
            Ok(CreditPack {
                id: id.as_str().to_owned(),
                name: c.name.clone(),
                feature,
                credits: *c.credits.get_ref(),
                price: Money::from_cents(*c.price_cents.get_ref()),
                price_key,
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "plans_file_tests.rs"]
mod tests;
