//! `GET /api/usage` (contract, ARCHITECTURE §7): the caller's usage summary as JSON.

use super::api_error::ApiFailure;
use app::access::caller::{self, CallerError, NoCookie};
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
    let me = viewer.0.as_ref();
    let caller = caller::identify(&state.db, &state.site, &headers, me, NoCookie::Unnamed)
        .await
        .map_err(|refused| match refused {
            CallerError::Db(e) => ApiFailure::internal(ROUTE, e),
            CallerError::Banned => ApiFailure::Refused(StatusCode::FORBIDDEN, refused.to_string()),
            refused => ApiFailure::Refused(StatusCode::UNAUTHORIZED, refused.to_string()),
        })?;
    let summary = state
        .access
        .summary(&caller.subject)
        .await
        .map_err(|e| ApiFailure::internal(ROUTE, e))?;
    Ok(Json(UsageJson::from(summary)))
}
