use super::browser_json::BrowserJsonPost;
use super::wire::TutorsPageView;
use super::ApiError;
use leptos::prelude::*;

/// What `/tutors` needs for the signed-in user, with a fresh key for its start forms.
#[server(output = BrowserJsonPost)]
pub async fn get_tutors() -> Result<TutorsPageView, ApiError> {
    use crate::auth::token::SecretToken;
    let me = super::session::require_user()?;
    let state = expect_context::<crate::state::AppState>();
    let (_, summary) = super::billing_state::member_reads(&state, &me).await?;
    let feature = |id: &crate::domain::FeatureId| {
        summary
            .feature(id)
            .cloned()
            .ok_or_else(|| ApiError::internal(format!("the catalog has no {id} feature")))
    };
    let recent = crate::resources::tutor_sessions::recent(&state.db, me.user.id)
        .await
        .map_err(ApiError::internal)?;
    Ok(TutorsPageView {
        sessions: feature(&summary.product.tutor_sessions)?,
        pro_tutors: feature(&summary.product.pro_tutors)?,
        form_key: SecretToken::generate().expose().to_owned(),
        recent,
    })
}
