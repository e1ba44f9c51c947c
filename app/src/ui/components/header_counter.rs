use super::usage_meter::{local_reset_words, usage_sentence, UsageBar};
use crate::domain::{FeatureUsage, Renewal};
use leptos::prelude::*;

/// The header's allowance counter on every signed-in page: "You have 3 generations left
/// today" (on phones "3 left today") over a small bar, "resets in 5 h" under it, the local
/// reset time on hover; "Unlimited generations today" for unlimited plans, and the bought
/// credits when there are any. Links to the dashboard.
#[component]
pub fn HeaderCounter(usage: FeatureUsage, credits: u64, as_of: i64) -> impl IntoView {
    let sentence = usage_sentence(&usage);
    let short = short_sentence(&usage);
    let reset = usage
        .counts
        .resets_at
        .filter(|_| usage.counts.remaining.is_some())
        .and_then(|at| {
            let soon = resets_in(at.unix_timestamp() - as_of, usage.renewal)?;
            Some((soon, local_reset_words(at, usage.renewal)))
        });
    let (soon, title) = match reset {
        Some((soon, title)) => (Some(soon), Some(title)),
        None => (None, None),
    };
    let credits = (credits > 0).then(|| format!(" · {credits} credits"));
    view! {
        <a
            href="/dashboard"
            class="ml-auto mr-3 block min-w-0 text-xs text-slate-700 hover:text-slate-900 md:mr-0"
            data-testid="header-counter"
            title=move || title.map(|t| t.get())
        >
            <span class="block truncate font-medium" data-testid="header-counter-text">
                <span class="md:hidden">{short}</span>
                <span class="hidden md:inline">{sentence}</span>
                {credits}
            </span>
            <span class="mt-0.5 block">
                <UsageBar usage=&usage height="h-1" />
            </span>
            {soon
                .map(|soon| {
                    view! {
                        <span class="block text-slate-500" data-testid="header-counter-reset">
                            {soon}
                        </span>
                    }
                })}
        </a>
    }
}

/// The counter's words on a phone: "3 left today", "None left today", "Unlimited".
fn short_sentence(usage: &FeatureUsage) -> String {
    match usage.counts.remaining {
        None => "Unlimited".to_owned(),
        Some(0) => format!("None left {}", usage.renewal.words()),
        Some(n) => format!("{n} left {}", usage.renewal.words()),
    }
    .trim_end()
    .to_owned()
}

/// "resets in 5 h" for a daily allowance, "renews in 12 days" for a monthly one, counted from
/// the moment the state was read; `None` for allowances that never come back.
fn resets_in(seconds: i64, renewal: Renewal) -> Option<String> {
    let verb = match renewal {
        Renewal::Day => "resets",
        Renewal::Month => "renews",
        Renewal::Never | Renewal::Held | Renewal::NotSpent => return None,
    };
    let seconds = seconds.max(0);
    let when = match seconds {
        s if s < 60 => "in under a minute".to_owned(),
        s if s < 3_600 => format!("in {} min", s / 60),
        s if s < 2 * 86_400 => format!("in {} h", (s + 1_800) / 3_600),
        s => format!("in {} days", s / 86_400),
    };
    Some(format!("{verb} {when}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reset_reads_as_how_long_from_now() {
        assert_eq!(
            resets_in(5 * 3_600, Renewal::Day).as_deref(),
            Some("resets in 5 h")
        );
        assert_eq!(
            resets_in(4 * 3_600 + 2_000, Renewal::Day).as_deref(),
            Some("resets in 5 h")
        );
        assert_eq!(
            resets_in(40 * 60, Renewal::Day).as_deref(),
            Some("resets in 40 min")
        );
        assert_eq!(
            resets_in(10, Renewal::Day).as_deref(),
            Some("resets in under a minute")
        );
        assert_eq!(
            resets_in(-5, Renewal::Day).as_deref(),
            Some("resets in under a minute")
        );
        assert_eq!(
            resets_in(12 * 86_400, Renewal::Month).as_deref(),
            Some("renews in 12 days")
        );
        assert_eq!(resets_in(3_600, Renewal::Never), None);
    }

    #[test]
    fn on_a_phone_the_counter_says_only_the_number() {
        let usage = |remaining| FeatureUsage {
            counts: crate::domain::FeatureCounts {
                used: 0,
                limit: Some(10),
                remaining,
                resets_at: None,
                allowed: true,
                reason: None,
                upgrade_to: None,
            },
            unit: "generation".into(),
            units: "generations".into(),
            renewal: Renewal::Day,
        };
        assert_eq!(short_sentence(&usage(Some(3))), "3 left today");
        assert_eq!(short_sentence(&usage(Some(0))), "None left today");
        assert_eq!(short_sentence(&usage(None)), "Unlimited");
    }
}
