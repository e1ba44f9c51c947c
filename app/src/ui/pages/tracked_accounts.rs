use crate::api::outcomes::{AccountsError, AccountsNotice};
use crate::api::tracked_accounts::get_tracked_accounts;
use crate::api::wire::{AccountsPageView, TrackedAccountView};
use crate::ui::components::{RequireSignIn, UsageMeter};
use crate::ui::loaded::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/accounts`: the user's tracked accounts, limited by their plan.
#[component]
pub fn TrackedAccountsPage() -> impl IntoView {
    let data = loaded(|| (), |_| get_tracked_accounts());
    view! {
        <Title text="Tracked accounts · Tollgate" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let result = data.await;
                view! { <RequireSignIn result children=|page| view! { <Accounts page /> } /> }
            })}
        </Suspense>
    }
}

#[component]
fn Accounts(page: AccountsPageView) -> impl IntoView {
    let query = use_query_map();
    let q = |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let notice = AccountsNotice::from_code(&q("notice")).map(AccountsNotice::message);
    let error = match q("error").as_str() {
        "" => None,
        code => Some(match AccountsError::from_code(code) {
            // Worded from the usage this page loaded: the plan's own sentence.
            Some(AccountsError::Limit) => page
                .usage
                .counts
                .reason
                .clone()
                .unwrap_or_else(|| AccountsError::Limit.message().to_owned()),
            Some(error) => error.message().to_owned(),
            None => AccountsError::Unavailable.message().to_owned(),
        }),
    };
    let at_limit = !page.usage.counts.allowed;
    let upgrade = page.usage.counts.upgrade_to.clone();
    view! {
        <h1 class="text-3xl font-bold">"Tracked accounts"</h1>
        <div class="mt-4 max-w-md">
            <UsageMeter usage=page.usage.clone() testid="accounts-meter" />
        </div>
        {notice
            .map(|n| {
                view! {
                    <p
                        role="status"
                        class="mt-4 rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900"
                    >
                        {n}
                    </p>
                }
            })}
        {error
            .map(|e| {
                view! {
                    <p
                        role="alert"
                        class="mt-4 rounded-lg bg-red-50 p-3 text-sm text-red-800"
                        data-testid="accounts-error"
                    >
                        {e}
                    </p>
                }
            })}
        <ul
            class="mt-6 divide-y divide-slate-100 rounded-2xl border border-slate-200 bg-white"
            data-testid="tracked-accounts"
        >
            {page
                .accounts
                .is_empty()
                .then(|| view! { <li class="p-4 text-sm text-slate-500">"No accounts yet."</li> })}
            {page
                .accounts
                .into_iter()
                .map(|account| view! { <AccountRow account /> })
                .collect_view()}
        </ul>
        <form
            method="post"
            action="/accounts"
            class="mt-6 grid max-w-xl gap-3 sm:grid-cols-[1fr_1fr_auto]"
        >
            <input
                name="name"
                required
                maxlength="80"
                placeholder="Name, e.g. Savings"
                aria-label="Account name"
                value=q("name")
                class="rounded-lg border border-slate-300 px-3 py-2"
            />
            <input
                name="account_number"
                required
                placeholder="Account number"
                aria-label="Account number"
                class="rounded-lg border border-slate-300 px-3 py-2"
            />
            <button
                type="submit"
                class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500"
            >
                "Add"
            </button>
        </form>
        {(at_limit && upgrade.is_some())
            .then(|| {
                view! {
                    <p class="mt-3 text-sm">
                        <a href="/pricing" class="font-semibold text-indigo-700">
                            "Upgrade for more tracked accounts →"
                        </a>
                    </p>
                }
            })}
    }
}

#[component]
fn AccountRow(account: TrackedAccountView) -> impl IntoView {
    view! {
        <li class="flex items-center justify-between p-4 text-sm" data-testid="tracked-account">
            <div>
                <p class="font-medium">{account.name.clone()}</p>
                <p class="text-slate-500">{account.account_number.clone()}</p>
            </div>
            <form method="post" action="/accounts/delete">
                <input type="hidden" name="id" value=account.id.to_string() />
                <button
                    type="submit"
                    class="font-semibold text-slate-600 hover:text-red-700"
                    aria-label=format!("Remove {}", account.name)
                >
                    "Remove"
                </button>
            </form>
        </li>
    }
}
