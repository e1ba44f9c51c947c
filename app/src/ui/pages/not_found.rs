use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found · Tollgate" />
        <section class="py-20 text-center">
            <h1 class="text-3xl font-bold">"Page not found"</h1>
            <p class="mt-3 text-slate-600">"There is nothing at this address."</p>
            <A href="/" attr:class="mt-6 inline-block font-semibold text-indigo-600">
                "Back to the home page"
            </A>
        </section>
    }
}
