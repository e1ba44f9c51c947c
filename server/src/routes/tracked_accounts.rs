//! `/accounts` forms: add and delete tracked accounts.

use super::redirect_with;
use app::auth::CurrentUser;
use app::domain::tracked_account::NewTrackedAccount;
use app::resources::tracked_accounts::{self, AddError};
use app::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    account_number: String,
}

/// `POST /accounts`: the form comes back with its values and the problem when refused.
pub async fn add(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<AddForm>,
) -> Response {
    let back = |error: &str| {
        redirect_with(
            "/accounts",
            &[
                ("error", error),
                ("name", &form.name),
                ("account_number", &form.account_number),
            ],
        )
        .into_response()
    };
    let account = match NewTrackedAccount::parse(&form.name, &form.account_number) {
        Ok(account) => account,
        Err(e) => return back(e.code()),
    };
    match tracked_accounts::add(&state.access, &state.db, me.user.id, &account).await {
        Ok(_) => redirect_with("/accounts", &[("notice", "added")]).into_response(),
        Err(AddError::Denied(denial)) => {
            let message = denial.message_for(&state.catalog, &tracked_accounts::feature());
            redirect_with(
                "/accounts",
                &[
                    ("error", "limit"),
                    ("message", &message),
                    ("name", &form.name),
                    ("account_number", &form.account_number),
                ],
            )
            .into_response()
        }
        Err(AddError::Access(e)) => {
            tracing::error!(error = %e, "adding a tracked account failed");
            back("unavailable")
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    id: Option<String>,
}

/// `POST /accounts/delete`: only the owner's own rows can be deleted.
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<DeleteForm>,
) -> Response {
    let Some(id) = form
        .id
        .as_deref()
        .and_then(|id| id.trim().parse::<i64>().ok())
    else {
        return redirect_with("/accounts", &[("error", "not_found")]).into_response();
    };
    match tracked_accounts::delete(&state.access, &state.db, me.user.id, id).await {
        Ok(true) => redirect_with("/accounts", &[("notice", "deleted")]).into_response(),
        Ok(false) => redirect_with("/accounts", &[("error", "not_found")]).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "deleting a tracked account failed");
            redirect_with("/accounts", &[("error", "unavailable")]).into_response()
        }
    }
}
