//! Who is asking: a signed-in user (by session or API key) or a guest (by cookie).

use crate::billing::subscriptions;
use crate::db::{Db, DbError};
use crate::domain::{subscription, Subscription, Who};
use std::fmt;

/// The one a limit applies to. Guests are named by the hash of their cookie's token, never by
/// the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    User(i64),
    /// A guest the server named (the hash of their cookie's token).
    Guest(String),
    /// A visitor without a guest cookie, on a route that only reads: they have used nothing
    /// and hold nothing. Spending routes name a guest first (`caller::NoCookie::NameGuestFrom`).
    UnnamedGuest,
}

/// How a user's subject key begins (`u:<id>`): the one read that resolves an API key builds
/// the key of its owner's rows in SQL from it (`before_charge`).
pub(super) const USER_KEY_PREFIX: &str = "u:";

/// Who pays for a charge, as the request presented them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payer {
    /// Known already: a session's user, or a guest.
    Subject(Subject),
    /// An API key not looked up yet (the hash of its token): the read that settles a charge
    /// finds the key's owner as well, so a refused API request costs one read, not two.
    ApiKey(String),
}

impl Subject {
    /// The key of this subject's rows in `usage_counters`, `credit_balances`, `usage_ledger`.
    pub fn key(&self) -> String {
        self.to_string()
    }

    pub fn user_id(&self) -> Option<i64> {
        match self {
            Subject::User(id) => Some(*id),
            Subject::Guest(_) | Subject::UnnamedGuest => None,
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::User(id) => write!(f, "{USER_KEY_PREFIX}{id}"),
            Subject::Guest(hash) => write!(f, "g:{hash}"),
            // No stored row has this key (named guests' keys carry a 64-digit hash), so every
            // read finds nothing used.
            Subject::UnnamedGuest => f.write_str("g:"),
        }
    }
}

/// What the decision needs to know about a subject, read fresh on every call so a ban or a
/// plan change applies to the very next request.
#[derive(Debug, Clone)]
pub struct Profile {
    pub who: Who,
    pub subscription: Option<Subscription>,
}

/// The columns of [`MemberRow`] from `users u LEFT JOIN subscriptions s`, written once for
/// every query that reads a profile.
macro_rules! member_columns {
    () => {
        "u.role AS role, u.banned AS banned, s.plan_id AS plan_id, s.status AS status,
         s.current_period_start AS current_period_start,
         s.current_period_end AS current_period_end, s.past_due_since AS past_due_since,
         s.kept_plan_id AS kept_plan_id, s.kept_until AS kept_until"
    };
}
pub(super) use member_columns;

/// A user's access-relevant columns with their subscription, if any.
#[derive(sqlx::FromRow)]
pub(super) struct MemberRow {
    role: String,
    banned: i64,
    #[sqlx(flatten)]
    subscription: subscriptions::SubscriptionRow,
}

/// `None` when the user does not exist (deleted since the caller looked).
/// A past-due subscription keeps its plan for `grace_days`.
pub async fn load(
    db: &Db,
    subject: &Subject,
    grace_days: u32,
    now: i64,
) -> Result<Option<Profile>, DbError> {
    let user_id = match subject {
        Subject::Guest(_) | Subject::UnnamedGuest => {
            return Ok(Some(Profile {
                who: Who::Guest,
                subscription: None,
            }))
        }
        Subject::User(id) => *id,
    };
    let row: Option<MemberRow> = sqlx::query_as(concat!(
        "SELECT ",
        member_columns!(),
        " FROM users u LEFT JOIN subscriptions s ON s.user_id = u.id WHERE u.id = $1"
    ))
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|row| row.into_profile(grace_days, now)))
}

impl MemberRow {
    pub(super) fn into_profile(self, grace_days: u32, now: i64) -> Profile {
        Member {
            admin: self.role == "admin",
            banned: self.banned != 0,
            subscription: self.subscription.into_subscription(),
        }
        .into_profile(grace_days, now)
    }
}

/// A user's access-relevant facts as a request has read them already — the session's user
/// (role, ban) and their subscription — so a page's usage summary need not read them again
/// ([`super::Access::member_summary`]).
#[derive(Debug, Clone)]
pub struct Member {
    pub admin: bool,
    pub banned: bool,
    pub subscription: Option<Subscription>,
}

impl Member {
    /// The profile the decision reads: the member's standing at `now`, a past-due subscription
    /// keeping its plan for `grace_days`.
    pub(super) fn into_profile(self, grace_days: u32, now: i64) -> Profile {
        let who = Who::Member {
            admin: self.admin,
            banned: self.banned,
            standing: subscription::standing(self.subscription.as_ref(), grace_days, now),
        };
        Profile {
            who,
            subscription: self.subscription,
        }
    }
}
