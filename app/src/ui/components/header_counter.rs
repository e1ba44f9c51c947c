use super::usage_meter::{local_reset_words, UsageBar};
use crate::domain::usage_words::Counter;
use leptos::prelude::*;

/// The header's allowance counter on every signed-in page, worded by the server
/// (`domain::usage_words::counter`): "You have 3 generations left today" (on phones "3 left
/// today") over a small bar, "resets in 5 h" under it, the local reset time on hover;
/// "Unlimited generations today" for unlimited plans, and the bought credits when there are
/// any. Links to the dashboard.
#[component]
pub fn HeaderCounter(counter: Counter) -> impl IntoView {
    let Counter {
        sentence,
        short,
        credits,
        percent_left,
        resets_in,
        reset,
    } = counter;
    let title = reset.map(local_reset_words);
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
                {(!credits.is_empty()).then_some(credits)}
            </span>
            <span class="mt-0.5 block">
                <UsageBar percent=percent_left height="h-1" />
            </span>
            {resets_in
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
