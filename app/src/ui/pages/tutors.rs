use crate::api::outcomes::TutorsError;
use crate::api::tutors::get_tutors;
use crate::api::wire::TutorsPageView;
use crate::domain::tutors::{tutor, Tutor, TUTORS};
use crate::ui::components::{RequireSignIn, UsageMeter};
use crate::ui::loaded::loaded;
use crate::ui::pages::account::format_unix;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/tutors`: book a session; Pro tutors carry a "Requires Pro" badge for plans without them.
#[component]
pub fn TutorsPage() -> impl IntoView {
    let data = loaded(|| (), |_| get_tutors());
    view! {
        <Title text="Tutors · Tollgate" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let result = data.await;
                view! { <RequireSignIn result children=|page| view! { <Tutors page /> } /> }
            })}
        </Suspense>
    }
}

#[component]
fn Tutors(page: TutorsPageView) -> impl IntoView {
    let query = use_query_map();
    let q = |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let started =
        tutor(&q("started")).map(|t| format!("Your session with {} has started.", t.name));
    let error = match q("error").as_str() {
        "" => None,
        code => Some(match TutorsError::from_code(code) {
            // Worded from this page's own data, never from the URL: which limit refused depends
            // on whether the tutor named by the form was a Pro one.
            Some(TutorsError::Denied) => {
                let pro = tutor(&q("tutor")).is_some_and(|t| t.pro);
                let refused = if pro && !page.pro_tutors.counts.allowed {
                    &page.pro_tutors
                } else {
                    &page.sessions
                };
                refused
                    .counts
                    .reason
                    .clone()
                    .unwrap_or_else(|| TutorsError::Denied.message().to_owned())
            }
            Some(error) => error.message().to_owned(),
            None => TutorsError::Unavailable.message().to_owned(),
        }),
    };
    // Why a Pro tutor cannot be booked on this plan, in the access module's words.
    let locked_reason = (!page.pro_tutors.counts.allowed).then(|| {
        page.pro_tutors
            .counts
            .reason
            .clone()
            .unwrap_or_else(|| "Pro tutors come with the Pro and Team plans.".to_owned())
    });
    let key = page.form_key.clone();
    view! {
        <h1 class="text-3xl font-bold">"Tutors"</h1>
        <div class="mt-4 max-w-md">
            <UsageMeter usage=page.sessions.clone() testid="tutor-meter" />
        </div>
        {started
            .map(|s| {
                view! {
                    <p
                        role="status"
                        class="mt-4 rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900"
                        data-testid="tutor-started"
                    >
                        {s}
                    </p>
                }
            })}
        {error
            .map(|e| {
                view! {
                    <p
                        role="alert"
                        class="mt-4 rounded-lg bg-red-50 p-3 text-sm text-red-800"
                        data-testid="tutor-error"
                    >
                        {e}
                        " "
                        <a href="/pricing" class="font-semibold underline">
                            "See plans"
                        </a>
                    </p>
                }
            })}
        <ul class="mt-6 grid gap-4 sm:grid-cols-2">
            {TUTORS
                .iter()
                .map(|t| {
                    let locked = locked_reason.clone().filter(|_| t.pro);
                    view! { <TutorCard tutor=t.clone() locked key=key.clone() /> }
                })
                .collect_view()}
        </ul>
        {(!page.recent.is_empty())
            .then(|| {
                view! {
                    <h2 class="mt-8 text-lg font-semibold">"Recent sessions"</h2>
                    <ul class="mt-2 text-sm text-slate-600" data-testid="recent-sessions">
                        {page
                            .recent
                            .into_iter()
                            .map(|(id, at)| {
                                let name = tutor(&id).map_or(id.clone(), |t| t.name.to_owned());
                                view! { <li>{format!("{name} · {}", format_unix(at))}</li> }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
    }
}

/// One tutor. A Pro tutor on a plan without them shows a "Requires Pro" badge (to /pricing)
/// and a disabled button with the reason under it; the server refuses the booking anyway.
#[component]
pub(crate) fn TutorCard(tutor: Tutor, locked: Option<String>, key: String) -> impl IntoView {
    let reason_id = format!("tutor-{}-locked", tutor.id);
    let is_locked = locked.is_some();
    view! {
        <li
            class="rounded-2xl border border-slate-200 bg-white p-5"
            data-testid=format!("tutor-{}", tutor.id)
        >
            <div class="flex items-center justify-between">
                <h3 class="font-semibold">{tutor.name}</h3>
                {is_locked
                    .then(|| {
                        view! {
                            <a
                                href="/pricing"
                                class="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900 hover:bg-amber-200"
                                data-testid="requires-pro"
                            >
                                "Requires Pro"
                            </a>
                        }
                    })}
            </div>
            <p class="mt-1 text-sm text-slate-600">{tutor.speciality}</p>
            <form method="post" action="/tutors/start" class="mt-4">
                <input type="hidden" name="tutor" value=tutor.id />
                <input type="hidden" name="key" value=format!("{key}-{}", tutor.id) />
                <button
                    type="submit"
                    disabled=is_locked
                    aria-describedby=is_locked.then(|| reason_id.clone())
                    class="rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-600"
                    data-testid="start-session"
                >
                    "Start a session"
                </button>
                {locked
                    .map(|reason| {
                        view! {
                            <p
                                id=reason_id
                                class="mt-2 text-xs text-slate-600"
                                data-testid="locked-reason"
                            >
                                {reason}
                                " "
                                <a href="/pricing" class="font-semibold text-indigo-700 underline">
                                    "See plans"
                                </a>
                            </p>
                        }
                    })}
            </form>
        </li>
    }
}
