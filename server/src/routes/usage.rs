//! `GET /api/usage` (contract, ARCHITECTURE §7): the caller's usage summary as JSON.

use super::api_error::ApiFailure;
use app::access::caller::{self, Caller, CallerError, NoCookie};
use app::api::wire::UsageJson;
use app::auth::Viewer;
use app::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};

const ROUTE: &str = "/api/usage";

pub async fn usage(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
) -> Result<Json<UsageJson>, ApiFailure> {
    let caller = identify_reader(&state, &viewer, &headers, ROUTE).await?;
    let summary = state
        .access
        .summary(&caller.subject)
        .await
        .map_err(|e| ApiFailure::internal(ROUTE, e))?;
    Ok(Json(UsageJson::from(summary)))
}

/// Who is reading their own usage (a session, an API key or a guest cookie; a read names no
/// new guest), with the refusals every reading route answers: 403 for a banned owner, 401 for
/// a bad key or an address out of new guests. Shared by `GET /api/usage` and `GET /api/events`.
pub(super) async fn identify_reader(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    route: &'static str,
) -> Result<Caller, ApiFailure> {
    caller::identify(
        &state.db,
        &state.site,
        headers,
        viewer.0.as_ref(),
        NoCookie::Unnamed,
    )
    .await
    .map_err(|refused| match refused {
        CallerError::Db(e) => ApiFailure::internal(route, e),
        CallerError::Banned => ApiFailure::Refused(StatusCode::FORBIDDEN, refused.to_string()),
        refused => ApiFailure::Refused(StatusCode::UNAUTHORIZED, refused.to_string()),
    })
}
