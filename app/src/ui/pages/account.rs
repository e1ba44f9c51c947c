use crate::api::account::get_account;
use crate::api::wire::{AccountView, SessionView};
use crate::ui::components::RequireSignIn;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/account`: profile and sessions (with revoke buttons).
#[component]
pub fn AccountPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| get_account());
    let query = use_query_map();
    let notice = move || {
        let query = query.read();
        match query.get("notice").as_deref() {
            Some("session_revoked") => Some("That session has been signed out.".to_owned()),
            Some("others_revoked") => Some(format!(
                "Signed out of {} other session(s).",
                query.get("count").unwrap_or_default()
            )),
            _ => match query.get("error").as_deref() {
                Some("no_such_session") => Some("That session no longer exists.".to_owned()),
                Some(_) => Some("Something went wrong. Please try again.".to_owned()),
                None => None,
            },
        }
    };
    view! {
        <Title text="Account · Tollgate"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let result = account.await;
                view! { <RequireSignIn result children=move |account| view! { <AccountDetails account notice=notice()/> }/> }
            })}
        </Suspense>
    }
}

#[component]
fn AccountDetails(account: AccountView, notice: Option<String>) -> impl IntoView {
    let others = account.sessions.iter().filter(|s| !s.current).count();
    view! {
        <h1 class="text-3xl font-bold">"Your account"</h1>
        {notice.map(|text| view! { <p class="mt-4 rounded-lg bg-slate-100 p-3 text-sm" role="status" data-testid="account-notice">{text}</p> })}
        <section class="mt-6 rounded-2xl border border-slate-200 bg-white p-6">
            <h2 class="text-lg font-semibold">"Profile"</h2>
            <dl class="mt-3 grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
                <dt class="text-slate-500">"Name"</dt><dd data-testid="profile-name">{account.viewer.name.clone()}</dd>
                <dt class="text-slate-500">"Email"</dt><dd data-testid="profile-email">{account.viewer.email.clone()}</dd>
            </dl>
        </section>
        <section class="mt-6 rounded-2xl border border-slate-200 bg-white p-6">
            <div class="flex items-center justify-between">
                <h2 class="text-lg font-semibold">"Sessions"</h2>
                {(others > 0).then(|| view! {
                    <form method="post" action="/account/sessions/revoke-others">
                        <button type="submit" class="text-sm font-semibold text-red-700 hover:text-red-900">"Sign out all other sessions"</button>
                    </form>
                })}
            </div>
            <ul class="mt-4 divide-y divide-slate-100" data-testid="sessions">
                {account.sessions.into_iter().map(|session| view! { <SessionRow session/> }).collect_view()}
            </ul>
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
                    {session.current.then(|| view! { <span class="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">"This browser"</span> })}
                </p>
                <p class="text-slate-500">{format!("{} · last active {}", session.ip, format_unix(session.last_seen_at))}</p>
            </div>
            <form method="post" action="/account/sessions/revoke">
                <input type="hidden" name="session_id" value=session.id.to_string()/>
                <button type="submit" class="font-semibold text-slate-600 hover:text-red-700">
                    {if session.current { "Sign out" } else { "Revoke" }}
                </button>
            </form>
        </li>
    }
}

/// `2026-11-25 14:03 UTC`: dates without pulling a date library into the wasm bundle.
pub fn format_unix(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
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
    }
}
