use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Tollgate · Write faster" />
        <section class="py-16 text-center">
            <h1 class="text-4xl font-bold tracking-tight sm:text-5xl">
                "Write faster with an AI assistant"
            </h1>
            <p class="mx-auto mt-4 max-w-2xl text-lg text-slate-600">
                "Drafts, rewrites and tutoring. Start free with 10 generations a day, upgrade when you need more."
            </p>
            <div class="mt-8 flex justify-center gap-4">
                <A
                    href="/pricing"
                    attr:class="rounded-lg bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500"
                >
                    "See plans"
                </A>
            </div>
        </section>
    }
}
