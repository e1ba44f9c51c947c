//! `/tutors` form: start a session with a tutor.

use super::redirect_with;
use app::api::outcomes::TutorsError;
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
        return redirect_with("/tutors", &[("error", TutorsError::NoSuchTutor.code())])
            .into_response();
    };
    let Ok(key) = IdempotencyKey::parse(&form.key) else {
        return redirect_with("/tutors", &[("error", TutorsError::StaleForm.code())])
            .into_response();
    };
    match tutor_sessions::start(&state.access, &state.db, me.user.id, tutor, &key).await {
        Ok(Started::New | Started::AlreadyStarted) => {
            redirect_with("/tutors", &[("started", tutor.id)]).into_response()
        }
        Ok(Started::StaleForm) => {
            redirect_with("/tutors", &[("error", TutorsError::StaleForm.code())]).into_response()
        }
        // The page words the refusal from its own data: no sentence travels in the URL.
        Ok(Started::Refused(_)) => redirect_with(
            "/tutors",
            &[("error", TutorsError::Denied.code()), ("tutor", tutor.id)],
        )
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "starting a tutor session failed");
            redirect_with("/tutors", &[("error", TutorsError::Unavailable.code())]).into_response()
        }
    }
}
