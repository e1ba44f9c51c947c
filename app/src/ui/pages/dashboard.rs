use crate::api::viewer::get_viewer;
use crate::api::ApiError;
use crate::ui::components::RequireSignIn;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/dashboard`: where people land after sign-in.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        <Title text="Dashboard · Tollgate"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let result = viewer.await.and_then(|v| v.ok_or(ApiError::Unauthorized));
                view! {
                    <RequireSignIn result children=|me| view! {
                        <h1 class="text-3xl font-bold" data-testid="welcome">{format!("Welcome, {}", me.name)}</h1>
                        <p class="mt-2 text-slate-600">"You are signed in as "{me.email}"."</p>
                    }/>
                }
            })}
        </Suspense>
    }
}
