//! PostgreSQL's common charge in one round trip.
//!
//! Most charges find their window's counter already there, fit the allowance, and come with a
//! new key. For those, `meter::charge_in`'s two writes (the conditional counter update, then
//! the ledger row, in that order) are one statement, which is a transaction of its own: one
//! round trip instead of four (`BEGIN`, the two writes, `COMMIT`), and the counter's row is
//! locked only while the server runs it.
//!
//! Anything else answers `None` having changed nothing, and is left to `charge_in`: a window's
//! first use, an allowance that does not cover it (credits, refusals), a key used before —
//! also one a concurrent charge under the same key has just written, whose unique key then
//! aborts the whole statement.
//!
//! SQLite has no such path: its charges already share one transaction per group
//! (`super::group_commit`), and the same two writes sent as one request measured no gain
//! there (docs/architecture.md).
//!
//! Tested by every allowed charge of the integration suite run against PostgreSQL, its race by
//! `replaying_an_idempotency_key_never_charges_twice_even_concurrently`, and the overspend
//! proofs.

use super::meter::{from_db, to_db, Charge, ChargeOrder};
use crate::db::DbError;
use sqlx::AnyConnection;

/// One statement: a writing `WITH` runs to completion whether or not its rows are read.
const STATEMENT: &str = "
    WITH counted AS (
        UPDATE usage_counters SET used = used + $4
        WHERE subject = $1 AND feature = $2 AND window_start = $3
          AND ($5 < 0 OR used + $4 <= $5)
          AND NOT EXISTS (SELECT 1 FROM usage_ledger WHERE idempotency_key = $6)
        RETURNING used
    ), appended AS (
        INSERT INTO usage_ledger
            (idempotency_key, subject, feature, kind, window_start, from_allowance, from_credits, created_at)
        SELECT $6, $1, $2, 'consume', $3, $4, 0, $7 FROM counted
    )
    SELECT used,
           (SELECT b.balance FROM credit_balances b WHERE b.subject = $1 AND b.feature = $2)
    FROM counted";

/// The charge when it is the common one, else `None` with nothing changed. Call it outside a
/// transaction: a statement the ledger's key aborts would abort that too.
pub(super) async fn charge(
    conn: &mut AnyConnection,
    order: &ChargeOrder,
) -> Result<Option<Charge>, DbError> {
    let meter = order.meter();
    let limit = match order.limit {
        Some(limit) => to_db(limit)?,
        None => -1,
    };
    let row: Result<Option<(i64, Option<i64>)>, sqlx::Error> = sqlx::query_as(STATEMENT)
        .bind(meter.subject)
        .bind(meter.feature)
        .bind(meter.window_start)
        .bind(to_db(order.n)?)
        .bind(limit)
        .bind(&order.key)
        .bind(order.now)
        .fetch_optional(&mut *conn)
        .await;
    let (used, credits) = match row {
        Ok(Some(row)) => row,
        Ok(None) => return Ok(None),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let credits = if order.credits_stretch_the_limit() {
        from_db(credits.unwrap_or(0), "credit balance")?
    } else {
        0
    };
    Ok(Some(Charge::Charged {
        used: from_db(used, "usage count")?,
        credits,
        from_credits: 0,
    }))
}
