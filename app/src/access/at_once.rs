//! The common charge in one request to the database.
//!
//! Most charges find their window's counter already there, fit the allowance, and come with a
//! new key. For those, `meter::charge_in`'s two writes (the conditional counter update, then
//! the ledger row) are sent together: on PostgreSQL one statement, which is a transaction of
//! its own — one round trip instead of four (`BEGIN`, the two writes, `COMMIT`), and the
//! counter's row is locked only while the server runs it; on SQLite, whose charges already
//! share a transaction (`super::group_commit`), one hand-off to the driver's thread instead of
//! two. The statements are `charge_in`'s own, in its order (counter, then ledger row).
//!
//! Anything else answers `None` having changed nothing, and is left to `charge_in`: a window's
//! first use, an allowance that does not cover it (credits, refusals), a key used before —
//! also one a concurrent PostgreSQL charge under the same key has just written, whose unique
//! key then aborts the whole statement.

use super::meter::{from_db, to_db, Charge, ChargeOrder};
use crate::db::{Backend, DbError};
use sqlx::AnyConnection;

/// One statement: a writing `WITH` runs to completion whether or not its rows are read.
const POSTGRES: &str = "
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

/// SQLite has no writing `WITH`, but runs statements sent together in one request: the ledger
/// row is written only when the update changed the counter (`changes()`). Inside the writer's
/// transaction nobody else writes, so the key's check cannot race.
const SQLITE: &str = "
    UPDATE usage_counters SET used = used + $4
    WHERE subject = $1 AND feature = $2 AND window_start = $3
      AND ($5 < 0 OR used + $4 <= $5)
      AND NOT EXISTS (SELECT 1 FROM usage_ledger WHERE idempotency_key = $6)
    RETURNING used,
              (SELECT b.balance FROM credit_balances b WHERE b.subject = $1 AND b.feature = $2);
    INSERT INTO usage_ledger
        (idempotency_key, subject, feature, kind, window_start, from_allowance, from_credits, created_at)
    SELECT $6, $1, $2, 'consume', $3, $4, 0, $7 WHERE changes() = 1";

/// The charge when it is the common one, else `None` with nothing changed. On PostgreSQL call
/// it outside a transaction (a statement the ledger's key aborts would abort that too).
pub(super) async fn charge(
    conn: &mut AnyConnection,
    backend: Backend,
    order: &ChargeOrder,
) -> Result<Option<Charge>, DbError> {
    let meter = order.meter();
    let limit = match order.limit {
        Some(limit) => to_db(limit)?,
        None => -1,
    };
    let sql = match backend {
        Backend::Postgres => POSTGRES,
        Backend::Sqlite => SQLITE,
    };
    // `fetch_all`, not `fetch_optional`: the SQLite driver stops at the first row, and the
    // ledger row comes after it.
    let rows: Result<Vec<(i64, Option<i64>)>, sqlx::Error> = sqlx::query_as(sql)
        .bind(meter.subject)
        .bind(meter.feature)
        .bind(meter.window_start)
        .bind(to_db(order.n)?)
        .bind(limit)
        .bind(&order.key)
        .bind(order.now)
        .fetch_all(&mut *conn)
        .await;
    let (used, credits) = match rows {
        Ok(rows) => match rows.first() {
            Some(&row) => row,
            None => return Ok(None),
        },
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

#[cfg(test)]
mod tests {
    //! On SQLite (a file of its own). PostgreSQL's statement is exercised by every allowed
    //! charge of the integration suite run against PostgreSQL, and its race by
    //! `replaying_an_idempotency_key_never_charges_twice_even_concurrently`.
    use super::*;
    use crate::db::{DatabaseUrl, Db};

    fn order(key: &str, limit: Option<u64>) -> ChargeOrder {
        ChargeOrder {
            subject: "user:1".into(),
            feature: "generations".into(),
            window_start: 100,
            n: 1,
            limit,
            use_credits: true,
            key: key.into(),
            now: 150,
        }
    }

    async fn db(dir: &tempfile::TempDir) -> Db {
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = Db::connect(&DatabaseUrl::parse(&url).unwrap())
            .await
            .unwrap();
        db.migrate().await.unwrap();
        db
    }

    async fn counted(db: &Db) -> (i64, i64) {
        sqlx::query_as(
            "SELECT (SELECT COALESCE(SUM(used), 0) FROM usage_counters),
                    (SELECT COUNT(*) FROM usage_ledger)",
        )
        .fetch_one(db.pool())
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn settles_the_common_charge_and_leaves_everything_else_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(&dir).await;
        let mut tx = db.begin().await.unwrap();
        // A window's first use: no counter yet.
        let first = charge(&mut tx, Backend::Sqlite, &order("a", Some(2))).await;
        assert_eq!(first.unwrap(), None);
        sqlx::query(
            "INSERT INTO usage_counters (subject, feature, window_start, used)
             VALUES ('user:1', 'generations', 100, 0)",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO credit_balances (subject, feature, balance) VALUES ('user:1', 'generations', 5)",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        let charged = charge(&mut tx, Backend::Sqlite, &order("a", Some(2))).await;
        let expected = Charge::Charged {
            used: 1,
            credits: 5,
            from_credits: 0,
        };
        assert_eq!(charged.unwrap(), Some(expected));
        // The same key again, and a charge past the limit: left to `charge_in`, unchanged.
        let again = charge(&mut tx, Backend::Sqlite, &order("a", Some(2))).await;
        assert_eq!(again.unwrap(), None);
        let second = charge(&mut tx, Backend::Sqlite, &order("b", Some(2))).await;
        assert!(second.unwrap().is_some());
        let past = charge(&mut tx, Backend::Sqlite, &order("c", Some(2))).await;
        assert_eq!(past.unwrap(), None);
        tx.commit().await.unwrap();
        assert_eq!(counted(&db).await, (2, 2), "counter and ledger agree");
        let unlimited = charge(
            &mut db.usage_pool().acquire().await.unwrap(),
            Backend::Sqlite,
            &order("d", None),
        )
        .await;
        let expected = Charge::Charged {
            used: 3,
            credits: 0,
            from_credits: 0,
        };
        assert_eq!(
            unlimited.unwrap(),
            Some(expected),
            "no limit: credits don't count"
        );
        assert_eq!(counted(&db).await, (3, 3));
    }
}
