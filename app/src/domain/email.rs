//! Email addresses as accounts know them: trimmed, lowercased, plausibly deliverable.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A normalised email address. One account per address, so `Ada@Example.com` and
/// `ada@example.com` must be the same value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `local@domain.tld` up to 254 characters, without spaces; the error is a sentence
    /// for the sign-in form.
    pub fn parse(raw: &str) -> Result<Self, String> {
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
                raw.trim()
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
    fn the_local_part_greets_new_accounts() {
        assert_eq!(
            EmailAddress::parse("grace.hopper@navy.mil")
                .unwrap()
                .local_part(),
            "grace.hopper"
        );
    }
}
