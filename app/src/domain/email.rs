//! Email addresses as accounts know them: trimmed, lowercased, one plain mailbox.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A normalised email address. One account per address, so `Ada@Example.com` and
/// `ada@example.com` must be the same value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

/// Characters RFC 5322 allows in an unquoted local part besides letters and digits. Quotes,
/// angle brackets, parentheses (comments), commas and the like are left out on purpose: each
/// lets one mailbox be written in endless ways (`"ada"@x`, `y<ada@x>`), and so open endless
/// accounts on one inbox.
const LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";

impl EmailAddress {
    /// A new account's address: `local@domain.tld` with a plain local part (letters, digits,
    /// `LOCAL_SPECIALS`, no leading, trailing or double dots) and a domain of ASCII
    /// letter/digit/hyphen labels (internationalised domains in their `xn--` form, so one
    /// domain has one spelling), at most 254 characters, lowercased. The error is a sentence for the sign-in form.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let decorated = raw.trim().chars().any(|c| "<>\"(),;:[]\\".contains(c));
        let email = match Self::lookup(raw) {
            Ok(email) => email,
            Err(_) if decorated => return Err(not_plain(raw)),
            Err(refusal) => return Err(refusal),
        };
        let (local, domain) = email.0.split_once('@').unwrap_or_default();
        let plain_local = local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || LOCAL_SPECIALS.contains(c));
        let plain_domain = domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if plain_local && plain_domain {
            Ok(email)
        } else {
            Err(not_plain(raw))
        }
    }

    /// The looser rule addresses were accepted by before the strict one: only to *name* an
    /// account that may already exist (an operator command, a pending link, signing back in to
    /// an existing account), never to create one.
    pub fn lookup(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if email.is_empty() {
            Err("Enter your email address.".into())
        } else if valid {
            Ok(Self(email))
        } else {
            Err(format!(
                "“{}” is not an email address. Check it and try again.",
                shown(raw)
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A name to greet a new account by until it has one: the part before `@`.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

fn not_plain(raw: &str) -> String {
    format!(
        "“{}” is not a plain email address. Enter just the address, like ada@example.com — without a name, quotes, angle brackets or comments.",
        shown(raw)
    )
}

/// What a person typed, trimmed and cut short enough to quote back in a sentence.
fn shown(raw: &str) -> String {
    let trimmed = raw.trim();
    if trimmed.chars().count() > 80 {
        format!("{}…", trimmed.chars().take(80).collect::<String>())
    } else {
        trimmed.to_owned()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lowercased() {
        assert_eq!(
            EmailAddress::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        for ok in [
            "a.b+tag@sub.example.co.uk",
            "o'brien@example.ie",
            "user_1@xn--bcher-kva.example",
            "zoë@example.com",
        ] {
            assert!(EmailAddress::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn implausible_addresses_are_refused_with_a_sentence() {
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "ada@@example.com",
            "a da@example.com",
            "ada@example..com",
            "ada@.example.com",
        ] {
            let err = EmailAddress::parse(bad).unwrap_err();
            assert!(err.contains("is not an email address"), "{bad}: {err}");
        }
        assert_eq!(
            EmailAddress::parse("   ").unwrap_err(),
            "Enter your email address."
        );
        assert!(EmailAddress::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn one_mailbox_cannot_be_written_another_way() {
        for bad in [
            "x<victim@example.com>",
            "\"victim\"@example.com",
            "victim(comment)@example.com",
            "victim@example.com(comment)",
            "a,b@example.com",
            ".victim@example.com",
            "victim.@example.com",
            "vic..tim@example.com",
            "victim@-example.com",
            "victim@exa_mple.com",
            "victim@[127.0.0.1]",
            "victim@exämple.com",
            "victim@ｅxample.com",
        ] {
            let err = EmailAddress::parse(bad).unwrap_err();
            assert!(
                err.contains("plain email address") || err.contains("not an email address"),
                "{bad}: {err}"
            );
        }
        let err = EmailAddress::parse("Victim <victim@example.com>").unwrap_err();
        assert!(err.contains("without a name"), "{err}");
    }

    #[test]
    fn existing_odd_addresses_can_still_be_named() {
        let odd = EmailAddress::lookup("x<Victim@Example.com>").unwrap();
        assert_eq!(odd.as_str(), "x<victim@example.com>");
        assert!(EmailAddress::parse(odd.as_str()).is_err());
    }

    #[test]
    fn a_long_refused_input_is_quoted_back_short() {
        let err = EmailAddress::parse(&format!("<{}@x.com>", "a".repeat(500))).unwrap_err();
        assert!(err.len() < 400, "{}", err.len());
    }

    #[test]
    fn the_local_part_greets_new_accounts() {
        assert_eq!(
            EmailAddress::parse("grace.hopper@navy.mil")
                .unwrap()
                .local_part(),
            "grace.hopper"
        );
    }
}
