//! Count-limited resources (tracked accounts today): "at most N live items". Adding or
//! removing one locks the subject's count first and counts the live rows in the same
//! transaction, so the limit applies to the rows themselves — whatever else changed them —
//! and two adds at once can never both take the last slot.

use super::outcome::Refused;
use super::{meter, Access, AccessError, Subject};
use crate::db::{DbError, Tx};
use crate::domain::decision::{Denial, DenyReason, Grant};
use crate::domain::FeatureId;

/// Where a count feature's items live: one row per item in `table`, `owner_column = owner`.
/// The names are the resource module's constants, never input.
#[derive(Debug, Clone, Copy)]
pub struct CountedRows {
    pub table: &'static str,
    pub owner_column: &'static str,
    pub owner: i64,
}

impl CountedRows {
    async fn live(&self, tx: &mut Tx) -> Result<u64, DbError> {
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM {} WHERE {} = $1",
            self.table, self.owner_column
        );
        let live: i64 = sqlx::query_scalar(&sql)
            .bind(self.owner)
            .fetch_one(&mut **tx)
            .await?;
        u64::try_from(live).map_err(|_| DbError::OutOfRange(format!("{live} {}", self.table)))
    }
}

/// A transaction holding the lock on one subject's count of one feature. Add or remove items
/// through [`CountLock::tx`], then [`CountLock::commit`]; dropped uncommitted, it rolls back.
pub struct CountLock {
    tx: Tx,
    subject: String,
    feature: FeatureId,
    rows: CountedRows,
}

impl CountLock {
    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    /// Records the live rows as the subject's count (what summaries show) and commits.
    pub async fn commit(mut self) -> Result<(), AccessError> {
        let live = self.rows.live(&mut self.tx).await?;
        meter::record_count(&mut self.tx, &self.subject, self.feature.as_str(), live).await?;
        self.tx.commit().await.map_err(DbError::from)?;
        Ok(())
    }
}

impl Access {
    /// Room for one more item of count `feature`: the lock to insert it under, or the worded
    /// refusal (the plan's limit, or no access at all: plan, ban, payment).
    pub async fn begin_add(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        rows: CountedRows,
    ) -> Result<Result<CountLock, Refused>, AccessError> {
        let feature = self.feature(feature)?;
        // Read before the transaction, so it never waits on a second pool connection.
        let terms = match self.terms(subject, feature, self.db.now()).await? {
            Ok(terms) => terms,
            Err(denial) => return Ok(Err(self.worded(denial, feature))),
        };
        let Grant::Count { limit } = terms.grant else {
            return Err(AccessError::NotCounted(feature.id.to_string()));
        };
        let mut lock = self.lock(subject, &feature.id, rows).await?;
        let live = rows.live(&mut lock.tx).await?;
        if limit.is_some_and(|limit| live >= limit) {
            lock.tx.rollback().await.map_err(DbError::from)?;
            let denial = Denial {
                reason: DenyReason::LimitReached,
                upgrade_to: terms.upgrade_to,
                resets_at: None,
                limit,
            };
            return Ok(Err(self.worded(denial, feature)));
        }
        Ok(Ok(lock))
    }

    /// The lock to remove items of count `feature` under (removing is always allowed).
    pub async fn begin_remove(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        rows: CountedRows,
    ) -> Result<CountLock, AccessError> {
        let feature = self.feature(feature)?;
        if feature.kind != crate::domain::FeatureKind::Count {
            return Err(AccessError::NotCounted(feature.id.to_string()));
        }
        self.lock(subject, &feature.id, rows).await
    }

    async fn lock(
        &self,
        subject: &Subject,
        feature: &FeatureId,
        rows: CountedRows,
    ) -> Result<CountLock, AccessError> {
        let subject = subject.key();
        let mut tx = self.db.begin().await?;
        meter::lock_count(&mut tx, &subject, feature.as_str()).await?;
        Ok(CountLock {
            tx,
            subject,
            feature: feature.clone(),
            rows,
        })
    }
}
