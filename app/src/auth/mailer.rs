//! Outgoing email. With `SMTP_URL` unset, mail goes to the dev mailbox (a table shown on
//! `/dev/mailbox` to visitors on this machine only), so sign-in works offline with no account
//! anywhere. The log says that a message was kept, never what it says.

use crate::db::{Db, DbError};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("could not send email: {0}")]
    Send(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

pub type MailFuture<'a> = Pin<Box<dyn Future<Output = Result<(), MailError>> + Send + 'a>>;

/// Sends email; stored as `Arc<dyn Mailer>` in the app state.
pub trait Mailer: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, email: Email) -> MailFuture<'a>;
    /// Whether `/dev/mailbox` shows what was sent (only for the offline mailer).
    fn has_dev_mailbox(&self) -> bool;
}

/// The offline mailer: keeps each message in the `dev_mailbox` table.
#[derive(Debug, Clone)]
pub struct DevMailbox {
    pub db: Db,
}

impl Mailer for DevMailbox {
    fn send<'a>(&'a self, email: Email) -> MailFuture<'a> {
        Box::pin(async move {
            // Never the body: it holds a sign-in link, and logs travel further than this
            // machine. The link is read on /dev/mailbox, which only loopback visitors see.
            tracing::info!(to = %email.to, subject = %email.subject, "dev mailbox: email not sent (SMTP_URL is not set); read it at /dev/mailbox");
            sqlx::query("INSERT INTO dev_mailbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&email.to)
                .bind(&email.subject)
                .bind(&email.body)
                .bind(self.db.now())
                .execute(self.db.pool())
                .await
                .map_err(DbError::from)?;
            Ok(())
        })
    }

    fn has_dev_mailbox(&self) -> bool {
        true
    }
}

/// A message kept by the dev mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptMessage {
    pub id: i64,
    pub email: Email,
    pub kept_at: i64,
}

/// The newest messages first.
pub async fn dev_mailbox(db: &Db, limit: i64) -> Result<Vec<KeptMessage>, DbError> {
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, recipient, subject, body, created_at FROM dev_mailbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, to, subject, body, kept_at)| KeptMessage {
            id,
            email: Email { to, subject, body },
            kept_at,
        })
        .collect())
}
