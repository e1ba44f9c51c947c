use crate::api::ApiError;
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
            let next = url_encode(&here);
            view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
        }
        Err(error) => {
            view! { <p role="alert" class="text-red-700">{error.to_string()}</p> }.into_any()
        }
    }
}

/// Percent-encodes a query value (keeps `/` so `next=/account` stays readable).
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
