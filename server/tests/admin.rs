//! `/admin`: admins see every account and can ban (signing the user out at once); others cannot.
mod common;

use common::{location, spawn_app, TestApp};

async fn admin_cookie(app: &TestApp) -> String {
    app.sign_in_admin("root@example.com").await
}

#[tokio::test]
async fn an_admin_bans_a_user_who_is_signed_out_on_the_next_request() {
    let app = spawn_app().await;
    let admin = admin_cookie(&app).await;
    let victim = app.sign_in("mallory@example.com").await;

    let page = app
        .get_as("/admin", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("mallory@example.com") && page.contains("root@example.com"));

    let response = app
        .post_form(
            "/admin/users/ban",
            &[("email", "mallory@example.com")],
            Some(&admin),
        )
        .await;
    assert_eq!(location(&response), "/admin?notice=banned");
    assert_eq!(
        app.get_as("/account", Some(&victim)).await.status(),
        302,
        "signed out at once"
    );
    let page = app
        .get_as("/admin?notice=banned", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Banned") && page.contains("Unban"));

    let response = app
        .post_form(
            "/admin/users/unban",
            &[("email", "mallory@example.com")],
            Some(&admin),
        )
        .await;
    assert_eq!(location(&response), "/admin?notice=unbanned");
}

#[tokio::test]
async fn people_who_are_not_admins_cannot_ban_or_see_the_list() {
    let app = spawn_app().await;
    let user = app.sign_in("ada@example.com").await;
    let _other = app.sign_in("eve@example.com").await;

    let response = app
        .post_form(
            "/admin/users/ban",
            &[("email", "eve@example.com")],
            Some(&user),
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.count("sessions").await, 2, "nobody was signed out");
    let page = app
        .get_as("/admin", Some(&user))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Only administrators can do that."));
    assert!(!page.contains("eve@example.com"));

    let anonymous = app.get_as("/admin", None).await;
    assert_eq!(location(&anonymous), "/login?next=/admin");
}

#[tokio::test]
async fn an_admin_cannot_ban_themselves_by_accident() {
    let app = spawn_app().await;
    let admin = admin_cookie(&app).await;
    let response = app
        .post_form(
            "/admin/users/ban",
            &[("email", "root@example.com")],
            Some(&admin),
        )
        .await;
    assert_eq!(location(&response), "/admin?notice=self");
    assert_eq!(app.get_as("/admin", Some(&admin)).await.status(), 200);
}

#[tokio::test]
async fn forms_posted_without_a_session_go_to_sign_in() {
    let app = spawn_app().await;
    let response = app
        .post_form("/admin/users/ban", &[("email", "eve@example.com")], None)
        .await;
    assert_eq!(location(&response), "/login?next=/dashboard");
    let response = app
        .post_form("/account/sessions/revoke-others", &[], None)
        .await;
    assert_eq!(location(&response), "/login?next=/dashboard");
}
