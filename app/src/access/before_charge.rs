//! What a charge can settle before it writes: who the subject is and what they have used of
//! the feature, in one read beside the writer. A caller presenting an API key is looked up in
//! that same read (the key's owner is the subject).
//!
//! A charge that cannot fit (the allowance spent, no credits to stretch it) is answered from
//! this read alone: it never queues for the write lock, and a client hammering a spent
//! allowance costs one read per request. That "no" is exact, not a guess: the read is one
//! statement, so it sees one committed state, and the refusal is what a charge at that moment
//! would have answered (usage only grows between reads; a refund or a grant committed after it
//! is seen by the next request, as it would be had this one arrived a moment earlier).
//! Whatever this read cannot settle — the charge may fit, a newer window exists, or the key
//! was used before and must be answered as a replay — goes to the atomic charge in `meter`.

use super::meter::REFUND_PREFIX;
use super::subject::{member_columns, MemberRow, Payer, Profile, Subject, USER_KEY_PREFIX};
use crate::auth::api_keys::{self, live_api_key};
use crate::db::{Db, DbError};
use crate::domain::decision::Usage;
use crate::domain::Who;

/// The stored usage columns of one subject (its row key the SQL expression `$subject`) and
/// feature `$2`, and of one ledger key (the subject's key, then `$3`; its refund's begins with
/// `$4`): the newest counter window, its count, the credit balance, and whether the key was
/// used.
macro_rules! usage_columns {
    ($subject:literal) => {
        concat!(
            "(SELECT c.window_start FROM usage_counters c WHERE c.subject = ",
            $subject,
            " AND c.feature = $2 ORDER BY c.window_start DESC LIMIT 1) AS latest_window,
             (SELECT c.used FROM usage_counters c WHERE c.subject = ",
            $subject,
            " AND c.feature = $2 ORDER BY c.window_start DESC LIMIT 1) AS latest_used,
             (SELECT b.balance FROM credit_balances b WHERE b.subject = ",
            $subject,
            " AND b.feature = $2) AS credits,
             (SELECT COUNT(*) FROM usage_ledger l WHERE l.idempotency_key IN (",
            $subject,
            " || $3, $4 || ",
            $subject,
            " || $3)) AS keyed"
        )
    };
}

#[derive(Debug, Clone, Copy, sqlx::FromRow)]
struct StoredUsage {
    latest_window: Option<i64>,
    latest_used: Option<i64>,
    credits: Option<i64>,
    keyed: i64,
}

#[derive(sqlx::FromRow)]
struct MemberWithUsage {
    #[sqlx(flatten)]
    member: MemberRow,
    #[sqlx(flatten)]
    usage: StoredUsage,
}

/// An API key's row, its owner and the owner's usage.
#[derive(sqlx::FromRow)]
struct KeyOwnerWithUsage {
    key_id: i64,
    key_last_used_at: Option<i64>,
    user_id: i64,
    #[sqlx(flatten)]
    owner: MemberWithUsage,
}

/// The subject, their profile and their stored usage, read together.
pub(super) struct BeforeCharge {
    pub subject: Subject,
    pub profile: Profile,
    usage: StoredUsage,
}

impl BeforeCharge {
    /// The usage of the window starting at `window_start` as read, or `None` when this read
    /// cannot settle the charge: the key was used before (a replay, answered by the charge), a
    /// later window is stored (a clock or period change the charge sorts out), or a stored
    /// number is out of range (the charge reports it).
    pub fn settled_usage(&self, window_start: i64) -> Option<Usage> {
        let stored = self.usage;
        if stored.keyed != 0 {
            return None;
        }
        let used = match (stored.latest_window, stored.latest_used) {
            (Some(latest), Some(used)) if latest == window_start => u64::try_from(used).ok()?,
            (Some(latest), _) if latest > window_start => return None,
            // No row for this window yet: nothing used in it.
            _ => 0,
        };
        let credits = u64::try_from(stored.credits.unwrap_or(0)).ok()?;
        Some(Usage { used, credits })
    }
}

/// Reads who `payer` is with their stored usage of `feature` and whether the ledger key
/// (the subject's key followed by `key_suffix`) was used. `None` when the user does not exist,
/// or the API key is not a live one.
pub(super) async fn read(
    db: &Db,
    payer: &Payer,
    feature: &str,
    key_suffix: &str,
    grace_days: u32,
    now: i64,
) -> Result<Option<BeforeCharge>, DbError> {
    let subject = match payer {
        Payer::ApiKey(hash) => {
            return read_key_owner(db, hash, feature, key_suffix, grace_days, now).await
        }
        Payer::Subject(subject) => subject,
    };
    let subject_key = subject.key();
    match subject {
        Subject::User(id) => {
            let row: Option<MemberWithUsage> = sqlx::query_as(concat!(
                "SELECT ",
                member_columns!(),
                ", ",
                usage_columns!("$1"),
                " FROM users u LEFT JOIN subscriptions s ON s.user_id = u.id WHERE u.id = $5"
            ))
            .bind(&subject_key)
            .bind(feature)
            .bind(key_suffix)
            .bind(REFUND_PREFIX)
            .bind(*id)
            .fetch_optional(db.pool())
            .await?;
            Ok(row.map(|row| BeforeCharge {
                subject: subject.clone(),
                profile: row.member.into_profile(grace_days, now),
                usage: row.usage,
            }))
        }
        Subject::Guest(_) | Subject::UnnamedGuest => {
            let usage: StoredUsage = sqlx::query_as(concat!("SELECT ", usage_columns!("$1")))
                .bind(&subject_key)
                .bind(feature)
                .bind(key_suffix)
                .bind(REFUND_PREFIX)
                .fetch_one(db.pool())
                .await?;
            Ok(Some(BeforeCharge {
                subject: subject.clone(),
                profile: Profile {
                    who: Who::Guest,
                    subscription: None,
                },
                usage,
            }))
        }
    }
}

/// The owner of the live API key `hash` with their usage, in one read; the subject's row key
/// is built in SQL (`USER_KEY_PREFIX`, `$5`) the way [`Subject::key`] builds it.
async fn read_key_owner(
    db: &Db,
    hash: &str,
    feature: &str,
    key_suffix: &str,
    grace_days: u32,
    now: i64,
) -> Result<Option<BeforeCharge>, DbError> {
    let row: Option<KeyOwnerWithUsage> = sqlx::query_as(concat!(
        "SELECT k.id AS key_id, k.last_used_at AS key_last_used_at, u.id AS user_id, ",
        member_columns!(),
        ", ",
        usage_columns!("($5 || CAST(u.id AS TEXT))"),
        " FROM api_keys k JOIN users u ON u.id = k.user_id
          LEFT JOIN subscriptions s ON s.user_id = u.id WHERE ",
        live_api_key!()
    ))
    .bind(hash)
    .bind(feature)
    .bind(key_suffix)
    .bind(REFUND_PREFIX)
    .bind(USER_KEY_PREFIX)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    api_keys::touch(db, row.key_id, row.key_last_used_at).await?;
    Ok(Some(BeforeCharge {
        subject: Subject::User(row.user_id),
        profile: row.owner.member.into_profile(grace_days, now),
        usage: row.owner.usage,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_as(
        latest_window: Option<i64>,
        latest_used: Option<i64>,
        credits: Option<i64>,
        keyed: i64,
    ) -> BeforeCharge {
        BeforeCharge {
            subject: Subject::UnnamedGuest,
            profile: Profile {
                who: Who::Guest,
                subscription: None,
            },
            usage: StoredUsage {
                latest_window,
                latest_used,
                credits,
                keyed,
            },
        }
    }

    #[test]
    fn the_current_window_is_read_as_stored() {
        let read = read_as(Some(100), Some(7), Some(3), 0);
        assert_eq!(
            read.settled_usage(100),
            Some(Usage {
                used: 7,
                credits: 3
            })
        );
    }

    #[test]
    fn an_older_window_or_none_means_nothing_used_yet() {
        let old = read_as(Some(50), Some(9), None, 0);
        assert_eq!(
            old.settled_usage(100),
            Some(Usage {
                used: 0,
                credits: 0
            })
        );
        let none = read_as(None, None, None, 0);
        assert_eq!(
            none.settled_usage(100),
            Some(Usage {
                used: 0,
                credits: 0
            })
        );
    }

    #[test]
    fn a_used_key_or_a_later_window_is_left_to_the_charge() {
        assert_eq!(
            read_as(Some(100), Some(1), None, 1).settled_usage(100),
            None
        );
        assert_eq!(
            read_as(Some(200), Some(1), None, 0).settled_usage(100),
            None
        );
        assert_eq!(
            read_as(Some(100), Some(-1), None, 0).settled_usage(100),
            None
        );
    }

    /// The API key path builds its owner's row keys in SQL; it must find exactly what the
    /// subject path (keys built by `Subject::key`) finds.
    #[tokio::test]
    async fn an_api_key_reads_what_its_owner_has_used_as_the_owner_would() {
        use crate::db::{DatabaseUrl, Db};
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = Db::connect(&DatabaseUrl::parse(&url).unwrap())
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let email = crate::domain::EmailAddress::parse("owner@example.com").unwrap();
        let owner = crate::auth::users::find_or_create(&db, &email, None, None)
            .await
            .unwrap();
        let presented = api_keys::create(&db, owner.id, "script").await.unwrap();
        let hash = api_keys::presented_hash(&presented).unwrap();
        let subject = Subject::User(owner.id);
        let key = subject.key();
        for sql in [
            "INSERT INTO usage_counters (subject, feature, window_start, used) VALUES ($1, 'generations', 100, 3)",
            "INSERT INTO credit_balances (subject, feature, balance) VALUES ($1, 'generations', 2)",
        ] {
            sqlx::query(sql).bind(&key).execute(db.pool()).await.unwrap();
        }
        let ledger = |kind: &'static str, ledger_key: String| {
            sqlx::query(
                "INSERT INTO usage_ledger
                    (idempotency_key, subject, feature, kind, window_start, from_allowance, from_credits, created_at)
                 VALUES ($1, $2, 'generations', $3, 100, 1, 0, 150)",
            )
            .bind(ledger_key)
            .bind(key.clone())
            .bind(kind)
        };
        ledger("consume", format!("{key}:generations:used"))
            .execute(db.pool())
            .await
            .unwrap();
        ledger("refund", format!("refund:{key}:generations:refunded"))
            .execute(db.pool())
            .await
            .unwrap();

        let by_key = Payer::ApiKey(hash.clone());
        let by_subject = Payer::Subject(subject.clone());
        for payer in [&by_key, &by_subject] {
            let read = |suffix: &'static str| read(&db, payer, "generations", suffix, 3, 150);
            let fresh = read(":generations:fresh").await.unwrap().unwrap();
            assert_eq!(fresh.subject, subject);
            let expected = Usage {
                used: 3,
                credits: 2,
            };
            assert_eq!(fresh.settled_usage(100), Some(expected), "{payer:?}");
            let used = read(":generations:used").await.unwrap().unwrap();
            assert_eq!(used.settled_usage(100), None, "a used key: {payer:?}");
            let refunded = read(":generations:refunded").await.unwrap().unwrap();
            assert_eq!(
                refunded.settled_usage(100),
                None,
                "a refunded key: {payer:?}"
            );
        }

        let unknown = Payer::ApiKey("0".repeat(64));
        let none = read(&db, &unknown, "generations", ":generations:x", 3, 150).await;
        assert!(none.unwrap().is_none(), "no such key");
        sqlx::query("UPDATE api_keys SET revoked_at = 1")
            .execute(db.pool())
            .await
            .unwrap();
        let revoked = read(&db, &by_key, "generations", ":generations:x", 3, 150).await;
        assert!(revoked.unwrap().is_none(), "a revoked key finds no one");
    }
}
