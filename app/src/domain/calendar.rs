//! UTC calendar arithmetic on Unix seconds: usage windows and ISO-8601 timestamps.
//!
//! Written here (a few lines of Howard Hinnant's civil-date algorithms) rather than pulled from
//! a date crate, because the domain builds for wasm too and needs only these operations.

use super::catalog::Period;

const DAY: i64 = 86_400;

/// A span of time `[start, end)` in Unix seconds over which a metered allowance is counted.
/// `end` is `None` for allowances that never renew (the guest allowance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub end: Option<i64>,
}

impl Window {
    /// The one window of an allowance given once, in total.
    pub const FOREVER: Window = Window {
        start: 0,
        end: None,
    };

    /// The window of `period` containing `now`. Days start at 00:00 UTC. Months start on the
    /// billing anchor's day and time each month (clamped to short months), or on the 1st at
    /// 00:00 UTC when there is no anchor (Free accounts).
    pub fn containing(period: Period, anchor: Option<i64>, now: i64) -> Window {
        match period {
            Period::Day => {
                let start = now.div_euclid(DAY) * DAY;
                Window {
                    start,
                    end: Some(start + DAY),
                }
            }
            Period::Month => month_window(anchor, now),
        }
    }
}

fn month_window(anchor: Option<i64>, now: i64) -> Window {
    let anchor = anchor.unwrap_or_else(|| {
        let (y, m, _) = civil_from_days(now.div_euclid(DAY));
        days_from_civil(y, m, 1) * DAY
    });
    let (ay, am, _) = civil_from_days(anchor.div_euclid(DAY));
    let (ny, nm, _) = civil_from_days(now.div_euclid(DAY));
    let mut months = (ny - ay) * 12 + (nm as i64 - am as i64);
    // An anchor in the future (clock skew, a period that starts later) counts from itself.
    if now < anchor {
        return Window {
            start: anchor,
            end: Some(add_months(anchor, 1)),
        };
    }
    let mut start = add_months(anchor, months);
    if start > now {
        months -= 1;
        start = add_months(anchor, months);
    }
    Window {
        start,
        end: Some(add_months(anchor, months + 1)),
    }
}

/// `at` moved by `months` calendar months, the day clamped to the target month's length
/// (Jan 31 + 1 month = Feb 28/29), the time of day kept.
pub fn add_months(at: i64, months: i64) -> i64 {
    let days = at.div_euclid(DAY);
    let time = at.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let index = y * 12 + (m as i64 - 1) + months;
    let (ty, tm) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
    let td = d.min(days_in_month(ty, tm));
    days_from_civil(ty, tm, td) * DAY + time
}

/// `2026-11-25T00:00:00Z` for a Unix time in seconds.
pub fn iso8601(at: i64) -> String {
    let (y, m, d) = civil_from_days(at.div_euclid(DAY));
    let t = at.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        t % 3600 / 60,
        t % 60
    )
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, m: u32, d: u32, h: i64) -> i64 {
        days_from_civil(y, m, d) * DAY + h * 3600
    }

    #[test]
    fn civil_dates_round_trip_across_eras_and_leap_days() {
        for days in [-800_000, -1, 0, 59, 10_957, 11_016, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn iso8601_is_utc_with_seconds() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(at(2026, 11, 25, 13) + 61), "2026-11-25T13:01:01Z");
    }

    #[test]
    fn a_day_runs_from_midnight_to_midnight_utc() {
        let w = Window::containing(Period::Day, None, at(2026, 11, 25, 23) + 3599);
        assert_eq!(w.start, at(2026, 11, 25, 0));
        assert_eq!(w.end, Some(at(2026, 11, 26, 0)));
        let next = Window::containing(Period::Day, None, at(2026, 11, 26, 0));
        assert_eq!(next.start, at(2026, 11, 26, 0));
    }

    #[test]
    fn without_an_anchor_a_month_is_the_calendar_month() {
        let w = Window::containing(Period::Month, None, at(2026, 12, 31, 22));
        assert_eq!(w.start, at(2026, 12, 1, 0));
        assert_eq!(w.end, Some(at(2027, 1, 1, 0)));
    }

    #[test]
    fn a_month_follows_the_billing_anchor_and_clamps_short_months() {
        let anchor = at(2026, 1, 31, 9);
        let feb = Window::containing(Period::Month, Some(anchor), at(2026, 2, 28, 10));
        assert_eq!(feb.start, at(2026, 2, 28, 9));
        assert_eq!(feb.end, Some(at(2026, 3, 31, 9)));
        // Before the anchor's time of day in a month, the previous window still runs.
        let before = Window::containing(Period::Month, Some(anchor), at(2026, 3, 31, 8));
        assert_eq!(before.start, at(2026, 2, 28, 9));
        let leap = Window::containing(Period::Month, Some(anchor), at(2028, 2, 29, 12));
        assert_eq!(leap.start, at(2028, 2, 29, 9));
    }

    #[test]
    fn an_anchor_in_the_future_starts_the_first_window() {
        let anchor = at(2026, 12, 5, 0);
        let w = Window::containing(Period::Month, Some(anchor), at(2026, 12, 1, 0));
        assert_eq!(w.start, anchor);
        assert_eq!(w.end, Some(at(2027, 1, 5, 0)));
    }

    #[test]
    fn add_months_crosses_years_both_ways() {
        assert_eq!(add_months(at(2026, 11, 30, 1), 3), at(2027, 2, 28, 1));
        assert_eq!(add_months(at(2026, 1, 15, 0), -2), at(2025, 11, 15, 0));
    }
}
