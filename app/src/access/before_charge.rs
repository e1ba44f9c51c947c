//! What a charge can settle before it writes: who the subject is and what they have used of
//! the feature, in one read beside the writer.
//!
//! A charge that cannot fit (the allowance spent, no credits to stretch it) is answered from
//! this read alone: it never queues for the write lock, and a client hammering a spent
//! allowance costs one read per request. That "no" is exact, not a guess: the read is one
//! statement, so it sees one committed state, and the refusal is what a charge at that moment
//! would have answered (usage only grows between reads; a refund or a grant committed after it
//! is seen by the next request, as it would be had this one arrived a moment earlier).
//! Whatever this read cannot settle — the charge may fit, a newer window exists, or the key
//! was used before and must be answered as a replay — goes to the atomic charge in `meter`.

use super::meter::refund_key;
use super::subject::{member_columns, MemberRow, Profile, Subject};
use crate::db::{Db, DbError};
use crate::domain::decision::Usage;
use crate::domain::Who;

/// The stored usage columns of one (subject `$1`, feature `$2`) and ledger key (`$3`, its
/// refund `$4`): the newest counter window, its count, the credit balance, and whether the
/// key was used.
macro_rules! usage_columns {
    () => {
        "(SELECT c.window_start FROM usage_counters c WHERE c.subject = $1 AND c.feature = $2
          ORDER BY c.window_start DESC LIMIT 1) AS latest_window,
         (SELECT c.used FROM usage_counters c WHERE c.subject = $1 AND c.feature = $2
          ORDER BY c.window_start DESC LIMIT 1) AS latest_used,
         (SELECT b.balance FROM credit_balances b WHERE b.subject = $1 AND b.feature = $2)
          AS credits,
         (SELECT COUNT(*) FROM usage_ledger l WHERE l.idempotency_key IN ($3, $4)) AS keyed"
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

/// The profile and the stored usage, read together.
pub(super) struct BeforeCharge {
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

/// Reads `subject`'s profile with their stored usage of `feature` (row key `subject_key`) and
/// whether `ledger_key` was used. `None` when the user does not exist.
pub(super) async fn read(
    db: &Db,
    subject: &Subject,
    feature: &str,
    ledger_key: &str,
    grace_days: u32,
    now: i64,
) -> Result<Option<BeforeCharge>, DbError> {
    let subject_key = subject.key();
    let refund = refund_key(ledger_key);
    match subject {
        Subject::User(id) => {
            let row: Option<MemberWithUsage> = sqlx::query_as(concat!(
                "SELECT ",
                member_columns!(),
                ", ",
                usage_columns!(),
                " FROM users u LEFT JOIN subscriptions s ON s.user_id = u.id WHERE u.id = $5"
            ))
            .bind(&subject_key)
            .bind(feature)
            .bind(ledger_key)
            .bind(&refund)
            .bind(*id)
            .fetch_optional(db.pool())
            .await?;
            Ok(row.map(|row| BeforeCharge {
                profile: row.member.into_profile(grace_days, now),
                usage: row.usage,
            }))
        }
        Subject::Guest(_) | Subject::UnnamedGuest => {
            let usage: StoredUsage = sqlx::query_as(concat!("SELECT ", usage_columns!()))
                .bind(&subject_key)
                .bind(feature)
                .bind(ledger_key)
                .bind(&refund)
                .fetch_one(db.pool())
                .await?;
            Ok(Some(BeforeCharge {
                profile: Profile {
                    who: Who::Guest,
                    subscription: None,
                },
                usage,
            }))
        }
    }
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
}
