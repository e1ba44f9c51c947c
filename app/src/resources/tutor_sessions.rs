//! Starting a tutor session: Pro tutors need `pro_tutors`; every session spends one of the
//! month's `tutor_sessions`, once per form submission (the form's key).

use crate::access::{Access, AccessError, Replay, Subject};
use crate::db::{Db, DbError};
use crate::domain::tutors::Tutor;
use crate::domain::{Decision, Denial, FeatureId, IdempotencyKey};
use sqlx::Row;

#[derive(Debug)]
pub enum Started {
    New,
    /// The same form was submitted twice; one session, one charge.
    AlreadyStarted,
    /// This form's earlier submission failed and was refunded; the page must be reloaded
    /// (for a fresh form key) to try again.
    StaleForm,
    Denied {
        feature: FeatureId,
        denial: Denial,
    },
}

pub async fn start(
    access: &Access,
    db: &Db,
    user_id: i64,
    tutor: &Tutor,
    key: &IdempotencyKey,
) -> Result<Started, AccessError> {
    let subject = Subject::User(user_id);
    if tutor.pro {
        let pro = access.product().pro_tutors.clone();
        if let Decision::Denied(denial) = access.check(&subject, &pro).await? {
            return Ok(Started::Denied {
                feature: pro,
                denial,
            });
        }
    }
    let sessions = access.product().tutor_sessions.clone();
    let consumption = access.consume(&subject, &sessions, 1, key).await?;
    match (consumption.replay, consumption.decision) {
        (Some(Replay::Charged), _) => Ok(Started::AlreadyStarted),
        (Some(Replay::Refunded), _) => Ok(Started::StaleForm),
        (None, Decision::Denied(denial)) => Ok(Started::Denied {
            feature: sessions,
            denial,
        }),
        (None, Decision::Allowed(_)) => {
            let inserted = sqlx::query(
                "INSERT INTO tutor_sessions (user_id, tutor_id, started_at) VALUES ($1, $2, $3)",
            )
            .bind(user_id)
            .bind(tutor.id)
            .bind(db.now())
            .execute(db.pool())
            .await;
            if let Err(e) = inserted {
                // Paid but not started: give the session back before reporting the failure.
                if let Err(refund) = access.refund(&subject, &sessions, key).await {
                    tracing::error!(error = %refund, "refunding a tutor session that did not start failed");
                }
                return Err(e.into());
            }
            Ok(Started::New)
        }
    }
}

/// (tutor id, started at) of the user's last ten sessions.
pub async fn recent(db: &Db, user_id: i64) -> Result<Vec<(String, i64)>, DbError> {
    let rows = sqlx::query(
        "SELECT tutor_id, started_at FROM tutor_sessions WHERE user_id = $1
         ORDER BY id DESC LIMIT 10",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("tutor_id")?, r.try_get("started_at")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}
