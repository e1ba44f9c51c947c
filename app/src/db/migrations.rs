//! Migrations embedded in the binary, one directory per engine, so a deployed `tollgate`
//! needs no files beside it and `tollgate migrate` works anywhere.

use super::{Backend, DbError};
use futures_util::future::BoxFuture;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::AnyPool;
use std::borrow::Cow;

/// (version, description, SQL) for each engine, in order. Add a file to both lists together.
const SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "users",
        include_str!("../../../migrations/sqlite/0001_users.sql"),
    ),
    (
        2,
        "sign in",
        include_str!("../../../migrations/sqlite/0002_sign_in.sql"),
    ),
    (
        3,
        "oauth",
        include_str!("../../../migrations/sqlite/0003_oauth.sql"),
    ),
    (
        4,
        "access",
        include_str!("../../../migrations/sqlite/0004_access.sql"),
    ),
    (
        5,
        "guests and replays",
        include_str!("../../../migrations/sqlite/0005_guests_and_replays.sql"),
    ),
    (
        6,
        "billing",
        include_str!("../../../migrations/sqlite/0006_billing.sql"),
    ),
    (
        7,
        "refunds and holds",
        include_str!("../../../migrations/sqlite/0007_refunds_and_holds.sql"),
    ),
    (
        8,
        "change feed",
        include_str!("../../../migrations/sqlite/0008_change_feed.sql"),
    ),
    (
        9,
        "table schema and local invoices",
        include_str!("../../../migrations/sqlite/0009_table_schema_and_local_invoices.sql"),
    ),
    (
        10,
        "usage days",
        include_str!("../../../migrations/sqlite/0010_usage_days.sql"),
    ),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "users",
        include_str!("../../../migrations/postgres/0001_users.sql"),
    ),
    (
        2,
        "sign in",
        include_str!("../../../migrations/postgres/0002_sign_in.sql"),
    ),
    (
        3,
        "oauth",
        include_str!("../../../migrations/postgres/0003_oauth.sql"),
    ),
    (
        4,
        "access",
        include_str!("../../../migrations/postgres/0004_access.sql"),
    ),
    (
        5,
        "guests and replays",
        include_str!("../../../migrations/postgres/0005_guests_and_replays.sql"),
    ),
    (
        6,
        "billing",
        include_str!("../../../migrations/postgres/0006_billing.sql"),
    ),
    (
        7,
        "refunds and holds",
        include_str!("../../../migrations/postgres/0007_refunds_and_holds.sql"),
    ),
    (
        8,
        "change feed",
        include_str!("../../../migrations/postgres/0008_change_feed.sql"),
    ),
    (
        9,
        "table schema and local invoices",
        include_str!("../../../migrations/postgres/0009_table_schema_and_local_invoices.sql"),
    ),
    (
        10,
        "usage days",
        include_str!("../../../migrations/postgres/0010_usage_days.sql"),
    ),
];

#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(self) -> BoxFuture<'s, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// Runs pending migrations up to `last` (every one when `None`) and returns how many ran or
/// had run.
pub(super) async fn run(
    pool: &AnyPool,
    backend: Backend,
    last: Option<i64>,
) -> Result<usize, DbError> {
    let all = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let list = match last {
        Some(last) => &all[..all.iter().take_while(|(v, _, _)| *v <= last).count()],
        None => all,
    };
    let migrator = Migrator::new(Embedded(list)).await?;
    // PostgreSQL: sqlx holds an advisory lock, so concurrent starts queue up. SQLite has no such
    // lock: two processes starting at once can both try migration N; the loser's transaction
    // rolls back whole, and a second pass sees N applied. A broken migration fails every pass.
    let attempts = if backend == Backend::Sqlite { 3 } else { 1 };
    for attempt in 1..=attempts {
        match migrator.run(pool).await {
            Ok(()) => return Ok(list.len()),
            Err(e) if attempt < attempts => {
                tracing::debug!(error = %e, attempt, "migration raced another process; retrying");
                tokio::time::sleep(std::time::Duration::from_millis(50 * attempt as u64)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(list.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_engines_have_the_same_migrations() {
        let versions = |list: &[(i64, &str, &str)]| {
            list.iter()
                .map(|(v, d, _)| (*v, d.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(versions(SQLITE), versions(POSTGRES));
    }

    /// Every `NNNN_name.sql` in `migrations/<engine>/` is embedded under its number, with the
    /// same text, and nothing is embedded that is not on disk: a file added without its line
    /// (or a line pointing at an old copy) fails here, not at a customer's start-up.
    #[test]
    fn the_embedded_lists_are_exactly_the_files_on_disk() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
        for (engine, list) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
            let mut on_disk: Vec<(i64, String)> = std::fs::read_dir(root.join(engine))
                .expect("the migrations directory")
                .map(|entry| entry.expect("a directory entry").path())
                .filter(|path| path.extension().is_some_and(|e| e == "sql"))
                .map(|path| {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    let version = name
                        .split('_')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or_else(|| panic!("{engine}/{name} must start with its number"));
                    (
                        version,
                        std::fs::read_to_string(&path).expect("readable SQL"),
                    )
                })
                .collect();
            on_disk.sort();
            let embedded: Vec<(i64, String)> = list
                .iter()
                .map(|(version, _, sql)| (*version, (*sql).to_owned()))
                .collect();
            let numbers = |l: &[(i64, String)]| l.iter().map(|(v, _)| *v).collect::<Vec<_>>();
            assert_eq!(
                numbers(&embedded),
                numbers(&on_disk),
                "{engine}: embedded migrations vs files"
            );
            assert!(
                embedded == on_disk,
                "{engine}: an embedded migration differs from its file"
            );
        }
    }
}
