use crate::api::billing::get_test_checkout;
use crate::api::outcomes::TestCheckoutError;
use crate::api::wire::TestCheckoutView;
use crate::ui::components::RequireSignIn;
use crate::ui::loaded::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/billing/test-checkout/:id`: the built-in test-mode provider's checkout, standing in for
/// Stripe's when no keys are configured. Plain forms: paying works without JavaScript.
#[component]
pub fn TestCheckoutPage() -> impl IntoView {
    let params = use_params_map();
    let data = loaded(
        move || params.read().get("id").unwrap_or_default(),
        get_test_checkout,
    );
    view! {
        <Title text="Checkout (test mode) · Tollgate" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let result = data.await;
                view! {
                    <RequireSignIn result children=|checkout| view! { <Checkout checkout /> } />
                }
            })}
        </Suspense>
    }
}

#[component]
fn Checkout(checkout: TestCheckoutView) -> impl IntoView {
    let query = use_query_map();
    let error = query.read_untracked().get("error").map(|code| {
        TestCheckoutError::from_code(&code)
            .unwrap_or(TestCheckoutError::Unavailable)
            .message()
    });
    let action = format!("/billing/test-checkout/{}/pay", checkout.id);
    view! {
        <section class="mx-auto max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
            <p class="inline-block rounded-full bg-amber-100 px-3 py-0.5 text-xs font-semibold text-amber-800">
                "Test mode: no card is charged"
            </p>
            <h1 class="mt-4 text-2xl font-bold" data-testid="checkout-title">
                {checkout.title}
            </h1>
            <p class="mt-2 text-slate-600" data-testid="checkout-terms">
                {checkout.terms}
            </p>
            {error
                .map(|message| {
                    view! {
                        <p role="alert" class="mt-4 text-red-700">
                            {message}
                        </p>
                    }
                })}
            {if checkout.complete {
                view! {
                    <p class="mt-6">"This checkout is already paid."</p>
                    <a
                        href=checkout.continue_url
                        class="mt-4 block rounded-lg bg-indigo-600 px-4 py-2.5 text-center text-sm font-semibold text-white"
                    >
                        "Continue"
                    </a>
                }
                    .into_any()
            } else {
                view! {
                    <form method="post" action=action.clone() class="mt-6">
                        <input type="hidden" name="card" value="succeeds" />
                        <button
                            type="submit"
                            class="w-full rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-indigo-500"
                        >
                            {checkout.pay_label}
                        </button>
                    </form>
                    <form method="post" action=action class="mt-3">
                        <input type="hidden" name="card" value="declined" />
                        <button
                            type="submit"
                            class="w-full rounded-lg border border-slate-300 px-4 py-2.5 text-sm font-semibold text-slate-700 hover:bg-slate-50"
                        >
                            "Pay with a card that is declined"
                        </button>
                    </form>
                    <a
                        href=checkout.cancel_url
                        class="mt-6 block text-center text-sm text-slate-500 underline"
                    >
                        "Cancel and go back to the plans"
                    </a>
                }
                    .into_any()
            }}
        </section>
    }
}
