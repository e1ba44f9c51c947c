use crate::domain::FeatureUsage;
use leptos::prelude::*;

/// "You have 3 generations left today", with a bar; unlimited and exhausted read as such.
#[component]
pub fn UsageMeter(
    usage: FeatureUsage,
    /// Plural unit, e.g. "generations".
    units: &'static str,
    /// When it renews, in words: "today", "this month", "in total".
    period: &'static str,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let text = match (usage.remaining, usage.limit) {
        (None, _) => format!("Unlimited {units} {period}"),
        (Some(0), _) => format!("No {units} left {period}"),
        (Some(1), _) => format!("You have 1 {} left {period}", units.trim_end_matches('s')),
        (Some(n), _) => format!("You have {n} {units} left {period}"),
    };
    let percent = match (usage.remaining, usage.limit) {
        (Some(left), Some(limit)) if limit > 0 => (left.min(limit) * 100 / limit) as u32,
        (None, _) => 100,
        _ => 0,
    };
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
