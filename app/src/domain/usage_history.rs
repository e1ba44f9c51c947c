//! Uses per day over the last days, as the dashboard's chart draws them: the ledger's days
//! with uses, filled out with the days without any. Pure.

use serde::{Deserialize, Serialize};

pub const DAY: i64 = 86_400;

/// One day of the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayUses {
    /// 00:00 UTC of the day, Unix seconds.
    pub day: i64,
    pub uses: u64,
}

/// The `days` days up to and including the one of `now`, oldest first; `counted` holds
/// (day number since 1970, net uses) for the days that had any.
pub fn last_days(counted: &[(i64, i64)], now: i64, days: u32) -> Vec<DayUses> {
    let today = now.div_euclid(DAY);
    (0..i64::from(days))
        .rev()
        .map(|back| {
            let day = today - back;
            let uses = counted
                .iter()
                .filter(|(d, _)| *d == day)
                .map(|(_, n)| *n)
                .sum::<i64>();
            DayUses {
                day: day * DAY,
                // A refund never outnumbers its use; a negative sum would be a broken ledger,
                // shown as none rather than wrapped into a huge bar.
                uses: u64::try_from(uses).unwrap_or(0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_without_uses_are_zero_and_the_window_ends_today() {
        let now = 20_000 * DAY + 3_600;
        let days = last_days(&[(20_000, 4), (19_990, 2), (19_000, 9)], now, 30);
        assert_eq!(days.len(), 30);
        assert_eq!(
            days.last(),
            Some(&DayUses {
                day: 20_000 * DAY,
                uses: 4
            })
        );
        assert_eq!(days[0].day, 19_971 * DAY);
        assert_eq!(
            days.iter().map(|d| d.uses).sum::<u64>(),
            6,
            "the old day is outside"
        );
        assert_eq!(last_days(&[(20_000, -1)], now, 1)[0].uses, 0);
    }
}
