use leptos::prelude::*;
use leptos_router::components::A;

/// The bar at the top of every page.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="border-b border-slate-200 bg-white">
            <nav class="mx-auto flex max-w-6xl items-center justify-between px-4 py-3" aria-label="Main">
                <A href="/" attr:class="text-lg font-bold tracking-tight text-indigo-600">"Tollgate"</A>
                <div class="flex items-center gap-6 text-sm font-medium">
                    <A href="/pricing" attr:class="text-slate-600 hover:text-slate-900">"Pricing"</A>
                </div>
            </nav>
        </header>
    }
}
