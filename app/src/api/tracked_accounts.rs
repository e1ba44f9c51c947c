use super::browser_json::BrowserJsonPost;
use super::wire::AccountsPageView;
use super::ApiError;
use leptos::prelude::*;

/// The signed-in user's tracked accounts and how many more they may add.
#[server(output = BrowserJsonPost)]
pub async fn get_tracked_accounts() -> Result<AccountsPageView, ApiError> {
    let me = super::session::require_user()?;
    let state = expect_context::<crate::state::AppState>();
    let accounts = crate::resources::tracked_accounts::list(&state.db, me.user.id)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|a| super::wire::TrackedAccountView {
            id: a.id,
            name: a.name,
            account_number: a.masked_number,
            created_at: a.created_at,
        })
        .collect();
    let (_, summary) = super::billing_state::member_reads(&state, &me).await?;
    let usage = summary
        .feature(&summary.product.tracked_accounts)
        .cloned()
        .ok_or_else(|| ApiError::internal("the catalog has no tracked_accounts feature"))?;
    Ok(AccountsPageView { accounts, usage })
}
