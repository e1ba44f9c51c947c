//! With SMTP_URL set, sign-in links really go out over SMTP (to a local fake SMTP server that
//! speaks the protocol over TCP), and the dev mailbox is gone.
mod common;

use common::{location, spawn_app_with, Secret};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Accepts SMTP sessions and keeps each message's envelope and data.
#[derive(Clone, Default)]
struct FakeSmtp {
    messages: Arc<Mutex<Vec<(String, String)>>>,
}

impl FakeSmtp {
    async fn start() -> (Self, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let fake = FakeSmtp::default();
        let store = fake.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move { store.session(socket).await });
            }
        });
        (fake, port)
    }

    async fn session(&self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 fake.smtp ESMTP ready\r\n").await;
        let (mut rcpt, mut data, mut in_data) = (String::new(), String::new(), false);
        while let Ok(Some(line)) = lines.next_line().await {
            if in_data {
                if line == "." {
                    in_data = false;
                    self.messages
                        .lock()
                        .unwrap()
                        .push((rcpt.clone(), std::mem::take(&mut data)));
                    let _ = write.write_all(b"250 2.0.0 queued\r\n").await;
                } else {
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    data.push('\n');
                }
                continue;
            }
            let upper = line.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                b"250-fake.smtp\r\n250 8BITMIME\r\n"
            } else if upper.starts_with("RCPT TO:") {
                rcpt = line[8..].trim().trim_matches(['<', '>']).to_owned();
                b"250 2.1.5 ok\r\n"
            } else if upper.starts_with("DATA") {
                in_data = true;
                b"354 go ahead\r\n"
            } else if upper.starts_with("QUIT") {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            } else {
                b"250 ok\r\n"
            };
            let _ = write.write_all(reply).await;
        }
    }

    fn messages(&self) -> Vec<(String, String)> {
        self.messages.lock().unwrap().clone()
    }
}

/// What a mail client shows: long lines travel quoted-printable (`=` soft breaks, `=3D`).
fn decode_quoted_printable(data: &str) -> String {
    let joined = data.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (other, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn sign_in_links_are_sent_over_smtp_and_work() {
    let (smtp, port) = FakeSmtp::start().await;
    let app = spawn_app_with(|config| {
        config.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{port}")));
        config.mail_from = "Tollgate <login@tollgate.test>".into();
    })
    .await;

    let response = app
        .post_form(
            "/auth/email",
            &[("email", "ada@example.com"), ("next", "/account")],
            None,
        )
        .await;
    assert_eq!(
        location(&response),
        "/login?sent=1&email=ada%40example.com&next=%2Faccount"
    );

    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let (to, data) = &messages[0];
    assert_eq!(to, "ada@example.com");
    assert!(
        data.contains("From: Tollgate <login@tollgate.test>"),
        "{data}"
    );
    assert!(
        data.contains("Subject: Your Tollgate sign-in link"),
        "{data}"
    );
    let body = decode_quoted_printable(data);
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/auth/email/confirm?token="))
        .expect("the message holds the link");
    let path = link
        .strip_prefix(&app.url(""))
        .expect("link to this server");
    let signed_in = app.redeem(path, None).await;
    assert_eq!(location(&signed_in), "/account");

    assert_eq!(
        app.count("dev_mailbox").await,
        0,
        "nothing goes to the dev mailbox"
    );
    let mailbox = app.get_as("/dev/mailbox", None).await.text().await.unwrap();
    assert!(
        mailbox.contains("The dev mailbox is off"),
        "the dev mailbox page says it is off"
    );
}

#[tokio::test]
async fn an_unreachable_smtp_server_gives_a_retry_message_not_a_500() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let app = spawn_app_with(|config| {
        config.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{port}")))
    })
    .await;
    let response = app
        .post_form("/auth/email", &[("email", "ada@example.com")], None)
        .await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/login?error=mail_failed"));
}
