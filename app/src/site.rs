//! Facts about where the site is served, fixed at start-up. Services may read them (cookie
//! policy, per-IP limits, trusted proxies) without reaching for the whole app state.

/// Facts about where the site is served, fixed at start-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// Public base URL without trailing slash, e.g. `https://app.example.com`.
    pub app_url: String,
    /// Magic-link requests allowed per IP per 15 minutes (`LOGIN_LINKS_PER_IP`): offices and
    /// test suites behind one address need more than the default 20.
    pub login_links_per_ip: i64,
    /// New guests named per IP per day (`GUESTS_PER_IP`).
    pub guests_per_ip: i64,
    /// Reverse proxies in front whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`),
    /// by address or range: the header is read only from these peers.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Site {
    /// Cookies get `Secure` (and, where their path allows, the `__Host-` prefix) whenever the
    /// public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.app_url.starts_with("https://")
    }

    /// `https` or `http`: the scheme every same-site request must come from.
    pub fn scheme(&self) -> &str {
        self.app_url.split("://").next().unwrap_or("http")
    }

    /// `scheme://host[:port]` of the public URL, to compare with `Origin` headers.
    pub fn origin(&self) -> &str {
        let after_scheme = self.app_url.find("://").map(|i| i + 3).unwrap_or(0);
        match self.app_url[after_scheme..].find('/') {
            Some(slash) => &self.app_url[..after_scheme + slash],
            None => &self.app_url,
        }
    }
}
