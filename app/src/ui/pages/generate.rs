use crate::ui::billing::use_billing;
use crate::ui::components::{OutOfCreditsModal, Refused, UsageMeter};
use crate::ui::generate_client::Outcome;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/generate`: the writing assistant. With JavaScript the text streams in place and a refusal
/// opens the out-of-credits modal; without it, the form posts to `/api/generate` and the
/// browser shows the streamed text (or the refusal) as a plain page. The meter and the modal's
/// offers come from the billing context, read again after every generation.
#[component]
pub fn GeneratePage() -> impl IntoView {
    let details = use_billing().details();
    view! {
        <Title text="Write · Tollgate" />
        <h1 class="text-3xl font-bold">"Writing assistant"</h1>
        // Only the meter waits for (and follows) the billing state; the form and the text
        // written so far are never re-rendered by a refresh.
        <Transition fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match details.state().await {
                    Ok(state) => {
                        let usage = state.usage;
                        usage
                            .feature(&usage.product.generations)
                            .cloned()
                            .map(|u| {
                                view! {
                                    <div class="mt-4 max-w-md">
                                        <UsageMeter usage=u testid="generations-meter" />
                                    </div>
                                }
                            })
                            .into_any()
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
        </Transition>
        <Writer />
    }
}

#[component]
fn Writer() -> impl IntoView {
    let billing = use_billing();
    let details = billing.details();
    let prompt = RwSignal::new(String::new());
    let output = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let refused = RwSignal::new(None::<RefusedWith>);

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
                Ok(Outcome::Done) => billing.refresh(),
                Ok(Outcome::Refused {
                    status,
                    error,
                    reset_at,
                }) => {
                    // The modal's offers (the better plan, the packs) from the billing context.
                    let state = details.state().await.ok();
                    billing.refresh();
                    refused.set(Some(RefusedWith::new(
                        Refused {
                            status,
                            error,
                            reset_at,
                        },
                        state,
                    )));
                }
                Err(message) => problem.set(Some(message)),
            }
        });
    };

    view! {
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
                // `aria-disabled`, not `disabled`, while writing: a disabled button drops the
                // keyboard focus, and the out-of-credits dialog could not give it back on close.
                // A second press while busy is ignored by `on_submit`.
                aria-disabled=move || busy.get().then_some("true")
                class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500 aria-disabled:opacity-50"
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
        // Drawn from what was known when the use was refused, not re-drawn when the billing
        // state changes meanwhile (that would move the focus back to its first button).
        {move || {
            refused
                .get()
                .map(|RefusedWith { refused: refused_now, ways, renewal }| {
                    view! {
                        <OutOfCreditsModal
                            refused=refused_now
                            ways
                            renewal
                            on_close=move || refused.set(None)
                        />
                    }
                })
        }}
    }
}

/// A refused use and the ways on that the modal offers.
#[derive(Debug, Clone)]
struct RefusedWith {
    refused: Refused,
    ways: crate::domain::pricing::WaysOn,
    renewal: crate::domain::Renewal,
}

impl RefusedWith {
    fn new(refused: Refused, state: Option<crate::api::wire::BillingState>) -> Self {
        let (ways, renewal) = state.map_or_else(
            || (Default::default(), crate::domain::Renewal::Day),
            |s| {
                let renewal = s
                    .usage
                    .feature(&s.usage.product.generations)
                    .map_or(crate::domain::Renewal::Day, |g| g.renewal);
                (s.ways_on, renewal)
            },
        );
        Self {
            refused,
            ways,
            renewal,
        }
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
