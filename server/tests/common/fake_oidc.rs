//! A local OpenID Connect provider that speaks real HTTP: discovery, an authorize endpoint that
//! "consents" at once (redirecting back with a code), a token endpoint that checks the client
//! secret, the redirect URI and the PKCE verifier, and a userinfo endpoint.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const CLIENT_ID: &str = "tollgate-test";
pub const CLIENT_SECRET: &str = "tollgate-test-secret";

/// Who signs in at the fake provider.
#[derive(Clone, Debug)]
pub struct FakeUser {
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
}

#[derive(Default)]
struct Inner {
    user: Option<FakeUser>,
    /// code → (PKCE challenge, redirect_uri)
    codes: HashMap<String, (String, String)>,
    /// access token → user
    tokens: HashMap<String, FakeUser>,
    token_requests: usize,
    counter: u64,
}

#[derive(Clone)]
pub struct FakeOidc {
    pub issuer: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeOidc {
    pub async fn start(user: FakeUser) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake OIDC");
        let issuer = format!("http://{}", listener.local_addr().expect("addr"));
        let fake = FakeOidc {
            issuer,
            inner: Arc::new(Mutex::new(Inner {
                user: Some(user),
                ..Inner::default()
            })),
        };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            // The same provider, GitHub-shaped: its endpoints and its profile API.
            .route("/login/oauth/authorize", get(authorize))
            .route("/login/oauth/access_token", post(token))
            .route("/user", get(github_user))
            .route("/user/emails", get(github_emails))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        fake
    }

    pub fn set_user(&self, user: FakeUser) {
        self.inner.lock().unwrap().user = Some(user);
    }

    pub fn token_requests(&self) -> usize {
        self.inner.lock().unwrap().token_requests
    }
}

async fn discovery(State(fake): State<FakeOidc>) -> Json<serde_json::Value> {
    Json(json!({
        "issuer": fake.issuer,
        "authorization_endpoint": format!("{}/authorize", fake.issuer),
        "token_endpoint": format!("{}/token", fake.issuer),
        "userinfo_endpoint": format!("{}/userinfo", fake.issuer),
    }))
}

async fn authorize(
    State(fake): State<FakeOidc>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let ok = q.get("response_type").map(String::as_str) == Some("code")
        && q.get("client_id").map(String::as_str) == Some(CLIENT_ID)
        && q.get("code_challenge_method").map(String::as_str) == Some("S256")
        && q.get("scope")
            .is_some_and(|s| s.split(' ').any(|s| s == "openid" || s == "read:user"));
    let (Some(redirect_uri), Some(state), Some(challenge), true) = (
        q.get("redirect_uri"),
        q.get("state"),
        q.get("code_challenge"),
        ok,
    ) else {
        return (StatusCode::BAD_REQUEST, "bad authorize request").into_response();
    };
    let mut inner = fake.inner.lock().unwrap();
    inner.counter += 1;
    let code = format!("code-{}", inner.counter);
    inner
        .codes
        .insert(code.clone(), (challenge.clone(), redirect_uri.clone()));
    Redirect::to(&format!("{redirect_uri}?code={code}&state={state}")).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: Option<String>,
}

async fn token(
    State(fake): State<FakeOidc>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    let mut inner = fake.inner.lock().unwrap();
    inner.token_requests += 1;
    let expected_auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected_auth.as_str()) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    // Codes are single use: removed on first presentation, valid or not.
    let Some((challenge, redirect_uri)) = inner.codes.remove(&form.code) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    };
    let verifier_matches = form.code_verifier.as_deref().is_some_and(|v| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes()))
            == challenge
    });
    if form.grant_type != "authorization_code"
        || form.redirect_uri != redirect_uri
        || !verifier_matches
    {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    }
    inner.counter += 1;
    let access_token = format!("token-{}", inner.counter);
    let user = inner.user.clone().expect("a user is set");
    inner.tokens.insert(access_token.clone(), user);
    Json(json!({"access_token": access_token, "token_type": "Bearer", "expires_in": 3600}))
        .into_response()
}

fn bearer_user(fake: &FakeOidc, headers: &HeaderMap) -> Option<FakeUser> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    fake.inner.lock().unwrap().tokens.get(token).cloned()
}

async fn userinfo(State(fake): State<FakeOidc>, headers: HeaderMap) -> Response {
    match bearer_user(&fake, &headers) {
        Some(user) => Json(json!({
            "sub": user.subject,
            "email": user.email,
            "email_verified": user.email_verified,
            "name": user.name,
        }))
        .into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

async fn github_user(State(fake): State<FakeOidc>, headers: HeaderMap) -> Response {
    match bearer_user(&fake, &headers) {
        Some(user) => Json(json!({"id": 4242, "login": "octo-ada", "name": user.name, "avatar_url": "https://avatars.example/4242"})).into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

async fn github_emails(State(fake): State<FakeOidc>, headers: HeaderMap) -> Response {
    match bearer_user(&fake, &headers) {
        Some(user) => Json(json!([
            {"email": "old@example.com", "primary": false, "verified": true},
            {"email": user.email, "primary": true, "verified": user.email_verified},
        ]))
        .into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

/// The app with "Continue with Acme SSO" pointing at `fake` (plus the test's own settings).
pub async fn app_with_oidc(
    fake: &FakeOidc,
    customize: impl FnOnce(&mut server::config::Config),
) -> super::TestApp {
    let issuer = fake.issuer.clone();
    super::spawn_app_with(move |config| {
        config.oauth = vec![server::config::OAuthSettings {
            id: "oidc",
            label: "Acme SSO".into(),
            kind: app::auth::oauth::ProviderKind::Oidc { issuer },
            client_id: CLIENT_ID.into(),
            client_secret: super::Secret::new(CLIENT_SECRET),
        }];
        customize(config);
    })
    .await
}
