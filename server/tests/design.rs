//! `/design` for designers: the gallery of billing states from fixtures (framed only by the
//! site itself) and, in test mode only, the switcher that puts a user into any state.
mod common;

use common::fake_stripe::FakeStripe;
use common::stripe_app::app_on;
use common::{location, session, spawn_app};

#[tokio::test]
async fn the_gallery_shows_every_state_and_only_it_may_be_framed_by_the_site() {
    let app = spawn_app().await;
    let states = app.get("/design/states").await;
    assert_eq!(states.status(), 200);
    assert_eq!(states.headers()["x-frame-options"], "SAMEORIGIN");
    let csp = states.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
    let html = states.text().await.unwrap();
    for state in [
        "state-counter-full",
        "state-counter-low",
        "state-counter-empty",
        "state-counter-unlimited",
        "state-counter-credits",
        "state-trialing",
        "state-past_due",
        "state-unpaid",
        "state-incomplete",
        "state-incomplete_expired",
        "state-canceled",
        "state-paused",
        "state-kept-plan",
        "state-modal-out-of-credits",
        "state-modal-guest",
        "state-modal-payment",
        "state-tutor-locked",
        "state-plan-downgrade-refused",
        "state-chart",
    ] {
        assert!(
            html.contains(&format!("data-testid=\"{state}\"")),
            "{state} is shown"
        );
    }
    assert!(html.contains("You have 3 generations left today"));
    assert!(html.contains("Upgrade to Pro · $19.00 a month"));

    // Drawn for a signed-in viewer, the gallery still holds nothing of theirs: no site header,
    // no notices, only fixtures.
    let cookie = app.sign_in("viewer@example.com").await;
    let html = app.text("/design/states", &cookie).await;
    assert!(html.contains("data-testid=\"state-chart\""));
    assert!(!html.contains("data-testid=\"site-header\""), "bare layout");
    assert!(!html.contains("viewer@example.com"));
    assert!(app
        .text("/dashboard", &cookie)
        .await
        .contains("data-testid=\"site-header\""));

    let gallery = app.get("/design").await;
    assert_eq!(gallery.status(), 200);
    assert_eq!(
        gallery.headers()["x-frame-options"],
        "DENY",
        "every other page refuses frames"
    );
    let html = gallery.text().await.unwrap();
    assert!(html.contains("data-testid=\"design-frame-360\""));
    assert!(
        !html.contains("state-switcher"),
        "no switcher for a visitor"
    );
}

#[tokio::test]
async fn in_test_mode_the_switcher_puts_the_signed_in_user_into_the_state_asked_for() {
    let app = spawn_app().await;
    let cookie = app.sign_in("designer@example.com").await;
    assert!(app
        .text("/design", &cookie)
        .await
        .contains("data-testid=\"state-switcher\""));

    let switched = app
        .post_form(
            "/design/switch",
            &[
                ("plan", "free"),
                ("status", "past_due"),
                ("left", "3"),
                ("credits", "40"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(switched.status(), 303);
    assert_eq!(location(&switched), "/dashboard");
    let usage = app.usage(Some(&session(&cookie))).await;
    assert_eq!(usage["status"], "past_due");
    assert_eq!(
        usage["features"]["generations"]["used"], 7,
        "spent as real uses"
    );
    assert_eq!(
        usage["features"]["generations"]["remaining"], 43,
        "3 left and 40 credits"
    );
    let uses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usage_ledger WHERE kind = 'consume'")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(uses, 1, "the seven uses are one ledger row");

    let refused = app
        .post_form(
            "/design/switch",
            &[("plan", "gold"), ("status", "active")],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status(), 400);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("unknown plan `gold`"));
    let refused = app
        .post_form(
            "/design/switch",
            &[
                ("plan", "pro"),
                ("status", "active"),
                ("credits", "99999999"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status(), 400);

    let visitor = app
        .post_form(
            "/design/switch",
            &[("plan", "team"), ("status", "active")],
            None,
        )
        .await;
    assert_eq!(visitor.status(), 303, "a visitor is sent to sign in");
    assert!(location(&visitor).starts_with("/login"));
}

#[tokio::test]
async fn with_a_real_payment_provider_there_is_no_switcher() {
    let fake = FakeStripe::start().await;
    let app = app_on(&fake).await;
    let cookie = app.sign_in("designer@example.com").await;
    assert!(!app
        .text("/design", &cookie)
        .await
        .contains("state-switcher"));
    let refused = app
        .post_form(
            "/design/switch",
            &[("plan", "team"), ("status", "active")],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status(), 404);
    let usage = app.usage(Some(&session(&cookie))).await;
    assert_eq!(usage["plan"], "free", "nothing changed");
}
