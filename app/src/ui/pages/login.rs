use crate::api::login::get_login_options;
use crate::api::outcomes::LoginError;
use crate::domain::sign_in::url_encode;
use crate::ui::loaded::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: email magic link (and, when configured, OAuth providers).
///
/// The form posts to `/auth/email`, which answers with a redirect back here carrying `sent=1`
/// or `error=<code>`, so the page works the same with JavaScript off. Every sentence comes from
/// a code: a link someone crafts cannot make this page say anything we did not write (a
/// provider is named by its id and worded from the configured list; the address is only ever
/// the form's value).
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |key: &str| query.read().get(key).filter(|v| !v.is_empty());
    let options = loaded(|| (), |_| get_login_options());
    let next = param("next").unwrap_or_else(|| "/dashboard".into());
    let next_for_providers = next.clone();
    let email = param("email")
        .map(|e| e.chars().take(254).collect::<String>())
        .unwrap_or_default();
    let provider_id = param("provider").unwrap_or_default();
    let error_code = param("error");
    let sent = param("sent").is_some();
    let signed_out = param("signed_out").is_some();

    view! {
        <Title text="Sign in · Tollgate" />
        <section class="mx-auto max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-bold">"Sign in to Tollgate"</h1>
            <p class="mt-1 text-sm text-slate-600">
                "New here? The same form creates your account."
            </p>
            {signed_out
                .then(|| {
                    view! {
                        <p class="mt-4 rounded-lg bg-slate-100 p-3 text-sm" role="status">
                            "You have been signed out."
                        </p>
                    }
                })}
            {error_code
                .map(|code| {
                    view! {
                        <Suspense fallback=|| ()>
                            {move || {
                                let (code, provider_id) = (code.clone(), provider_id.clone());
                                Suspend::new(async move {
                                    let providers = options
                                        .await
                                        .map(|o| o.providers)
                                        .unwrap_or_default();
                                    let provider = providers
                                        .into_iter()
                                        .find(|(id, _)| *id == provider_id)
                                        .map_or_else(
                                            || "The provider".to_owned(),
                                            |(_, label)| label,
                                        );
                                    let message = error_message(&code, &provider);
                                    view! {
                                        <p
                                            class="mt-4 rounded-lg bg-red-50 p-3 text-sm text-red-800"
                                            role="alert"
                                            data-testid="login-error"
                                        >
                                            {message}
                                        </p>
                                    }
                                })
                            }}
                        </Suspense>
                    }
                })}
            {if sent {
                view! {
                    <div
                        class="mt-6 rounded-lg bg-emerald-50 p-4 text-sm text-emerald-900"
                        role="status"
                        data-testid="link-sent"
                    >
                        <p class="font-semibold">"Check your inbox"</p>
                        <p class="mt-1">
                            "We sent a sign-in link to the address below. It works once, for 15 minutes."
                        </p>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                options
                                    .await
                                    .ok()
                                    .filter(|o| o.dev_mailbox)
                                    .map(|_| {
                                        view! {
                                            <p class="mt-2">
                                                "Email is not configured on this server: "
                                                <a href="/dev/mailbox" class="font-semibold underline">
                                                    "open the dev mailbox"
                                                </a>"."
                                            </p>
                                        }
                                    })
                            })}
                        </Suspense>
                    </div>
                }
                    .into_any()
            } else {
                ().into_any()
            }}
            <Suspense fallback=|| ()>
                {move || {
                    let next = next_for_providers.clone();
                    Suspend::new(async move {
                        let providers = options.await.map(|o| o.providers).unwrap_or_default();
                        (!providers.is_empty())
                            .then(|| {
                                view! {
                                    <div class="mt-6 space-y-2" data-testid="providers">
                                        {providers
                                            .into_iter()
                                            .map(|(id, label)| {
                                                view! {
                                                    // rel="external": a server route that redirects to the provider.
                                                    <a
                                                        href=format!("/auth/oauth/{id}?next={}", url_encode(&next))
                                                        rel="external"
                                                        class="block w-full rounded-lg border border-slate-300 px-4 py-2.5 text-center font-semibold hover:bg-slate-50"
                                                    >
                                                        {format!("Continue with {label}")}
                                                    </a>
                                                }
                                            })
                                            .collect_view()}
                                        <p class="pt-2 text-center text-xs uppercase tracking-wide text-slate-500">
                                            "or"
                                        </p>
                                    </div>
                                }
                            })
                    })
                }}
            </Suspense>
            <form method="post" action="/auth/email" class="mt-6 space-y-3">
                <input type="hidden" name="next" value=next />
                <label class="block text-sm font-medium" for="email">
                    "Email"
                </label>
                <input
                    id="email"
                    name="email"
                    type="email"
                    required
                    autocomplete="email"
                    value=email
                    placeholder="you@example.com"
                    class="block w-full rounded-lg border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none"
                />
                <button
                    type="submit"
                    class="w-full rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white hover:bg-indigo-500"
                >
                    {if sent { "Send another link" } else { "Email me a sign-in link" }}
                </button>
            </form>
        </section>
    }
}

/// The sentence for an `?error=` code set by the sign-in routes (`provider`: the name of the
/// provider an OAuth code is about). A code we never set still reads as a sentence.
pub(super) fn error_message(code: &str, provider: &str) -> String {
    LoginError::from_code(code)
        .unwrap_or(LoginError::Unavailable)
        .message_for(provider)
}

#[cfg(test)]
mod tests {
    use super::error_message;

    #[test]
    fn unknown_codes_still_read_as_a_sentence() {
        assert!(error_message("<script>", "x").starts_with("Something went wrong"));
    }

    #[test]
    fn oauth_errors_name_the_provider() {
        assert!(error_message("oauth_failed", "GitHub").contains("with GitHub"));
    }
}
