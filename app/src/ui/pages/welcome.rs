use super::pricing::PlanChoices;
use crate::domain::BillingInterval;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/welcome`: the plan picker shown once, right after a person's first sign-in. Free goes
/// straight on to the dashboard; a paid plan's button starts its checkout (with the trial, the
/// first time). Plain links and forms: works without JavaScript.
#[component]
pub fn WelcomePage() -> impl IntoView {
    let query = use_query_map();
    let interval =
        Memo::new(move |_| BillingInterval::from_query(query.read().get("billing").as_deref()));
    view! {
        <Title text="Pick a plan · Tollgate" />
        <section class="text-center">
            <h1 class="text-4xl font-bold tracking-tight" data-testid="welcome-heading">
                "Welcome! Pick a plan to start"
            </h1>
            <p class="mt-3 text-lg text-slate-600">
                "Free is yours already. Paid plans start with a free trial; change or cancel any time."
            </p>
        </section>
        <PlanChoices interval picker=true />
    }
}
