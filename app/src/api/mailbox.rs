use super::wire::MailboxMessage;
use super::ApiError;
use leptos::prelude::*;

/// The dev mailbox: only exists while SMTP is not configured.
#[server]
pub async fn get_dev_mailbox() -> Result<Vec<MailboxMessage>, ApiError> {
    let state = expect_context::<crate::state::AppState>();
    if !state.mailer.has_dev_mailbox() {
        return Err(ApiError::NotFound(
            "The dev mailbox is off because real email is configured (SMTP_URL).".into(),
        ));
    }
    crate::auth::mailer::dev_mailbox(&state.db, 50)
        .await
        .map_err(ApiError::internal)
}
