use crate::domain::{FeatureUsage, Renewal};
use leptos::prelude::*;
use time::OffsetDateTime;

/// "You have 3 generations left today", with a bar; unlimited and exhausted read as such.
#[component]
pub fn UsageMeter(usage: FeatureUsage, #[prop(into)] testid: String) -> impl IntoView {
    let text = usage_sentence(&usage);
    // A renewal time means something only while there is a limit to renew.
    let reset = usage
        .counts
        .resets_at
        .filter(|_| usage.counts.remaining.is_some())
        .filter(|_| matches!(usage.renewal, Renewal::Day | Renewal::Month))
        .map(|at| (at, usage.renewal));
    view! {
        <div class="space-y-1" data-testid=testid>
            <p class="text-sm font-medium" data-testid="usage-text">
                {text}
            </p>
            <UsageBar usage=&usage height="h-2" />
            {reset.map(|(at, renewal)| view! { <ResetTime at renewal /> })}
        </div>
    }
}

/// What is left as a bar, red when 10 % or less remains; decoration only (the words beside it
/// say the same).
#[component]
pub fn UsageBar<'u>(usage: &'u FeatureUsage, height: &'static str) -> impl IntoView {
    let percent = percent_left(usage);
    let colour = if percent <= 10 {
        "bg-red-500"
    } else {
        "bg-indigo-500"
    };
    view! {
        <span class=format!("block w-full rounded-full bg-slate-200 {height}") aria-hidden="true">
            <span
                class=format!("block rounded-full {colour} {height}")
                style=format!("width: {percent}%")
            ></span>
        </span>
    }
}

/// "Resets at 05:30" in the viewer's own time zone. The server knows only UTC, so the page
/// first says "Resets at 00:00 UTC" and the browser rewrites it with its offset once hydrated
/// (without JavaScript the UTC words stay, which are just as true).
#[component]
fn ResetTime(at: OffsetDateTime, renewal: Renewal) -> impl IntoView {
    let words = local_reset_words(at, renewal);
    let machine = at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    view! {
        <p class="text-xs text-slate-500" data-testid="resets-at">
            <time datetime=machine>{words}</time>
        </p>
    }
}

/// "Resets at 00:00 UTC" on the server, "Resets at 05:30" (the viewer's zone) once the browser
/// has hydrated: effects run only there, the one place that knows the viewer's offset.
pub fn local_reset_words(at: OffsetDateTime, renewal: Renewal) -> Signal<String> {
    let words = RwSignal::new(reset_words(at, renewal, true));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Ok(offset) = time::UtcOffset::local_offset_at(at) {
            words.set(reset_words(at.to_offset(offset), renewal, false));
        }
    });
    words.into()
}

/// "Resets at 00:00 UTC" for a daily allowance, "Renews on 1 Dec at 09:00 UTC" for a monthly
/// one; without " UTC" when `at` is already in the viewer's zone.
fn reset_words(at: OffsetDateTime, renewal: Renewal, utc: bool) -> String {
    let zone = if utc { " UTC" } else { "" };
    let clock = format!("{:02}:{:02}{zone}", at.hour(), at.minute());
    match renewal {
        Renewal::Day => format!("Resets at {clock}"),
        Renewal::Month => {
            let month = at.month().to_string();
            format!("Renews on {} {} at {clock}", at.day(), &month[..3])
        }
        Renewal::Never | Renewal::Held | Renewal::NotSpent => String::new(),
    }
}

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
fn percent_left(usage: &FeatureUsage) -> u32 {
    match (usage.counts.remaining, usage.counts.limit) {
        (None, _) => 100,
        (Some(left), Some(limit)) if limit > 0 => (left.min(limit) * 100 / limit) as u32,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(remaining: Option<u64>, limit: Option<u64>) -> FeatureUsage {
        FeatureUsage {
            counts: crate::domain::FeatureCounts {
                used: 0,
                limit,
                remaining,
                resets_at: None,
                allowed: remaining != Some(0),
                reason: None,
                upgrade_to: None,
            },
            unit: "tutor session".into(),
            units: "tutor sessions".into(),
            renewal: Renewal::Month,
        }
    }

    #[test]
    fn the_sentence_counts_down_in_plain_words() {
        let say = |r, l| usage_sentence(&usage(r, l));
        assert_eq!(
            say(Some(3), Some(10)),
            "You have 3 tutor sessions left this month"
        );
        assert_eq!(
            say(Some(1), Some(10)),
            "You have 1 tutor session left this month",
            "the catalog's singular, not a trimmed plural"
        );
        assert_eq!(say(Some(0), Some(10)), "No tutor sessions left this month");
        assert_eq!(say(None, None), "Unlimited tutor sessions this month");
    }

    #[test]
    fn reset_times_read_as_a_clock_or_a_date_and_say_utc_until_the_browser_knows_better() {
        let at = time::macros::datetime!(2026-12-01 09:05 UTC);
        assert_eq!(reset_words(at, Renewal::Day, true), "Resets at 09:05 UTC");
        assert_eq!(
            reset_words(at, Renewal::Month, true),
            "Renews on 1 Dec at 09:05 UTC"
        );
        let kolkata = at.to_offset(time::macros::offset!(+5:30));
        assert_eq!(reset_words(kolkata, Renewal::Day, false), "Resets at 14:35");
        assert_eq!(reset_words(at, Renewal::Never, true), "");
    }

    #[test]
    fn credits_beyond_the_limit_keep_the_bar_full_not_overflowing() {
        assert_eq!(percent_left(&usage(Some(106), Some(10))), 100);
        assert_eq!(percent_left(&usage(Some(5), Some(10))), 50);
        assert_eq!(percent_left(&usage(Some(0), Some(0))), 0);
        assert_eq!(percent_left(&usage(None, None)), 100);
    }
}
