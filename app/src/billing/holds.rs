//! Plans kept after a switch the usage does not fit: a switch made in the provider's portal to
//! a plan the account's usage exceeds keeps the old plan for a while (see `sync`). Here: what
//! the dashboard says about it, and ending it once the usage fits.

use super::provider::BillingError;
use super::{subscriptions, Billing};
use crate::access::Subject;
use crate::db::DbError;
use crate::domain::calendar::date;
use crate::domain::{PlanChange, PlanId, Subscription};

/// What [`Billing::kept_plan_notice`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeptPlanNotice {
    /// No old plan is kept.
    NotKept,
    /// An old plan is kept; the sentence says why and until when.
    Kept(String),
    /// An old plan was kept and the usage fits now: it just ended, so the subscription the
    /// caller read is out of date.
    Ended,
}

/// The plan `subscription` keeps at `now` and that plan's deadline, if it keeps one.
fn kept_now(subscription: &Subscription, now: i64) -> Option<(PlanId, i64)> {
    let kept = subscription.kept_at(now).cloned()?;
    let until = subscription.kept.as_ref()?.until;
    Some((kept, until))
}

impl Billing {
    /// The sentence the dashboard shows while an old plan is kept: which plan the billing now
    /// says, what to remove, and until when the old plan stays. Checking it also ends a kept
    /// plan whose usage fits now (removed by any means), so the sentence is never stale.
    /// `subscription` is the user's, already read by the caller (one read per page).
    pub async fn kept_plan_notice(
        &self,
        user_id: i64,
        subscription: Option<&Subscription>,
    ) -> Result<KeptPlanNotice, BillingError> {
        let Some(subscription) = subscription else {
            return Ok(KeptPlanNotice::NotKept);
        };
        let Some((kept, until)) = kept_now(subscription, self.db.now()) else {
            return Ok(KeptPlanNotice::NotKept);
        };
        let name = |id| {
            self.catalog
                .plan(id)
                .map_or_else(|| id.to_string(), |p| p.name.clone())
        };
        match self.change_to(user_id, &subscription.plan).await? {
            PlanChange::Blocked(blocked) => Ok(KeptPlanNotice::Kept(format!(
                "Your billing now says {}, but your account is over its limits. {} Until then, \
                 and at most until {}, you keep {}.",
                name(&subscription.plan),
                blocked.message,
                date(until),
                name(&kept)
            ))),
            PlanChange::Allowed => {
                self.end_kept_plan(user_id, &subscription.plan).await?;
                Ok(KeptPlanNotice::Ended)
            }
        }
    }

    /// Ends a kept plan if the account's usage fits the billed plan now (after the user removed
    /// something). True when it ended.
    pub async fn release_kept_plan(&self, user_id: i64) -> Result<bool, BillingError> {
        let Some(subscription) = subscriptions::find(&self.db, user_id).await? else {
            return Ok(false);
        };
        if kept_now(&subscription, self.db.now()).is_none() {
            return Ok(false);
        }
        if self.change_to(user_id, &subscription.plan).await? != PlanChange::Allowed {
            return Ok(false);
        }
        self.end_kept_plan(user_id, &subscription.plan).await
    }

    async fn change_to(&self, user_id: i64, plan: &PlanId) -> Result<PlanChange, BillingError> {
        Ok(self
            .access
            .can_change_plan(&Subject::User(user_id), plan)
            .await?)
    }

    async fn end_kept_plan(&self, user_id: i64, billed: &PlanId) -> Result<bool, BillingError> {
        let mut tx = self.db.begin_durable().await?;
        let ended = subscriptions::release_kept_plan_in(&mut tx, user_id).await?;
        tx.commit().await.map_err(DbError::from)?;
        if ended {
            tracing::info!(user_id, plan = %billed, "kept plan ended: the usage fits");
        }
        Ok(ended)
    }
}
