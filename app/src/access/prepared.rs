//! A charge in two steps: [`Access::prepare`] reads who pays and what they have used, and
//! answers a refusal from that read alone; [`ReadyCharge::charge`] then writes. Between the
//! two, a route knows who the payer turned out to be (an API key's owner) and can hold what it
//! holds per subject (`/api/generate`'s in-flight slot) before anything is charged.

use super::before_charge;
use super::meter::{Charge, ChargeOrder};
use super::outcome::{Consumed, Refused};
use super::{events, ledger_key, ledger_key_suffix, Access, AccessError, Payer, Replay, Subject};
use crate::domain::decision::{self, Allowance, Decision, Denial, DenyReason, Grant, Terms, Usage};
use crate::domain::{Feature, FeatureId, FeatureKind, IdempotencyKey, Who};

/// What [`Access::prepare`] found.
#[derive(Debug)]
pub enum Prepared<'a> {
    /// Settled by the read: not charged, nothing changed.
    Refused(Refused),
    /// It may fit: the charge decides, atomically.
    Ready(Box<ReadyCharge<'a>>),
}

/// A charge read and decided up to its write.
#[derive(Debug)]
pub struct ReadyCharge<'a> {
    access: &'a Access,
    feature: &'a Feature,
    key: IdempotencyKey,
    subject: Subject,
    who: Who,
    terms: Terms,
    order: ChargeOrder,
}

impl Access {
    /// Reads who `payer` is and what they have used of `feature`, and refuses `n` more when
    /// that read already shows it cannot fit. An API key that is not a live one is
    /// [`AccessError::UnknownApiKey`]; a user who no longer exists, [`AccessError::UnknownSubject`].
    pub async fn prepare(
        &self,
        payer: &Payer,
        feature: &FeatureId,
        n: u64,
        key: &IdempotencyKey,
    ) -> Result<Prepared<'_>, AccessError> {
        if n == 0 {
            return Err(AccessError::ZeroAmount);
        }
        // Nothing is spent or held by a visitor the server has not named.
        if *payer == Payer::Subject(Subject::UnnamedGuest) {
            return Err(AccessError::UnknownSubject);
        }
        let feature = self.feature(feature)?;
        if !matches!(feature.kind, FeatureKind::Metered { .. }) {
            return Err(AccessError::NotMetered(feature.id.to_string()));
        }
        let now = self.db.now();
        let key_suffix = ledger_key_suffix(feature, key);
        let grace = self.catalog.past_due_grace_days;
        let before = before_charge::read(
            &self.db,
            payer,
            feature.id.as_str(),
            &key_suffix,
            grace,
            now,
        )
        .await?
        .ok_or(match payer {
            Payer::ApiKey(_) => AccessError::UnknownApiKey,
            Payer::Subject(_) => AccessError::UnknownSubject,
        })?;
        let who = before.profile.who.clone();
        let terms = match decision::terms(&self.catalog, &who, feature, now) {
            Ok(terms) => terms,
            Err(denial) => return Ok(Prepared::Refused(self.worded(denial, feature))),
        };
        let Grant::Metered {
            limit,
            window,
            credits,
        } = &terms.grant
        else {
            return Err(AccessError::NotMetered(feature.id.to_string()));
        };
        // A charge the read already shows cannot fit is refused without the writer.
        if let Some(usage) = before.settled_usage(window.start) {
            if let Decision::Denied(denial) = decision::decide(&terms, usage, n) {
                return Ok(Prepared::Refused(self.worded(denial, feature)));
            }
        }
        let subject = before.subject;
        let order = ChargeOrder {
            subject: subject.key(),
            feature: feature.id.to_string(),
            window_start: window.start,
            n,
            limit: *limit,
            use_credits: *credits,
            key: ledger_key(&subject, feature, key),
            now,
        };
        Ok(Prepared::Ready(Box::new(ReadyCharge {
            access: self,
            feature,
            key: key.clone(),
            subject,
            who,
            terms,
            order,
        })))
    }
}

impl ReadyCharge<'_> {
    /// Who pays, as the read found them.
    pub fn subject(&self) -> &Subject {
        &self.subject
    }

    pub(super) fn who(&self) -> &Who {
        &self.who
    }

    pub(super) fn feature_id(&self) -> &FeatureId {
        &self.feature.id
    }

    pub(super) fn key(&self) -> &IdempotencyKey {
        &self.key
    }

    pub(super) fn access(&self) -> &Access {
        self.access
    }

    /// Charges, atomically and at most once per key.
    pub async fn charge(self: Box<Self>) -> Result<Consumed, AccessError> {
        let ReadyCharge {
            access,
            feature,
            subject,
            terms,
            order,
            ..
        } = *self;
        let Grant::Metered { limit, window, .. } = &terms.grant else {
            return Err(AccessError::NotMetered(feature.id.to_string()));
        };
        let n = order.n;
        let charge = access.charges.charge(&access.db, order).await?;
        Ok(match charge {
            Charge::Charged {
                used,
                credits,
                from_credits,
            } => {
                if let Subject::User(user_id) = subject {
                    if crate::domain::low_credits::ran_low(from_credits, credits) {
                        access.events.send(events::AccessEvent::CreditsLow {
                            user_id,
                            feature: feature.id.clone(),
                            left: credits,
                        });
                    }
                }
                match decision::decide(&terms, Usage { used, credits }, 0) {
                    Decision::Allowed(left) => Consumed::Charged(left),
                    // Charged with nothing left over: what is left is none, until the reset.
                    Decision::Denied(denial) => Consumed::Charged(Allowance {
                        remaining: Some(0),
                        limit: denial.limit,
                        resets_at: denial.resets_at,
                    }),
                }
            }
            Charge::Replayed(Replay::Refunded) => Consumed::AlreadyRefunded,
            Charge::Replayed(Replay::Charged) => {
                let usage = access.usage_under(&subject, feature, &terms).await?;
                Consumed::AlreadyCharged(decision::decide(&terms, usage, 0))
            }
            Charge::Insufficient => {
                let usage = access.usage_under(&subject, feature, &terms).await?;
                let denial = match decision::decide(&terms, usage, n) {
                    Decision::Denied(denial) => denial,
                    // Someone refunded between our charge and this read: still a "no" for
                    // this call, which changed nothing.
                    Decision::Allowed(_) => Denial {
                        reason: DenyReason::LimitReached,
                        upgrade_to: terms.upgrade_to.clone(),
                        resets_at: window.end,
                        limit: *limit,
                    },
                };
                Consumed::Refused(access.worded(denial, feature))
            }
        })
    }
}
