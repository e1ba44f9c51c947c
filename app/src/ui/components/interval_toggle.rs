use crate::domain::BillingInterval;
use leptos::prelude::*;

/// Monthly/yearly switch of the pricing page (and the plan picker).
///
/// Plain links to `?billing=…` on the same page (not `<A>`, which would mark both as the current page): without
/// JavaScript they load the page with the other prices; once hydrated, the router intercepts
/// the click and swaps the prices in place without a reload.
#[component]
pub fn IntervalToggle(
    interval: Memo<BillingInterval>,
    /// The yearly saving to advertise, e.g. 20 for "Save 20%".
    saving_percent: Option<u64>,
) -> impl IntoView {
    let option = move |value: BillingInterval, label: &'static str, extra: Option<String>| {
        let active = move || interval.get() == value;
        let class = move || {
            if active() {
                "rounded-full bg-indigo-600 px-4 py-1.5 text-sm font-semibold text-white shadow"
            } else {
                "rounded-full px-4 py-1.5 text-sm font-semibold text-slate-600 hover:text-slate-900"
            }
        };
        view! {
            <a
                href=format!("?billing={}", value.as_str())
                class=class
                aria-current=move || active().then_some("true")
                data-testid=format!("billing-{}", value.as_str())
            >
                {label}
                {extra
                    .map(|text| {
                        view! {
                            <span class="ml-1.5 rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-700">
                                {text}
                            </span>
                        }
                    })}
            </a>
        }
    };
    view! {
        <div
            class="inline-flex items-center gap-1 rounded-full border border-slate-200 bg-white p-1"
            role="group"
            aria-label="Billing period"
        >
            {option(BillingInterval::Monthly, "Monthly", None)}
            {option(
                BillingInterval::Yearly,
                "Yearly",
                saving_percent.map(|p| format!("Save {p}%")),
            )}
        </div>
    }
}
