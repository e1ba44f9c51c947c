use super::browser_json::BrowserJsonPost;
use super::wire::LinkPreview;
use super::ApiError;
use leptos::prelude::*;

/// Whom the sign-in link with `token` would sign in; reading it uses nothing up.
#[server(output = BrowserJsonPost)]
pub async fn preview_sign_in_link(token: String) -> Result<LinkPreview, ApiError> {
    use super::outcomes::LoginError;
    use crate::auth::magic_link;
    use crate::auth::token::SecretToken;
    let state = expect_context::<crate::state::AppState>();
    let Some(token) = SecretToken::from_presented(&token) else {
        return Ok(LinkPreview::Problem {
            code: LoginError::LinkInvalid.code().into(),
        });
    };
    Ok(
        match magic_link::peek(&state.db, &token)
            .await
            .map_err(ApiError::internal)?
        {
            Ok(email) => LinkPreview::SignsIn {
                email: email.to_string(),
            },
            Err(problem) => LinkPreview::Problem {
                code: LoginError::from(problem).code().into(),
            },
        },
    )
}
