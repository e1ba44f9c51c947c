use super::browser_json::BrowserJsonPost;
use super::wire::LoginOptions;
use super::ApiError;
use leptos::prelude::*;

/// What the sign-in page offers.
#[server(output = BrowserJsonPost)]
pub async fn get_login_options() -> Result<LoginOptions, ApiError> {
    let state = expect_context::<crate::state::AppState>();
    let providers = state
        .providers
        .iter()
        .map(|p| (p.id().to_owned(), p.label().to_owned()))
        .collect();
    Ok(LoginOptions {
        dev_mailbox: state.mailer.has_dev_mailbox(),
        providers,
    })
}
