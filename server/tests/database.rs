//! The data layer behaves the same on SQLite and PostgreSQL.
mod common;

use common::TestDatabase;
use sqlx::Row;

#[tokio::test]
async fn migrations_apply_once_and_are_idempotent() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let count = db.migrate().await.unwrap();
    assert!(count >= 1);
    db.migrate().await.expect("second run is a no-op");
    let applied: i64 = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(applied, count as i64);
}

#[tokio::test]
async fn one_query_text_serves_both_engines() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    db.migrate().await.unwrap();
    let id: i64 =
        sqlx::query("INSERT INTO users (email, name, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind("ada@example.com")
            .bind("Ada")
            .bind(1_700_000_000_i64)
            .fetch_one(db.pool())
            .await
            .unwrap()
            .get("id");
    let row = sqlx::query("SELECT email, role, banned FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("email"), "ada@example.com");
    assert_eq!(row.get::<String, _>("role"), "user");
    assert_eq!(row.get::<i64, _>("banned"), 0);

    let duplicate = sqlx::query("INSERT INTO users (email, created_at) VALUES ($1, $2)")
        .bind("ada@example.com")
        .bind(1_i64)
        .execute(db.pool())
        .await;
    assert!(duplicate.is_err(), "emails are unique");
}

#[tokio::test]
async fn two_processes_migrating_at_once_both_succeed() {
    let database = TestDatabase::fresh().await;
    let (a, b) = (database.connect().await, database.connect().await);
    let (ra, rb) = tokio::join!(a.migrate(), b.migrate());
    ra.expect("first migrator");
    rb.expect("second migrator");
}

#[tokio::test]
async fn migration_7_keeps_every_ledger_row_and_welcomes_existing_users() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    db.migrate_up_to(6).await.unwrap();
    sqlx::query(
        "INSERT INTO users (email, role, banned, created_at) VALUES ('old@example.com', 'user', 0, 7)",
    )
    .execute(db.pool())
    .await
    .unwrap();
    let insert = |key: &'static str, kind: &'static str| {
        sqlx::query(
            "INSERT INTO usage_ledger (idempotency_key, subject, feature, kind, window_start,
                 from_allowance, from_credits, created_at)
             VALUES ($1, 'u:1', 'generations', $2, 0, 0, 1, 9)",
        )
        .bind(key)
        .bind(kind)
        .execute(db.pool())
    };
    for (key, kind) in [("a", "grant"), ("b", "consume"), ("c", "refund")] {
        insert(key, kind).await.unwrap();
    }
    db.migrate().await.unwrap();

    let kept: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, idempotency_key, kind FROM usage_ledger ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
    let kinds: Vec<&str> = kept.iter().map(|(_, _, k)| k.as_str()).collect();
    assert_eq!(kinds, ["grant", "consume", "refund"]);
    // Ids go on from where they were; the new kind is accepted, a made-up one still is not.
    insert("d", "clawback")
        .await
        .expect("clawback rows are allowed");
    assert!(insert("e", "gift").await.is_err());
    let newest: i64 = sqlx::query_scalar("SELECT MAX(id) FROM usage_ledger")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(newest > kept.last().unwrap().0);
    let welcomed: Option<i64> =
        sqlx::query_scalar("SELECT welcomed_at FROM users WHERE email = 'old@example.com'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(
        welcomed,
        Some(7),
        "existing users never see the plan picker"
    );
}

#[tokio::test]
async fn migration_10_totals_the_existing_ledger_per_day_and_the_trigger_carries_on() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    db.migrate_up_to(9).await.unwrap();
    let insert = |key: &'static str, subject: &'static str, kind: &'static str, at: i64| {
        sqlx::query(
            "INSERT INTO usage_ledger (idempotency_key, subject, feature, kind, window_start,
                 from_allowance, from_credits, created_at)
             VALUES ($1, $2, 'generations', $3, 0, 1, $4, $5)",
        )
        .bind(key)
        .bind(subject)
        .bind(kind)
        .bind(i64::from(kind == "grant") * 4)
        .bind(at)
    };
    let day = 20_000 * 86_400;
    for (key, subject, kind, at) in [
        ("a", "u:1", "consume", day),
        ("b", "u:1", "consume", day + 86_399),
        ("c", "u:1", "refund", day + 86_400),
        ("d", "u:1", "grant", day),
        ("e", "u:1", "clawback", day),
        ("f", "u:2", "consume", day),
    ] {
        insert(key, subject, kind, at)
            .execute(db.pool())
            .await
            .unwrap();
    }
    db.migrate().await.unwrap();
    insert("g", "u:1", "consume", day + 86_400)
        .execute(db.pool())
        .await
        .unwrap();

    let days: Vec<(String, i64, i64)> =
        sqlx::query_as("SELECT subject, day, uses FROM usage_days ORDER BY subject, day")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(
        days,
        [
            ("u:1".to_owned(), 20_000, 2),
            ("u:1".to_owned(), 20_001, 0),
            ("u:2".to_owned(), 20_000, 1),
        ],
        "uses and refunds count, grants and clawbacks do not; the trigger adds to the backfill"
    );
}
