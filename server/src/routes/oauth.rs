//! "Sign in with …": the redirect to the provider and the callback that comes back.

use super::auth::{failure, start_session};
use super::redirect_with;
use app::api::outcomes::LoginError;
use app::auth::client_ip::{limit_key, ClientIp};
use app::auth::cookie::{self, CookieName};
use app::auth::next_path::sanitize_next;
use app::auth::oauth::identities::{self, LinkRefusal};
use app::auth::oauth::states::{self, STATE_LIFETIME_SECS};
use app::auth::oauth::IdentityProvider;
use app::auth::rate_limit::{self, Limit, OAUTH_STARTS_PER_IP};
use app::auth::token::SecretToken;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::sync::Arc;

/// Binds a round trip to the browser that started it (a `state` alone could be replayed by
/// whoever sees the callback URL).
const BROWSER_COOKIE: CookieName = CookieName::new("tollgate_oauth", "/");

fn provider(state: &AppState, id: &str) -> Option<Arc<dyn IdentityProvider>> {
    state.providers.iter().find(|p| p.id() == id).cloned()
}

fn callback_url(state: &AppState, id: &str) -> String {
    format!("{}/auth/oauth/{id}/callback", state.site.app_url)
}

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// `GET /auth/oauth/{provider}`: sends the browser to the provider's consent page. Each click
/// stores a pending round trip, so clicks are limited per client address like sign-in links.
pub async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(query): Query<StartQuery>,
) -> Response {
    let Some(provider) = provider(&state, &id) else {
        return redirect_with("/login", &[("error", LoginError::OauthUnknown.code())])
            .into_response();
    };
    let next = sanitize_next(query.next.as_deref());
    let limit = Limit {
        max: state.site.login_links_per_ip,
        ..OAUTH_STARTS_PER_IP
    };
    match rate_limit::hit(&state.db, &format!("oauth:ip:{}", limit_key(ip)), limit).await {
        Ok(Ok(())) => {}
        Ok(Err(_)) => {
            return redirect_with(
                "/login",
                &[("error", LoginError::RateLimited.code()), ("next", &next)],
            )
            .into_response()
        }
        Err(e) => return failure("OAuth sign-in", &e, &next),
    }
    let secure = state.site.secure_cookies();
    let browser = cookie::read(&headers, BROWSER_COOKIE, secure)
        .and_then(|b| SecretToken::from_presented(&b));
    let started = match states::start(&state.db, provider.id(), &next, browser).await {
        Ok(started) => started,
        Err(e) => return failure("OAuth sign-in", &e, &next),
    };
    let url = match provider
        .authorize_url(
            &callback_url(&state, provider.id()),
            started.state.expose(),
            started.pkce_verifier.expose(),
        )
        .await
    {
        Ok(url) => url,
        Err(e) => return failure("OAuth sign-in", &e, &next),
    };
    let cookie = cookie::set(
        BROWSER_COOKIE,
        started.browser.expose(),
        STATE_LIFETIME_SECS,
        secure,
    );
    ([(SET_COOKIE, cookie)], Redirect::to(&url)).into_response()
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /auth/oauth/{provider}/callback`: checks the round trip, exchanges the code, signs in.
pub async fn callback(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(provider) = provider(&state, &id) else {
        return redirect_with("/login", &[("error", LoginError::OauthUnknown.code())])
            .into_response();
    };
    let browser = cookie::read(&headers, BROWSER_COOKIE, state.site.secure_cookies());
    // Consume the state first, whatever the provider said: it must never be usable again.
    let round_trip = match &query.state {
        Some(raw) => {
            match states::finish(&state.db, provider.id(), raw, browser.as_deref()).await {
                Ok(found) => found,
                Err(e) => return failure("OAuth sign-in", &e, "/dashboard"),
            }
        }
        None => None,
    };
    if let Some(error) = &query.error {
        // The provider's words stay in our log (cut short); the page words the refusal itself.
        let error: String = error.chars().take(100).collect();
        let detail: String = query
            .error_description
            .as_deref()
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
        tracing::info!(provider = provider.id(), %error, %detail, "provider refused sign-in");
        return redirect_with(
            "/login",
            &[
                ("error", LoginError::OauthRefused.code()),
                ("provider", provider.id()),
            ],
        )
        .into_response();
    }
    let (Some(code), Some((pkce_verifier, next))) = (query.code, round_trip) else {
        return redirect_with("/login", &[("error", LoginError::OauthState.code())])
            .into_response();
    };
    let identity = match provider
        .exchange(&callback_url(&state, provider.id()), code, pkce_verifier)
        .await
    {
        Ok(identity) => identity,
        Err(e) => {
            tracing::warn!(provider = provider.id(), error = %e, "OAuth exchange failed");
            return redirect_with(
                "/login",
                &[
                    ("error", LoginError::OauthFailed.code()),
                    ("provider", provider.id()),
                ],
            )
            .into_response();
        }
    };
    let user = match identities::account_for(&state.db, provider.id(), &identity).await {
        Ok(Ok(user)) => user,
        Ok(Err(LinkRefusal::UnverifiedEmail)) => {
            return redirect_with(
                "/login",
                &[
                    ("error", LoginError::OauthUnverified.code()),
                    ("provider", provider.id()),
                ],
            )
            .into_response()
        }
        Err(e) => return failure("OAuth sign-in", &e, &next),
    };
    // The binding cookie is left to expire with the round trips: clearing it now would break
    // a sign-in still pending in another tab.
    start_session(&state, user, &headers, ip, &next).await
}
