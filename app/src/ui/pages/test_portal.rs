use crate::api::billing::get_test_portal;
use crate::api::outcomes::TestPortalError;
use crate::api::wire::{TestPackView, TestPortalView};
use crate::ui::components::RequireSignIn;
use crate::ui::loaded::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/billing/test-portal`: the test-mode provider's stand-in for Stripe's Customer Portal, with
/// the buttons designers and QA need to reach every billing state (fail a renewal, run out of
/// retries, cancel, switch plans). Plain forms: works without JavaScript.
#[component]
pub fn TestPortalPage() -> impl IntoView {
    let query = use_query_map();
    let data = loaded(
        move || {
            let query = query.read();
            (query.get("error") == Some(TestPortalError::DowngradeBlocked.code().to_owned()))
                .then(|| query.get("price"))
                .flatten()
        },
        get_test_portal,
    );
    view! {
        <Title text="Manage billing (test mode) · Tollgate" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let result = data.await;
                view! { <RequireSignIn result children=|portal| view! { <Portal portal /> } /> }
            })}
        </Suspense>
    }
}

#[component]
fn Portal(portal: TestPortalView) -> impl IntoView {
    let query = use_query_map();
    let (notice, error) = {
        let query = query.read_untracked();
        let notice = match query.get("notice").as_deref() {
            Some("changed") => Some("Done. Tollgate already shows the change."),
            Some("charge") => {
                Some("Done. The pack's credits were taken back; any already spent are owed.")
            }
            _ => None,
        };
        let error = query
            .get("error")
            .map(|code| match TestPortalError::from_code(&code) {
                Some(TestPortalError::DowngradeBlocked) => portal
                    .refused
                    .clone()
                    .unwrap_or_else(|| TestPortalError::DowngradeBlocked.message().to_owned()),
                Some(error) => error.message().to_owned(),
                None => TestPortalError::Unavailable.message().to_owned(),
            });
        (notice, error)
    };
    view! {
        <section class="mx-auto max-w-2xl rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
            <p class="inline-block rounded-full bg-amber-100 px-3 py-0.5 text-xs font-semibold text-amber-800">
                "Test mode: nothing here charges a card"
            </p>
            <h1 class="mt-4 text-2xl font-bold">"Manage billing"</h1>
            {notice
                .map(|text| {
                    view! {
                        <p role="status" class="mt-4 text-emerald-700">
                            {text}
                        </p>
                    }
                })}
            {error
                .map(|text| {
                    view! {
                        <p role="alert" class="mt-4 text-red-700">
                            {text}
                        </p>
                    }
                })}
            <p class="mt-4 text-lg" data-testid="portal-plan">
                {portal.plan}
                " · "
                <span data-testid="portal-status">{portal.status}</span>
            </p>
            <ul class="mt-2 space-y-1 text-sm text-slate-600">
                {portal.notes.into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}
            </ul>
            <div class="mt-6 flex flex-wrap gap-2">
                {portal
                    .actions
                    .into_iter()
                    .map(|(action, label)| view! { <PortalButton action label /> })
                    .collect_view()}
            </div>
            {(!portal.switches.is_empty())
                .then(|| {
                    view! {
                        <h2 class="mt-8 font-semibold">"Switch plan"</h2>
                        <p class="text-sm text-slate-600">
                            "Upgrades apply now; cheaper plans start when the paid period ends."
                        </p>
                        <div class="mt-3 flex flex-col gap-2">
                            {portal
                                .switches
                                .into_iter()
                                .map(|(price, label)| {
                                    view! {
                                        <PortalButton action="switch".to_owned() price label />
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                })}
            {(!portal.packs.is_empty())
                .then(|| {
                    view! {
                        <h2 class="mt-8 font-semibold">"Credit packs"</h2>
                        <p class="text-sm text-slate-600">
                            "A refund takes back its share of the credits; a dispute takes back all of them. Credits already spent are owed and paid first by the next pack."
                        </p>
                        <ul class="mt-3 space-y-2" data-testid="portal-packs">
                            {portal
                                .packs
                                .into_iter()
                                .map(|pack| view! { <PackRow pack /> })
                                .collect_view()}
                        </ul>
                        <a
                            href="/pricing#credit-packs"
                            class="mt-3 inline-block text-sm font-semibold text-indigo-700 underline"
                        >
                            "Buy another pack"
                        </a>
                    }
                })}
            <a href="/account" class="mt-8 block text-sm text-slate-500 underline">
                "Back to your account"
            </a>
        </section>
    }
}

/// A paid pack with its refund and dispute buttons.
#[component]
fn PackRow(pack: TestPackView) -> impl IntoView {
    let checkout = pack.checkout_id;
    view! {
        <li class="flex flex-wrap items-center gap-2 text-sm">
            <span>{pack.label}</span>
            {(!pack.state.is_empty())
                .then(|| {
                    view! {
                        <span class="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-700">
                            {pack.state}
                        </span>
                    }
                })}
            {pack
                .can_refund
                .then(|| {
                    view! {
                        <PortalButton
                            action="refund".to_owned()
                            checkout=checkout.clone()
                            label="Refund (test)".to_owned()
                        />
                    }
                })}
            {pack
                .can_dispute
                .then(|| {
                    view! {
                        <PortalButton
                            action="dispute".to_owned()
                            checkout=checkout.clone()
                            label="Dispute (test)".to_owned()
                        />
                    }
                })}
        </li>
    }
}

/// One test-portal button: a form posting `action` (and the `price` of a switch, or the
/// `checkout` of a pack's payment).
#[component]
fn PortalButton(
    action: String,
    #[prop(optional)] price: Option<String>,
    #[prop(optional)] checkout: Option<String>,
    label: String,
) -> impl IntoView {
    view! {
        <form method="post" action="/billing/test-portal">
            <input type="hidden" name="action" value=action />
            {price.map(|price| view! { <input type="hidden" name="price" value=price /> })}
            {checkout
                .map(|checkout| view! { <input type="hidden" name="checkout" value=checkout /> })}
            <button
                type="submit"
                class="rounded-lg border border-slate-300 px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-50"
            >
                {label}
            </button>
        </form>
    }
}
