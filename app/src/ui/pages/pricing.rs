use crate::api::outcomes::PricingError;
use crate::api::pricing::get_pricing;
use crate::api::wire::ShellState;
use crate::domain::pricing::PricingTable;
use crate::domain::BillingInterval;
use crate::domain::PlanId;
use crate::ui::billing::use_billing;
use crate::ui::components::{IntervalToggle, PlanCard};
use crate::ui::loaded::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/pricing`: the catalog as a table of plans, with a monthly/yearly toggle.
#[component]
pub fn PricingPage() -> impl IntoView {
    let query = use_query_map();
    let interval =
        Memo::new(move |_| BillingInterval::from_query(query.read().get("billing").as_deref()));
    let error = query.read_untracked().get("error").map(|code| {
        PricingError::from_code(&code)
            .unwrap_or(PricingError::Unavailable)
            .message()
    });
    view! {
        <Title text="Pricing · Tollgate" />
        <section class="text-center">
            <h1 class="text-4xl font-bold tracking-tight">"Plans for every writer"</h1>
            <p class="mt-3 text-lg text-slate-600">
                "Start free. Upgrade when you need more; cancel any time."
            </p>
        </section>
        {error
            .map(|message| {
                view! {
                    <p role="alert" class="mx-auto mt-6 max-w-xl text-center text-red-700">
                        {message}
                    </p>
                }
            })}
        <PlanChoices interval picker=false />
    }
}

/// The plans of the catalog with the interval toggle (and the credit packs on /pricing). In the
/// plan picker (`picker`), Free's button leads on to the dashboard instead of to sign-up.
#[component]
pub(crate) fn PlanChoices(interval: Memo<BillingInterval>, picker: bool) -> impl IntoView {
    let table = loaded(|| (), |_| get_pricing());
    let billing = use_billing();
    view! {
        <Suspense fallback=|| {
            view! { <p class="mt-10 text-center text-slate-500">"Loading plans…"</p> }
        }>
            {move || Suspend::new(async move {
                let viewer = billing.shell().await.ok().filter(|s| s.viewer.is_some() && !picker);
                match table.await {
                    Ok(table) => {
                        // The picker offers every plan as a start; /pricing shows them from the viewer's.
                        view! { <Plans table interval picker viewer /> }
                            .into_any()
                    }
                    Err(error) => {
                        view! {
                            <p role="alert" class="mt-10 text-center text-red-700">
                                {error.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Plans(
    table: PricingTable,
    interval: Memo<BillingInterval>,
    picker: bool,
    viewer: Option<ShellState>,
) -> impl IntoView {
    // Where each plan stands from a signed-in viewer's, and whether they hold a subscription
    // (their moves then go through the portal; a second checkout is refused).
    let holds_subscription = viewer
        .as_ref()
        .is_some_and(|state| state.holds_subscription);
    let step_of = move |id: &PlanId| {
        viewer.as_ref().and_then(|state| {
            state
                .plan_moves
                .iter()
                .find(|(plan, _)| plan == id)
                .map(|(_, step)| (step.clone(), holds_subscription))
        })
    };
    let (free_href, free_action) = if picker {
        ("/dashboard", Some("Continue with Free"))
    } else {
        ("/login", None)
    };
    let cards = table
        .plans
        .into_iter()
        .map(|offer| {
            let viewer = step_of(&offer.id);
            view! { <PlanCard offer interval free_href free_action viewer /> }
        })
        .collect_view();
    let packs = table
        .credit_packs
        .into_iter()
        .map(|pack| {
            view! {
                <li data-testid="credit-pack" class="flex items-center gap-3">
                    <span>{pack.text}</span>
                    <form method="post" action="/billing/credits">
                        <input type="hidden" name="pack" value=pack.id />
                        <button
                            type="submit"
                            class="rounded-lg border border-indigo-600 px-3 py-1 text-xs font-semibold text-indigo-700 hover:bg-indigo-50"
                        >
                            "Buy"
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="mt-8 flex justify-center">
            <IntervalToggle interval saving_percent=table.best_yearly_saving />
        </div>
        <div class="mt-10 grid gap-8 md:grid-cols-3">{cards}</div>
        {(!picker)
            .then(|| {
                view! {
                    <section
                        id="credit-packs"
                        class="mt-12 rounded-2xl border border-slate-200 bg-white p-6 text-sm text-slate-600"
                    >
                        <h2 class="text-base font-semibold text-slate-900">
                            "Need a little more?"
                        </h2>
                        <p class="mt-1">
                            "Credit packs top up any plan and are spent only after the day's allowance is used:"
                        </p>
                        <ul class="mt-2 flex flex-wrap gap-x-6 gap-y-2">{packs}</ul>
                        <p class="mt-4">{table.guest_offer}</p>
                    </section>
                }
            })}
    }
}
