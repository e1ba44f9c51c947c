use crate::api::account::get_account;
use crate::api::outcomes::{AccountError, AccountNotice};
use crate::api::wire::{AccountView, ApiKeyView, SessionView};
use crate::ui::billing::use_billing;
use crate::ui::components::{InvoiceList, RequireSignIn};
use crate::ui::loaded::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/account`: profile and sessions (with revoke buttons).
#[component]
pub fn AccountPage() -> impl IntoView {
    let account = loaded(|| (), |_| get_account());
    let query = use_query_map();
    let notice = move || {
        let query = query.read();
        let notice = query
            .get("notice")
            .and_then(|c| AccountNotice::from_code(&c));
        match notice {
            Some(AccountNotice::OthersRevoked) => {
                let count: u64 = query.get("count").and_then(|c| c.parse().ok()).unwrap_or(0);
                Some(
                    AccountNotice::OthersRevoked
                        .message()
                        .replace("{count}", &count.to_string()),
                )
            }
            // The new key itself is shown below; no notice needed.
            Some(AccountNotice::KeyCreated) => None,
            Some(notice) => Some(notice.message().to_owned()),
            None => query.get("error").map(|code| {
                AccountError::from_code(&code)
                    .unwrap_or(AccountError::Unavailable)
                    .message()
                    .to_owned()
            }),
        }
    };
    view! {
        <Title text="Account · Tollgate" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let result = account.await;
                view! {
                    <RequireSignIn
                        result
                        children=move |account| view! { <AccountDetails account notice=notice() /> }
                    />
                }
            })}
        </Suspense>
    }
}

/// "Pro, renews on 2026-12-26.", from the billing context.
#[component]
fn PlanWords() -> impl IntoView {
    let details = use_billing().details();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                details
                    .state()
                    .await
                    .ok()
                    .and_then(|state| state.plan_words)
                    .map(|words| {
                        view! {
                            <p class="mt-2 text-sm font-medium" data-testid="account-plan">
                                {words}
                            </p>
                        }
                    })
            })}
        </Transition>
    }
}

#[component]
fn AccountDetails(account: AccountView, notice: Option<String>) -> impl IntoView {
    let others = account.sessions.iter().filter(|s| !s.current).count();
    view! {
        <h1 class="text-3xl font-bold">"Your account"</h1>
        {notice
            .map(|text| {
                view! {
                    <p
                        class="mt-4 rounded-lg bg-slate-100 p-3 text-sm"
                        role="status"
                        data-testid="account-notice"
                    >
                        {text}
                    </p>
                }
            })}
        <section class="mt-6 rounded-2xl border border-slate-200 bg-white p-6">
            <h2 class="text-lg font-semibold">"Profile"</h2>
            <dl class="mt-3 grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
                <dt class="text-slate-500">"Name"</dt>
                <dd data-testid="profile-name">{account.viewer.name.clone()}</dd>
                <dt class="text-slate-500">"Email"</dt>
                <dd data-testid="profile-email">{account.viewer.email.clone()}</dd>
            </dl>
        </section>
        <section class="mt-6 rounded-2xl border border-slate-200 bg-white p-6">
            <h2 class="text-lg font-semibold">"Billing"</h2>
            <PlanWords />
            {account
                .debts
                .iter()
                .map(|debt| {
                    view! {
                        <p
                            role="status"
                            class="mt-2 text-sm text-amber-800"
                            data-testid="credit-debt"
                        >
                            {debt.clone()}
                        </p>
                    }
                })
                .collect_view()}
            {if account.manages_billing {
                view! {
                    <p class="mt-2 text-sm text-slate-600">
                        "Change plan, cancel or update your payment method."
                    </p>
                    <form method="post" action="/billing/portal" class="mt-3">
                        <button
                            type="submit"
                            class="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
                        >
                            "Manage billing"
                        </button>
                    </form>
                    <InvoiceList invoices=account.invoices.clone() />
                }
                    .into_any()
            } else {
                view! {
                    <p class="mt-2 text-sm text-slate-600">
                        "You are on the Free plan. "
                        <a href="/pricing" class="font-semibold text-indigo-700 underline">
                            "See plans"
                        </a>
                    </p>
                }
                    .into_any()
            }}
        </section>
        <section class="mt-6 rounded-2xl border border-slate-200 bg-white p-6">
            <div class="flex items-center justify-between">
                <h2 class="text-lg font-semibold">"Sessions"</h2>
                {(others > 0)
                    .then(|| {
                        view! {
                            <form method="post" action="/account/sessions/revoke-others">
                                <button
                                    type="submit"
                                    class="text-sm font-semibold text-red-700 hover:text-red-900"
                                >
                                    "Sign out all other sessions"
                                </button>
                            </form>
                        }
                    })}
            </div>
            <ul class="mt-4 divide-y divide-slate-100" data-testid="sessions">
                {account
                    .sessions
                    .into_iter()
                    .map(|session| view! { <SessionRow session /> })
                    .collect_view()}
            </ul>
        </section>
        <ApiKeys keys=account.api_keys new_key=account.new_api_key />
    }
}

/// API keys for `Authorization: Bearer`: a new key is shown once, right after it is created.
#[component]
fn ApiKeys(keys: Vec<ApiKeyView>, new_key: Option<String>) -> impl IntoView {
    view! {
        <section class="mt-6 rounded-2xl border border-slate-200 bg-white p-6">
            <h2 class="text-lg font-semibold">"API keys"</h2>
            <p class="mt-1 text-sm text-slate-600">
                "Call "<code>"POST /api/generate"</code>" with "
                <code>"Authorization: Bearer <key>"</code>". Keys spend your plan's allowance."
            </p>
            {new_key
                .map(|key| {
                    view! {
                        <div class="mt-4 rounded-lg bg-amber-50 p-3 text-sm" role="status">
                            <p class="font-semibold">
                                "Copy your new key now: it will not be shown again."
                            </p>
                            <code class="mt-1 block break-all" data-testid="new-api-key">
                                {key}
                            </code>
                        </div>
                    }
                })}
            <ul class="mt-4 divide-y divide-slate-100" data-testid="api-keys">
                {keys
                    .into_iter()
                    .map(|key| {
                        view! {
                            <li
                                class="flex items-center justify-between py-3 text-sm"
                                data-testid="api-key"
                            >
                                <div>
                                    <p class="font-medium">{key.name.clone()}</p>
                                    <p class="text-slate-500">
                                        {format!(
                                            "{}… · created {} · {}",
                                            key.prefix,
                                            format_unix(key.created_at),
                                            key
                                                .last_used_at
                                                .map_or(
                                                    "never used".to_owned(),
                                                    |t| format!("last used {}", format_unix(t)),
                                                ),
                                        )}
                                    </p>
                                </div>
                                <form method="post" action="/account/api-keys/revoke">
                                    <input type="hidden" name="key_id" value=key.id.to_string() />
                                    <button
                                        type="submit"
                                        class="font-semibold text-slate-600 hover:text-red-700"
                                    >
                                        "Revoke"
                                    </button>
                                </form>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <form method="post" action="/account/api-keys" class="mt-4 flex gap-3">
                <input
                    name="name"
                    required
                    maxlength="60"
                    placeholder="Key name, e.g. CI bot"
                    aria-label="Key name"
                    class="flex-1 rounded-lg border border-slate-300 px-3 py-2 text-sm"
                />
                <button
                    type="submit"
                    class="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
                >
                    "Create key"
                </button>
            </form>
        </section>
    }
}

#[component]
fn SessionRow(session: SessionView) -> impl IntoView {
    view! {
        <li class="flex items-center justify-between py-3 text-sm" data-testid="session">
            <div>
                <p class="font-medium">
                    {session.device.clone()}
                    {session
                        .current
                        .then(|| {
                            view! {
                                <span class="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">
                                    "This browser"
                                </span>
                            }
                        })}
                </p>
                <p class="text-slate-500">
                    {format!("{} · last active {}", session.ip, format_unix(session.last_seen_at))}
                </p>
            </div>
            <form method="post" action="/account/sessions/revoke">
                <input type="hidden" name="session_id" value=session.id.to_string() />
                <button type="submit" class="font-semibold text-slate-600 hover:text-red-700">
                    {if session.current { "Sign out" } else { "Revoke" }}
                </button>
            </form>
        </li>
    }
}

/// `2026-11-25 14:03 UTC`, from the domain's calendar (read from its parts: a time the
/// RFC 3339 formatter refuses, such as a year past 9999, must not panic a page).
pub fn format_unix(secs: i64) -> String {
    let at = crate::domain::calendar::timestamp(secs);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::format_unix;

    #[test]
    fn unix_times_read_as_utc_dates() {
        assert_eq!(format_unix(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_unix(1_795_000_000), "2026-11-18 11:06 UTC");
        assert_eq!(format_unix(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(format_unix(i64::MAX), "9999-12-31 23:59 UTC");
    }
}
