//! The pages' server functions over HTTP, as the hydrated app calls them: each error comes back
//! with the status its kind names (`ApiError::status_code`) and a body the page can read —
//! never a 500 for a caller's mistake (before stop 26 every error was a 500).
mod common;

use app::api::error::ApiError;
use app::api::wire::{LinkPreview, UsageHistory};
use common::{spawn_app, TestApp};
use leptos::server_fn::ServerFn;

/// POSTs a server function the way the page's code does (a form-encoded body, the page's
/// `Origin`, the session cookie when signed in): the status and the body.
async fn call(
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> (u16, String) {
    let response = app.post_form(path, form, cookie).await;
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

fn error(body: &str) -> ApiError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("an ApiError, not {body:?}: {e}"))
}

#[tokio::test]
async fn a_signed_out_call_is_a_401_that_says_to_sign_in() {
    let app = spawn_app().await;
    let (status, body) = call(
        &app,
        app::api::usage_history::GetUsageHistory::PATH,
        &[],
        None,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error(&body), ApiError::Unauthorized);
    assert_eq!(error(&body).to_string(), "Sign in to continue.");
}

#[tokio::test]
async fn a_member_calling_an_admin_function_gets_a_403() {
    let app = spawn_app().await;
    let member = app.sign_in("member@example.com").await;
    let (status, body) = call(&app, app::api::admin::ListUsers::PATH, &[], Some(&member)).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error(&body), ApiError::Forbidden);

    let admin = app.sign_in_admin("root@example.com").await;
    let (status, body) = call(&app, app::api::admin::ListUsers::PATH, &[], Some(&admin)).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_call_without_its_argument_is_a_400_that_says_what_to_do() {
    let app = spawn_app().await;
    let path = app::api::sign_in_link::PreviewSignInLink::PATH;
    let (status, body) = call(&app, path, &[], None).await;
    assert_eq!(status, 400, "{body}");
    let ApiError::BadRequest(message) = error(&body) else {
        panic!("a bad request, not {body}");
    };
    assert!(
        message.starts_with("This request could not be read"),
        "{message}"
    );
    assert!(
        message.ends_with("Reload the page and try again."),
        "{message}"
    );
    assert!(
        message.contains("token"),
        "names what is missing: {message}"
    );

    let (status, body) = call(&app, path, &[("token", "no-such-token")], None).await;
    assert_eq!(status, 200, "{body}");
    let preview: LinkPreview = serde_json::from_str(&body).expect("a preview");
    assert!(
        matches!(preview, LinkPreview::Problem { .. }),
        "{preview:?}"
    );
}

#[tokio::test]
async fn a_signed_in_call_is_answered_and_a_revoked_session_gets_the_401() {
    let app = spawn_app().await;
    let cookie = app.sign_in("chart@example.com").await;
    let path = app::api::usage_history::GetUsageHistory::PATH;
    let (status, body) = call(&app, path, &[], Some(&cookie)).await;
    assert_eq!(status, 200, "{body}");
    let history: UsageHistory = serde_json::from_str(&body).expect("the chart's data");
    assert_eq!(
        history.days.len(),
        app::api::usage_history::CHART_DAYS as usize
    );

    // What a page left open sees after its user is banned (and so signed out everywhere):
    // its next refetch is told to sign in, not that the server broke.
    let admin = app.sign_in_admin("root@example.com").await;
    let response = app
        .post_form(
            "/admin/users/ban",
            &[("email", "chart@example.com")],
            Some(&admin),
        )
        .await;
    assert_eq!(response.status(), 303, "the ban is done");
    let (status, body) = call(&app, path, &[], Some(&cookie)).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error(&body), ApiError::Unauthorized);
}

#[tokio::test]
async fn a_body_that_is_not_text_is_a_400_not_a_logged_500() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url(app::api::sign_in_link::PreviewSignInLink::PATH))
        .header("Origin", app.url(""))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(vec![0xff, 0xfe, 0x00, 0x80])
        .send()
        .await
        .expect("request reaches the server");
    assert_eq!(response.status(), 400);
    let body = response.text().await.expect("a body");
    assert!(
        matches!(error(&body), ApiError::BadRequest(ref message) if message.starts_with("This request could not be read")),
        "{body}"
    );
}

#[tokio::test]
async fn a_failed_plain_form_post_still_goes_back_to_its_page() {
    // A browser without JavaScript posting a form to a server function: server_fn sends it
    // back to the page it came from with the error in the URL; the error's status must not
    // turn that redirect into a bare error answer.
    let app = spawn_app().await;
    let page = app.url("/login");
    let response = app
        .client
        .post(app.url(app::api::usage_history::GetUsageHistory::PATH))
        .header("Origin", app.url(""))
        .header("Accept", "text/html")
        .header("Referer", &page)
        .form(&[("x", "y")])
        .send()
        .await
        .expect("request reaches the server");
    assert_eq!(response.status(), 302);
    let location = common::location(&response);
    assert!(location.starts_with(&page), "{location}");
}
