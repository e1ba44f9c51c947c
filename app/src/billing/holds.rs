//! Plans kept after a switch the usage does not fit: a switch made in the provider's portal to
//! a plan the account's usage exceeds keeps the old plan for a while (see `sync`). Here: what
//! the dashboard says about it, and ending it once the usage fits.

use super::provider::BillingError;
use super::{subscriptions, Billing};
use crate::access::Subject;
use crate::db::DbError;
use crate::domain::calendar::date;
use crate::domain::PlanChange;

impl Billing {
    /// The sentence the dashboard shows while an old plan is kept: which plan the billing now
    /// says, what to remove, and until when the old plan stays. Checking it also ends a kept
    /// plan whose usage fits now (removed by any means), so the sentence is never stale.
    pub async fn kept_plan_notice(&self, user_id: i64) -> Result<Option<String>, BillingError> {
        let Some(subscription) = subscriptions::find(&self.db, user_id).await? else {
            return Ok(None);
        };
        let now = self.db.now();
        let (Some(kept), Some(until)) = (
            subscription.kept_at(now),
            subscription.kept.as_ref().map(|k| k.until),
        ) else {
            return Ok(None);
        };
        let name = |id| {
            self.catalog
                .plan(id)
                .map_or_else(|| id.to_string(), |p| p.name.clone())
        };
        let change = self
            .access
            .can_change_plan(&Subject::User(user_id), &subscription.plan)
            .await?;
        match change {
            PlanChange::Blocked(blocked) => Ok(Some(format!(
                "Your billing now says {}, but your account is over its limits. {} Until then, \
                 and at most until {}, you keep {}.",
                name(&subscription.plan),
                blocked.message,
                date(until),
                name(kept)
            ))),
            PlanChange::Allowed => {
                self.release_kept_plan(user_id).await?;
                Ok(None)
            }
        }
    }

    /// Ends a kept plan if the account's usage fits the billed plan now (after the user removed
    /// something). True when it ended.
    pub async fn release_kept_plan(&self, user_id: i64) -> Result<bool, BillingError> {
        let Some(subscription) = subscriptions::find(&self.db, user_id).await? else {
            return Ok(false);
        };
        if subscription.kept_at(self.db.now()).is_none() {
            return Ok(false);
        }
        let change = self
            .access
            .can_change_plan(&Subject::User(user_id), &subscription.plan)
            .await?;
        if change != PlanChange::Allowed {
            return Ok(false);
        }
        let mut tx = self.db.begin_durable().await?;
        let ended = subscriptions::release_kept_plan_in(&mut tx, user_id).await?;
        tx.commit().await.map_err(DbError::from)?;
        if ended {
            tracing::info!(user_id, plan = %subscription.plan, "kept plan ended: the usage fits");
        }
        Ok(ended)
    }
}
