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
