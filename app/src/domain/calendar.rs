//! UTC calendar arithmetic on Unix seconds: usage windows and RFC 3339 timestamps, on the
//! `time` crate (which also builds for the browser, where it adds the viewer's UTC offset).

use super::catalog::Period;
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::{Date, Month, OffsetDateTime, Time};

const DAY: i64 = 86_400;

/// The furthest times the calendar can name; stored times outside them are clamped, so a
/// corrupt row shows a silly date instead of crashing a page.
const EARLIEST: OffsetDateTime = datetime!(-9999-01-01 0:00 UTC);
const LATEST: OffsetDateTime = datetime!(9999-12-31 23:59:59 UTC);

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

/// A Unix time as a date and time in UTC (clamped to the years -9999..=9999).
pub fn timestamp(at: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(at).unwrap_or(if at < 0 { EARLIEST } else { LATEST })
}

fn month_window(anchor: Option<i64>, now: i64) -> Window {
    let anchor = anchor.unwrap_or_else(|| {
        let first = timestamp(now).replace_day(1).unwrap_or(EARLIEST);
        first.replace_time(Time::MIDNIGHT).unix_timestamp()
    });
    // An anchor in the future (clock skew, a period that starts later) counts from itself.
    if now < anchor {
        return Window {
            start: anchor,
            end: Some(add_months(anchor, 1)),
        };
    }
    let (a, n) = (timestamp(anchor), timestamp(now));
    let mut months = i64::from(n.year() - a.year()) * 12 + i64::from(n.month() as u8)
        - i64::from(a.month() as u8);
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
    let from = timestamp(at);
    let index = i64::from(from.year()) * 12 + i64::from(from.month() as u8) - 1 + months;
    let moved = i32::try_from(index.div_euclid(12)).ok().and_then(|year| {
        let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
        let date = Date::from_calendar_date(year, month, from.day().min(month.length(year)));
        Some(date.ok()?.with_time(from.time()).assume_utc())
    });
    let moved = moved.unwrap_or(if months < 0 { EARLIEST } else { LATEST });
    moved.clamp(EARLIEST, LATEST).unix_timestamp()
}

/// `2026-11-25T00:00:00Z` for a Unix time in seconds.
pub fn iso8601(at: i64) -> String {
    timestamp(at).format(&Rfc3339).unwrap_or_default()
}

/// `2026-11-25`: the UTC day of a Unix time, for dates in sentences and emails.
pub fn date(at: i64) -> String {
    timestamp(at).date().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u8, d: u8, h: i64) -> i64 {
        let month = Month::try_from(m).unwrap();
        let date = Date::from_calendar_date(y, month, d).unwrap();
        date.midnight().assume_utc().unix_timestamp() + h * 3600
    }

    #[test]
    fn times_out_of_the_calendar_range_clamp_instead_of_panicking() {
        assert_eq!(timestamp(i64::MAX).year(), 9999);
        assert_eq!(timestamp(i64::MIN).year(), -9999);
        assert_eq!(
            add_months(i64::MAX, 1),
            timestamp(i64::MAX).unix_timestamp()
        );
    }

    #[test]
    fn iso8601_is_utc_with_seconds() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(at(2026, 11, 25, 13) + 61), "2026-11-25T13:01:01Z");
    }

    #[test]
    fn date_is_the_utc_day() {
        assert_eq!(date(at(2026, 3, 5, 23) + 3599), "2026-03-05");
        assert_eq!(date(i64::MAX), "9999-12-31");
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
