//! How an allowance reads: the meter's sentence, how full its bar is, and the header counter
//! worded whole on the server. Pure. The counter is sent as words so that the app shell — in
//! the first wasm file every visitor downloads — carries no usage-summary types, no date
//! parsing and no wording rules (see README, "Speed": first load).

use super::usage::{FeatureUsage, Renewal};
use serde::{Deserialize, Serialize};

/// The meter's sentence: "You have 3 generations left today", in the catalog's words for one
/// and for many, and plain words for none and for unlimited.
pub fn usage_sentence(usage: &FeatureUsage) -> String {
    let period = usage.renewal.words();
    let sentence = match usage.counts.remaining {
        None => format!("Unlimited {} {period}", usage.units),
        Some(0) => format!("No {} left {period}", usage.units),
        Some(n) => format!("You have {n} {} left {period}", usage.units_for(n)),
    };
    sentence.trim_end().to_owned()
}

/// How full the bar is: what is left of the limit, in percent (100 when unlimited).
pub fn percent_left(usage: &FeatureUsage) -> u32 {
    match (usage.counts.remaining, usage.counts.limit) {
        (None, _) => 100,
        (Some(left), Some(limit)) if limit > 0 => {
            u32::try_from(left.min(limit) * 100 / limit).unwrap_or(100)
        }
        _ => 0,
    }
}

/// When an allowance comes back, for the browser to say in the viewer's own time: the moment
/// (Unix seconds) and whether it is a daily or a monthly renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetAt {
    pub at: i64,
    pub monthly: bool,
}

impl ResetAt {
    /// When `usage` comes back: only while there is a limit to renew, and only for allowances
    /// that renew (daily, monthly).
    pub fn of(usage: &FeatureUsage) -> Option<ResetAt> {
        usage
            .counts
            .resets_at
            .filter(|_| usage.counts.remaining.is_some())
            .filter(|_| matches!(usage.renewal, Renewal::Day | Renewal::Month))
            .map(|at| ResetAt {
                at: at.unix_timestamp(),
                monthly: usage.renewal == Renewal::Month,
            })
    }
}

/// The header's counter of the product's main allowance, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    /// "You have 3 generations left today".
    pub sentence: String,
    /// The same on a phone: "3 left today", "None left today", "Unlimited".
    pub short: String,
    /// " · 40 credits", empty without credits.
    pub credits: String,
    /// How full the bar is (see [`percent_left`]).
    pub percent_left: u32,
    /// "resets in 5 h", counted from the moment the state was read.
    pub resets_in: Option<String>,
    /// For the hover text, "Resets at 05:30" in the viewer's zone.
    pub reset: Option<ResetAt>,
}

/// The counter for `usage` and `credits`, as read at `now`.
pub fn counter(usage: &FeatureUsage, credits: u64, now: i64) -> Counter {
    let short = match usage.counts.remaining {
        None => "Unlimited".to_owned(),
        Some(0) => format!("None left {}", usage.renewal.words()),
        Some(n) => format!("{n} left {}", usage.renewal.words()),
    }
    .trim_end()
    .to_owned();
    let reset = ResetAt::of(usage);
    Counter {
        sentence: usage_sentence(usage),
        short,
        credits: if credits > 0 {
            format!(" · {credits} credits")
        } else {
            String::new()
        },
        percent_left: percent_left(usage),
        resets_in: reset.map(|r| resets_in(r.at - now, r.monthly)),
        reset,
    }
}

/// "resets in 5 h" for a daily allowance, "renews in 12 days" for a monthly one.
fn resets_in(seconds: i64, monthly: bool) -> String {
    let verb = if monthly { "renews" } else { "resets" };
    let when = match seconds.max(0) {
        s if s < 60 => "in under a minute".to_owned(),
        s if s < 3_600 => format!("in {} min", s / 60),
        s if s < 2 * 86_400 => format!("in {} h", (s + 1_800) / 3_600),
        s => format!("in {} days", s / 86_400),
    };
    format!("{verb} {when}")
}

/// The parts of a moment a reset time is said with, in some zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockParts {
    /// 1..=12
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
}

impl ClockParts {
    /// The UTC parts of Unix time `at` (the server's words; the browser has its own zone's).
    pub fn utc(at: i64) -> Self {
        let days = at.div_euclid(86_400);
        let secs = at.rem_euclid(86_400);
        // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let small = |n: i64| u8::try_from(n).unwrap_or(0);
        ClockParts {
            month: small(month),
            day: small(day),
            hour: small(secs / 3_600),
            minute: small(secs % 3_600 / 60),
        }
    }
}

/// "Resets at 00:00 UTC" for a daily allowance, "Renews on 1 Dec at 09:00 UTC" for a monthly
/// one; without " UTC" when the parts are the viewer's own zone's.
pub fn reset_words(parts: ClockParts, monthly: bool, utc: bool) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let zone = if utc { " UTC" } else { "" };
    let clock = format!("{:02}:{:02}{zone}", parts.hour, parts.minute);
    if monthly {
        let month = MONTHS
            .get(usize::from(parts.month.saturating_sub(1)))
            .unwrap_or(&"");
        format!("Renews on {} {month} at {clock}", parts.day)
    } else {
        format!("Resets at {clock}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FeatureCounts;

    fn usage(remaining: Option<u64>, limit: Option<u64>, renewal: Renewal) -> FeatureUsage {
        FeatureUsage {
            counts: FeatureCounts {
                used: 0,
                limit,
                remaining,
                resets_at: time::OffsetDateTime::from_unix_timestamp(1_795_737_600).ok(),
                allowed: remaining != Some(0),
                reason: None,
                upgrade_to: None,
            },
            unit: "generation".into(),
            units: "generations".into(),
            renewal,
        }
    }

    #[test]
    fn the_sentence_and_the_bar_count_down_in_plain_words() {
        let day = |r, l| usage(r, l, Renewal::Day);
        assert_eq!(
            usage_sentence(&day(Some(3), Some(10))),
            "You have 3 generations left today"
        );
        assert_eq!(
            usage_sentence(&day(Some(1), Some(10))),
            "You have 1 generation left today"
        );
        assert_eq!(
            usage_sentence(&day(Some(0), Some(10))),
            "No generations left today"
        );
        assert_eq!(
            usage_sentence(&day(None, None)),
            "Unlimited generations today"
        );
        assert_eq!(percent_left(&day(Some(3), Some(10))), 30);
        assert_eq!(percent_left(&day(None, None)), 100);
        assert_eq!(percent_left(&day(Some(0), Some(0))), 0);
    }

    #[test]
    fn the_header_counter_is_worded_whole() {
        let now = 1_795_737_600 - 5 * 3_600;
        let c = counter(&usage(Some(3), Some(10), Renewal::Day), 40, now);
        assert_eq!(c.sentence, "You have 3 generations left today");
        assert_eq!(c.short, "3 left today");
        assert_eq!(c.credits, " · 40 credits");
        assert_eq!(c.percent_left, 30);
        assert_eq!(c.resets_in.as_deref(), Some("resets in 5 h"));
        let unlimited = counter(&usage(None, None, Renewal::Day), 0, now);
        assert_eq!(
            (unlimited.short.as_str(), unlimited.credits.as_str()),
            ("Unlimited", "")
        );
        assert_eq!(unlimited.reset, None, "nothing to reset");
        let monthly = counter(
            &usage(Some(0), Some(5), Renewal::Month),
            0,
            now - 12 * 86_400,
        );
        assert_eq!(monthly.short, "None left this month");
        assert_eq!(monthly.resets_in.as_deref(), Some("renews in 12 days"));
    }

    #[test]
    fn the_reset_reads_as_how_long_from_now() {
        assert_eq!(resets_in(4 * 3_600 + 2_000, false), "resets in 5 h");
        assert_eq!(resets_in(40 * 60, false), "resets in 40 min");
        assert_eq!(resets_in(-5, false), "resets in under a minute");
        assert_eq!(resets_in(3 * 86_400, true), "renews in 3 days");
    }

    #[test]
    fn reset_times_read_as_a_clock_or_a_date_and_say_utc_until_the_browser_knows_better() {
        // 2026-11-26 00:00 UTC and 2000-02-29 09:05 UTC.
        let midnight = ClockParts::utc(1_795_651_200);
        assert_eq!(reset_words(midnight, false, true), "Resets at 00:00 UTC");
        let leap = ClockParts::utc(951_815_100);
        assert_eq!(
            leap,
            ClockParts {
                month: 2,
                day: 29,
                hour: 9,
                minute: 5
            }
        );
        assert_eq!(reset_words(leap, true, false), "Renews on 29 Feb at 09:05");
        assert_eq!(
            ClockParts::utc(0),
            ClockParts {
                month: 1,
                day: 1,
                hour: 0,
                minute: 0
            }
        );
    }
}
