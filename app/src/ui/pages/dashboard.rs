use crate::api::usage_history::get_usage_history;
use crate::api::wire::UsageHistory;
use crate::api::ApiError;
use crate::domain::{FeatureId, Holder, UsageSummary};
use crate::ui::billing::use_billing;
use crate::ui::components::{RequireSignIn, UsageChart, UsageMeter};
use crate::ui::loaded::{loaded, Loaded};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/dashboard`: where people land after sign-in; what is left of each allowance. Reads the
/// billing context, so it moves by itself when usage changes anywhere.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let billing = use_billing();
    let details = billing.details();
    // Made here, not in the `Suspend` below: the server runs a `Suspend`'s closure twice (once
    // to find its resources, once to draw), and a resource made inside it was read twice and
    // sent twice in the page. It is also made for a signed-out view, which shows the sign-in
    // prompt instead: that read is refused before any database read (a cheap 401), and keeping
    // it unconditional keeps the page's resources in one order on the server and the browser.
    let history = loaded(move || billing.version(), |_| get_usage_history());
    view! {
        <Title text="Dashboard · Tollgate" />
        <Transition fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let result = details
                    .state()
                    .await
                    .and_then(|state| match state.viewer.clone() {
                        Some(me) => Ok((me, state)),
                        None => Err(ApiError::Unauthorized),
                    });
                view! {
                    <RequireSignIn
                        result
                        children=move |(me, state)| {
                            view! {
                                <h1 class="text-3xl font-bold" data-testid="welcome">
                                    {format!("Welcome, {}", me.name)}
                                </h1>
                                <p class="mt-2 text-slate-600">
                                    "You are signed in as "{me.email}"."
                                </p>
                                <Allowances summary=state.usage />
                                <History history />
                            }
                                .into_any()
                        }
                    />
                }
            })}
        </Transition>
    }
}

/// The usage chart, read again with each new billing state (a generation anywhere).
#[component]
fn History(history: Loaded<Result<UsageHistory, ApiError>>) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                history.await.ok().map(|history| view! { <UsageChart history /> })
            })}
        </Transition>
    }
}

#[component]
fn Allowances(summary: UsageSummary) -> impl IntoView {
    let line = |id: &FeatureId, href: &'static str, label: &'static str| {
        summary.feature(id).cloned().map(|usage| view! {
            <div class="rounded-2xl border border-slate-200 bg-white p-5">
                <UsageMeter usage testid=format!("meter-{id}") />
                <a
                    href=href
                    class="mt-3 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-900"
                >
                    {label}
                </a>
            </div>
        }.into_any())
    };
    view! {
        <p class="mt-6 text-sm text-slate-600" data-testid="plan">
            {plan_line(&summary.holder)}
            {(summary.credits > 0).then(|| format!(" · {} credits", summary.credits))}
        </p>
        <div class="mt-4 grid gap-4 sm:grid-cols-3">
            {line(&summary.product.generations, "/generate", "Write something →")}
            {line(&summary.product.tutor_sessions, "/tutors", "Book a tutor →")}
            {line(&summary.product.tracked_accounts, "/accounts", "Manage accounts →")}
        </div>
    }
}

/// "Plan: Pro (past due)".
fn plan_line(holder: &Holder) -> String {
    let status = match holder {
        Holder::Guest => "guest".to_owned(),
        Holder::Member { status, .. } => status.as_str().replace('_', " "),
    };
    format!("Plan: {} ({status})", holder.plan_name())
}
