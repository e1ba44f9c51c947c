//! `GET /api/usage` (contract, ARCHITECTURE §7): the caller's usage summary as JSON.

use super::api_error::{internal_error, json_error};
use app::access::caller::{self, CallerError, NoCookie};
use app::auth::Viewer;
use app::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

pub async fn usage(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
) -> Response {
    let caller = match caller::identify(
        &state.db,
        &state.site,
        &headers,
        viewer.0.as_ref(),
        NoCookie::Unnamed,
    )
    .await
    {
        Ok(caller) => caller,
        Err(CallerError::Db(e)) => return internal_error("/api/usage", e),
        Err(CallerError::Banned) => {
            return json_error(StatusCode::FORBIDDEN, CallerError::Banned.to_string())
        }
        Err(refused) => return json_error(StatusCode::UNAUTHORIZED, refused.to_string()),
    };
    match state.access.summary(&caller.subject).await {
        Ok(summary) => Json(summary).into_response(),
        Err(e) => internal_error("/api/usage", e),
    }
}
