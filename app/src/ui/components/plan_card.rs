use crate::domain::describe::FeatureLine;
use crate::domain::plan_change::PlanMove;
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
    /// For a signed-in viewer: this plan as a move from theirs, and whether they hold a
    /// subscription at the payment provider (then every change goes through the billing
    /// portal, never a second checkout).
    #[prop(default = None)]
    viewer: Option<(PlanMove, bool)>,
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
    let by_portal = viewer_moves_by_portal(viewer.as_ref(), paid);
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
            {match viewer {
                Some((step, holds_subscription)) => {
                    view! {
                        <ViewerAction
                            step
                            holds_subscription
                            paid
                            name=name.clone()
                            plan=id.to_string()
                        />
                    }
                        .into_any()
                }
                None => ().into_any(),
            }}
            {if by_portal {
                ().into_any()
            } else if paid {
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

/// Whether the viewer's button replaces the card's usual one: always for their own plan, and
/// for every plan once they hold a subscription (changes go through the portal). Anyone else
/// — on Free, or on a plan an operator set — keeps the checkout buttons of the paid plans.
fn viewer_moves_by_portal(viewer: Option<&(PlanMove, bool)>, paid: bool) -> bool {
    match viewer {
        Some((PlanMove::Current, _)) => true,
        Some((_, holds_subscription)) => *holds_subscription || !paid,
        None => false,
    }
}

/// The card's button for a signed-in viewer: "Current plan" (Manage billing when subscribed),
/// "Upgrade to Team" / "Downgrade to Free" through the billing portal, or a downgrade refused
/// with what to remove first, said in the card.
#[component]
fn ViewerAction(
    step: PlanMove,
    holds_subscription: bool,
    paid: bool,
    name: String,
    /// The plan's id, for element ids (a name may hold spaces).
    plan: String,
) -> impl IntoView {
    let portal = |words: String, testid: &'static str| {
        view! {
            <form method="post" action="/billing/portal" class="mt-6">
                <button type="submit" class=CTA_CLASS data-testid=testid>
                    {words}
                </button>
            </form>
        }
    };
    match step {
        PlanMove::Current => view! {
            <p
                class="mt-6 rounded-lg bg-emerald-50 py-2 text-center text-sm font-semibold text-emerald-800"
                data-testid="current-plan"
            >
                "Your current plan"
            </p>
            // Only a subscription at the provider has billing to manage.
            {(paid && holds_subscription)
                .then(|| portal("Manage billing".to_owned(), "manage-plan"))}
        }
        .into_any(),
        PlanMove::Upgrade if holds_subscription => portal(format!("Upgrade to {name}"), "upgrade-plan").into_any(),
        PlanMove::Upgrade => ().into_any(),
        PlanMove::Downgrade { blocked: None } if holds_subscription => {
            portal(format!("Downgrade to {name}"), "downgrade-plan").into_any()
        }
        PlanMove::Downgrade { blocked: Some(message) } if holds_subscription => view! {
            <button
                type="button"
                disabled
                class=format!(
                    "mt-6 {CTA_CLASS} disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-600",
                )
                aria-describedby=format!("downgrade-{plan}")
            >
                {format!("Downgrade to {name}")}
            </button>
            <p
                id=format!("downgrade-{plan}")
                role="note"
                class="mt-2 text-sm text-amber-800"
                data-testid="downgrade-refused"
            >
                {message}
                " "
                <a href="/accounts" class="font-semibold underline">
                    "Manage accounts"
                </a>
            </p>
        }
        .into_any(),
        PlanMove::Downgrade { .. } => ().into_any(),
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
            <li class="flex gap-2 text-slate-500">
                <span aria-hidden="true">"✗"</span>
                <span class="line-through">{line.text}</span>
                <span class="sr-only">" (not included)"</span>
            </li>
        }
        .into_any()
    }
}
