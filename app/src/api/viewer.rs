use super::wire::ViewerInfo;
use super::ApiError;
use leptos::prelude::*;

/// Who is signed in on this browser, if anyone.
#[server]
pub async fn get_viewer() -> Result<Option<ViewerInfo>, ApiError> {
    Ok(super::session::current_user().map(|me| super::session::viewer_info(&me)))
}
