use crate::api::ApiError;
use crate::domain::sign_in::login_path;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Renders `children` with the loaded data, or sends a visitor who is not signed in to
/// `/login?next=<this page>` (a 302 from the server, a client-side navigation once hydrated).
#[component]
pub fn RequireSignIn<T, F, V>(result: Result<T, ApiError>, children: F) -> impl IntoView
where
    T: 'static,
    F: FnOnce(T) -> V + 'static,
    V: IntoView + 'static,
{
    match result {
        Ok(data) => children(data).into_any(),
        Err(ApiError::Unauthorized) => {
            let location = use_location();
            let (path, search) = (
                location.pathname.get_untracked(),
                location.search.get_untracked(),
            );
            let search = search.trim_start_matches('?');
            let here = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            view! { <Redirect path=login_path(&here) /> }.into_any()
        }
        Err(error) => view! {
            <p role="alert" class="text-red-700">
                {error.to_string()}
            </p>
        }
        .into_any(),
    }
}
