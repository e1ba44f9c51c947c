use super::login::error_message;
use crate::api::sign_in_link::preview_sign_in_link;
use crate::api::wire::LinkPreview;
use crate::ui::loaded::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/auth/email/confirm?token=…`: where a sign-in link lands. It names the account and waits
/// for a click: only the button's POST (CSRF-checked) uses the link, so a mail scanner that
/// opens every link signs nobody in, and a link someone slipped to you shows whose account it
/// is before you are in it. A plain form: works with JavaScript off.
#[component]
pub fn ConfirmSignInPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.read_untracked().get("token").unwrap_or_default();
    let preview = loaded(move || token.clone(), preview_sign_in_link);
    view! {
        <Title text="Sign in · Tollgate" />
        <section class="mx-auto max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
            <Suspense fallback=|| {
                view! { <p>"Checking your link…"</p> }
            }>
                {move || Suspend::new(async move {
                    let token = query.read_untracked().get("token").unwrap_or_default();
                    match preview.await {
                        Ok(LinkPreview::SignsIn { email }) => {
                            view! {
                                <h1 class="text-2xl font-bold">
                                    "Sign in as " <span data-testid="confirm-email">{email}</span>
                                </h1>
                                <p class="mt-2 text-sm text-slate-600">
                                    "This link works once. Only continue if you asked for it."
                                </p>
                                <form method="post" action="/auth/email/callback" class="mt-6">
                                    <input type="hidden" name="token" value=token />
                                    <button
                                        type="submit"
                                        data-testid="confirm-sign-in"
                                        class="w-full rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white hover:bg-indigo-500"
                                    >
                                        "Sign in"
                                    </button>
                                </form>
                            }
                                .into_any()
                        }
                        Ok(LinkPreview::Problem { code }) => {
                            view! {
                                <h1 class="text-2xl font-bold">"This link cannot sign you in"</h1>
                                <p
                                    class="mt-4 rounded-lg bg-red-50 p-3 text-sm text-red-800"
                                    role="alert"
                                    data-testid="login-error"
                                >
                                    {error_message(&code, "")}
                                </p>
                                <a
                                    href="/login"
                                    class="mt-6 inline-block font-semibold text-indigo-700"
                                >
                                    "Get a new link →"
                                </a>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! {
                                <p
                                    class="rounded-lg bg-red-50 p-3 text-sm text-red-800"
                                    role="alert"
                                >
                                    {error.to_string()}
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
