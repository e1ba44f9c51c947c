//! `DATABASE_URL`: which engine, where, and how to print it without its password.

use std::fmt;
use std::path::PathBuf;

/// The default when `DATABASE_URL` is unset: an embedded SQLite file under `data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tollgate.db?mode=rwc";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database URL whose scheme has been checked. `Debug` and `Display` redact the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    backend: Backend,
}

impl DatabaseUrl {
    /// Accepts `sqlite:…` and `postgres://…`/`postgresql://…`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let backend = if raw.starts_with("sqlite:") {
            Backend::Sqlite
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(format!(
                "DATABASE_URL must start with sqlite:// or postgres:// (got `{}`)",
                redact(raw)
            ));
        };
        Ok(Self {
            raw: raw.to_owned(),
            backend,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The full URL, password included: only for handing to the driver.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    pub fn redacted(&self) -> String {
        redact(&self.raw)
    }

    /// For file-backed SQLite, the directory that must exist before the file can be created.
    pub fn sqlite_parent_dir(&self) -> Option<PathBuf> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let path = self
            .raw
            .trim_start_matches("sqlite:")
            .trim_start_matches("//");
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            return None;
        }
        PathBuf::from(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(PathBuf::from)
    }
}

impl Default for DatabaseUrl {
    fn default() -> Self {
        Self {
            raw: DEFAULT_DATABASE_URL.to_owned(),
            backend: Backend::Sqlite,
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Replaces the password of `scheme://user:password@host` with `***`.
fn redact(raw: &str) -> String {
    let Some((scheme, rest)) = raw.split_once("://") else {
        return raw.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return raw.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_comes_from_the_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/x.db").unwrap().backend(),
            Backend::Sqlite
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:").unwrap().backend(),
            Backend::Sqlite
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
    }

    #[test]
    fn other_schemes_are_refused_without_leaking_the_password() {
        let err = DatabaseUrl::parse("mysql://root:hunter2@db/app").unwrap_err();
        assert!(err.contains("sqlite:// or postgres://"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn debug_and_display_redact_the_password() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db:5432/tollgate").unwrap();
        assert_eq!(url.to_string(), "postgres://app:***@db:5432/tollgate");
        assert_eq!(format!("{url:?}"), "postgres://app:***@db:5432/tollgate");
        assert_eq!(url.expose(), "postgres://app:s3cret@db:5432/tollgate");
    }

    #[test]
    fn the_sqlite_directory_is_found_for_relative_and_absolute_files() {
        let default = DatabaseUrl::default();
        assert_eq!(default.sqlite_parent_dir(), Some(PathBuf::from("data")));
        let abs = DatabaseUrl::parse("sqlite:///tmp/t/app.db?mode=rwc").unwrap();
        assert_eq!(abs.sqlite_parent_dir(), Some(PathBuf::from("/tmp/t")));
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:")
                .unwrap()
                .sqlite_parent_dir(),
            None
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite://app.db")
                .unwrap()
                .sqlite_parent_dir(),
            None
        );
    }
}
