//! `Access::summary`: every feature's usage for one subject, from the same decision.

use super::subject::{Member, Profile};
use super::{meter, subject, Access, AccessError, Subject};
use crate::domain::calendar::timestamp;
use crate::domain::decision::{self, Decision, Grant, Usage, Who};
use crate::domain::{
    FeatureCounts, FeatureKind, FeatureUsage, Holder, Period, PlanId, Renewal, Standing,
    SubscriptionStatus, UsageSummary,
};
use std::collections::BTreeMap;

pub(super) async fn build(access: &Access, subject: &Subject) -> Result<UsageSummary, AccessError> {
    let now = access.db().now();
    let grace_days = access.catalog().past_due_grace_days;
    let profile = subject::load(access.db(), subject, grace_days, now)
        .await?
        .ok_or(AccessError::UnknownSubject)?;
    build_for(access, subject, profile, now).await
}

/// [`build`] for a member whose facts the caller read in this request: no read of the user and
/// the subscription again, the same decision.
pub(super) async fn build_for_member(
    access: &Access,
    user_id: i64,
    member: Member,
) -> Result<UsageSummary, AccessError> {
    let now = access.db().now();
    let profile = member.into_profile(access.catalog().past_due_grace_days, now);
    build_for(access, &Subject::User(user_id), profile, now).await
}

async fn build_for(
    access: &Access,
    subject: &Subject,
    profile: Profile,
    now: i64,
) -> Result<UsageSummary, AccessError> {
    let catalog = access.catalog();
    let holder = match &profile.who {
        Who::Guest => Holder::Guest,
        Who::Member { standing, .. } => {
            let (plan, restricted) = match standing {
                Standing::Plan { plan, .. } => (plan.clone(), false),
                Standing::Restricted(_) => (
                    profile
                        .subscription
                        .as_ref()
                        .map_or_else(PlanId::free, |s| s.plan.clone()),
                    true,
                ),
            };
            let plan_name = catalog
                .plan(&plan)
                .map_or_else(|| plan.to_string(), |p| p.name.clone());
            let status = profile
                .subscription
                .as_ref()
                .map_or(SubscriptionStatus::Active, |s| s.status);
            Holder::Member {
                plan,
                plan_name,
                status,
                restricted,
            }
        }
    };
    let subject_key = subject.key();
    let terms: Vec<_> = catalog
        .features
        .iter()
        .map(|feature| {
            (
                feature,
                decision::terms(catalog, &profile.who, feature, now),
            )
        })
        .collect();
    // Every window this summary reads starts at or after the earliest one (count features keep
    // their row at window 0), so two reads cover every feature.
    let earliest = terms
        .iter()
        .filter_map(|(_, t)| match t.as_ref().ok()?.grant {
            Grant::Metered { window, .. } => Some(window.start),
            _ => None,
        })
        .min()
        .unwrap_or(now);
    let stored = meter::everything(access.db().pool(), &subject_key, earliest).await?;
    let mut features = BTreeMap::new();
    for (feature, terms) in terms {
        let window_start = match terms.as_ref().map(|t| &t.grant) {
            Ok(Grant::Metered { window, .. }) => Some(window.start),
            Ok(Grant::Count { .. }) => Some(0),
            _ => None,
        };
        let usage = window_start.map_or_else(Usage::default, |start| Usage {
            used: stored.used(feature.id.as_str(), start),
            credits: stored.credits(feature.id.as_str()),
        });
        let decision = match &terms {
            Ok(t) => decision::decide(t, usage, 1),
            Err(denial) => Decision::Denied(denial.clone()),
        };
        let renewal = match (&terms, feature.kind) {
            (Ok(t), _) if t.guest => Renewal::Never,
            (
                _,
                FeatureKind::Metered {
                    period: Period::Day,
                },
            ) => Renewal::Day,
            (
                _,
                FeatureKind::Metered {
                    period: Period::Month,
                },
            ) => Renewal::Month,
            (_, FeatureKind::Count) => Renewal::Held,
            (_, FeatureKind::Boolean | FeatureKind::Number) => Renewal::NotSpent,
        };
        let counts = match decision {
            Decision::Allowed(a) => FeatureCounts {
                used: usage.used,
                limit: a.limit,
                remaining: a.remaining,
                resets_at: a.resets_at.map(timestamp),
                allowed: true,
                reason: None,
                upgrade_to: None,
            },
            Decision::Denied(d) => FeatureCounts {
                used: usage.used,
                limit: d.limit,
                remaining: Some(0),
                resets_at: d.resets_at.map(timestamp),
                allowed: false,
                reason: Some(d.message(catalog, feature)),
                upgrade_to: d.upgrade_to,
            },
        };
        let line = FeatureUsage {
            counts,
            unit: feature.unit.clone(),
            units: feature.units.clone(),
            renewal,
        };
        features.insert(feature.id.clone(), line);
    }
    let credits = stored.total_credits();
    Ok(UsageSummary {
        holder,
        product: access.product().clone(),
        features,
        credits,
    })
}
