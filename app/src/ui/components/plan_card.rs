use crate::domain::describe::FeatureLine;
use crate::domain::pricing::PlanOffer;
use crate::domain::BillingInterval;
use leptos::prelude::*;

const CTA_CLASS: &str = "w-full rounded-lg bg-indigo-600 px-4 py-2.5 text-center text-sm font-semibold text-white hover:bg-indigo-500";

/// One column of the pricing table: price for the chosen interval, call to action, features.
#[component]
pub fn PlanCard(
    offer: PlanOffer,
    interval: Memo<BillingInterval>,
    /// Where the free plan's button leads: sign-up on /pricing, the dashboard for someone
    /// already signed in (the plan picker).
    #[prop(default = "/login")]
    free_href: &'static str,
    /// The free plan's button text instead of the offer's ("Continue with Free").
    #[prop(default = None)]
    free_action: Option<&'static str>,
) -> impl IntoView {
    let PlanOffer {
        id,
        name,
        tagline,
        highlighted,
        action,
        paid,
        monthly,
        yearly,
        lines,
    } = offer;
    let card_class = if highlighted {
        "relative flex flex-col rounded-2xl border-2 border-indigo-600 bg-white p-8 shadow-lg"
    } else {
        "relative flex flex-col rounded-2xl border border-slate-200 bg-white p-8"
    };
    let price = Memo::new(move |_| match interval.get() {
        BillingInterval::Monthly => monthly.clone(),
        BillingInterval::Yearly => yearly.clone(),
    });
    // A paid plan's button posts to checkout (which sends visitors to sign in first); the free
    // plan needs no payment, only an account.
    let billing = move || interval.get().as_str();
    view! {
        <article class=card_class data-testid=format!("plan-{id}")>
            {highlighted
                .then(|| {
                    view! {
                        <p class="absolute -top-3 left-8 rounded-full bg-indigo-600 px-3 py-0.5 text-xs font-semibold text-white">
                            "Most popular"
                        </p>
                    }
                })}
            <h2 class="text-xl font-semibold">{name.clone()}</h2>
            <p class="mt-1 text-sm text-slate-500">{tagline}</p>
            <p class="mt-6 flex items-baseline gap-1">
                <span class="text-4xl font-bold tracking-tight" data-testid="price">
                    {move || price.get().amount}
                </span>
                <span class="text-sm text-slate-500">{move || price.get().per}</span>
            </p>
            <p class="mt-1 h-5 text-sm text-slate-500" data-testid="billing-note">
                {move || price.get().note}
            </p>
            {if paid {
                view! {
                    <form method="post" action="/billing/checkout" class="mt-6">
                        <input type="hidden" name="plan" value=id.to_string() />
                        <input type="hidden" name="billing" value=billing />
                        <button type="submit" class=CTA_CLASS>
                            {action}
                        </button>
                    </form>
                }
                    .into_any()
            } else {
                view! {
                    <a href=free_href class=format!("mt-6 block {CTA_CLASS}")>
                        {free_action.map_or(action, str::to_owned)}
                    </a>
                }
                    .into_any()
            }}
            <ul class="mt-8 space-y-3 text-sm" aria-label=format!("{name} features")>
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
