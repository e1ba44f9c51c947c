use leptos::prelude::*;

/// Shown when a use is refused: what happened, when it renews, and the way forward.
#[component]
pub fn OutOfCreditsModal(
    error: String,
    reset_at: Option<String>,
    upgrade_url: String,
    on_close: impl Fn() + 'static,
) -> impl IntoView {
    let sign_in = upgrade_url.starts_with("/login");
    let action = if sign_in { "Sign in" } else { "See plans" };
    let reset = reset_at.map(|at| {
        let when = at
            .replace('T', " ")
            .trim_end_matches('Z')
            .chars()
            .take(16)
            .collect::<String>();
        format!("Your allowance renews at {when} UTC.")
    });
    view! {
        <div class="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/50 p-4">
            <div
                role="dialog"
                aria-modal="true"
                aria-labelledby="out-of-credits-title"
                data-testid="out-of-credits"
                class="w-full max-w-md rounded-2xl bg-white p-6 shadow-xl"
            >
                <h2 id="out-of-credits-title" class="text-xl font-bold">
                    {if sign_in { "Sign in to keep writing" } else { "You're out of generations" }}
                </h2>
                <p class="mt-2 text-slate-700" data-testid="out-of-credits-message">
                    {error}
                </p>
                {reset.map(|text| view! { <p class="mt-1 text-sm text-slate-500">{text}</p> })}
                <div class="mt-6 flex justify-end gap-3">
                    <button
                        type="button"
                        class="rounded-lg px-4 py-2 text-sm font-semibold text-slate-600 hover:bg-slate-100"
                        on:click=move |_| on_close()
                    >
                        "Not now"
                    </button>
                    <a
                        href=upgrade_url
                        rel="external"
                        class="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
                        data-testid="upgrade-link"
                    >
                        {action}
                    </a>
                </div>
            </div>
        </div>
    }
}
