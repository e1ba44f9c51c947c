mod common;

use common::spawn_app;

async fn page(path: &str) -> (u16, String) {
    let app = spawn_app().await;
    let response = app.get(path).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn the_pricing_page_is_complete_html_from_the_server() {
    let (status, html) = page("/pricing").await;
    assert_eq!(status, 200);
    for expected in [
        "Plans for every writer",
        "data-testid=\"plan-free\"",
        "data-testid=\"plan-pro\"",
        "data-testid=\"plan-team\"",
        ">$19<",
        ">$49<",
        "10 generations per day",
        "100 generations per day",
        "Unlimited generations",
        "Up to 10 team members",
        "Save 20%",
        "Start 7-day free trial",
        "100 generations: $5",
        "Try 5 generations without signing up",
    ] {
        assert!(html.contains(expected), "pricing page lacks {expected:?}");
    }
    assert!(
        !html.contains("Loading plans"),
        "the page must not be sent half-rendered"
    );
}

#[tokio::test]
async fn yearly_prices_are_rendered_for_the_yearly_link() {
    let (status, html) = page("/pricing?billing=yearly").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(">$15.20<"),
        "Pro's monthly share of the yearly price"
    );
    assert!(html.contains("$182.40 billed yearly"));
    assert!(html.contains("$470.40 billed yearly"));
}

#[tokio::test]
async fn an_unknown_billing_value_falls_back_to_monthly() {
    let (status, html) = page("/pricing?billing=weekly").await;
    assert_eq!(status, 200);
    assert!(html.contains(">$19<"));
}

#[tokio::test]
async fn unknown_pages_answer_404() {
    let (status, html) = page("/definitely-not-here").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn the_home_page_links_to_pricing() {
    let (status, html) = page("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/pricing\""));
}
