//! `/admin` forms: banning and unbanning accounts.

use super::redirect_with;
use app::api::outcomes::AdminNotice;
use app::auth::users::{self, BanOutcome};
use app::auth::CurrentUser;
use app::domain::EmailAddress;
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct UserForm {
    email: Option<String>,
}

/// `POST /admin/users/ban`: suspends the account and ends all its sessions at once.
pub async fn ban(state: State<AppState>, me: CurrentUser, form: Form<UserForm>) -> Response {
    set_banned(state, me, form, true).await
}

/// `POST /admin/users/unban`
pub async fn unban(state: State<AppState>, me: CurrentUser, form: Form<UserForm>) -> Response {
    set_banned(state, me, form, false).await
}

async fn set_banned(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<UserForm>,
    banned: bool,
) -> Response {
    if !me.is_admin() {
        return (StatusCode::FORBIDDEN, "Only administrators can do that.").into_response();
    }
    let Ok(email) = EmailAddress::lookup(form.email.as_deref().unwrap_or_default()) else {
        return redirect_with("/admin", &[("notice", AdminNotice::Unknown.code())]).into_response();
    };
    if banned && email.as_str() == me.user.email {
        return redirect_with("/admin", &[("notice", AdminNotice::SelfBan.code())]).into_response();
    }
    match users::set_banned(&state.db, &email, banned).await {
        Ok(BanOutcome::Done) => {
            tracing::info!(admin = me.user.id, banned, "account ban changed");
            redirect_with(
                "/admin",
                &[(
                    "notice",
                    if banned {
                        AdminNotice::Banned
                    } else {
                        AdminNotice::Unbanned
                    }
                    .code(),
                )],
            )
            .into_response()
        }
        Ok(BanOutcome::NoSuchAccount) => {
            redirect_with("/admin", &[("notice", AdminNotice::Unknown.code())]).into_response()
        }
        Ok(BanOutcome::LastAdmin) => {
            redirect_with("/admin", &[("notice", AdminNotice::LastAdmin.code())]).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "changing a ban failed");
            redirect_with("/admin", &[("notice", AdminNotice::Unavailable.code())]).into_response()
        }
    }
}
