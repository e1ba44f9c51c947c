//! Purges rows nobody can use any more, so tables that anonymous requests write to (OAuth
//! states, login links, rate-limit buckets, guests) stay bounded. Run every hour by the server
//! and on demand by `tollgate housekeeping`; every statement is an idempotent `DELETE` by age,
//! so two processes running it at once do no harm.

use crate::access::caller::GUEST_COOKIE_MAX_AGE;
use crate::auth::magic_link::LINK_LIFETIME_SECS;
use crate::auth::sessions::SESSION_ABSOLUTE_SECS;
use crate::db::changes::KEPT_FOR_SECS as CHANGES_KEPT_FOR_SECS;
use crate::db::{Backend, Db, DbError};
use crate::generation::results::KEPT_FOR_SECS;

const DAY: i64 = 86_400;

/// How many rows each purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub oauth_states: u64,
    pub login_links: u64,
    pub sessions: u64,
    pub rate_limits: u64,
    pub guests: u64,
    pub generation_results: u64,
    pub dev_mailbox: u64,
    pub change_feed: u64,
}

impl Purged {
    pub fn total(&self) -> u64 {
        self.oauth_states
            + self.login_links
            + self.sessions
            + self.rate_limits
            + self.guests
            + self.generation_results
            + self.dev_mailbox
            + self.change_feed
    }
}

impl std::fmt::Display for Purged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "purged {} OAuth states, {} sign-in links, {} sessions, {} rate-limit windows, {} guests, {} kept generations, {} dev-mailbox messages, {} live-update rows",
            self.oauth_states,
            self.login_links,
            self.sessions,
            self.rate_limits,
            self.guests,
            self.generation_results,
            self.dev_mailbox,
            self.change_feed
        )
    }
}

/// Deletes what expired before `now` (Unix seconds).
pub async fn run(db: &Db, now: i64) -> Result<Purged, DbError> {
    let delete = |sql: &'static str, before: i64| async move {
        Ok::<u64, DbError>(
            sqlx::query(sql)
                .bind(before)
                .execute(db.pool())
                .await?
                .rows_affected(),
        )
    };
    Ok(Purged {
        oauth_states: delete("DELETE FROM oauth_states WHERE expires_at <= $1", now).await?,
        // Kept a day after expiry, so a late click still hears "expired" or "already used"
        // rather than "not valid".
        login_links: delete("DELETE FROM login_links WHERE expires_at <= $1", now - DAY).await?,
        sessions: {
            let idle = delete("DELETE FROM sessions WHERE expires_at <= $1", now).await?;
            let old = delete(
                "DELETE FROM sessions WHERE created_at <= $1",
                now - SESSION_ABSOLUTE_SECS,
            )
            .await?;
            idle + old
        },
        // The longest window is a day; a window that ended can never be counted again.
        rate_limits: delete(
            "DELETE FROM rate_limits WHERE window_start < $1",
            now - 2 * DAY,
        )
        .await?,
        // Past its cookie's lifetime no browser can present the guest any more.
        guests: delete(
            "DELETE FROM guests WHERE created_at <= $1",
            now - GUEST_COOKIE_MAX_AGE,
        )
        .await?,
        generation_results: delete(
            "DELETE FROM generation_results WHERE created_at < $1",
            now - KEPT_FOR_SECS,
        )
        .await?,
        // Links in it last 15 minutes; a day of mail is plenty to debug with.
        dev_mailbox: delete(
            "DELETE FROM dev_mailbox WHERE created_at <= $1",
            now - DAY.max(LINK_LIFETIME_SECS),
        )
        .await?,
        // SQLite's live-update rows are read within a second; PostgreSQL keeps none (NOTIFY).
        change_feed: match db.backend() {
            Backend::Sqlite => {
                delete(
                    "DELETE FROM change_feed WHERE at < $1",
                    now - CHANGES_KEPT_FOR_SECS,
                )
                .await?
            }
            Backend::Postgres => 0,
        },
    })
}
