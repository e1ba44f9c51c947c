use super::signed_in_parts;
use crate::api::wire::{ShellState, ViewerInfo};
use crate::domain::status_notice::{StatusNotice, Tone};
use crate::domain::usage_words::Counter;
use crate::ui::billing::use_billing;
use leptos::prelude::*;
use leptos_router::components::A;

const LINK: &str = "block py-2 text-slate-600 hover:text-slate-900 md:py-0";

/// The bar at the top of every page: the product's pages, and who is signed in.
///
/// On small screens the links fold into a menu opened by the "Menu" button: a visually hidden
/// checkbox and its label, so it opens without JavaScript and from the keyboard (Space), and
/// the links exist once in the page (no second copy for the other width). Signed in, the
/// allowance counter stays visible beside the menu at every width. `Transition`, not
/// `Suspense`: when the billing context reads the state again, the header keeps showing the
/// last one until the new one arrives.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let billing = use_billing();
    view! {
        <header class="border-b border-slate-200 bg-white" data-testid="site-header">
            <nav
                class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 px-4 py-3"
                aria-label="Main"
            >
                <A href="/" attr:class="text-lg font-bold tracking-tight text-indigo-600">
                    "Tollgate"
                </A>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let counter = billing.shell().await.ok().and_then(counter)?;
                        Some(signed_in_parts::allowance_counter(counter).await)
                    })}
                </Transition>
                <input id="site-menu" type="checkbox" class="peer sr-only" aria-label="Menu" />
                <label
                    for="site-menu"
                    class="cursor-pointer rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-500 md:hidden"
                >
                    "Menu"
                </label>
                <div class="hidden w-full flex-col border-t border-slate-100 pt-2 text-sm font-medium peer-checked:flex md:flex md:w-auto md:flex-row md:items-center md:gap-6 md:border-0 md:pt-0">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            match billing.shell().await.ok() {
                                Some(ShellState { viewer: Some(me), status, .. }) => {
                                    signed_in_parts::signed_in_menu(me, status).await
                                }
                                _ => view! { <SignedOut /> }.into_any(),
                            }
                        })}
                    </Transition>
                </div>
            </nav>
        </header>
    }
}

/// The counter of the product's main allowance (generations), for a signed-in viewer.
fn counter(state: ShellState) -> Option<Counter> {
    state.viewer.as_ref()?;
    state.counter
}

#[component]
fn SignedOut() -> impl IntoView {
    view! {
        <A href="/pricing" attr:class=LINK>
            "Pricing"
        </A>
        <a
            href="/login"
            class="mt-1 inline-block rounded-lg bg-indigo-600 px-3 py-1.5 text-center font-semibold text-white hover:bg-indigo-500 md:mt-0"
        >
            "Sign in"
        </a>
    }
}

/// The product's links, the user button (a red dot when billing needs attention, the trial
/// badge beside it) and sign-out. Its code loads with the signed-in pages
/// (`signed_in_parts`).
#[component]
pub(super) fn SignedIn(me: ViewerInfo, status: Option<StatusNotice>) -> impl IntoView {
    view! {
        {[
            ("/dashboard", "Dashboard"),
            ("/generate", "Generate"),
            ("/tutors", "Tutors"),
            ("/accounts", "Accounts"),
            ("/pricing", "Pricing"),
        ]
            .into_iter()
            .map(|(href, label)| {
                view! {
                    <A href=href attr:class=LINK>
                        {label}
                    </A>
                }
            })
            .collect_view()}
        {me
            .is_admin
            .then(|| {
                view! {
                    <A href="/admin" attr:class=LINK>
                        "Admin"
                    </A>
                }
            })}
        <A
            href="/account"
            attr:class="flex min-w-0 items-center gap-2 py-2 text-slate-900 md:py-0"
            attr:data-testid="viewer-name"
            // `signed_in_parts::SIGNED_IN_MARKER`: the wasm entry point loads the signed-in
            // parts before it hydrates a page that has it.
            attr:data-signed-in=""
        >
            <UserButton name=me.name.clone() status />
        </A>
        // A plain form: signing out works before hydration and without JavaScript.
        <form method="post" action="/auth/logout">
            <button type="submit" class="py-2 text-slate-500 hover:text-slate-900 md:py-0">
                "Sign out"
            </button>
        </form>
    }
}

/// The user's initial (with a red dot when billing needs attention), name and trial badge.
#[component]
pub fn UserButton(name: String, status: Option<StatusNotice>) -> impl IntoView {
    let attention = status.as_ref().is_some_and(StatusNotice::needs_attention);
    let badge = status.filter(|s| s.tone == Tone::Badge).map(|s| s.headline);
    view! {
        <span
            class="relative flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-xs font-bold text-indigo-700"
            aria-hidden="true"
        >
            {name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default()}
            {attention
                .then(|| {
                    view! {
                        <span
                            class="absolute -right-0.5 -top-0.5 h-2.5 w-2.5 rounded-full bg-red-600 ring-2 ring-white"
                            data-testid="attention-dot"
                        ></span>
                    }
                })}
        </span>
        <span class="truncate md:max-w-40">{name.clone()}</span>
        {attention.then(|| view! { <span class="sr-only">" (billing needs attention)"</span> })}
        {badge
            .map(|text| {
                view! {
                    <span
                        class="shrink-0 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800"
                        data-testid="trial-badge"
                    >
                        {text}
                    </span>
                }
            })}
    }
}
