//! Stripe's webhook signature (`Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256>,…`): an
//! HMAC of `"<t>.<raw body>"` under the endpoint's signing secret (`whsec_…`, used whole as
//! the key). A delivery is genuine when one `v1` matches and `t` is within five minutes of now,
//! so a captured delivery cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far `t` may be from now, in seconds (Stripe's default tolerance).
pub const TOLERANCE_SECS: i64 = 300;

/// Why a delivery is not accepted as Stripe's, each worded for whoever set up the endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error(
        "The Stripe-Signature header is missing: only Stripe's signed deliveries are accepted."
    )]
    Missing,
    #[error("The Stripe-Signature header is not in Stripe's `t=…,v1=…` form.")]
    Malformed,
    #[error("The signature is too old or too far in the future (more than 5 minutes from now); a replayed delivery is refused.")]
    Stale,
    #[error("No signature matches: the delivery was not signed with this endpoint's STRIPE_WEBHOOK_SECRET.")]
    Mismatch,
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length; this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Checks `header` against `body` (the raw bytes, before any parsing).
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", hex)) => signatures.extend(hex::decode(hex).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    // `abs_diff`: a timestamp from the header is anyone's number, even i64::MIN.
    if now.abs_diff(timestamp) > TOLERANCE_SECS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    let matches = signatures
        .iter()
        .any(|signature| mac(secret, timestamp, body).verify_slice(signature).is_ok());
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The header Stripe would send for `body` at `timestamp`: for the fake Stripe of the tests and
/// for `tollgate billing replay`-style tools.
pub fn sign(body: &[u8], secret: &str, timestamp: i64) -> String {
    let signature = hex::encode(mac(secret, timestamp, body).finalize().into_bytes());
    format!("t={timestamp},v1={signature}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"invoice.paid"}"#;

    #[test]
    fn a_signed_delivery_verifies() {
        let header = sign(BODY, SECRET, 1_000);
        assert_eq!(verify(Some(&header), BODY, SECRET, 1_000), Ok(()));
        assert_eq!(verify(Some(&header), BODY, SECRET, 1_300), Ok(()));
    }

    #[test]
    fn the_signature_is_the_hmac_of_time_dot_body() {
        // Computed outside this code: Python's hmac.new(secret, b"1000." + body, sha256).
        let expected = "5a117b5e1378d9e96b31db2b6b5924ff1282208cd4af84992b75e7acd4e00701";
        assert_eq!(sign(BODY, SECRET, 1_000), format!("t=1000,v1={expected}"));
    }

    #[test]
    fn any_of_several_v1_signatures_may_match() {
        // During a secret roll Stripe signs with the old and the new secret.
        let good = sign(BODY, SECRET, 1_000);
        let other = sign(BODY, "whsec_other", 1_000);
        let v1 = good.split("v1=").nth(1).unwrap();
        let header = format!("{other},v1={v1},v0=ignored");
        assert_eq!(verify(Some(&header), BODY, SECRET, 1_000), Ok(()));
    }

    #[test]
    fn forged_stale_or_garbled_deliveries_are_refused() {
        let header = sign(BODY, SECRET, 1_000);
        assert_eq!(
            verify(None, BODY, SECRET, 1_000),
            Err(SignatureError::Missing)
        );
        for garbage in [
            "",
            "garbage",
            "t=abc,v1=00",
            "t=1000",
            "v1=abcd",
            "t=1000,v1=zz",
        ] {
            assert_eq!(
                verify(Some(garbage), BODY, SECRET, 1_000),
                Err(SignatureError::Malformed),
                "{garbage:?}"
            );
        }
        assert_eq!(
            verify(Some(&header), BODY, "whsec_wrong", 1_000),
            Err(SignatureError::Mismatch)
        );
        let tampered = br#"{"id":"evt_1","type":"invoice.paid","x":1}"#;
        assert_eq!(
            verify(Some(&header), tampered, SECRET, 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 1_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 699),
            Err(SignatureError::Stale)
        );
        let extreme = format!("t={},v1=00", i64::MIN);
        assert_eq!(
            verify(Some(&extreme), BODY, SECRET, 1_000),
            Err(SignatureError::Stale)
        );
    }
}
