use crate::domain::describe::FeatureLine;
use crate::domain::{BillingInterval, Plan};
use leptos::prelude::*;

/// One column of the pricing table: price for the chosen interval, call to action, features.
#[component]
pub fn PlanCard(
    plan: Plan,
    lines: Vec<FeatureLine>,
    interval: Memo<BillingInterval>,
) -> impl IntoView {
    let card_class = if plan.highlighted {
        "relative flex flex-col rounded-2xl border-2 border-indigo-600 bg-white p-8 shadow-lg"
    } else {
        "relative flex flex-col rounded-2xl border border-slate-200 bg-white p-8"
    };
    let price = {
        let plan = plan.clone();
        Memo::new(move |_| price_text(&plan, interval.get()))
    };
    let cta_href = {
        let id = plan.id.clone();
        move || format!("/login?plan={id}&billing={}", interval.get().as_str())
    };
    let cta_label = if plan.is_free() {
        "Start for free".to_owned()
    } else if plan.trial_days > 0 {
        format!("Start {}-day free trial", plan.trial_days)
    } else {
        format!("Get {}", plan.name)
    };
    view! {
        <article class=card_class data-testid=format!("plan-{}", plan.id)>
            {plan
                .highlighted
                .then(|| {
                    view! {
                        <p class="absolute -top-3 left-8 rounded-full bg-indigo-600 px-3 py-0.5 text-xs font-semibold text-white">
                            "Most popular"
                        </p>
                    }
                })}
            <h2 class="text-xl font-semibold">{plan.name.clone()}</h2>
            <p class="mt-1 text-sm text-slate-500">{plan.tagline.clone()}</p>
            <p class="mt-6 flex items-baseline gap-1">
                <span class="text-4xl font-bold tracking-tight" data-testid="price">
                    {move || price.get().0}
                </span>
                <span class="text-sm text-slate-500">{move || price.get().1}</span>
            </p>
            <p class="mt-1 h-5 text-sm text-slate-500" data-testid="billing-note">
                {move || price.get().2}
            </p>
            <a
                href=cta_href
                class="mt-6 block rounded-lg bg-indigo-600 px-4 py-2.5 text-center text-sm font-semibold text-white hover:bg-indigo-500"
            >
                {cta_label}
            </a>
            <ul class="mt-8 space-y-3 text-sm" aria-label=format!("{} features", plan.name)>
                {lines.into_iter().map(|line| view! { <FeatureItem line /> }).collect_view()}
            </ul>
        </article>
    }
}

#[component]
fn FeatureItem(line: FeatureLine) -> impl IntoView {
    if line.included {
        view! {
            <li class="flex gap-2">
                <span class="text-emerald-600" aria-hidden="true">
                    "✓"
                </span>
                <span>{line.text}</span>
            </li>
        }
        .into_any()
    } else {
        view! {
            <li class="flex gap-2 text-slate-400">
                <span aria-hidden="true">"✗"</span>
                <span class="line-through">{line.text}</span>
                <span class="sr-only">" (not included)"</span>
            </li>
        }
        .into_any()
    }
}

/// (big price, unit, note below) for a plan at an interval.
fn price_text(plan: &Plan, interval: BillingInterval) -> (String, &'static str, String) {
    if plan.is_free() {
        return ("$0".into(), "/month", "Free forever".into());
    }
    match interval {
        BillingInterval::Monthly => (
            plan.monthly_price.to_string(),
            "/month",
            "Billed monthly".into(),
        ),
        BillingInterval::Yearly => (
            plan.yearly_price.per_month_of_year().to_string(),
            "/month",
            format!("{} billed yearly", plan.yearly_price),
        ),
    }
}
