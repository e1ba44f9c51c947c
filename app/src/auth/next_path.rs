//! Where to send someone after sign-in. Only paths on this site: an open redirect would let a
//! phishing link borrow our sign-in page.

/// Where sign-in leads when nothing else was asked for.
pub const DEFAULT_NEXT: &str = "/dashboard";

/// The plan picker, shown instead of the dashboard right after a person's first sign-in.
pub const WELCOME_PATH: &str = "/welcome";

/// Returns `raw` if it is a local path, else `/dashboard`.
pub fn sanitize_next(raw: Option<&str>) -> String {
    match raw.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control)
                && path.len() <= 512 =>
        {
            path.to_owned()
        }
        _ => DEFAULT_NEXT.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize_next;

    #[test]
    fn local_paths_are_kept() {
        assert_eq!(
            sanitize_next(Some("/account?tab=sessions")),
            "/account?tab=sessions"
        );
    }

    #[test]
    fn anything_that_could_leave_the_site_goes_to_the_dashboard() {
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "/a\nb",
        ] {
            assert_eq!(sanitize_next(Some(bad)), "/dashboard", "{bad:?}");
        }
        assert_eq!(sanitize_next(None), "/dashboard");
    }
}
