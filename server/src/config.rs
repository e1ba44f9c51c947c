//! Settings from the environment (and `.env`), checked once at start-up.
//!
//! Every problem is one line naming the variable and what it should look like. Secrets are kept
//! in types whose `Debug` hides them, so logging the config never leaks one.

use app::auth::client_ip::parse_trusted_proxies;
use app::auth::oauth::ProviderKind;
use app::db::DatabaseUrl;
use app::domain::subscription::DEFAULT_GRACE_DAYS;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The name of the wasm/js/css bundles cargo-leptos writes (`[workspace.metadata.leptos] name`).
pub const OUTPUT_NAME: &str = "tollgate";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    /// Where to listen; port 0 picks a free port (tests).
    pub bind_addr: SocketAddr,
    /// The public URL of the site, used in links and to decide `Secure` cookies. When unset it is
    /// derived from the address actually bound.
    pub app_url: Option<String>,
    pub plans_file: PathBuf,
    /// Where cargo-leptos put the compiled wasm, js, css and public assets.
    pub site_root: PathBuf,
    /// `SMTP_URL`: when unset, mail goes to the dev mailbox instead of being sent.
    pub smtp_url: Option<Secret>,
    /// `MAIL_FROM`: the sender of every email.
    pub mail_from: String,
    /// OAuth providers with both a client id and secret set, in `/login` order.
    pub oauth: Vec<OAuthSettings>,
    /// Which text generator `POST /api/generate` uses.
    pub generator: GeneratorSettings,
    /// `LOGIN_LINKS_PER_IP` (default 20): magic-link requests per IP per 15 minutes.
    pub login_links_per_ip: i64,
    /// `GUESTS_PER_IP` (default 20): new guests (5 generations each) per IP per day.
    pub guests_per_ip: i64,
    /// `TRUSTED_PROXIES` (default none): addresses or CIDR ranges of the reverse proxies in
    /// front of the app; `X-Forwarded-For` is read only from these peers.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `MAX_CONCURRENT_GENERATIONS` (default 8): generations one caller may stream at once,
    /// per server process.
    pub max_concurrent_generations: usize,
    /// `HOUSEKEEPING_INTERVAL_SECS` (default 3600): how often the server purges expired rows.
    pub housekeeping_interval_secs: u64,
    /// `BILLING_GRACE_DAYS` (default 7): how long a past-due subscription keeps its plan while
    /// the card is retried; 0 takes it away at the first failed payment.
    pub billing_grace_days: u32,
    /// `STRIPE_WEBHOOK_SECRET`: the webhook endpoint's signing secret; unset, every delivery
    /// to `/api/webhooks/stripe` is refused.
    pub stripe_webhook_secret: Option<Secret>,
    /// `STRIPE_SECRET_KEY` (and `STRIPE_API_BASE`): billing through Stripe; unset, through the
    /// built-in test-mode provider.
    pub stripe: Option<StripeSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeSettings {
    pub secret_key: Secret,
    /// Where the Stripe API is; `None` for Stripe itself (tests point it at a fake).
    pub api_base: Option<String>,
}

/// The OpenAI-compatible client when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set, else the
/// built-in demo generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneratorSettings {
    Demo {
        /// `DEMO_WORD_DELAY_MS` (default 30): pause between streamed words.
        word_delay_ms: u64,
    },
    OpenAi {
        base_url: String,
        /// Empty for local servers that take no key.
        api_key: Secret,
        model: String,
    },
}

/// One configured OAuth provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthSettings {
    pub id: &'static str,
    pub label: String,
    pub kind: ProviderKind,
    pub client_id: String,
    pub client_secret: Secret,
}

pub use app::secret::Secret;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl Config {
    /// Reads the process environment, after loading `.env` if there is one.
    pub fn from_env() -> Result<Self, ConfigError> {
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => {
                return Err(ConfigError {
                    variable: ".env",
                    problem: format!("cannot be read: {e}"),
                })
            }
        }
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Builds the config from any variable lookup, so tests need not touch the process env.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url = match var("DATABASE_URL") {
            Some(raw) => DatabaseUrl::parse(&raw).map_err(|problem| ConfigError {
                variable: "DATABASE_URL",
                problem,
            })?,
            None => DatabaseUrl::default(),
        };
        // cargo-leptos sets LEPTOS_SITE_ADDR when it runs the server; ours wins when both are set.
        let (addr_var, raw_addr) = match (var("BIND_ADDR"), var("LEPTOS_SITE_ADDR")) {
            (Some(addr), _) => ("BIND_ADDR", addr),
            (None, Some(addr)) => ("LEPTOS_SITE_ADDR", addr),
            (None, None) => ("BIND_ADDR", "127.0.0.1:3000".to_owned()),
        };
        let bind_addr: SocketAddr = raw_addr.trim().parse().map_err(|_| ConfigError {
            variable: addr_var,
            problem: format!("`{raw_addr}` is not an address like 127.0.0.1:3000"),
        })?;
        let app_url = var("APP_URL")
            .map(|url| {
                let url = url.trim().trim_end_matches('/').to_owned();
                if url.starts_with("http://") || url.starts_with("https://") {
                    Ok(url)
                } else {
                    Err(ConfigError {
                        variable: "APP_URL",
                        problem: format!("`{url}` must start with http:// or https://"),
                    })
                }
            })
            .transpose()?;
        let smtp_url = var("SMTP_URL").map(Secret::new);
        if smtp_url.is_none() && !flag(&var, "DEV_MAILBOX")? {
            let https = app_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"));
            let public_bind = !bind_addr.ip().is_loopback();
            if https || public_bind {
                let why = if https {
                    format!(
                        "APP_URL {} is https",
                        app_url.as_deref().unwrap_or_default()
                    )
                } else {
                    format!("{addr_var} {bind_addr} is not a loopback address")
                };
                return Err(ConfigError {
                    variable: "SMTP_URL",
                    problem: format!("is not set and {why}, so sign-in links would only be shown in the dev mailbox of a public server: set SMTP_URL to send real email, or DEV_MAILBOX=1 to accept that knowingly"),
                });
            }
        }
        let trusted_proxies = match var("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(raw) => parse_trusted_proxies(&raw).map_err(|problem| ConfigError {
                variable: "TRUSTED_PROXIES",
                problem,
            })?,
        };
        Ok(Self {
            database_url,
            bind_addr,
            app_url,
            plans_file: var("PLANS_FILE")
                .unwrap_or_else(|| "plans.toml".into())
                .into(),
            site_root: var("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into())
                .into(),
            smtp_url,
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "Tollgate <no-reply@localhost>".into()),
            oauth: oauth_providers(&var)?,
            generator: generator(&var)?,
            login_links_per_ip: whole_number(&var, "LOGIN_LINKS_PER_IP", 20, 1)?,
            guests_per_ip: whole_number(&var, "GUESTS_PER_IP", 20, 1)?,
            trusted_proxies,
            max_concurrent_generations: whole_number(&var, "MAX_CONCURRENT_GENERATIONS", 8, 1)?,
            housekeeping_interval_secs: whole_number(&var, "HOUSEKEEPING_INTERVAL_SECS", 3600, 1)?,
            billing_grace_days: whole_number(&var, "BILLING_GRACE_DAYS", DEFAULT_GRACE_DAYS, 0)?,
            stripe_webhook_secret: var("STRIPE_WEBHOOK_SECRET")
                .filter(|s| !s.trim().is_empty())
                .map(|s| Secret::new(s.trim())),
            stripe: stripe(&var)?,
        })
    }
}

/// `1`/`true`/`yes` or `0`/`false`/`no` (unset: false).
fn flag(
    var: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
) -> Result<bool, ConfigError> {
    match var(variable)
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("0" | "false" | "no") => Ok(false),
        Some("1" | "true" | "yes") => Ok(true),
        Some(other) => Err(ConfigError {
            variable,
            problem: format!("`{other}` is not 1 or 0"),
        }),
    }
}

/// A whole number of at least `min`, or `default` when the variable is unset.
fn whole_number<T>(
    var: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: T,
    min: T,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let Some(raw) = var(variable) else {
        return Ok(default);
    };
    raw.trim()
        .parse()
        .ok()
        .filter(|n: &T| *n >= min)
        .ok_or_else(|| ConfigError {
            variable,
            problem: format!("`{raw}` is not a whole number of at least {min}"),
        })
}

fn stripe(var: &impl Fn(&str) -> Option<String>) -> Result<Option<StripeSettings>, ConfigError> {
    let Some(key) = var("STRIPE_SECRET_KEY") else {
        // A webhook secret without a key means a deployment that expects Stripe: never fall
        // back to test mode (where anyone can "pay" with a button) by accident.
        if var("STRIPE_WEBHOOK_SECRET").is_some() {
            return Err(ConfigError {
                variable: "STRIPE_SECRET_KEY",
                problem: "is not set, but STRIPE_WEBHOOK_SECRET is: set the key to take payments through Stripe, or unset both for test mode".into(),
            });
        }
        return Ok(None);
    };
    if key.trim().is_empty() {
        return Err(ConfigError {
            variable: "STRIPE_SECRET_KEY",
            problem: "is set but empty: set it to a Stripe secret key, or unset it for test mode"
                .into(),
        });
    }
    let key = key.trim();
    if !(key.starts_with("sk_") || key.starts_with("rk_")) {
        return Err(ConfigError {
            variable: "STRIPE_SECRET_KEY",
            problem: "is not a Stripe secret key (those start with sk_test_, sk_live_ or rk_)"
                .into(),
        });
    }
    let api_base = var("STRIPE_API_BASE").map(|b| b.trim().to_owned());
    if let Some(base) = &api_base {
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ConfigError {
                variable: "STRIPE_API_BASE",
                problem: format!("`{base}` must start with http:// or https://"),
            });
        }
    }
    Ok(Some(StripeSettings {
        secret_key: Secret::new(key),
        api_base,
    }))
}

fn generator(var: &impl Fn(&str) -> Option<String>) -> Result<GeneratorSettings, ConfigError> {
    let (key, base) = (var("OPENAI_API_KEY"), var("OPENAI_BASE_URL"));
    if key.is_none() && base.is_none() {
        let word_delay_ms = match var("DEMO_WORD_DELAY_MS") {
            None => 30,
            Some(raw) => raw.trim().parse().map_err(|_| ConfigError {
                variable: "DEMO_WORD_DELAY_MS",
                problem: format!("`{raw}` is not a whole number of milliseconds"),
            })?,
        };
        return Ok(GeneratorSettings::Demo { word_delay_ms });
    }
    let base_url = base.unwrap_or_else(|| "https://api.openai.com/v1".into());
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return Err(ConfigError {
            variable: "OPENAI_BASE_URL",
            problem: format!("`{base_url}` must start with http:// or https://"),
        });
    }
    Ok(GeneratorSettings::OpenAi {
        base_url: base_url.trim_end_matches('/').to_owned(),
        api_key: Secret::new(key.unwrap_or_default()),
        model: var("OPENAI_MODEL").unwrap_or_else(|| "gpt-4o-mini".into()),
    })
}

/// GitHub, Google and a generic OIDC issuer, each enabled by its client id and secret.
fn oauth_providers(
    var: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<OAuthSettings>, ConfigError> {
    let google = Some("https://accounts.google.com".to_owned());
    let candidates: [(&'static str, &'static str, &'static str, Option<String>); 3] = [
        ("github", "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", None),
        ("google", "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", google),
        (
            "oidc",
            "OIDC_CLIENT_ID",
            "OIDC_CLIENT_SECRET",
            var("OIDC_ISSUER_URL"),
        ),
    ];
    let mut providers = Vec::new();
    for (id, id_var, secret_var, issuer) in candidates {
        let (client_id, client_secret) = match (var(id_var), var(secret_var)) {
            (None, None) => continue,
            (Some(client_id), Some(secret)) => (client_id, Secret::new(secret)),
            (Some(_), None) => {
                return Err(ConfigError {
                    variable: secret_var,
                    problem: format!("must be set when {id_var} is"),
                })
            }
            (None, Some(_)) => {
                return Err(ConfigError {
                    variable: id_var,
                    problem: format!("must be set when {secret_var} is"),
                })
            }
        };
        let (kind, label) = match (id, issuer) {
            ("github", _) => {
                let web_base =
                    var("GITHUB_BASE_URL").unwrap_or_else(|| "https://github.com".into());
                let api_base =
                    var("GITHUB_API_BASE").unwrap_or_else(|| "https://api.github.com".into());
                let kind = ProviderKind::GitHub {
                    web_base: web_base.trim_end_matches('/').into(),
                    api_base: api_base.trim_end_matches('/').into(),
                };
                (kind, "GitHub".to_owned())
            }
            ("google", Some(issuer)) => (ProviderKind::Oidc { issuer }, "Google".to_owned()),
            (_, Some(issuer))
                if issuer.starts_with("http://") || issuer.starts_with("https://") =>
            {
                (
                    ProviderKind::Oidc {
                        issuer: issuer.trim_end_matches('/').to_owned(),
                    },
                    var("OIDC_NAME").unwrap_or_else(|| "Single sign-on".into()),
                )
            }
            _ => {
                return Err(ConfigError {
                    variable: "OIDC_ISSUER_URL",
                    problem: "must be the issuer's https:// URL when OIDC_CLIENT_ID is set".into(),
                })
            }
        };
        providers.push(OAuthSettings {
            id,
            label,
            kind,
            client_id,
            client_secret,
        });
    }
    Ok(providers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_generator_is_the_demo_unless_openai_settings_are_given() {
        assert_eq!(
            config(&[]).unwrap().generator,
            GeneratorSettings::Demo { word_delay_ms: 30 }
        );
        assert_eq!(
            config(&[("DEMO_WORD_DELAY_MS", "0")]).unwrap().generator,
            GeneratorSettings::Demo { word_delay_ms: 0 }
        );
        let err = config(&[("DEMO_WORD_DELAY_MS", "soon")]).unwrap_err();
        assert_eq!(err.variable, "DEMO_WORD_DELAY_MS");
        match config(&[("OPENAI_API_KEY", "sk-1")]).unwrap().generator {
            GeneratorSettings::OpenAi {
                base_url, model, ..
            } => {
                assert_eq!(base_url, "https://api.openai.com/v1");
                assert_eq!(model, "gpt-4o-mini");
            }
            other => panic!("{other:?}"),
        }
        let err = config(&[("OPENAI_BASE_URL", "localhost:11434")]).unwrap_err();
        assert_eq!(err.variable, "OPENAI_BASE_URL");
    }

    #[test]
    fn per_ip_limits_have_defaults_and_refuse_nonsense() {
        let defaults = config(&[]).unwrap();
        assert_eq!(
            (defaults.login_links_per_ip, defaults.guests_per_ip),
            (20, 20)
        );
        assert!(defaults.trusted_proxies.is_empty());
        let set = config(&[
            ("GUESTS_PER_IP", " 100 "),
            ("TRUSTED_PROXIES", "10.0.0.0/8, ::1"),
        ])
        .unwrap();
        assert_eq!((set.guests_per_ip, set.trusted_proxies.len()), (100, 2));
        assert_eq!(defaults.billing_grace_days, 7);
        assert_eq!(
            config(&[("BILLING_GRACE_DAYS", "0")])
                .unwrap()
                .billing_grace_days,
            0
        );
        for (variable, raw) in [
            ("GUESTS_PER_IP", "0"),
            ("LOGIN_LINKS_PER_IP", "-3"),
            ("TRUSTED_PROXIES", "one"),
            ("TRUSTED_PROXIES", "1"),
            ("MAX_CONCURRENT_GENERATIONS", "0"),
            ("BILLING_GRACE_DAYS", "-1"),
            ("BILLING_GRACE_DAYS", "a week"),
        ] {
            let err = config(&[(variable, raw)]).unwrap_err();
            assert_eq!(err.variable, variable);
            assert!(err.problem.contains(raw), "{}", err.problem);
        }
    }

    #[test]
    fn nothing_set_means_sqlite_on_localhost_3000() {
        let config = config(&[]).unwrap();
        assert_eq!(config.database_url, DatabaseUrl::default());
        assert_eq!(config.bind_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.plans_file, PathBuf::from("plans.toml"));
        assert_eq!(config.app_url, None);
    }

    #[test]
    fn a_public_server_without_smtp_refuses_to_start_naming_both_ways_out() {
        for vars in [
            &[("BIND_ADDR", "0.0.0.0:8080")][..],
            &[("APP_URL", "https://app.example.com")][..],
        ] {
            let err = config(vars).unwrap_err();
            assert_eq!(err.variable, "SMTP_URL");
            let line = err.to_string();
            assert!(
                line.contains("set SMTP_URL") && line.contains("DEV_MAILBOX=1"),
                "{line}"
            );
            assert!(!line.contains('\n'));
        }
        let mut accepted = vec![("BIND_ADDR", "0.0.0.0:8080"), ("DEV_MAILBOX", "1")];
        assert!(config(&accepted).is_ok());
        accepted[1] = ("SMTP_URL", "smtp://localhost:2525");
        assert!(config(&accepted).is_ok());
        assert!(config(&[("BIND_ADDR", "[::1]:3000")]).is_ok());
        assert_eq!(
            config(&[("DEV_MAILBOX", "maybe")]).unwrap_err().variable,
            "DEV_MAILBOX"
        );
    }

    #[test]
    fn bind_addr_wins_over_the_cargo_leptos_address() {
        let config = config(&[
            ("LEPTOS_SITE_ADDR", "127.0.0.1:4000"),
            ("BIND_ADDR", "0.0.0.0:8080"),
            ("DEV_MAILBOX", "1"),
        ])
        .unwrap();
        assert_eq!(config.bind_addr.to_string(), "0.0.0.0:8080");
    }

    #[test]
    fn a_bad_address_names_the_variable() {
        let err = config(&[("BIND_ADDR", "localhost")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "BIND_ADDR: `localhost` is not an address like 127.0.0.1:3000"
        );
    }

    #[test]
    fn a_bad_database_url_names_the_variable_and_hides_the_password() {
        let err = config(&[("DATABASE_URL", "mysql://u:pw@h/db")])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("DATABASE_URL: "), "{err}");
        assert!(!err.contains("pw@"), "{err}");
    }

    #[test]
    fn billing_runs_in_test_mode_unless_a_stripe_key_is_set() {
        let plain = config(&[]).unwrap();
        assert_eq!((plain.stripe, plain.stripe_webhook_secret), (None, None));
        let stripe = config(&[("STRIPE_SECRET_KEY", "sk_test_123")])
            .unwrap()
            .stripe
            .unwrap();
        assert_eq!(stripe.secret_key.expose(), "sk_test_123");
        assert_eq!(stripe.api_base, None);
        let err = config(&[("STRIPE_SECRET_KEY", "pk_test_123")]).unwrap_err();
        assert_eq!(err.variable, "STRIPE_SECRET_KEY");
        assert!(
            !err.to_string().contains("pk_test_123"),
            "never echo the key"
        );
        let err = config(&[
            ("STRIPE_SECRET_KEY", "sk_test_1"),
            ("STRIPE_API_BASE", "localhost:1"),
        ])
        .unwrap_err();
        assert_eq!(err.variable, "STRIPE_API_BASE");
        // Never test mode by accident: an empty key, or a webhook secret without a key.
        let err = config(&[("STRIPE_SECRET_KEY", " ")]).unwrap_err();
        assert!(err.problem.contains("set but empty"), "{err}");
        let err = config(&[("STRIPE_WEBHOOK_SECRET", "whsec_abc")]).unwrap_err();
        assert_eq!(err.variable, "STRIPE_SECRET_KEY");
        let secret = config(&[
            ("STRIPE_SECRET_KEY", "sk_test_1"),
            ("STRIPE_WEBHOOK_SECRET", " whsec_abc "),
        ])
        .unwrap()
        .stripe_webhook_secret
        .unwrap();
        assert_eq!(secret.expose(), "whsec_abc");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
    }

    #[test]
    fn app_url_must_be_http_and_loses_its_trailing_slash() {
        assert_eq!(
            config(&[
                ("APP_URL", "https://app.example.com/"),
                ("DEV_MAILBOX", "1")
            ])
            .unwrap()
            .app_url
            .as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(
            config(&[("APP_URL", "app.example.com")])
                .unwrap_err()
                .variable,
            "APP_URL"
        );
    }

    #[test]
    fn oauth_providers_appear_when_both_halves_are_set() {
        assert!(config(&[]).unwrap().oauth.is_empty());
        let config = config(&[
            ("GITHUB_CLIENT_ID", "gh"),
            ("GITHUB_CLIENT_SECRET", "gh-secret"),
            ("OIDC_ISSUER_URL", "https://id.example.com/"),
            ("OIDC_CLIENT_ID", "tg"),
            ("OIDC_CLIENT_SECRET", "tg-secret"),
            ("OIDC_NAME", "Acme SSO"),
        ])
        .unwrap();
        let ids: Vec<_> = config
            .oauth
            .iter()
            .map(|p| (p.id, p.label.as_str()))
            .collect();
        assert_eq!(ids, [("github", "GitHub"), ("oidc", "Acme SSO")]);
        assert_eq!(
            config.oauth[0].kind,
            ProviderKind::GitHub {
                web_base: "https://github.com".into(),
                api_base: "https://api.github.com".into()
            }
        );
        assert_eq!(
            config.oauth[1].kind,
            ProviderKind::Oidc {
                issuer: "https://id.example.com".into()
            }
        );
        assert!(!format!("{config:?}").contains("tg-secret"));
    }

    #[test]
    fn half_configured_providers_name_the_missing_variable() {
        assert_eq!(
            config(&[("GOOGLE_CLIENT_ID", "x")]).unwrap_err().variable,
            "GOOGLE_CLIENT_SECRET"
        );
        assert_eq!(
            config(&[("OIDC_CLIENT_ID", "x"), ("OIDC_CLIENT_SECRET", "y")])
                .unwrap_err()
                .variable,
            "OIDC_ISSUER_URL"
        );
    }

    #[test]
    fn the_smtp_url_is_a_secret() {
        let config = config(&[("SMTP_URL", "smtps://mailer:pa55@smtp.example.com")]).unwrap();
        assert_eq!(
            config.smtp_url.as_ref().map(Secret::expose),
            Some("smtps://mailer:pa55@smtp.example.com")
        );
        assert!(!format!("{config:?}").contains("pa55"));
        assert_eq!(config.mail_from, "Tollgate <no-reply@localhost>");
    }

    #[test]
    fn debug_output_never_contains_the_database_password() {
        let config = config(&[("DATABASE_URL", "postgres://app:s3cret@db/tollgate")]).unwrap();
        assert!(!format!("{config:?}").contains("s3cret"));
    }
}
