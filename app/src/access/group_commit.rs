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
//! Failures: when the transaction cannot begin or commit, every charge of the group gets that
//! error at once (nothing was kept). When one charge's statement fails, the group is rolled
//! back, that charge gets its error, and the others run again alone.
//!
//! Callers that leave: an order whose caller is gone before its group runs is dropped unrun;
//! a charge whose caller left while it ran (or before reading the answer) is given back, since
//! the caller never learned of it and never did the paid work.
//!
//! PostgreSQL does not group: its charges run on many connections at once, and a group would
//! hold row locks of unrelated subjects until its last charge, inviting deadlocks between
//! processes. Each charge runs on a task of its own instead (mostly one statement, see
//! `meter::charge`), so a caller who leaves cannot cut it off half-sent; it is given back as
//! above. There is no queue to drop it from: a charge waiting for its counter's row is already
//! with the database.

use super::meter::{self, Charge, ChargeOrder};
use crate::db::{Backend, Db, DbError};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{mpsc, oneshot};

/// The most charges one transaction takes (bounds how long the writer is held).
const MOST_PER_GROUP: usize = 64;

/// How many charges may wait for the writer task.
const QUEUE: usize = 4096;

type Answer = Result<Charge, DbError>;

struct Order {
    charge: ChargeOrder,
    answer: oneshot::Sender<Answer>,
}

/// Where an `Access` sends its charges; shared by its clones. The writer task is started by
/// the first charge (inside the runtime that serves it), and again if it is gone (its runtime
/// ended).
#[derive(Clone, Default)]
pub(super) struct Charges {
    queue: Arc<Mutex<Option<mpsc::Sender<Order>>>>,
}

impl std::fmt::Debug for Charges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Charges")
    }
}

impl Charges {
    pub async fn charge(&self, db: &Db, charge: ChargeOrder) -> Answer {
        let (answer, answered) = oneshot::channel();
        let awaited = AwaitedAnswer {
            receiver: Some(answered),
            db: db.clone(),
            key: charge.key.clone(),
            now: charge.now,
        };
        let order = Order { charge, answer };
        if db.backend() == Backend::Sqlite {
            self.queue(db)
                .send(order)
                .await
                .map_err(|_| writer_stopped())?;
        } else {
            tokio::spawn(charge_alone(db.clone(), order));
        }
        awaited.get().await
    }

    /// The writer task's queue, starting the task when there is none running.
    fn queue(&self, db: &Db) -> mpsc::Sender<Order> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        match queue.as_ref() {
            Some(sender) if !sender.is_closed() => sender.clone(),
            _ => {
                let (sender, receiver) = mpsc::channel(QUEUE);
                tokio::spawn(commit_groups(db.clone(), receiver));
                *queue = Some(sender.clone());
                sender
            }
        }
    }
}

fn writer_stopped() -> DbError {
    DbError::Query(sqlx::Error::WorkerCrashed)
}

/// The caller's side of an order: if the caller goes away after its charge was answered but
/// before reading the answer, the charge is given back.
struct AwaitedAnswer {
    receiver: Option<oneshot::Receiver<Answer>>,
    db: Db,
    key: String,
    now: i64,
}

impl AwaitedAnswer {
    async fn get(mut self) -> Answer {
        let Some(receiver) = self.receiver.as_mut() else {
            return Err(writer_stopped());
        };
        let answer = receiver.await.map_err(|_| writer_stopped());
        self.receiver = None;
        answer?
    }
}

impl Drop for AwaitedAnswer {
    fn drop(&mut self) {
        let Some(mut receiver) = self.receiver.take() else {
            return;
        };
        // Closing first: an answer not sent yet is refunded by the writer task instead.
        receiver.close();
        if let Ok(Ok(Charge::Charged { .. })) = receiver.try_recv() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let (db, key, now) = (self.db.clone(), std::mem::take(&mut self.key), self.now);
                runtime.spawn(async move { give_back(&db, &key, now).await });
            }
        }
    }
}

async fn give_back(db: &Db, key: &str, now: i64) {
    if let Err(e) = meter::refund(db, key, now).await {
        tracing::error!(error = %e, "giving back a charge whose caller left failed");
    }
}

/// The writer task: one transaction per group of waiting charges, until every `Access` is gone.
async fn commit_groups(db: Db, mut receiver: mpsc::Receiver<Order>) {
    let mut waiting = Vec::with_capacity(MOST_PER_GROUP);
    while receiver.recv_many(&mut waiting, MOST_PER_GROUP).await > 0 {
        // Callers gone before their charge ran are not charged.
        let group: Vec<Order> = waiting
            .drain(..)
            .filter(|order| !order.answer.is_closed())
            .collect();
        commit_group(&db, group).await;
    }
}

/// PostgreSQL: one charge on a task of its own, so that a caller who leaves cannot cut it off
/// half-sent; as in a group, it is given back when the caller left before its answer.
async fn charge_alone(db: Db, order: Order) {
    if order.answer.is_closed() {
        return;
    }
    let charge = meter::charge(&db, &order.charge).await;
    if let Some(left) = answer(order, charge) {
        give_back(&db, &left.key, left.now).await;
    }
}

/// Why a group's transaction failed.
enum GroupFailed {
    /// Begin or commit: nothing was kept, and running the charges alone would fail the same way.
    Transaction(DbError),
    /// The charge at this place in the group failed.
    Charge(usize, DbError),
}

async fn commit_group(db: &Db, group: Vec<Order>) {
    let mut refunds = Vec::new();
    match charge_together(db, &group).await {
        Ok(charges) => {
            for (order, charge) in group.into_iter().zip(charges) {
                refunds.extend(answer(order, Ok(charge)));
            }
        }
        Err(GroupFailed::Transaction(e)) => {
            tracing::warn!(error = %e, charges = group.len(), "a group of charges failed");
            let e = Arc::new(e);
            for order in group {
                refunds.extend(answer(order, Err(DbError::Shared(e.clone()))));
            }
        }
        Err(GroupFailed::Charge(failed, e)) => {
            tracing::warn!(error = %e, "a charge failed its group; running the others alone");
            let mut e = Some(e);
            for (place, order) in group.into_iter().enumerate() {
                let charge = match e.take_if(|_| place == failed) {
                    Some(e) => Err(e),
                    None => meter::charge(db, &order.charge).await,
                };
                refunds.extend(answer(order, charge));
            }
        }
    }
    // Everyone has their answer before any refund runs.
    for order in refunds {
        give_back(db, &order.key, order.now).await;
    }
}

/// Hands `charge` to whoever ordered it; the charge to give back when they are gone.
fn answer(order: Order, charge: Answer) -> Option<ChargeOrder> {
    let Order {
        charge: placed,
        answer,
    } = order;
    match answer.send(charge) {
        Err(Ok(Charge::Charged { .. })) => Some(placed),
        _ => None,
    }
}

/// Every charge of `group` in one transaction; nothing is kept unless all of them ran.
async fn charge_together(db: &Db, group: &[Order]) -> Result<Vec<Charge>, GroupFailed> {
    let mut tx = db.begin().await.map_err(GroupFailed::Transaction)?;
    let mut charges = Vec::with_capacity(group.len());
    for (place, order) in group.iter().enumerate() {
        let charge = meter::charge_in(&mut tx, &order.charge)
            .await
            .map_err(|e| GroupFailed::Charge(place, e))?;
        charges.push(charge);
    }
    tx.commit()
        .await
        .map_err(|e| GroupFailed::Transaction(e.into()))?;
    Ok(charges)
}
