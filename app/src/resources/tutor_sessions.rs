//! Starting a tutor session: Pro tutors need `pro_tutors`; every session spends one of the
//! month's `tutor_sessions`, once per form submission (the form's key).

use crate::access::{Access, AccessError, Checked, Metered, Refused, Subject};
use crate::db::{Db, DbError};
use crate::domain::tutors::Tutor;
use crate::domain::IdempotencyKey;

#[derive(Debug)]
pub enum Started {
    New,
    /// The same form was submitted twice; one session, one charge.
    AlreadyStarted,
    /// This form's earlier submission failed and was refunded; the page must be reloaded
    /// (for a fresh form key) to try again.
    StaleForm,
    /// The plan says no (Pro tutors, or the month's sessions are used up).
    Refused(Refused),
}

/// Starts a session: the charge, the row and the refund when the row cannot be written are
/// the access module's one protocol for paid work.
pub async fn start(
    access: &Access,
    db: &Db,
    user_id: i64,
    tutor: &Tutor,
    key: &IdempotencyKey,
) -> Result<Started, AccessError> {
    let subject = Subject::User(user_id);
    if tutor.pro {
        let pro = &access.product().pro_tutors;
        if let Checked::Refused(refused) = access.check(&subject, pro).await? {
            return Ok(Started::Refused(refused));
        }
    }
    let sessions = &access.product().tutor_sessions;
    let started = access
        .metered(&subject, sessions, key, |_refund| async move {
            sqlx::query(
                "INSERT INTO tutor_sessions (user_id, tutor_id, started_at) VALUES ($1, $2, $3)",
            )
            .bind(user_id)
            .bind(tutor.id)
            .bind(db.now())
            .execute(db.pool())
            .await
        })
        .await?;
    Ok(match started {
        Metered::Done { .. } => Started::New,
        Metered::Failed(e) => return Err(e.into()),
        Metered::Refused(refused) => Started::Refused(refused),
        Metered::AlreadyDone(_) => Started::AlreadyStarted,
        Metered::AlreadyRefunded => Started::StaleForm,
    })
}

/// (tutor id, started at) of the user's last ten sessions.
pub async fn recent(db: &Db, user_id: i64) -> Result<Vec<(String, i64)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT tutor_id, started_at FROM tutor_sessions WHERE user_id = $1
         ORDER BY id DESC LIMIT 10",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?)
}
