use crate::api::usage::get_usage;
use crate::ui::components::{OutOfCreditsModal, UsageMeter};
use crate::ui::generate_client::Outcome;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/generate`: the writing assistant. With JavaScript the text streams in place and a refusal
/// opens the out-of-credits modal; without it, the form posts to `/api/generate` and the
/// browser shows the streamed text (or the refusal) as a plain page.
#[component]
pub fn GeneratePage() -> impl IntoView {
    let usage = Resource::new(|| (), |_| get_usage());
    view! {
        <Title text="Write · Tollgate" />
        <h1 class="text-3xl font-bold">"Writing assistant"</h1>
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match usage.await {
                    Ok(summary) => {
                        let generations = summary.feature(&summary.product.generations).cloned();
                        view! { <Writer generations /> }.into_any()
                    }
                    Err(e) => {
                        view! {
                            <p role="alert" class="text-red-700">
                                {e.to_string()}
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
fn Writer(generations: Option<crate::domain::FeatureUsage>) -> impl IntoView {
    let usage = RwSignal::new(generations);
    let prompt = RwSignal::new(String::new());
    let output = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<Outcome>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        output.set(String::new());
        let text = prompt.get_untracked();
        leptos::task::spawn_local(async move {
            let result = run(&text, output).await;
            busy.set(false);
            match result {
                Ok(Outcome::Done { remaining }) => usage.update(|u| {
                    if let Some(u) = u {
                        u.counts.remaining = remaining.and_then(|r| r.parse().ok());
                        u.counts.used += 1;
                    }
                }),
                Ok(refused) => {
                    usage.update(|u| {
                        if let Some(u) = u {
                            u.counts.remaining = Some(0);
                        }
                    });
                    refusal.set(Some(refused));
                }
                Err(message) => problem.set(Some(message)),
            }
        });
    };

    view! {
        {move || {
            usage
                .get()
                .map(|u| {
                    view! {
                        <div class="mt-4 max-w-md">
                            <UsageMeter usage=u testid="generations-meter" />
                        </div>
                    }
                })
        }}
        <form method="post" action="/api/generate" class="mt-6 space-y-3" on:submit=on_submit>
            <label for="prompt" class="block text-sm font-medium">
                "What should we write?"
            </label>
            <textarea
                id="prompt"
                name="prompt"
                rows="4"
                required
                maxlength="8000"
                class="w-full rounded-lg border border-slate-300 p-3"
                placeholder="A friendly reminder email about Friday's deadline"
                prop:value=move || prompt.get()
                on:input=move |ev| prompt.set(event_target_value(&ev))
            ></textarea>
            <button
                type="submit"
                data-testid="generate-button"
                disabled=move || busy.get()
                class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50"
            >
                {move || if busy.get() { "Writing…" } else { "Write it" }}
            </button>
        </form>
        {move || {
            problem
                .get()
                .map(|p| {
                    view! {
                        <p role="alert" class="mt-4 text-red-700">
                            {p}
                        </p>
                    }
                })
        }}
        <article
            class="mt-6 whitespace-pre-wrap rounded-2xl border border-slate-200 bg-white p-6 empty:hidden"
            data-testid="output"
        >
            {move || output.get()}
        </article>
        {move || match refusal.get() {
            Some(Outcome::Refused { error, reset_at, upgrade_url, .. }) => {
                Some(
                    view! {
                        <OutOfCreditsModal
                            error
                            reset_at
                            upgrade_url
                            on_close=move || refusal.set(None)
                        />
                    },
                )
            }
            _ => None,
        }}
    }
}

#[cfg(feature = "hydrate")]
async fn run(prompt: &str, output: RwSignal<String>) -> Result<Outcome, String> {
    crate::ui::generate_client::generate(prompt, |text| output.update(|o| o.push_str(text))).await
}

#[cfg(not(feature = "hydrate"))]
async fn run(_prompt: &str, _output: RwSignal<String>) -> Result<Outcome, String> {
    Err("Streaming needs the browser.".into())
}
