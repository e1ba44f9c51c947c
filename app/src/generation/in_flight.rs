//! How many generations each subject has streaming right now, in this process: an unlimited
//! plan must not be able to open unbounded upstream streams (each holds a connection to the
//! model and a task here). A [`Slot`] is held for the life of one generation and given back
//! when dropped, also when the client hangs up or the task ends early. The same counter caps
//! the live-update streams a user keeps open (`GET /api/events`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The per-subject counters, shared by every request of the process.
#[derive(Debug, Clone)]
pub struct InFlight {
    running: Arc<Mutex<HashMap<String, usize>>>,
    max_per_subject: usize,
}

/// One running generation of a subject.
#[derive(Debug)]
pub struct Slot {
    running: Arc<Mutex<HashMap<String, usize>>>,
    subject: String,
}

impl InFlight {
    pub fn new(max_per_subject: usize) -> Self {
        Self {
            running: Arc::default(),
            max_per_subject,
        }
    }

    pub fn max_per_subject(&self) -> usize {
        self.max_per_subject
    }

    /// A slot for `subject` (its key), or `None` when it already runs the maximum.
    pub fn try_start(&self, subject: &str) -> Option<Slot> {
        // The lock is never held across an await; a panic while holding it cannot leave the
        // map half-written, so a poisoned lock is still sound to use.
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        let count = running.entry(subject.to_owned()).or_default();
        if *count >= self.max_per_subject {
            return None;
        }
        *count += 1;
        Some(Slot {
            running: self.running.clone(),
            subject: subject.to_owned(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = running.get_mut(&self.subject) {
            *count -= 1;
            if *count == 0 {
                running.remove(&self.subject);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_gets_at_most_its_slots_and_they_come_back_when_dropped() {
        let in_flight = InFlight::new(2);
        let a = in_flight.try_start("u:1").unwrap();
        let _b = in_flight.try_start("u:1").unwrap();
        assert!(in_flight.try_start("u:1").is_none());
        assert!(
            in_flight.try_start("u:2").is_some(),
            "others are not affected"
        );
        drop(a);
        assert!(in_flight.try_start("u:1").is_some());
    }

    #[test]
    fn an_idle_subject_leaves_no_entry_behind() {
        let in_flight = InFlight::new(1);
        drop(in_flight.try_start("u:1"));
        assert!(in_flight.running.lock().unwrap().is_empty());
    }
}
