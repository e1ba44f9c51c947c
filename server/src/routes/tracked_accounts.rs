//! `/accounts` forms: add and delete tracked accounts.

use super::redirect_with;
use app::api::outcomes::{AccountsError, AccountsNotice};
use app::auth::CurrentUser;
use app::domain::tracked_account::{NewTrackedAccount, NAME_MAX_CHARS};
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

/// `POST /accounts`: when refused, the form comes back with the problem's code and the name
/// typed (cut to the longest name allowed) — never the account number, which would otherwise
/// sit in browser history, proxy logs and Referer headers.
pub async fn add(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<AddForm>,
) -> Response {
    let name: String = form.name.trim().chars().take(NAME_MAX_CHARS).collect();
    let back = |error: AccountsError| {
        redirect_with("/accounts", &[("error", error.code()), ("name", &name)]).into_response()
    };
    let account = match NewTrackedAccount::parse(&form.name, &form.account_number) {
        Ok(account) => account,
        Err(e) => return back(AccountsError::from(&e)),
    };
    match tracked_accounts::add(&state.access, &state.db, me.user.id, &account).await {
        Ok(_) => {
            redirect_with("/accounts", &[("notice", AccountsNotice::Added.code())]).into_response()
        }
        // The page words the limit from the usage it loads itself.
        Err(AddError::Refused(_)) => back(AccountsError::Limit),
        Err(AddError::Access(e)) => {
            tracing::error!(error = %e, "adding a tracked account failed");
            back(AccountsError::Unavailable)
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
        return redirect_with("/accounts", &[("error", AccountsError::NotFound.code())])
            .into_response();
    };
    match tracked_accounts::delete(&state.access, me.user.id, id).await {
        Ok(true) => {
            // A plan kept after a switch the usage did not fit ends once it fits.
            if let Err(e) = state.billing.release_kept_plan(me.user.id).await {
                tracing::warn!(error = %e, "a kept plan could not be ended yet");
            }
            redirect_with("/accounts", &[("notice", AccountsNotice::Deleted.code())])
                .into_response()
        }
        Ok(false) => {
            redirect_with("/accounts", &[("error", AccountsError::NotFound.code())]).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "deleting a tracked account failed");
            redirect_with("/accounts", &[("error", AccountsError::Unavailable.code())])
                .into_response()
        }
    }
}
