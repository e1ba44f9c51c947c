//! OAuth sign-in (authorization code + PKCE) against a local OIDC provider over real HTTP.
mod common;

use common::fake_oidc::{app_with_oidc, FakeOidc, FakeUser, CLIENT_ID, CLIENT_SECRET};
use common::{cookie_value, location, session_cookie, spawn_app, spawn_app_with, Secret, TestApp};
use server::config::OAuthSettings;

fn user(email: &str, verified: bool) -> FakeUser {
    FakeUser {
        subject: format!("sub-{email}"),
        email: email.into(),
        email_verified: verified,
        name: "Ada Lovelace".into(),
    }
}

async fn app_with_github(fake: &FakeOidc) -> TestApp {
    let base = fake.issuer.clone();
    spawn_app_with(move |config| {
        config.oauth = vec![OAuthSettings {
            id: "github",
            label: "GitHub".into(),
            kind: app::auth::oauth::ProviderKind::GitHub {
                web_base: base.clone(),
                api_base: base,
            },
            client_id: CLIENT_ID.into(),
            client_secret: Secret::new(CLIENT_SECRET),
        }];
    })
    .await
}

async fn app_with_provider(fake: &FakeOidc) -> TestApp {
    app_with_oidc(fake, |_| {}).await
}

/// Clicks "Continue with Acme SSO" and consents at the provider; returns the callback path
/// (relative to our server) and the browser-binding cookie.
async fn start_and_consent(app: &TestApp) -> (String, String) {
    start_and_consent_with(app, "oidc").await
}

async fn start_and_consent_with(app: &TestApp, provider: &str) -> (String, String) {
    let start = app
        .get_as(&format!("/auth/oauth/{provider}?next=/account"), None)
        .await;
    assert_eq!(start.status(), 303);
    let browser =
        cookie_value(&start, "tollgate_oauth").expect("the round trip is bound to this browser");
    let authorize = location(&start);
    assert!(
        authorize.contains("code_challenge_method=S256"),
        "PKCE is used: {authorize}"
    );
    assert!(
        !authorize.contains("code_verifier"),
        "the verifier never leaves the server"
    );
    let consent = app.client.get(&authorize).send().await.unwrap();
    assert_eq!(consent.status(), 303);
    let callback = location(&consent);
    (
        callback
            .strip_prefix(&app.url(""))
            .expect("callback to us")
            .to_owned(),
        browser,
    )
}

async fn callback(app: &TestApp, path: &str, browser: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path)).header("Accept", "text/html");
    if let Some(browser) = browser {
        request = request.header("Cookie", format!("tollgate_oauth={browser}"));
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_new_user_signs_in_with_the_provider_and_lands_on_next() {
    let fake = FakeOidc::start(user("ada@example.com", true)).await;
    let app = app_with_provider(&fake).await;
    let login = app.get_as("/login", None).await.text().await.unwrap();
    assert!(login.contains("Continue with Acme SSO"));

    let (path, browser) = start_and_consent(&app).await;
    let response = callback(&app, &path, Some(&browser)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account");
    assert_eq!(
        cookie_value(&response, "tollgate_oauth"),
        None,
        "the binding cookie is left to expire (another tab may still need it)"
    );
    let session = session_cookie(&response).expect("signed in");
    let account = app
        .get_as("/account", Some(&session))
        .await
        .text()
        .await
        .unwrap();
    assert!(account.contains("Ada Lovelace") && account.contains("ada@example.com"));
    assert_eq!(app.count("oauth_identities").await, 1);
}

#[tokio::test]
async fn a_callback_in_another_browser_is_refused_without_calling_the_provider() {
    let fake = FakeOidc::start(user("ada@example.com", true)).await;
    let app = app_with_provider(&fake).await;
    let (path, _) = start_and_consent(&app).await;
    let response = callback(
        &app,
        &path,
        Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    )
    .await;
    assert_eq!(location(&response), "/login?error=oauth_state");
    assert_eq!(fake.token_requests(), 0);
    assert_eq!(app.count("sessions").await, 0);

    let (path, _) = start_and_consent(&app).await;
    assert_eq!(
        location(&callback(&app, &path, None).await),
        "/login?error=oauth_state"
    );
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let fake = FakeOidc::start(user("ada@example.com", true)).await;
    let app = app_with_provider(&fake).await;
    let (path, browser) = start_and_consent(&app).await;
    assert_eq!(
        location(&callback(&app, &path, Some(&browser)).await),
        "/account"
    );
    let replay = callback(&app, &path, Some(&browser)).await;
    assert_eq!(location(&replay), "/login?error=oauth_state");
    assert!(session_cookie(&replay).is_none());
    assert_eq!(app.count("sessions").await, 1);
    assert_eq!(
        fake.token_requests(),
        1,
        "the replayed code never reaches the token endpoint"
    );
}

#[tokio::test]
async fn a_forged_state_is_refused() {
    let fake = FakeOidc::start(user("ada@example.com", true)).await;
    let app = app_with_provider(&fake).await;
    let (path, browser) = start_and_consent(&app).await;
    let forged = path.replace("state=", "state=x");
    assert_eq!(
        location(&callback(&app, &forged, Some(&browser)).await),
        "/login?error=oauth_state"
    );
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn a_provider_error_is_shown_as_a_sentence_on_login() {
    let fake = FakeOidc::start(user("ada@example.com", true)).await;
    let app = app_with_provider(&fake).await;
    let (path, browser) = start_and_consent(&app).await;
    let state = path.split("state=").nth(1).unwrap().to_owned();
    let denied = format!("/auth/oauth/oidc/callback?error=access_denied&error_description=The+user+said+no&state={state}");
    let response = callback(&app, &denied, Some(&browser)).await;
    let target = location(&response);
    assert!(target.starts_with("/login?error=oauth_refused"), "{target}");
    let page = app.get_as(&target, None).await;
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Acme SSO did not sign you in (the request was cancelled or refused there)."));
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn an_unverified_email_is_refused() {
    let fake = FakeOidc::start(user("eve@example.com", false)).await;
    let app = app_with_provider(&fake).await;
    let (path, browser) = start_and_consent(&app).await;
    let response = callback(&app, &path, Some(&browser)).await;
    assert!(location(&response).starts_with("/login?error=oauth_unverified"));
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn an_identity_with_the_same_verified_email_joins_the_existing_account() {
    let fake = FakeOidc::start(user("ada@example.com", true)).await;
    let app = app_with_provider(&fake).await;
    app.sign_in("ada@example.com").await;
    let (path, browser) = start_and_consent(&app).await;
    assert_eq!(
        location(&callback(&app, &path, Some(&browser)).await),
        "/account"
    );
    assert_eq!(app.count("users").await, 1);

    // Later the provider reports another address: the linked identity still finds the account.
    fake.set_user(FakeUser {
        email: "ada@new.example.com".into(),
        ..user("ada@example.com", true)
    });
    let (path, browser) = start_and_consent(&app).await;
    assert_eq!(
        location(&callback(&app, &path, Some(&browser)).await),
        "/account"
    );
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn providers_are_offered_only_when_configured() {
    let app = spawn_app().await;
    let login = app.get_as("/login", None).await.text().await.unwrap();
    assert!(!login.contains("Continue with"));
    assert_eq!(
        location(&app.get_as("/auth/oauth/github", None).await),
        "/login?error=oauth_unknown"
    );
}

#[tokio::test]
async fn github_sign_in_uses_the_verified_primary_email_and_the_profile_name() {
    let fake = FakeOidc::start(user("octo@example.com", true)).await;
    let app = app_with_github(&fake).await;
    assert!(app
        .get_as("/login", None)
        .await
        .text()
        .await
        .unwrap()
        .contains("Continue with GitHub"));
    let (path, browser) = start_and_consent_with(&app, "github").await;
    let response = callback(&app, &path, Some(&browser)).await;
    assert_eq!(location(&response), "/account");
    let account = app
        .get_as("/account", Some(&session_cookie(&response).unwrap()))
        .await
        .text()
        .await
        .unwrap();
    assert!(account.contains("octo@example.com") && account.contains("Ada Lovelace"));
    assert!(
        !account.contains("old@example.com"),
        "only the primary address is used"
    );
}

#[tokio::test]
async fn github_without_a_verified_primary_email_is_refused() {
    let fake = FakeOidc::start(user("octo@example.com", false)).await;
    let app = app_with_github(&fake).await;
    let (path, browser) = start_and_consent_with(&app, "github").await;
    assert!(location(&callback(&app, &path, Some(&browser)).await)
        .starts_with("/login?error=oauth_unverified"));
    assert_eq!(app.count("users").await, 0);
}
