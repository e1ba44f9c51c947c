//! Paid work, one protocol for every caller: charge one use, do the work, give the use back
//! when the work fails (or is abandoned half-way), and never run the work again for a key
//! that paid before. Tutor sessions go through [`Access::metered`]; `/api/generate` through
//! [`ReadyCharge::metered`], after [`Access::prepare`] told it who pays.

use super::outcome::{Consumed, Metered};
use super::{Access, AccessError, Payer, Prepared, ReadyCharge, Subject};
use crate::domain::{FeatureId, IdempotencyKey, Who};
use std::future::Future;

/// The way back for one charge: held by work that can still fail after it has started (a
/// text that breaks off mid-stream refunds through it).
#[derive(Debug, Clone)]
pub struct Refund {
    access: Access,
    subject: Subject,
    feature: FeatureId,
    key: IdempotencyKey,
}

impl Refund {
    /// Gives the use back. Safe to call twice (the second finds nothing to refund); a failure
    /// is logged, not returned, because the caller is already reporting the work's failure.
    pub async fn run(&self) {
        match self
            .access
            .refund(&self.subject, &self.feature, &self.key)
            .await
        {
            Ok(true) => {
                tracing::info!(feature = %self.feature, "the work failed; its use was refunded")
            }
            Ok(false) => {}
            Err(e) => {
                tracing::error!(error = %e, feature = %self.feature, "refunding failed work failed")
            }
        }
    }
}

/// Refunds when dropped while armed: the request that paid was cancelled (the client hung up)
/// before its work finished, so the work never happened.
struct RefundUnlessSettled(Option<Refund>);

impl Drop for RefundUnlessSettled {
    fn drop(&mut self) {
        if let Some(refund) = self.0.take() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move { refund.run().await });
            }
        }
    }
}

/// What paid work is handed: the way back, and the subject's settings as read for the charge
/// (no second read of who they are).
#[derive(Debug)]
pub struct Paid {
    pub refund: Refund,
    who: Who,
}

impl Paid {
    /// The subject's value of setting `feature` (e.g. `max_tokens`); `None` without access.
    pub fn setting(&self, feature: &FeatureId) -> Option<u64> {
        self.refund.access.setting_of(&self.who, feature)
    }
}

impl Access {
    /// Charges one `feature` use to `subject` under `key`, then runs `work` with the way back.
    /// `Err` from `work` (or cancelling this future) refunds the use; a key that paid before
    /// never runs `work` again.
    pub async fn metered<T, E, Work, Done>(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        key: &IdempotencyKey,
        work: Work,
    ) -> Result<Metered<T, E>, AccessError>
    where
        Work: FnOnce(Paid) -> Done,
        Done: Future<Output = Result<T, E>>,
    {
        let payer = Payer::Subject(subject.clone());
        match self.prepare(&payer, feature, 1, key).await? {
            Prepared::Refused(refused) => Ok(Metered::Refused(refused)),
            Prepared::Ready(ready) => ready.metered(work).await,
        }
    }
}

impl ReadyCharge<'_> {
    /// [`Access::metered`] from a prepared charge.
    pub async fn metered<T, E, Work, Done>(
        self: Box<Self>,
        work: Work,
    ) -> Result<Metered<T, E>, AccessError>
    where
        Work: FnOnce(Paid) -> Done,
        Done: Future<Output = Result<T, E>>,
    {
        let refund = Refund {
            access: self.access().clone(),
            subject: self.subject().clone(),
            feature: self.feature_id().clone(),
            key: self.key().clone(),
        };
        let who = self.who().clone();
        let left = match self.charge().await? {
            Consumed::Charged(left) => left,
            Consumed::Refused(refused) => return Ok(Metered::Refused(refused)),
            Consumed::AlreadyCharged(now) => return Ok(Metered::AlreadyDone(now)),
            Consumed::AlreadyRefunded => return Ok(Metered::AlreadyRefunded),
        };
        let mut unsettled = RefundUnlessSettled(Some(refund.clone()));
        let outcome = work(Paid {
            refund: refund.clone(),
            who,
        })
        .await;
        unsettled.0 = None;
        Ok(match outcome {
            Ok(output) => Metered::Done { output, left },
            Err(e) => {
                refund.run().await;
                Metered::Failed(e)
            }
        })
    }
}
