//! Email sign-in, the link it sends, and sign-out.

use super::redirect_with;
use app::api::outcomes::LoginError;
use app::auth::client_ip::{limit_key, ClientIp};
use app::auth::cookie::{self, SESSION_COOKIE};
use app::auth::magic_link::{self, LINK_LIFETIME_SECS};
use app::auth::mailer::Email;
use app::auth::next_path::{sanitize_next, DEFAULT_NEXT, WELCOME_PATH};
use app::auth::rate_limit::{self, Limit, LINKS_PER_EMAIL, LINKS_PER_EMAIL_FROM_IP, LINKS_PER_IP};
use app::auth::sessions::{self, SESSION_LIFETIME_SECS};
use app::auth::token::SecretToken;
use app::auth::users;
use app::state::AppState;
use axum::extract::{Query, State};
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::net::IpAddr;

#[derive(Debug, Deserialize)]
pub struct EmailForm {
    email: Option<String>,
    next: Option<String>,
}

/// `POST /auth/email`: sends a sign-in link, then shows "check your inbox".
pub async fn request_link(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Form(form): Form<EmailForm>,
) -> Response {
    let next = sanitize_next(form.next.as_deref());
    let raw_email = form.email.unwrap_or_default();
    let email = match users::sign_in_address(&state.db, &raw_email).await {
        Ok(Ok(email)) => email,
        Ok(Err(_)) => {
            // Sent back for correction, cut to the longest address there is.
            let typed: String = raw_email.trim().chars().take(254).collect();
            return redirect_with(
                "/login",
                &[
                    ("error", LoginError::InvalidEmail.code()),
                    ("email", &typed),
                    ("next", &next),
                ],
            )
            .into_response();
        }
        Err(e) => return failure("sign-in address", e, &next),
    };
    // The client's own budget first, then the address's from this client, then the
    // address's from anywhere; a refused request spends none of them. So one IP can neither
    // spend a victim's budget with requests its own limit refuses, nor lock the owner out
    // with the few it is allowed (the owner has a budget of their own from their network).
    let ip_key = limit_key(ip);
    let ip_bucket = format!("link:ip:{ip_key}");
    let pair_bucket = format!("link:email-ip:{email}:{ip_key}");
    let email_bucket = format!("link:email:{email}");
    let ip_limit = Limit {
        max: state.site.login_links_per_ip,
        ..LINKS_PER_IP
    };
    let buckets = [
        (ip_bucket.as_str(), ip_limit),
        (pair_bucket.as_str(), LINKS_PER_EMAIL_FROM_IP),
        (email_bucket.as_str(), LINKS_PER_EMAIL),
    ];
    match rate_limit::hit_all(&state.db, &buckets).await {
        Ok(Ok(())) => {}
        Ok(Err(_retry_after)) => {
            return redirect_with(
                "/login",
                &[
                    ("error", LoginError::RateLimited.code()),
                    ("email", email.as_str()),
                    ("next", &next),
                ],
            )
            .into_response()
        }
        Err(e) => return failure("rate limit", e, &next),
    }
    let token = match magic_link::issue(&state.db, &email, &next).await {
        Ok(token) => token,
        Err(e) => return failure("issue magic link", e, &next),
    };
    let link = format!(
        "{}/auth/email/confirm?token={}",
        state.site.app_url,
        token.expose()
    );
    let message = Email {
        to: email.to_string(),
        subject: "Your Tollgate sign-in link".into(),
        body: format!(
            "Hi,\n\nUse this link to sign in to Tollgate. It works once, for the next {} minutes:\n\n{link}\n\nIf you did not ask for it, ignore this email: nobody can sign in without the link.\n",
            LINK_LIFETIME_SECS / 60
        ),
    };
    if let Err(e) = state.mailer.send(message).await {
        tracing::error!(error = %e, "sending the sign-in email failed");
        return redirect_with(
            "/login",
            &[
                ("error", LoginError::MailFailed.code()),
                ("email", email.as_str()),
                ("next", &next),
            ],
        )
        .into_response();
    }
    redirect_with(
        "/login",
        &[("sent", "1"), ("email", email.as_str()), ("next", &next)],
    )
    .into_response()
}

#[derive(Debug, Deserialize)]
pub struct TokenParams {
    token: Option<String>,
}

/// `GET /auth/email/callback?token=…`: where links mailed before the confirm step pointed.
/// Uses nothing up: it sends the browser on to the confirm page. Only a token of our own
/// shape is carried into the `Location`, never arbitrary input.
pub async fn open_old_link(Query(query): Query<TokenParams>) -> Response {
    match query.token.as_deref().and_then(SecretToken::from_presented) {
        Some(token) => redirect_with("/auth/email/confirm", &[("token", token.expose())]),
        None => redirect_with("/login", &[("error", LoginError::LinkInvalid.code())]),
    }
    .into_response()
}

/// `POST /auth/email/callback` (the confirm page's "Sign in" button, CSRF-checked): uses up
/// the link and signs in.
pub async fn redeem_link(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<TokenParams>,
) -> Response {
    let Some(token) = form.token.as_deref().and_then(SecretToken::from_presented) else {
        return redirect_with("/login", &[("error", LoginError::LinkInvalid.code())])
            .into_response();
    };
    let (email, next) = match magic_link::redeem(&state.db, &token).await {
        Ok(Ok(found)) => found,
        Ok(Err(problem)) => {
            let error = LoginError::from(problem);
            return redirect_with("/login", &[("error", error.code())]).into_response();
        }
        Err(e) => return failure("redeem magic link", e, "/dashboard"),
    };
    let user = match users::find_or_create(&state.db, &email, None, None).await {
        Ok(user) => user,
        Err(e) => return failure("find or create user", e, &next),
    };
    start_session(&state, user, &headers, ip, &next).await
}

/// Signs `user` in on this browser and sends them to `next`; banned users are turned away.
/// The session this browser held before (whoever's it was) ends: a browser holds one session,
/// and a session token planted before sign-in is never carried into the new one.
pub async fn start_session(
    state: &AppState,
    user: users::User,
    headers: &HeaderMap,
    ip: IpAddr,
    next: &str,
) -> Response {
    if user.banned {
        return redirect_with("/login", &[("error", LoginError::Banned.code())]).into_response();
    }
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let secure = state.site.secure_cookies();
    if let Some(previous) = cookie::read(headers, SESSION_COOKIE, secure)
        .as_deref()
        .and_then(SecretToken::from_presented)
    {
        if let Err(e) = sessions::delete(&state.db, &previous).await {
            return failure("end the previous session", e, next);
        }
    }
    let token = match sessions::create(&state.db, user.id, user_agent, &ip.to_string()).await {
        Ok(token) => token,
        Err(e) => return failure("create session", e, next),
    };
    tracing::info!(user_id = user.id, "signed in");
    let cookie = cookie::set(
        SESSION_COOKIE,
        token.expose(),
        SESSION_LIFETIME_SECS,
        secure,
    );
    // A first sign-in with nowhere particular to go picks a plan first (Free goes straight on
    // to the dashboard; a paid plan to its checkout with the trial).
    let next = match users::welcome(&state.db, user.id).await {
        Ok(true) if next == DEFAULT_NEXT => WELCOME_PATH,
        Ok(_) => next,
        Err(e) => {
            tracing::warn!(error = %e, "could not record the first sign-in; no plan picker");
            next
        }
    };
    ([(SET_COOKIE, cookie)], Redirect::to(next)).into_response()
}

/// `POST /auth/logout`: ends this browser's session.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie::read(&headers, SESSION_COOKIE, state.site.secure_cookies())
        .as_deref()
        .and_then(SecretToken::from_presented)
    {
        if let Err(e) = sessions::delete(&state.db, &token).await {
            return failure("sign out", e, "/");
        }
    }
    let cookie = cookie::clear(SESSION_COOKIE, state.site.secure_cookies());
    ([(SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}

/// An unexpected failure: logged with its cause, shown as a retryable message on `/login`.
pub(super) fn failure(what: &str, error: impl std::fmt::Display, next: &str) -> Response {
    tracing::error!(error = %error, "{what} failed");
    redirect_with(
        "/login",
        &[("error", LoginError::Unavailable.code()), ("next", next)],
    )
    .into_response()
}
