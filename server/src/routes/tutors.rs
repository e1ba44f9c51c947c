//! `/tutors` form: start a session with a tutor.

use super::redirect_with;
use app::auth::CurrentUser;
use app::domain::tutors::tutor;
use app::domain::IdempotencyKey;
use app::resources::tutor_sessions::{self, Started};
use app::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    tutor: String,
    /// Rendered into the page; a second submit of the same page starts nothing new.
    #[serde(default)]
    key: String,
}

/// `POST /tutors/start`
pub async fn start(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<StartForm>,
) -> Response {
    let Some(tutor) = tutor(&form.tutor) else {
        return redirect_with("/tutors", &[("error", "no_such_tutor")]).into_response();
    };
    let Ok(key) = IdempotencyKey::parse(&form.key) else {
        return redirect_with("/tutors", &[("error", "stale_form")]).into_response();
    };
    match tutor_sessions::start(&state.access, &state.db, me.user.id, tutor, &key).await {
        Ok(Started::New | Started::AlreadyStarted) => {
            redirect_with("/tutors", &[("started", tutor.id)]).into_response()
        }
        Ok(Started::StaleForm) => {
            redirect_with("/tutors", &[("error", "stale_form")]).into_response()
        }
        Ok(Started::Denied { feature, denial }) => {
            let message = denial.message_for(&state.catalog, &feature);
            let upgrade = denial.upgrade_to.map(|p| p.to_string()).unwrap_or_default();
            redirect_with(
                "/tutors",
                &[
                    ("error", "denied"),
                    ("tutor", tutor.id),
                    ("message", &message),
                    ("upgrade", &upgrade),
                ],
            )
            .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "starting a tutor session failed");
            redirect_with("/tutors", &[("error", "unavailable")]).into_response()
        }
    }
}
