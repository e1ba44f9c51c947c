//! The real mailer: SMTP through lettre, configured by `SMTP_URL`
//! (e.g. `smtps://user:password@smtp.example.com` or `smtp://localhost:2525` for a local relay).

use super::mailer::{Email, MailError, MailFuture, Mailer};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// Checks both settings at start-up; errors name the variable and never echo the URL, which
    /// may hold a password.
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("SMTP_URL is not a valid smtp:// or smtps:// URL ({e})"))?
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("MAIL_FROM `{from}` is not an address like \"Tollgate <no-reply@example.com>\" ({e})"))?;
        Ok(Self { transport, from })
    }
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, email: Email) -> MailFuture<'a> {
        Box::pin(async move {
            let to = email
                .to
                .parse::<Mailbox>()
                .map_err(|e| MailError::Send(format!("bad recipient: {e}")))?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(email.subject)
                .header(ContentType::TEXT_PLAIN)
                .body(email.body)
                .map_err(|e| MailError::Send(e.to_string()))?;
            self.transport
                .send(message)
                .await
                .map_err(|e| MailError::Send(e.to_string()))?;
            Ok(())
        })
    }

    fn has_dev_mailbox(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::SmtpMailer;

    #[test]
    fn bad_settings_are_refused_without_echoing_the_url() {
        let err = SmtpMailer::new("ftp://user:hunter2@mail", "a@b.c").unwrap_err();
        assert!(err.starts_with("SMTP_URL"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        let err = SmtpMailer::new("smtp://localhost:2525", "not an address").unwrap_err();
        assert!(err.starts_with("MAIL_FROM"), "{err}");
        assert!(
            SmtpMailer::new("smtp://localhost:2525", "Tollgate <no-reply@example.com>").is_ok()
        );
    }
}
