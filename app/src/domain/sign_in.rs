//! Where a visitor who must sign in is sent: one rule for the server's redirects and the
//! browser's, so both come back to the same page.

/// `/login?next=<next>`, with `next` percent-encoded.
pub fn login_path(next: &str) -> String {
    format!("/login?next={}", url_encode(next))
}

/// Percent-encodes a query value (keeps `/` so `next=/account` stays readable).
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_keep_their_slashes_and_encode_the_rest() {
        assert_eq!(login_path("/account"), "/login?next=/account");
        assert_eq!(
            login_path("/tutors?error=x&y=1"),
            "/login?next=/tutors%3Ferror%3Dx%26y%3D1"
        );
    }
}
