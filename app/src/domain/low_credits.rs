//! When a balance of bought credits counts as "running low": the moment one use takes it from
//! above [`LOW_CREDITS`] to at or below it. Exactly one use crosses, so the email it triggers is
//! sent once per fall, and again only after a new pack lifted the balance above the line.

/// Credits left at which the buyer is told to top up.
pub const LOW_CREDITS: u64 = 10;

/// Whether spending `spent` credits, leaving `left`, crossed the line.
pub fn ran_low(spent: u64, left: u64) -> bool {
    spent > 0 && left <= LOW_CREDITS && left.saturating_add(spent) > LOW_CREDITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_use_that_crosses_the_line_runs_low() {
        assert!(ran_low(1, 10));
        assert!(ran_low(5, 7), "a bigger use can jump the line");
        assert!(!ran_low(1, 11), "still above");
        assert!(!ran_low(1, 9), "already below before");
        assert!(!ran_low(0, 5), "paid from the allowance");
        assert!(!ran_low(u64::MAX, u64::MAX));
    }
}
