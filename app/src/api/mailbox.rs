use super::browser_json::BrowserJsonPost;
use super::wire::MailboxMessage;
use super::ApiError;
use leptos::prelude::*;

/// The dev mailbox: only exists while SMTP is not configured, and only for visitors on this
/// machine — it shows everyone's sign-in links, so anyone else reading it could sign in as
/// anybody.
#[server(output = BrowserJsonPost)]
pub async fn get_dev_mailbox() -> Result<Vec<MailboxMessage>, ApiError> {
    use crate::auth::client_ip::is_local_request;
    let state = expect_context::<crate::state::AppState>();
    if !state.mailer.has_dev_mailbox() {
        return Err(ApiError::NotFound(
            "The dev mailbox is off because real email is configured (SMTP_URL).".into(),
        ));
    }
    let local = use_context::<axum::http::request::Parts>().is_some_and(|p| is_local_request(&p));
    if !local {
        return Err(ApiError::NotFound(
            "The dev mailbox is only shown on the machine the server runs on (open it via localhost).".into(),
        ));
    }
    let kept = crate::auth::mailer::dev_mailbox(&state.db, 50)
        .await
        .map_err(ApiError::internal)?;
    Ok(kept.into_iter().map(MailboxMessage::from).collect())
}

#[cfg(feature = "ssr")]
impl From<crate::auth::mailer::KeptMessage> for MailboxMessage {
    fn from(kept: crate::auth::mailer::KeptMessage) -> Self {
        MailboxMessage {
            id: kept.id,
            to: kept.email.to,
            subject: kept.email.subject,
            body: kept.email.body,
            sent_at: kept.kept_at,
        }
    }
}
