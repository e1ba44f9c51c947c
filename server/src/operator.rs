//! What the operator subcommands do (`user set-plan`, `credits grant`), apart from parsing.

use app::access::{Access, Subject};
use app::auth::token::SecretToken;
use app::auth::users;
use app::billing::customers;
use app::billing::subscriptions;
use app::billing::sync::Synced;
use app::billing::Billing;
use app::db::Db;
use app::domain::{
    EmailAddress, IdempotencyKey, PlanChange, PlanId, Subscription, SubscriptionStatus,
};

async fn subject_of(db: &Db, raw_email: &str) -> Result<(EmailAddress, Subject), String> {
    let email = EmailAddress::lookup(raw_email)?;
    let user = users::find_by_email(db, &email)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no account with email {email}"))?;
    Ok((email, Subject::User(user.id)))
}

/// `tollgate user set-plan EMAIL PLAN [--status S] [--force]`.
pub async fn set_plan(
    db: &Db,
    access: &Access,
    raw_email: &str,
    raw_plan: &str,
    raw_status: &str,
    force: bool,
) -> Result<String, String> {
    let plan = PlanId::parse(raw_plan)
        .ok()
        .filter(|id| access.catalog().plan(id).is_some())
        .ok_or_else(|| {
            let names: Vec<&str> = access
                .catalog()
                .plans
                .iter()
                .map(|p| p.id.as_str())
                .collect();
            format!(
                "unknown plan `{raw_plan}`; use one of: {}",
                names.join(", ")
            )
        })?;
    let status = SubscriptionStatus::parse(raw_status)?;
    let (email, subject) = subject_of(db, raw_email).await?;
    if !force {
        if let PlanChange::Blocked(blocked) = access
            .can_change_plan(&subject, &plan)
            .await
            .map_err(|e| e.to_string())?
        {
            return Err(format!("{blocked} (or pass --force)"));
        }
    }
    let now = db.now();
    let user_id = subject.user_id().unwrap_or_default();
    let current = subscriptions::find(db, user_id)
        .await
        .map_err(|e| e.to_string())?;
    // Setting the same plan again (e.g. only to change its status) keeps the running period,
    // so the month's usage is not wiped by an operator's command; a new plan starts a new one.
    let (current_period_start, current_period_end) = match current {
        Some(Subscription {
            plan: ref same,
            current_period_start: Some(start),
            current_period_end: Some(end),
            ..
        }) if *same == plan && end > now => (start, end),
        _ => (now, app::domain::calendar::add_months(now, 1)),
    };
    let sub = Subscription {
        plan: plan.clone(),
        status,
        current_period_start: Some(current_period_start),
        current_period_end: Some(current_period_end),
        past_due_since: None,
        kept: None,
    };
    subscriptions::upsert(db, user_id, &sub)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!("{email} is now on {plan} ({status})."))
}

/// `tollgate credits grant EMAIL N [--feature F]`.
pub async fn grant_credits(
    db: &Db,
    access: &Access,
    raw_email: &str,
    amount: u64,
    raw_feature: &str,
) -> Result<String, String> {
    if amount == 0 {
        return Err("the amount must be at least 1".into());
    }
    let feature = access.feature_id(raw_feature).map_err(|e| e.to_string())?;
    let (email, subject) = subject_of(db, raw_email).await?;
    // Each run is its own grant: a fresh key.
    let key = IdempotencyKey::parse(&format!("cli-{}", SecretToken::generate().expose()))?;
    access
        .grant_credits(&subject, &feature, amount, &key)
        .await
        .map_err(|e| e.to_string())?;
    let summary = access.summary(&subject).await.map_err(|e| e.to_string())?;
    Ok(format!(
        "Granted {amount} {feature} credits to {email}; credit balance is now {}.",
        summary.credits
    ))
}

/// What `tollgate billing …` was asked to do.
#[derive(Debug)]
pub enum BillingTask {
    /// One customer by email, or (`None`) every customer.
    Sync(Option<String>),
    Replay(String),
}

/// `tollgate billing sync [EMAIL]` and `tollgate billing replay EVENT_ID`: one line per
/// customer synced; an error when any sync failed (the others still ran).
pub async fn billing(db: &Db, billing: &Billing, task: BillingTask) -> Result<String, String> {
    match task {
        BillingTask::Replay(event_id) => match billing.replay_event(&event_id).await {
            Ok(Some(outcome)) => Ok(format!("event {event_id}: {outcome}")),
            Ok(None) => Err(format!("no recorded event {event_id}")),
            Err(e) => Err(format!("event {event_id}: {e}")),
        },
        BillingTask::Sync(email) => {
            let all = customers::all(db).await.map_err(|e| e.to_string())?;
            let chosen: Vec<(String, String)> = match &email {
                None => all,
                Some(raw) => {
                    let email = EmailAddress::lookup(raw)?;
                    let one: Vec<_> = all
                        .into_iter()
                        .filter(|(e, _)| e.eq_ignore_ascii_case(email.as_str()))
                        .collect();
                    if one.is_empty() {
                        return Err(format!(
                            "{email} has no billing customer (never checked out)"
                        ));
                    }
                    one
                }
            };
            let mut lines = Vec::new();
            let mut failed = 0;
            for (email, customer) in &chosen {
                match billing.sync(customer).await {
                    Ok(synced) => lines.push(format!("{email}: {}", describe(&synced))),
                    Err(e) => {
                        failed += 1;
                        lines.push(format!("{email}: failed: {e}"));
                    }
                }
            }
            // Packs paid while nobody was told (no return, webhook lost).
            let email_filter = email.as_deref().map(str::to_lowercase);
            match billing
                .complete_pending_packs(email_filter.as_deref())
                .await
            {
                Ok(packs) => {
                    for (email, pack, outcome) in packs {
                        lines.push(format!("{email}: pack {pack}: {}", outcome.words()));
                    }
                }
                Err(e) => {
                    failed += 1;
                    lines.push(format!("credit packs: failed: {e}"));
                }
            }
            if chosen.is_empty() && lines.is_empty() {
                lines.push("no billing customers yet".into());
            }
            let report = lines.join("\n");
            if failed > 0 {
                Err(format!(
                    "{report}\n{failed} of {} syncs failed",
                    chosen.len()
                ))
            } else {
                Ok(report)
            }
        }
    }
}

fn describe(synced: &Synced) -> String {
    match synced {
        Synced::Subscription { subscription, .. } | Synced::Held { subscription, .. } => {
            format!("{} ({})", subscription.plan, subscription.status)
        }
        other => other.outcome().words(),
    }
}
