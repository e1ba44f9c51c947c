use crate::domain::FeatureUsage;
#[cfg(test)]
use crate::domain::Renewal;
use leptos::prelude::*;

/// "You have 3 generations left today", with a bar; unlimited and exhausted read as such.
#[component]
pub fn UsageMeter(usage: FeatureUsage, #[prop(into)] testid: String) -> impl IntoView {
    let text = usage_sentence(&usage);
    let percent = percent_left(&usage);
    let bar = if percent <= 10 {
        "bg-red-500"
    } else {
        "bg-indigo-500"
    };
    view! {
        <div class="space-y-1" data-testid=testid>
            <p class="text-sm font-medium" data-testid="usage-text">{text}</p>
            <div class="h-2 w-full rounded-full bg-slate-200" aria-hidden="true">
                <div class=format!("h-2 rounded-full {bar}") style=format!("width: {percent}%")></div>
            </div>
        </div>
    }
}

/// The meter's sentence: "You have 3 generations left today", in the catalog's words for one
/// and for many, and plain words for none and for unlimited.
pub fn usage_sentence(usage: &FeatureUsage) -> String {
    let period = usage.renewal.words();
    let sentence = match usage.remaining {
        None => format!("Unlimited {} {period}", usage.units),
        Some(0) => format!("No {} left {period}", usage.units),
        Some(n) => format!("You have {n} {} left {period}", usage.units_for(n)),
    };
    sentence.trim_end().to_owned()
}

/// How full the bar is: what is left of the limit, in percent (100 when unlimited).
fn percent_left(usage: &FeatureUsage) -> u32 {
    match (usage.remaining, usage.limit) {
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
            used: 0,
            limit,
            remaining,
            resets_at: None,
            allowed: remaining != Some(0),
            reason: None,
            upgrade_to: None,
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
    fn credits_beyond_the_limit_keep_the_bar_full_not_overflowing() {
        assert_eq!(percent_left(&usage(Some(106), Some(10))), 100);
        assert_eq!(percent_left(&usage(Some(5), Some(10))), 50);
        assert_eq!(percent_left(&usage(Some(0), Some(0))), 0);
        assert_eq!(percent_left(&usage(None, None)), 100);
    }
}
