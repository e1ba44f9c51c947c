use crate::api::admin::list_users;
use crate::api::outcomes::AdminNotice;
use crate::api::wire::AdminUserRow;
use crate::ui::components::RequireSignIn;
use crate::ui::loaded::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin`: accounts, and banning (which signs a user out everywhere at once).
#[component]
pub fn AdminPage() -> impl IntoView {
    let users = loaded(|| (), |_| list_users());
    let query = use_query_map();
    let notice = move || {
        let code = query.read().get("notice")?;
        // A code this page does not know still says that nothing is certain.
        Some(
            AdminNotice::from_code(&code)
                .map_or(AdminNotice::Unavailable.message(), AdminNotice::message),
        )
    };
    view! {
        <Title text="Admin · Tollgate" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let result = users.await;
                view! {
                    <RequireSignIn
                        result
                        children=move |users| view! { <UserTable users notice=notice() /> }
                    />
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(users: Vec<AdminUserRow>, notice: Option<&'static str>) -> impl IntoView {
    view! {
        <h1 class="text-3xl font-bold">"Users"</h1>
        {notice
            .map(|text| {
                view! {
                    <p
                        class="mt-4 rounded-lg bg-slate-100 p-3 text-sm"
                        role="status"
                        data-testid="admin-notice"
                    >
                        {text}
                    </p>
                }
            })}
        <table class="mt-6 w-full border-collapse rounded-2xl bg-white text-left text-sm">
            <thead class="text-slate-500">
                <tr>
                    <th class="p-3">"Email"</th>
                    <th class="p-3">"Name"</th>
                    <th class="p-3">"Sessions"</th>
                    <th class="p-3">"Status"</th>
                    <th class="p-3"></th>
                </tr>
            </thead>
            <tbody>
                {users
                    .into_iter()
                    .map(|user| {
                        let (action, label) = if user.banned {
                            ("/admin/users/unban", "Unban")
                        } else {
                            ("/admin/users/ban", "Ban")
                        };
                        let status = match (user.banned, user.is_admin) {
                            (true, _) => "Banned",
                            (false, true) => "Admin",
                            (false, false) => "Active",
                        };
                        view! {
                            <tr class="border-t border-slate-100" data-testid="admin-user">
                                <td class="p-3">{user.email.clone()}</td>
                                <td class="p-3">{user.name.clone()}</td>
                                <td class="p-3">{user.sessions}</td>
                                <td class="p-3">{status}</td>
                                <td class="p-3 text-right">
                                    <form method="post" action=action>
                                        <input
                                            type="hidden"
                                            name="email"
                                            value=user.email.clone()
                                        />
                                        <button
                                            type="submit"
                                            class="font-semibold text-red-700 hover:text-red-900"
                                        >
                                            {label}
                                        </button>
                                    </form>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
