//! THE access-check module (server only): "can this subject do this right now, and how much is
//! left?" for server functions, the generation route, the webhook and the CLI alike.
//!
//! It gathers the inputs (who, their subscription, usage so far) from the database, asks the
//! pure decision in `crate::domain::decision`, and enforces the answer atomically in SQL
//! (`meter`). Nothing else in the app reads plans or counters.

mod at_once;
mod before_charge;
pub mod caller;
pub mod events;
mod group_commit;
mod guests;
mod meter;
mod metered;
mod outcome;
mod prepared;
mod slots;
pub mod subject;
mod summary;

pub use meter::ClawedBack;
pub use metered::{Paid, Refund};
pub use outcome::{Checked, Consumed, Metered, Refused};
pub use prepared::{Prepared, ReadyCharge};
pub use slots::{CountLock, CountedRows};
pub use subject::{Member, Payer, Subject};

use crate::db::{Db, DbError, Tx};
use crate::domain::decision::{self, Decision, Denial, Grant, Terms, Usage, Who};
use crate::domain::{
    can_change_plan, Catalog, Feature, FeatureId, FeatureKind, IdempotencyKey, PlanChange, PlanId,
    Product, UsageSummary,
};
use meter::Meter;
use std::sync::Arc;

/// Why an access question could not be answered (as opposed to being answered "no").
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("there is no feature called `{0}` in the plan catalog")]
    UnknownFeature(String),
    #[error("`{0}` is not a metered feature: it cannot be consumed or granted")]
    NotMetered(String),
    #[error("`{0}` is not a count feature: it has no items to add or remove")]
    NotCounted(String),
    #[error("the amount must be at least 1")]
    ZeroAmount,
    #[error("the account no longer exists")]
    UnknownSubject,
    /// The API key presented for a charge is not a live one (revoked or mistyped).
    #[error("the API key is not a live one")]
    UnknownApiKey,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for AccessError {
    fn from(e: sqlx::Error) -> Self {
        AccessError::Db(DbError::Query(e))
    }
}

/// What happened to the earlier use of a replayed key (the ledger's view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replay {
    /// It was charged and still counts.
    Charged,
    /// It was charged and then refunded (the work failed).
    Refunded,
}

/// A cheap-to-clone handle: the database and the catalog.
#[derive(Clone, Debug)]
pub struct Access {
    db: Db,
    catalog: Arc<Catalog>,
    product: Arc<Product>,
    charges: group_commit::Charges,
    events: events::Events,
}

impl Access {
    /// The module over `catalog`; refused (with one sentence) when the catalog lacks a feature
    /// the product's code names (see [`Product`]).
    pub fn new(db: Db, catalog: Arc<Catalog>) -> Result<Self, String> {
        let product = Arc::new(Product::resolve(&catalog)?);
        Ok(Self {
            db,
            catalog,
            product,
            charges: group_commit::Charges::default(),
            events: events::Events::default(),
        })
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Events from now on (see [`events::AccessEvent`]).
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<events::AccessEvent> {
        self.events.subscribe()
    }

    /// The features the product's code uses, resolved at start-up.
    pub fn product(&self) -> &Product {
        &self.product
    }

    fn feature(&self, id: &FeatureId) -> Result<&Feature, AccessError> {
        self.catalog
            .feature(id)
            .ok_or_else(|| AccessError::UnknownFeature(id.to_string()))
    }

    /// `denial` with its sentence, worded once here for every caller.
    fn worded(&self, denial: Denial, feature: &Feature) -> Refused {
        Refused {
            message: denial.message(&self.catalog, feature),
            denial,
        }
    }

    /// The catalog's feature named `raw` (for callers holding a string from a URL or CLI).
    pub fn feature_id(&self, raw: &str) -> Result<FeatureId, AccessError> {
        FeatureId::parse(raw)
            .ok()
            .filter(|id| self.catalog.feature(id).is_some())
            .ok_or_else(|| AccessError::UnknownFeature(raw.to_owned()))
    }

    /// The metered feature called `raw`, which credits can be granted for; `None` when the
    /// catalog has no such feature, or it is not metered (any more).
    pub fn credit_feature(&self, raw: &str) -> Option<FeatureId> {
        let id = FeatureId::parse(raw).ok()?;
        let feature = self.catalog.feature(&id)?;
        matches!(feature.kind, FeatureKind::Metered { .. }).then_some(id)
    }

    async fn terms(
        &self,
        subject: &Subject,
        feature: &Feature,
        now: i64,
    ) -> Result<Result<Terms, Denial>, AccessError> {
        let profile = subject::load(&self.db, subject, self.catalog.past_due_grace_days, now)
            .await?
            .ok_or(AccessError::UnknownSubject)?;
        Ok(decision::terms(&self.catalog, &profile.who, feature, now))
    }

    /// The value of setting `feature` for `who`; `None` without access.
    pub(crate) fn setting_of(&self, who: &Who, feature: &FeatureId) -> Option<u64> {
        let feature = self.catalog.feature(feature)?;
        match decision::terms(&self.catalog, who, feature, self.db.now()) {
            Ok(Terms {
                grant: Grant::Setting(value),
                ..
            }) => Some(value),
            _ => None,
        }
    }

    async fn usage_under(
        &self,
        subject: &Subject,
        feature: &Feature,
        terms: &Terms,
    ) -> Result<Usage, AccessError> {
        let window_start = match &terms.grant {
            Grant::Metered { window, .. } => window.start,
            Grant::Count { .. } => 0,
            Grant::Granted | Grant::Setting(_) => return Ok(Usage::default()),
        };
        let (used, credits) = meter::usage(
            self.db.pool(),
            Meter {
                subject: &subject.key(),
                feature: feature.id.as_str(),
                window_start,
            },
        )
        .await?;
        Ok(Usage { used, credits })
    }

    /// May `subject` use one more of `feature` now? Read-only.
    pub async fn check(
        &self,
        subject: &Subject,
        feature: &FeatureId,
    ) -> Result<Checked, AccessError> {
        let feature = self.feature(feature)?;
        let now = self.db.now();
        let terms = match self.terms(subject, feature, now).await? {
            Ok(terms) => terms,
            Err(denial) => return Ok(Checked::Refused(self.worded(denial, feature))),
        };
        let usage = self.usage_under(subject, feature, &terms).await?;
        Ok(match decision::decide(&terms, usage, 1) {
            Decision::Allowed(allowance) => Checked::Allowed(allowance),
            Decision::Denied(denial) => Checked::Refused(self.worded(denial, feature)),
        })
    }

    /// The value of a numeric setting for `subject` (e.g. `max_tokens`); `None` when the
    /// subject has no access at all.
    pub async fn setting(
        &self,
        subject: &Subject,
        feature: &FeatureId,
    ) -> Result<Option<u64>, AccessError> {
        let feature = self.feature(feature)?;
        let grace = self.catalog.past_due_grace_days;
        let profile = subject::load(&self.db, subject, grace, self.db.now())
            .await?
            .ok_or(AccessError::UnknownSubject)?;
        Ok(self.setting_of(&profile.who, &feature.id))
    }

    /// Uses `n` of a metered `feature`, atomically and at most once per `key`.
    pub async fn consume(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        n: u64,
        key: &IdempotencyKey,
    ) -> Result<Consumed, AccessError> {
        let payer = Payer::Subject(subject.clone());
        match self.prepare(&payer, feature, n, key).await? {
            Prepared::Refused(refused) => Ok(Consumed::Refused(refused)),
            Prepared::Ready(ready) => ready.charge().await,
        }
    }

    /// Gives back what `consume(subject, feature, _, key)` took (e.g. the upstream generation
    /// failed). Returns false when there was nothing to refund or it was refunded already.
    pub async fn refund(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        key: &IdempotencyKey,
    ) -> Result<bool, AccessError> {
        let feature = self.feature(feature)?;
        let ledger_key = ledger_key(subject, feature, key);
        Ok(meter::refund(&self.db, &ledger_key, self.db.now()).await?)
    }

    /// When `consume(subject, feature, _, key)` charged, if it did: tells a retry that is
    /// merely late from one whose work is still running.
    pub async fn charged_at(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        key: &IdempotencyKey,
    ) -> Result<Option<i64>, AccessError> {
        let feature = self.feature(feature)?;
        let ledger_key = ledger_key(subject, feature, key);
        Ok(meter::charged_at(self.db.pool(), &ledger_key).await?)
    }

    /// Adds `n` credits of a metered feature to a user's balance, once per `key`.
    pub async fn grant_credits(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        n: u64,
        key: &IdempotencyKey,
    ) -> Result<bool, AccessError> {
        // Credits are bought: they go to disk before the caller hears "granted".
        let mut tx = self.db.begin_durable().await?;
        let granted = self
            .grant_credits_in(&mut tx, subject, feature, n, key)
            .await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(granted)
    }

    /// [`Access::grant_credits`] as part of the caller's transaction: kept only if the caller
    /// commits (a webhook grants a pack's credits in the transaction that records its event).
    pub async fn grant_credits_in(
        &self,
        tx: &mut Tx,
        subject: &Subject,
        feature: &FeatureId,
        n: u64,
        key: &IdempotencyKey,
    ) -> Result<bool, AccessError> {
        let (subject_key, feature) = self.credits_of(subject, feature, n)?;
        let ledger_key = format!("grant:{subject_key}:{feature}:{}", key.as_str());
        let now = self.db.now();
        Ok(meter::grant(tx, &subject_key, feature.as_str(), n, &ledger_key, now).await?)
    }

    /// Checks a grant or take-back of `n` credits: a named subject, a metered feature, n > 0.
    /// The subject's row key and the feature.
    fn credits_of(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        n: u64,
    ) -> Result<(String, FeatureId), AccessError> {
        if n == 0 {
            return Err(AccessError::ZeroAmount);
        }
        if *subject == Subject::UnnamedGuest {
            return Err(AccessError::UnknownSubject);
        }
        let feature = self.feature(feature)?;
        if !matches!(feature.kind, FeatureKind::Metered { .. }) {
            return Err(AccessError::NotMetered(feature.id.to_string()));
        }
        Ok((subject.key(), feature.id.clone()))
    }

    /// Takes back `n` credits of a metered feature once per `key`, in the caller's transaction
    /// (a refunded or disputed pack): the unspent part at once, the rest owed and paid first by
    /// the next grant. `None` when `key` was used before.
    pub async fn claw_back_credits_in(
        &self,
        tx: &mut Tx,
        subject: &Subject,
        feature: &FeatureId,
        n: u64,
        key: &IdempotencyKey,
    ) -> Result<Option<ClawedBack>, AccessError> {
        let (subject_key, feature) = self.credits_of(subject, feature, n)?;
        let ledger_key = format!("clawback:{subject_key}:{feature}:{}", key.as_str());
        let now = self.db.now();
        Ok(meter::claw_back(tx, &subject_key, feature.as_str(), n, &ledger_key, now).await?)
    }

    /// The credits `subject` owes, per feature, after refunds took back spent ones (paid
    /// first by the next grant).
    pub async fn credit_debts(
        &self,
        subject: &Subject,
    ) -> Result<Vec<(FeatureId, u64)>, AccessError> {
        let debts = meter::debts(self.db.pool(), &subject.key()).await?;
        // Rows are written with catalog ids only, so every stored id parses.
        Ok(debts
            .into_iter()
            .filter_map(|(feature, owed)| Some((FeatureId::parse(&feature).ok()?, owed)))
            .collect())
    }

    /// Whether `subject` may move to `target`: refused while they hold more than it allows.
    pub async fn can_change_plan(
        &self,
        subject: &Subject,
        target: &PlanId,
    ) -> Result<PlanChange, AccessError> {
        let mut counts = Vec::new();
        for feature in self
            .catalog
            .features
            .iter()
            .filter(|f| f.kind == FeatureKind::Count)
        {
            let (used, _) = meter::usage(
                self.db.pool(),
                Meter {
                    subject: &subject.key(),
                    feature: feature.id.as_str(),
                    window_start: 0,
                },
            )
            .await?;
            counts.push((feature.id.clone(), used));
        }
        Ok(can_change_plan(&self.catalog, target, &counts).into())
    }

    /// `subject`'s net uses of `feature` per day over the last `days` days (uses minus the
    /// refunds of failed ones), from the per-day totals kept beside the ledger: the dashboard's chart.
    pub async fn daily_uses(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        days: u32,
    ) -> Result<Vec<crate::domain::usage_history::DayUses>, AccessError> {
        use crate::domain::usage_history::{last_days, DAY};
        let now = self.db.now();
        let today = now.div_euclid(DAY);
        let shown = today - i64::from(days) + 1..=today;
        let counted =
            meter::uses_per_day(self.db.pool(), &subject.key(), feature.as_str(), shown).await?;
        Ok(last_days(&counted, now, days))
    }

    /// What the UI and `GET /api/usage` show: plan, status and every feature's usage.
    pub async fn summary(&self, subject: &Subject) -> Result<UsageSummary, AccessError> {
        summary::build(self, subject).await
    }

    /// [`Access::summary`] of a signed-in user whose role, ban and subscription this request
    /// has read already (the session's user, the subscription as the page's account read left
    /// it): one read fewer on every signed-in page, the same numbers.
    pub async fn member_summary(
        &self,
        user_id: i64,
        member: Member,
    ) -> Result<UsageSummary, AccessError> {
        summary::build_for_member(self, user_id, member).await
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }
}

/// Ledger keys are namespaced by subject and feature, so one caller's key never collides with
/// another's: the subject's key, then [`ledger_key_suffix`].
fn ledger_key(subject: &Subject, feature: &Feature, key: &IdempotencyKey) -> String {
    format!("{}{}", subject.key(), ledger_key_suffix(feature, key))
}

/// What follows the subject's key in a ledger key (the charge read builds an API key owner's
/// ledger key in SQL from it).
fn ledger_key_suffix(feature: &Feature, key: &IdempotencyKey) -> String {
    format!(":{}:{}", feature.id, key.as_str())
}
