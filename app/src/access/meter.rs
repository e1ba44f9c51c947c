//! The atomic part: charging, refunding and granting metered usage in SQL.
//!
//! Every change is one transaction whose first statement writes (so SQLite takes its write
//! lock at once and waits politely instead of failing), and whose limits are enforced by
//! conditional UPDATEs (`… WHERE used + n <= limit RETURNING used`), never read-then-write: on
//! PostgreSQL the row lock makes concurrent charges from any number of processes queue up and
//! re-check the condition. The ledger row is appended after the counter; its unique key makes
//! a charge under a key used before take back what it just took, in the same transaction.
//! Usage transactions come from `Db::begin` (SQLite's one writer connection; see `crate::db`
//! for their durability); on SQLite charges share them (`super::group_commit`).

use super::{at_once, Replay};
use crate::db::{Backend, Db, DbError};
use sqlx::{Any, AnyConnection, Connection, Pool, Transaction};

/// Where a charge goes.
#[derive(Debug, Clone, Copy)]
pub struct Meter<'a> {
    pub subject: &'a str,
    pub feature: &'a str,
    pub window_start: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charge {
    /// Charged; the window's count and the credit balance after the charge, and how many
    /// credits the charge took (0 when the allowance covered it).
    Charged {
        used: u64,
        credits: u64,
        from_credits: u64,
    },
    /// The key was used before (and what became of that use): nothing changed.
    Replayed(Replay),
    /// Neither the allowance nor the credits cover it: nothing changed.
    Insufficient,
}

/// An amount as the database stores it; one too large for the column is an error, not a
/// silently smaller number.
pub(super) fn to_db(n: u64) -> Result<i64, DbError> {
    i64::try_from(n).map_err(|_| DbError::OutOfRange(format!("the amount {n} is too large")))
}

/// A stored count or balance; a negative one means the rows were changed behind the ledger's
/// back, and is reported rather than read as 0.
pub(super) fn from_db(n: i64, what: &str) -> Result<u64, DbError> {
    u64::try_from(n).map_err(|_| DbError::OutOfRange(format!("a {what} of {n} is stored")))
}

/// One charge, owned, so that it can wait for a group commit (`super::group_commit`).
#[derive(Debug, Clone)]
pub struct ChargeOrder {
    pub subject: String,
    pub feature: String,
    pub window_start: i64,
    pub n: u64,
    /// `None`: unlimited.
    pub limit: Option<u64>,
    /// Whether credits may pay when the allowance does not cover `n`.
    pub use_credits: bool,
    /// The ledger key: a second charge under it changes nothing.
    pub key: String,
    pub now: i64,
}

impl ChargeOrder {
    /// Whether the credit balance is part of what is left after this charge: credits only
    /// change it when there is a limit they stretch.
    pub(super) fn credits_stretch_the_limit(&self) -> bool {
        self.use_credits && self.limit.is_some()
    }

    pub(super) fn meter(&self) -> Meter<'_> {
        Meter {
            subject: &self.subject,
            feature: &self.feature,
            window_start: self.window_start,
        }
    }
}

/// Charges `order` in a transaction of its own.
pub async fn charge(db: &Db, order: &ChargeOrder) -> Result<Charge, DbError> {
    let mut held;
    let mut tx = if db.backend() == Backend::Postgres {
        // Outside a transaction, where a statement the ledger's key aborts spoils nothing; the
        // transaction, when needed, then runs on the same connection.
        held = db.usage_pool().acquire().await?;
        if let Some(charge) = at_once::charge(&mut held, order).await? {
            return Ok(charge);
        }
        held.begin().await?
    } else {
        db.begin().await?
    };
    let charge = charge_in(&mut tx, order).await?;
    tx.commit().await?;
    Ok(charge)
}

/// Charges `n` to the window's allowance when it fits under `limit`, else to the credit
/// balance when `use_credits`, all or nothing, and appends the ledger row `key`; inside the
/// caller's transaction, which stays consistent whatever the answer, so that several charges
/// can share one commit.
///
/// The common case is two statements: one conditional update of the counter and the ledger
/// row, whose unique key turns a retry into a replay (the charge is then taken back in the
/// same transaction). A refusal writes nothing — not even a ledger row to take back, so a
/// client hammering a spent allowance leaves no dead rows behind — and still answers a retry
/// of a charged key as a replay.
///
/// PostgreSQL tries the common charge as one statement before opening the transaction
/// (`charge`, `at_once`).
pub async fn charge_in(conn: &mut AnyConnection, order: &ChargeOrder) -> Result<Charge, DbError> {
    let meter = order.meter();
    let n = order.n;
    let limit = match order.limit {
        Some(limit) => to_db(limit)?,
        None => -1,
    };
    let n_db = to_db(n)?;
    // A plain conditional UPDATE first: when it refuses, PostgreSQL locks nothing (an upsert's
    // DO UPDATE would lock the row even when its WHERE fails, queueing every refusal of one
    // subject behind the others). Only a window's first use inserts; if a concurrent first use
    // inserted the row meanwhile, the UPDATE is tried once more against it.
    let mut used = add_to_counter(conn, meter, n_db, limit).await?;
    if used.is_none() {
        used = sqlx::query_scalar(
            "INSERT INTO usage_counters (subject, feature, window_start, used)
             SELECT $1, $2, $3, $4 WHERE $5 < 0 OR $4 <= $5
             ON CONFLICT (subject, feature, window_start) DO NOTHING
             RETURNING used",
        )
        .bind(meter.subject)
        .bind(meter.feature)
        .bind(meter.window_start)
        .bind(n_db)
        .bind(limit)
        .fetch_optional(&mut *conn)
        .await?;
        if used.is_none() {
            used = add_to_counter(conn, meter, n_db, limit).await?;
        }
    }
    let (from_allowance, from_credits, left) = match used {
        Some(_) => (n, 0, None),
        None if order.use_credits => {
            let left: Option<i64> = sqlx::query_scalar(
                "UPDATE credit_balances SET balance = balance - $3
                 WHERE subject = $1 AND feature = $2 AND balance >= $3
                 RETURNING balance",
            )
            .bind(meter.subject)
            .bind(meter.feature)
            .bind(n_db)
            .fetch_optional(&mut *conn)
            .await?;
            match left {
                Some(left) => (0, n, Some(from_db(left, "credit balance")?)),
                None => return refused(conn, &order.key).await,
            }
        }
        None => return refused(conn, &order.key).await,
    };
    let key = order.key.as_str();
    if !append(
        conn,
        meter,
        "consume",
        key,
        from_allowance,
        from_credits,
        order.now,
    )
    .await?
    {
        // The key was used before: this call takes back what it just took, and changes nothing.
        give_back(conn, meter, to_db(from_allowance)?, to_db(from_credits)?).await?;
        let earlier = earlier_use(conn, key).await?;
        return Ok(Charge::Replayed(earlier.unwrap_or(Replay::Charged)));
    }
    let used = match used {
        Some(used) => from_db(used, "usage count")?,
        None => counter(conn, meter).await?,
    };
    let credits = match left {
        Some(left) => left,
        None if order.credits_stretch_the_limit() => {
            balance(conn, meter.subject, meter.feature).await?
        }
        None => 0,
    };
    Ok(Charge::Charged {
        used,
        credits,
        from_credits,
    })
}

/// Puts back what one consumption took from the window's counter and the credit balance: a
/// refund, or a charge undone in its own transaction (its ledger row turned out to exist).
async fn give_back(
    conn: &mut AnyConnection,
    meter: Meter<'_>,
    from_allowance: i64,
    from_credits: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE usage_counters SET used = used - $4
         WHERE subject = $1 AND feature = $2 AND window_start = $3 AND used >= $4",
    )
    .bind(meter.subject)
    .bind(meter.feature)
    .bind(meter.window_start)
    .bind(from_allowance)
    .execute(&mut *conn)
    .await?;
    if from_credits > 0 {
        add_credits(conn, meter.subject, meter.feature, from_credits).await?;
    }
    Ok(())
}

/// Adds `n` to the window's counter if it stays within `limit` (negative: unlimited); the
/// count after, or `None` when it would not fit or there is no row yet.
async fn add_to_counter(
    conn: &mut AnyConnection,
    meter: Meter<'_>,
    n: i64,
    limit: i64,
) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar(
        "UPDATE usage_counters SET used = used + $4
         WHERE subject = $1 AND feature = $2 AND window_start = $3 AND ($5 < 0 OR used + $4 <= $5)
         RETURNING used",
    )
    .bind(meter.subject)
    .bind(meter.feature)
    .bind(meter.window_start)
    .bind(n)
    .bind(limit)
    .fetch_optional(conn)
    .await?)
}

/// Neither the allowance nor the credits cover the charge: nothing was written. A key charged
/// before is still answered as a replay (a retry must learn its first attempt counted).
async fn refused(conn: &mut AnyConnection, key: &str) -> Result<Charge, DbError> {
    let earlier = earlier_use(conn, key).await?;
    Ok(earlier.map_or(Charge::Insufficient, Charge::Replayed))
}

/// What became of an earlier use of `key`, if there was one.
async fn earlier_use(conn: &mut AnyConnection, key: &str) -> Result<Option<Replay>, DbError> {
    let seen: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM usage_ledger WHERE idempotency_key IN ($1, $2)")
            .bind(key)
            .bind(refund_key(key))
            .fetch_all(conn)
            .await?;
    Ok(if seen.iter().any(|kind| kind == "refund") {
        Some(Replay::Refunded)
    } else if seen.is_empty() {
        None
    } else {
        Some(Replay::Charged)
    })
}

/// How a refund's ledger key begins: the refunded charge's key follows.
pub(super) const REFUND_PREFIX: &str = "refund:";

/// The ledger key of the refund of the consumption `key`.
pub(super) fn refund_key(key: &str) -> String {
    format!("{REFUND_PREFIX}{key}")
}

/// When the consumption `key` was charged.
pub async fn charged_at(pool: &Pool<Any>, key: &str) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT created_at FROM usage_ledger WHERE idempotency_key = $1 AND kind = 'consume'",
    )
    .bind(key)
    .fetch_optional(pool)
    .await?)
}

/// Gives back what the consumption `key` took, once: returns false when there is no such
/// consumption or it was refunded already.
pub async fn refund(db: &Db, key: &str, now: i64) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    lock_as_a_charge_does(&mut tx, key).await?;
    let refund_key = refund_key(key);
    let row: Option<(String, String, i64, i64, i64)> = sqlx::query_as(
        "INSERT INTO usage_ledger
             (idempotency_key, subject, feature, kind, window_start, from_allowance, from_credits, created_at)
         SELECT $1, subject, feature, 'refund', window_start, from_allowance, from_credits, $3
         FROM usage_ledger WHERE idempotency_key = $2 AND kind = 'consume'
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING subject, feature, window_start, from_allowance, from_credits",
    )
    .bind(&refund_key)
    .bind(key)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((subject, feature, window_start, from_allowance, from_credits)) = row else {
        tx.rollback().await?;
        return Ok(false);
    };
    let meter = Meter {
        subject: &subject,
        feature: &feature,
        window_start,
    };
    give_back(&mut tx, meter, from_allowance, from_credits).await?;
    if from_credits > 0 {
        // Taken back meanwhile (a refunded pack): what comes back pays what is owed first.
        let back = from_db(from_credits, "refunded credits")?;
        pay_debt(&mut tx, meter, back, &refund_key, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Locks the rows a refund of the consumption `key` changes in the order a charge locks them:
/// its window's counter, then the credit balance it drew on; the day's total (`usage_days`,
/// through the ledger's trigger) comes last, with the refund's ledger row. Writing the ledger row
/// first would take the day's total before the counter, the reverse of a charge of the same
/// subject, and PostgreSQL would abort one of the two as a deadlock. Both are no-op updates: the
/// first is also the transaction's first statement, a write (see the module doc).
async fn lock_as_a_charge_does(conn: &mut AnyConnection, key: &str) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE usage_counters SET used = used
         WHERE (subject, feature, window_start) IN
             (SELECT subject, feature, window_start FROM usage_ledger
              WHERE idempotency_key = $1 AND kind = 'consume')",
    )
    .bind(key)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE credit_balances SET balance = balance
         WHERE (subject, feature) IN
             (SELECT subject, feature FROM usage_ledger
              WHERE idempotency_key = $1 AND kind = 'consume' AND from_credits > 0)",
    )
    .bind(key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Adds `n` credits once per `key` (a purchase, an operator's grant); false when the key was
/// used before.
pub async fn grant(
    tx: &mut Transaction<'_, Any>,
    subject: &str,
    feature: &str,
    n: u64,
    key: &str,
    now: i64,
) -> Result<bool, DbError> {
    let meter = Meter {
        subject,
        feature,
        window_start: 0,
    };
    // A key granted before appends nothing (unique key), and then nothing is added.
    if !append(tx, meter, "grant", key, 0, n, now).await? {
        return Ok(false);
    }
    add_credits(tx, subject, feature, to_db(n)?).await?;
    pay_debt(tx, meter, n, key, now).await?;
    Ok(true)
}

/// Credits owed from a refunded pack are paid first from `available` credits just added (a
/// grant, or the credits a failed use gives back), as a clawback under `debt:<key>`.
async fn pay_debt(
    tx: &mut Transaction<'_, Any>,
    meter: Meter<'_>,
    available: u64,
    key: &str,
    now: i64,
) -> Result<(), DbError> {
    let (subject, feature) = (meter.subject, meter.feature);
    let owed = locked_debt(tx, subject, feature).await?;
    let pay = owed.min(available);
    if pay > 0 {
        let debt = Meter {
            window_start: 0,
            ..meter
        };
        append(tx, debt, "clawback", &format!("debt:{key}"), 0, pay, now).await?;
        take_credits(tx, subject, feature, pay).await?;
        sqlx::query("UPDATE credit_debts SET owed = owed - $3 WHERE subject = $1 AND feature = $2")
            .bind(subject)
            .bind(feature)
            .bind(to_db(pay)?)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// What taking back credits did: `taken` off the balance, `owed` (already spent) left as debt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClawedBack {
    pub taken: u64,
    pub owed: u64,
}

/// Takes back `n` credits once per `key` (a refunded or disputed purchase): what is left of the
/// balance goes at once, the rest is owed and paid first by the next grant. `None` when the key
/// was used before.
pub async fn claw_back(
    tx: &mut Transaction<'_, Any>,
    subject: &str,
    feature: &str,
    n: u64,
    key: &str,
    now: i64,
) -> Result<Option<ClawedBack>, DbError> {
    let meter = Meter {
        subject,
        feature,
        window_start: 0,
    };
    // Made if missing and locked first, so neither a consumption nor a first grant in another
    // process works on the balance (or misses the debt) while it is being taken.
    let balance: i64 = sqlx::query_scalar(
        "INSERT INTO credit_balances (subject, feature, balance) VALUES ($1, $2, 0)
         ON CONFLICT (subject, feature) DO UPDATE SET balance = credit_balances.balance
         RETURNING balance",
    )
    .bind(subject)
    .bind(feature)
    .fetch_one(&mut **tx)
    .await?;
    let balance = from_db(balance, "credit balance")?;
    let taken = balance.min(n);
    if !append(tx, meter, "clawback", key, 0, taken, now).await? {
        return Ok(None);
    }
    if taken > 0 {
        take_credits(tx, subject, feature, taken).await?;
    }
    let owed = n - taken;
    if owed > 0 {
        sqlx::query(
            "INSERT INTO credit_debts (subject, feature, owed) VALUES ($1, $2, $3)
             ON CONFLICT (subject, feature) DO UPDATE SET owed = credit_debts.owed + excluded.owed",
        )
        .bind(subject)
        .bind(feature)
        .bind(to_db(owed)?)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Some(ClawedBack { taken, owed }))
}

/// The credits `subject` owes, per feature (taken back after they were spent).
pub async fn debts(pool: &Pool<Any>, subject: &str) -> Result<Vec<(String, u64)>, DbError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT feature, owed FROM credit_debts WHERE subject = $1 AND owed > 0 ORDER BY feature",
    )
    .bind(subject)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(feature, owed)| Ok((feature, from_db(owed, "credits owed")?)))
        .collect()
}

/// What the subject owes of the feature (0 when nothing), its row locked until the transaction
/// ends: a no-op UPDATE, so PostgreSQL locks the row and SQLite takes its write lock at once.
async fn locked_debt(
    tx: &mut Transaction<'_, Any>,
    subject: &str,
    feature: &str,
) -> Result<u64, DbError> {
    let owed: Option<i64> = sqlx::query_scalar(
        "UPDATE credit_debts SET owed = owed WHERE subject = $1 AND feature = $2 RETURNING owed",
    )
    .bind(subject)
    .bind(feature)
    .fetch_optional(&mut **tx)
    .await?;
    from_db(owed.unwrap_or(0), "credits owed")
}

async fn take_credits(
    conn: &mut AnyConnection,
    subject: &str,
    feature: &str,
    n: u64,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE credit_balances SET balance = balance - $3 WHERE subject = $1 AND feature = $2",
    )
    .bind(subject)
    .bind(feature)
    .bind(to_db(n)?)
    .execute(conn)
    .await?;
    Ok(())
}

/// Locks the subject's count of a count feature until `tx` ends (creating its row), so that
/// counting the live items and adding or removing one happen one transaction at a time per
/// subject, in any number of processes. Its first statement writes, so SQLite takes its write
/// lock at once.
pub async fn lock_count(
    tx: &mut Transaction<'_, Any>,
    subject: &str,
    feature: &str,
) -> Result<(), DbError> {
    let meter = Meter {
        subject,
        feature,
        window_start: 0,
    };
    ensure_counter(tx, meter).await?;
    sqlx::query(
        "UPDATE usage_counters SET used = used
         WHERE subject = $1 AND feature = $2 AND window_start = 0",
    )
    .bind(subject)
    .bind(feature)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores `live`, the number of items the caller counted under `lock_count`, for summaries.
pub async fn record_count(
    tx: &mut Transaction<'_, Any>,
    subject: &str,
    feature: &str,
    live: u64,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE usage_counters SET used = $3
         WHERE subject = $1 AND feature = $2 AND window_start = 0",
    )
    .bind(subject)
    .bind(feature)
    .bind(to_db(live)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The count of a window (0 when nothing was used) and the credit balance.
pub async fn usage(pool: &Pool<Any>, meter: Meter<'_>) -> Result<(u64, u64), DbError> {
    let mut conn = pool.acquire().await?;
    let used = counter(&mut conn, meter).await?;
    let credits = balance(&mut conn, meter.subject, meter.feature).await?;
    Ok((used, credits))
}

/// A subject's counters from `since` on (and at window 0) and all its credit balances.
pub struct Stored {
    counters: Vec<(String, i64, u64)>,
    balances: Vec<(String, u64)>,
}

impl Stored {
    pub fn used(&self, feature: &str, window_start: i64) -> u64 {
        self.counters
            .iter()
            .find(|(f, start, _)| f == feature && *start == window_start)
            .map_or(0, |(_, _, used)| *used)
    }

    pub fn credits(&self, feature: &str) -> u64 {
        self.balances
            .iter()
            .find(|(f, _)| f == feature)
            .map_or(0, |(_, balance)| *balance)
    }

    /// Every credit balance summed (what the summary's `credits` shows).
    pub fn total_credits(&self) -> u64 {
        self.balances.iter().map(|(_, balance)| balance).sum()
    }
}

/// Everything a usage summary reads, in one query (not two per feature).
pub async fn everything(pool: &Pool<Any>, subject: &str, since: i64) -> Result<Stored, DbError> {
    // One statement, so counters and balances are read from one committed state (and in one
    // round trip); a balance is the row without a window.
    let rows: Vec<(String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT feature, window_start, used FROM usage_counters
         WHERE subject = $1 AND (window_start >= $2 OR window_start = 0)
         UNION ALL
         SELECT feature, NULL, balance FROM credit_balances WHERE subject = $1",
    )
    .bind(subject)
    .bind(since)
    .fetch_all(pool)
    .await?;
    let mut stored = Stored {
        counters: Vec::new(),
        balances: Vec::new(),
    };
    for (feature, window_start, amount) in rows {
        match window_start {
            Some(start) => {
                let used = from_db(amount, "usage count")?;
                stored.counters.push((feature, start, used));
            }
            None => {
                let balance = from_db(amount, "credit balance")?;
                stored.balances.push((feature, balance));
            }
        }
    }
    Ok(stored)
}

async fn ensure_counter(conn: &mut AnyConnection, meter: Meter<'_>) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO usage_counters (subject, feature, window_start, used) VALUES ($1, $2, $3, 0)
         ON CONFLICT (subject, feature, window_start) DO NOTHING",
    )
    .bind(meter.subject)
    .bind(meter.feature)
    .bind(meter.window_start)
    .execute(conn)
    .await?;
    Ok(())
}

async fn append(
    conn: &mut AnyConnection,
    meter: Meter<'_>,
    kind: &str,
    key: &str,
    from_allowance: u64,
    from_credits: u64,
    now: i64,
) -> Result<bool, DbError> {
    let inserted = sqlx::query(
        "INSERT INTO usage_ledger
             (idempotency_key, subject, feature, kind, window_start, from_allowance, from_credits, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(key)
    .bind(meter.subject)
    .bind(meter.feature)
    .bind(kind)
    .bind(meter.window_start)
    .bind(to_db(from_allowance)?)
    .bind(to_db(from_credits)?)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

async fn add_credits(
    conn: &mut AnyConnection,
    subject: &str,
    feature: &str,
    n: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO credit_balances (subject, feature, balance) VALUES ($1, $2, $3)
         ON CONFLICT (subject, feature) DO UPDATE SET balance = credit_balances.balance + excluded.balance",
    )
    .bind(subject)
    .bind(feature)
    .bind(n)
    .execute(conn)
    .await?;
    Ok(())
}

async fn counter(conn: &mut AnyConnection, meter: Meter<'_>) -> Result<u64, DbError> {
    let used: Option<i64> = sqlx::query_scalar(
        "SELECT used FROM usage_counters WHERE subject = $1 AND feature = $2 AND window_start = $3",
    )
    .bind(meter.subject)
    .bind(meter.feature)
    .bind(meter.window_start)
    .fetch_optional(conn)
    .await?;
    from_db(used.unwrap_or(0), "usage count")
}

async fn balance(conn: &mut AnyConnection, subject: &str, feature: &str) -> Result<u64, DbError> {
    let balance: Option<i64> = sqlx::query_scalar(
        "SELECT balance FROM credit_balances WHERE subject = $1 AND feature = $2",
    )
    .bind(subject)
    .bind(feature)
    .fetch_optional(conn)
    .await?;
    from_db(balance.unwrap_or(0), "credit balance")
}

/// (day number since 1970 in UTC, units used minus units refunded) of `subject`'s `feature`
/// on the days `days` that had any: read from the per-day totals a trigger keeps beside the
/// ledger (migration 0010), so a view reads at most a row per day however heavily the subject
/// generates.
pub(super) async fn uses_per_day(
    pool: &Pool<Any>,
    subject: &str,
    feature: &str,
    days: std::ops::RangeInclusive<i64>,
) -> Result<Vec<(i64, i64)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT day, uses FROM usage_days
         WHERE subject = $1 AND feature = $2 AND day BETWEEN $3 AND $4
         ORDER BY day",
    )
    .bind(subject)
    .bind(feature)
    .bind(*days.start())
    .bind(*days.end())
    .fetch_all(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_numbers_are_errors_not_clamped() {
        assert_eq!(to_db(5).unwrap(), 5);
        assert!(to_db(u64::MAX).is_err());
        assert_eq!(from_db(7, "usage count").unwrap(), 7);
        let err = from_db(-3, "usage count").unwrap_err().to_string();
        assert!(err.contains("a usage count of -3"), "{err}");
    }
}
