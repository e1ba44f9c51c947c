use super::browser_json::BrowserJsonPost;
use super::wire::AccountView;
use super::ApiError;
use leptos::prelude::*;

/// Where a just-created API key waits for the one page view that shows it.
#[cfg(feature = "ssr")]
pub const NEW_KEY_COOKIE: crate::auth::cookie::CookieName =
    crate::auth::cookie::CookieName::new("tollgate_new_key", "/account");

/// Profile, sessions and API keys for `/account`. A key created a moment ago is taken from its
/// short-lived cookie (and the cookie cleared), so it is shown exactly once.
#[server(output = BrowserJsonPost)]
pub async fn get_account() -> Result<AccountView, ApiError> {
    let me = super::session::require_user()?;
    let state = expect_context::<crate::state::AppState>();
    let new_api_key = use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            crate::auth::cookie::read(&parts.headers, NEW_KEY_COOKIE, state.site.secure_cookies())
        })
        .filter(|key| key.starts_with("tg_"));
    if new_api_key.is_some() {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let clear = crate::auth::cookie::clear(NEW_KEY_COOKIE, state.site.secure_cookies());
            if let Ok(value) = axum::http::HeaderValue::from_str(&clear) {
                response.append_header(axum::http::header::SET_COOKIE, value);
            }
        }
    }
    use crate::auth::sessions::{self, describe_device};
    let sessions = sessions::list(&state.db, me.user.id)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|s| super::wire::SessionView {
            current: s.id == me.session_id,
            id: s.id,
            device: describe_device(&s.user_agent),
            ip: s.ip,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
        })
        .collect();
    let api_keys = crate::auth::api_keys::list(&state.db, me.user.id)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|k| super::wire::ApiKeyView {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
        })
        .collect();
    let manages_billing = crate::billing::customers::find(&state.db, me.user.id)
        .await
        .map_err(ApiError::internal)?
        .is_some();
    // Asked of the provider each time (its list is the truth); a failure costs the list, not
    // the page.
    let invoices = if manages_billing {
        match state.billing.invoices(me.user.id).await {
            Ok(invoices) => Some(invoices),
            Err(e) => {
                tracing::warn!(error = %e, "listing invoices failed");
                None
            }
        }
    } else {
        Some(Vec::new())
    };
    let debts = state
        .access
        .credit_debts(&crate::access::Subject::User(me.user.id))
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|(feature, owed)| {
            let unit = state.catalog.units_for(&feature, owed);
            format!(
                "You owe {owed} {unit} from a refunded or disputed credit pack; your next pack \
                 pays them first."
            )
        })
        .collect();
    Ok(AccountView {
        viewer: super::session::viewer_info(&me),
        sessions,
        api_keys,
        new_api_key,
        manages_billing,
        invoices,
        debts,
    })
}
