//! Idempotency keys: a client's name for one attempt, so a retry is charged once.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// 1–100 visible ASCII characters (what the `Idempotency-Key` header and form fields carry).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > 100 || !raw.chars().all(|c| c.is_ascii_graphic()) {
            return Err(
                "Idempotency-Key must be 1 to 100 visible ASCII characters (for example a UUID)."
                    .to_owned(),
            );
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert_eq!(
            IdempotencyKey::parse(" abc-123 ").unwrap().as_str(),
            "abc-123"
        );
        for bad in ["", "   ", "a b", "ключ", &"k".repeat(101)] {
            assert!(IdempotencyKey::parse(bad).is_err(), "{bad:?}");
        }
    }
}
