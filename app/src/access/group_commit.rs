//! Charges that arrive together commit together (SQLite).
//!
//! SQLite has one writer at a time, so under load charges queue for the process's one writer
//! connection, and each paid for a `BEGIN` and a `COMMIT` round trip to the driver's thread of
//! its own. Here one task takes every charge waiting at that moment, runs them one after the
//! other in one transaction and commits once: the same statements, in the same order, with the
//! same answers as one transaction each (each charge leaves the transaction consistent, see
//! `meter::charge_in`), but one commit for the group. A charge is answered only after its
//! group is committed.
//!
//! If any charge of a group fails (an error, not a refusal), the group is rolled back and each
//! of its charges is run again alone, so one bad charge cannot fail the others.
//! PostgreSQL does not group: its charges run on many connections at once, and a group would
//! hold row locks of unrelated subjects until its last charge, inviting deadlocks between
//! processes.

use super::meter::{self, Charge, ChargeOrder};
use crate::db::{Backend, Db, DbError};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

/// The most charges one transaction takes (bounds how long the writer is held).
const MOST_PER_GROUP: usize = 64;

/// How many charges may wait for the writer task.
const QUEUE: usize = 4096;

struct Order {
    charge: ChargeOrder,
    answer: oneshot::Sender<Result<Charge, DbError>>,
}

/// Where an `Access` sends its charges; shared by its clones. The task starts with the first
/// charge (inside the runtime that serves it).
#[derive(Clone, Default)]
pub(super) struct Charges {
    queue: Arc<OnceLock<mpsc::Sender<Order>>>,
}

impl std::fmt::Debug for Charges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Charges")
    }
}

impl Charges {
    pub async fn charge(&self, db: &Db, charge: ChargeOrder) -> Result<Charge, DbError> {
        if db.backend() != Backend::Sqlite {
            return meter::charge(db, &charge).await;
        }
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE);
            tokio::spawn(commit_groups(db.clone(), receiver));
            sender
        });
        let (answer, answered) = oneshot::channel();
        queue
            .send(Order { charge, answer })
            .await
            .map_err(|_| writer_stopped())?;
        answered.await.map_err(|_| writer_stopped())?
    }
}

fn writer_stopped() -> DbError {
    DbError::Query(sqlx::Error::WorkerCrashed)
}

/// The writer task: one transaction per group of waiting charges, until every `Access` is gone.
async fn commit_groups(db: Db, mut receiver: mpsc::Receiver<Order>) {
    let mut group = Vec::with_capacity(MOST_PER_GROUP);
    while receiver.recv_many(&mut group, MOST_PER_GROUP).await > 0 {
        commit_group(&db, std::mem::take(&mut group)).await;
    }
}

async fn commit_group(db: &Db, group: Vec<Order>) {
    if group.len() > 1 {
        match charge_together(db, &group).await {
            Ok(charges) => {
                for (order, charge) in group.into_iter().zip(charges) {
                    answer(db, order, Ok(charge)).await;
                }
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, charges = group.len(), "a group of charges failed; running each alone");
            }
        }
    }
    for order in group {
        let charge = meter::charge(db, &order.charge).await;
        answer(db, order, charge).await;
    }
}

/// Hands `charge` to whoever ordered it. One that is gone (its request was cancelled while it
/// waited) never learned it was charged and never did the work, so the use is given back.
async fn answer(db: &Db, order: Order, charge: Result<Charge, DbError>) {
    let Order {
        charge: placed,
        answer,
    } = order;
    if let Err(Ok(Charge::Charged { .. })) = answer.send(charge) {
        if let Err(e) = meter::refund(db, &placed.key, placed.now).await {
            tracing::error!(error = %e, "giving back a charge whose caller left failed");
        }
    }
}

/// Every charge of `group` in one transaction; nothing is kept unless all of them ran.
async fn charge_together(db: &Db, group: &[Order]) -> Result<Vec<Charge>, DbError> {
    let mut tx = db.begin().await?;
    let mut charges = Vec::with_capacity(group.len());
    for order in group {
        charges.push(meter::charge_in(&mut tx, &order.charge).await?);
    }
    tx.commit().await?;
    Ok(charges)
}
