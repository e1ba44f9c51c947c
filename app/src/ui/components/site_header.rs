use crate::api::viewer::get_viewer;
use crate::api::wire::ViewerInfo;
use leptos::prelude::*;
use leptos_router::components::A;

/// The bar at the top of every page: navigation, and who is signed in.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        <header class="border-b border-slate-200 bg-white">
            <nav
                class="mx-auto flex max-w-6xl items-center justify-between px-4 py-3"
                aria-label="Main"
            >
                <A href="/" attr:class="text-lg font-bold tracking-tight text-indigo-600">
                    "Tollgate"
                </A>
                <div class="flex items-center gap-6 text-sm font-medium">
                    <A href="/pricing" attr:class="text-slate-600 hover:text-slate-900">
                        "Pricing"
                    </A>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            match viewer.await {
                                Ok(Some(me)) => view! { <SignedIn me /> }.into_any(),
                                _ => {
                                    view! {
                                        <a
                                            href="/login"
                                            class="rounded-lg bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500"
                                        >
                                            "Sign in"
                                        </a>
                                    }
                                        .into_any()
                                }
                            }
                        })}
                    </Suspense>
                </div>
            </nav>
        </header>
    }
}

#[component]
fn SignedIn(me: ViewerInfo) -> impl IntoView {
    view! {
        <A href="/dashboard" attr:class="text-slate-600 hover:text-slate-900">
            "Dashboard"
        </A>
        {me
            .is_admin
            .then(|| {
                view! {
                    <A href="/admin" attr:class="text-slate-600 hover:text-slate-900">
                        "Admin"
                    </A>
                }
            })}
        <A
            href="/account"
            attr:class="flex items-center gap-2 text-slate-900"
            attr:data-testid="viewer-name"
        >
            <span
                class="flex h-7 w-7 items-center justify-center rounded-full bg-indigo-100 text-xs font-bold text-indigo-700"
                aria-hidden="true"
            >
                {me.name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default()}
            </span>
            {me.name.clone()}
        </A>
        // A plain form: signing out works before hydration and without JavaScript.
        <form method="post" action="/auth/logout">
            <button type="submit" class="text-slate-500 hover:text-slate-900">
                "Sign out"
            </button>
        </form>
    }
}
