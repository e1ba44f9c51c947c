use crate::api::design::get_state_switcher;
use crate::ui::loaded::loaded;
use leptos::prelude::*;

const SELECT: &str =
    "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm";

/// In test mode, for the signed-in designer: puts their own account into a plan, status and
/// usage (the same code as `tollgate user set-plan` and `credits grant`, and real uses), then
/// opens the dashboard. Nothing is shown with a real payment provider or when signed out.
#[component]
pub fn StateSwitcher() -> impl IntoView {
    let switcher = loaded(|| (), |_| get_state_switcher());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                switcher
                    .await
                    .ok()
                    .flatten()
                    .map(|choices| {
                        view! {
                            <form
                                method="post"
                                action="/design/switch"
                                class="mt-6 grid max-w-3xl gap-4 rounded-2xl border border-indigo-200 bg-indigo-50 p-5 sm:grid-cols-5"
                                data-testid="state-switcher"
                            >
                                <p class="text-sm text-indigo-900 sm:col-span-5">
                                    <strong>"Test mode: "</strong>
                                    "put your own account into any state, then review the real pages."
                                </p>
                                <label class="text-sm font-medium">
                                    "Plan" <select name="plan" class=SELECT>
                                        {choices
                                            .plans
                                            .into_iter()
                                            .map(|(id, name)| {
                                                view! { <option value=id>{name}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                                <label class="text-sm font-medium">
                                    "Status" <select name="status" class=SELECT>
                                        {choices
                                            .statuses
                                            .into_iter()
                                            .map(|s| {
                                                view! {
                                                    <option value=s.clone()>{s.replace('_', " ")}</option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                                <label class="text-sm font-medium">
                                    "Generations left today" <select name="left" class=SELECT>
                                        <option value="">"as they are"</option>
                                        <option value="3">"3"</option>
                                        <option value="0">"none"</option>
                                    </select>
                                </label>
                                <label class="text-sm font-medium">
                                    "Add credits" <select name="credits" class=SELECT>
                                        <option value="0">"none"</option>
                                        <option value="40">"40"</option>
                                        <option value="500">"500"</option>
                                    </select>
                                </label>
                                <button
                                    type="submit"
                                    class="self-end rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
                                >
                                    "Switch"
                                </button>
                            </form>
                        }
                    })
            })}
        </Suspense>
    }
}
