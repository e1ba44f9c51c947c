use super::wire::ViewerInfo;
use super::ApiError;
use leptos::prelude::*;

/// Who is signed in on this browser, if anyone.
#[server]
pub async fn get_viewer() -> Result<Option<ViewerInfo>, ApiError> {
    Ok(crate::auth::current_user().map(|me| me.viewer_info()))
}
