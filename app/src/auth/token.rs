//! Secret tokens for session cookies and magic links: 256 random bits, stored only as a hash.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;

/// A secret handed to the browser once. Only [`SecretToken::hash`] is ever stored, so a leaked
/// database does not sign anyone in. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Wraps a token received from a cookie or a link.
    pub fn from_presented(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        (raw.len() >= 32
            && raw.len() <= 128
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Hex SHA-256: what the database keeps. A fast hash is right here: the input has 256 bits
    /// of entropy, so there is nothing to brute-force.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_url_safe_and_hashed() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 43);
        assert!(SecretToken::from_presented(a.expose()).is_some());
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.expose());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let token = SecretToken::generate();
        assert!(!format!("{token:?}").contains(token.expose()));
    }

    #[test]
    fn garbage_is_not_a_token() {
        assert!(SecretToken::from_presented("short").is_none());
        assert!(SecretToken::from_presented(&"a;b".repeat(20)).is_none());
    }
}
