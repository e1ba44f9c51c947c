use crate::domain::usage_words::{percent_left, reset_words, usage_sentence, ClockParts, ResetAt};
use crate::domain::FeatureUsage;
use leptos::prelude::*;

/// "You have 3 generations left today", with a bar; unlimited and exhausted read as such.
#[component]
pub fn UsageMeter(usage: FeatureUsage, #[prop(into)] testid: String) -> impl IntoView {
    let text = usage_sentence(&usage);
    let reset = ResetAt::of(&usage).map(|reset| {
        let machine = usage
            .counts
            .resets_at
            .and_then(|at| {
                at.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default();
        (reset, machine)
    });
    view! {
        <div class="space-y-1" data-testid=testid>
            <p class="text-sm font-medium" data-testid="usage-text">
                {text}
            </p>
            <UsageBar percent=percent_left(&usage) height="h-2" />
            {reset.map(|(reset, machine)| view! { <ResetTime reset machine /> })}
        </div>
    }
}

/// What is left as a bar, red when 10 % or less remains; decoration only (the words beside it
/// say the same).
#[component]
pub fn UsageBar(percent: u32, height: &'static str) -> impl IntoView {
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

/// "Resets at 05:30" in the viewer's own time zone (see [`local_reset_words`]), with the
/// moment for machines (`machine`, RFC 3339).
#[component]
fn ResetTime(reset: ResetAt, machine: String) -> impl IntoView {
    view! {
        <p class="text-xs text-slate-500" data-testid="resets-at">
            <time datetime=machine>{local_reset_words(reset)}</time>
        </p>
    }
}

/// "Resets at 00:00 UTC" on the server, "Resets at 05:30" (the viewer's zone) once the browser
/// has hydrated: effects run only there, the one place that knows the viewer's offset. Without
/// JavaScript the UTC words stay, which are just as true.
pub fn local_reset_words(reset: ResetAt) -> Signal<String> {
    let words = RwSignal::new(reset_words(ClockParts::utc(reset.at), reset.monthly, true));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        words.set(reset_words(local_parts(reset.at), reset.monthly, false));
    });
    words.into()
}

/// The parts of Unix time `at` in the browser's zone (the browser's own date, not a time-zone
/// database in the wasm).
#[cfg(feature = "hydrate")]
fn local_parts(at: i64) -> ClockParts {
    #[allow(clippy::cast_precision_loss)] // Unix milliseconds fit an f64 exactly until 2255.
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64 * 1_000.0));
    let small = |n: u32| u8::try_from(n).unwrap_or(0);
    ClockParts {
        month: small(date.get_month() + 1),
        day: small(date.get_date()),
        hour: small(date.get_hours()),
        minute: small(date.get_minutes()),
    }
}
