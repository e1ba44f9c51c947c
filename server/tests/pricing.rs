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

#[tokio::test]
async fn static_files_stay_200_while_404_pages_render_alongside() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    let wasm = b"\0asm\x01\0\0\0 a stand-in for the compiled app".repeat(1_000);
    std::fs::write(site.path().join("pkg/tollgate.wasm"), &wasm).unwrap();
    let root = site.path().to_path_buf();
    let app = common::spawn_app_with(move |c| c.site_root = root).await;
    let requests = (0..300).map(|i| {
        let (client, path) = if i % 2 == 0 {
            (app.client.clone(), "/pkg/tollgate.wasm".to_owned())
        } else {
            (app.client.clone(), format!("/no-such-page-{i}"))
        };
        let url = app.url(&path);
        tokio::spawn(async move {
            let response = client.get(url).send().await.unwrap();
            (
                path,
                response.status().as_u16(),
                response.bytes().await.unwrap().len(),
            )
        })
    });
    let requests: Vec<_> = requests.collect();
    for request in requests {
        let (path, status, len) = request.await.unwrap();
        if path.ends_with(".wasm") {
            assert_eq!((status, len), (200, wasm.len()), "{path}");
        } else {
            assert_eq!(status, 404, "{path}");
        }
    }
    let missing = app.get_as("/pkg/missing.js", None).await;
    assert_eq!(missing.status(), 404, "a missing bundle file is a 404");
}

#[tokio::test]
async fn bundles_are_served_without_looking_up_who_asks() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/tollgate.css"), b"body{}").unwrap();
    let root = site.path().to_path_buf();
    let app = common::spawn_app_with(move |c| c.site_root = root).await;
    // A session cookie that names no session: the session layer drops it from a page's
    // answer (proof that it looked), and leaves a bundle's answer alone (it never looked).
    let dead = Some("not-a-session-token");
    let page = app.get_as("/pricing", dead).await;
    assert_eq!(page.status(), 200);
    assert_eq!(common::session_cookie(&page).as_deref(), Some(""));
    let css = app.get_as("/pkg/tollgate.css", dead).await;
    assert_eq!(css.status(), 200);
    assert!(css.headers().get("set-cookie").is_none(), "no session read");
    assert_eq!(css.headers()["cache-control"], "no-cache");
    assert_eq!(&css.bytes().await.unwrap()[..], b"body{}");
    let missing = app.get_as("/pkg/missing.js", dead).await;
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("set-cookie").is_none());
    let body = missing.text().await.unwrap();
    assert!(
        !body.contains("<html"),
        "a plain 404, not the app's page: {body}"
    );
}

#[tokio::test]
async fn bundles_go_out_precompressed_when_accepted_vary_by_encoding_and_are_always_revalidated() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    let wasm = b"\0asm\x01\0\0\0 the compiled app".repeat(100);
    std::fs::write(site.path().join("pkg/tollgate.wasm"), &wasm).unwrap();
    std::fs::write(site.path().join("pkg/tollgate.wasm.br"), b"brotli bytes").unwrap();
    let root = site.path().to_path_buf();
    let app = common::spawn_app_with(move |c| c.site_root = root).await;

    let wasm_accepting = |encodings: &'static str| {
        app.client
            .get(app.url("/pkg/tollgate.wasm"))
            .header("Accept-Encoding", encodings)
            .send()
    };
    let brotli = wasm_accepting("gzip, br").await.unwrap();
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(brotli.headers()["content-type"], "application/wasm");
    assert_eq!(brotli.headers()["cache-control"], "no-cache");
    // One address, several encodings: a shared cache must keep them apart.
    assert_eq!(brotli.headers()["vary"], "accept-encoding");
    assert_eq!(&brotli.bytes().await.unwrap()[..], b"brotli bytes");

    let plain = wasm_accepting("identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["cache-control"], "no-cache");
    assert_eq!(plain.headers()["vary"], "accept-encoding");
    assert_eq!(plain.bytes().await.unwrap().len(), wasm.len());
}

/// The HTML of one plan's card (from its `data-testid` to the next card or the packs).
fn card<'h>(html: &'h str, plan: &str) -> &'h str {
    let start = html
        .find(&format!("data-testid=\"plan-{plan}\""))
        .expect("the plan's card");
    let rest = &html[start..];
    let end = rest[1..]
        .find("data-testid=\"plan-")
        .or_else(|| rest.find("id=\"credit-packs\""))
        .map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[tokio::test]
async fn the_pricing_page_knows_the_viewer_s_plan_and_refuses_a_downgrade_in_its_card() {
    let app = spawn_app().await;
    let cookie = app.sign_in("viewer@example.com").await;

    // On Free: Free is theirs, the paid plans keep their checkout buttons.
    assert!(app
        .text("/account", &cookie)
        .await
        .contains("Free: nothing to pay."));
    let html = app.text("/pricing", &cookie).await;
    assert!(card(&html, "free").contains("Your current plan"));
    assert!(card(&html, "pro").contains("action=\"/billing/checkout\""));
    assert!(card(&html, "pro").contains("Start 7-day free trial"));

    // Subscribed to Pro (its trial ended by an operator: active) with 5 tracked accounts: Team
    // is an upgrade and Free a downgrade refused with what to remove, all through the portal
    // (never a second checkout).
    app.subscribe(&cookie, "pro", "monthly").await;
    let out = common::tollgate(
        &app.database,
        &["user", "set-plan", "viewer@example.com", "pro"],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    app.add_tracked_accounts(&cookie, 5).await;
    let account = app.text("/account", &cookie).await;
    assert!(
        account.contains("Pro, renews on "),
        "/account says the plan and its renewal"
    );
    let html = app.text("/pricing", &cookie).await;
    let pro = card(&html, "pro");
    assert!(
        pro.contains("Your current plan") && pro.contains("Manage billing"),
        "{pro}"
    );
    assert!(
        !html.contains("action=\"/billing/checkout\""),
        "no checkout for a paying viewer"
    );
    let team = card(&html, "team");
    assert!(team.contains("Upgrade to Team") && team.contains("action=\"/billing/portal\""));
    let free = card(&html, "free");
    assert!(free.contains("disabled"), "{free}");
    assert!(
        free.contains("You have 5 tracked accounts; Free allows 3. Remove 2 to switch."),
        "{free}"
    );
}

#[tokio::test]
async fn a_subscriber_cut_down_to_free_by_payment_trouble_is_sent_to_the_portal_not_checkout() {
    let app = spawn_app().await;
    let cookie = app.sign_in("late@example.com").await;
    app.subscribe(&cookie, "pro", "monthly").await;
    // The state switcher changes the subscription's state and keeps it the provider's.
    let switched = app
        .post_form(
            "/design/switch",
            &[("plan", "free"), ("status", "past_due")],
            Some(&cookie),
        )
        .await;
    assert_eq!(switched.status(), 303);
    let html = app.text("/pricing", &cookie).await;
    assert!(
        !html.contains("action=\"/billing/checkout\""),
        "a checkout would be refused: they hold a subscription"
    );
    assert!(card(&html, "pro").contains("action=\"/billing/portal\""));
}

/// The nonce of a page's Content-Security-Policy and every `nonce="…"` in its body.
fn nonces(response_policy: &str, html: &str) -> (String, Vec<String>) {
    let policy = app::ui::csp::nonce_in(response_policy)
        .expect("the page's policy names a nonce")
        .to_owned();
    let in_body = html
        .split("nonce=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    (policy, in_body)
}

async fn visit(app: &common::TestApp, path: &str) -> (String, String) {
    visit_with(app, path, &[]).await
}

/// A GET of `path` as a browser would send it, with `headers` added: (policy, page).
async fn visit_with(
    app: &common::TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (String, String) {
    let mut request = app.client.get(app.url(path)).header("Accept", "text/html");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request reaches the server");
    assert_eq!(response.status(), 200);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    (policy, response.text().await.expect("body"))
}

/// `page` with its nonce and the moment its shell state was read put as `N` and `T`.
fn without_nonce_and_moment(policy: &str, page: &str) -> String {
    let (nonce, _) = nonces(policy, page);
    let page = page.replace(&nonce, "N");
    let marker = "\\\"as_of\\\":";
    let Some(start) = page.find(marker).map(|at| at + marker.len()) else {
        panic!("the page carries its shell state's moment: {page}");
    };
    let end = start + page[start..].find(|c: char| !c.is_ascii_digit()).unwrap();
    format!("{}T{}", &page[..start], &page[end..])
}

#[tokio::test]
async fn visitors_get_the_landing_pages_from_memory_each_with_its_own_nonce() {
    let app = spawn_app().await;
    let (first_policy, first) = visit(&app, "/pricing").await;
    // The shell state carries the moment it was read: a page rendered after the clock moved
    // says so, the stored one does not. Another host name or language must not matter, nor
    // other sites' cookies: no visitor page reads them. A cookie named like ours (here the
    // OAuth round trip's, which `/pricing` does not read either) is rendered for.
    app.running.state.db.clock().advance(5);
    let elsewhere = [
        ("Host", "other.example"),
        ("Accept-Language", "de-DE"),
        ("Cookie", "_ga=GA1.1.5; theme=dark"),
    ];
    let (second_policy, second) = visit_with(&app, "/pricing", &elsewhere).await;
    let ours = ("Cookie", "_ga=GA1.1.5; tollgate_oauth=x");
    let (rendered_policy, rendered) =
        visit_with(&app, "/pricing", &[elsewhere[0], elsewhere[1], ours]).await;

    let (first_nonce, first_scripts) = nonces(&first_policy, &first);
    let (second_nonce, second_scripts) = nonces(&second_policy, &second);
    assert_ne!(first_nonce, second_nonce, "a nonce is never reused");
    assert!(!first_scripts.is_empty());
    assert!(first_scripts.iter().all(|n| *n == first_nonce));
    assert_eq!(second_scripts.len(), first_scripts.len());
    assert!(second_scripts.iter().all(|n| *n == second_nonce));
    assert_eq!(
        first.replace(&first_nonce, "N"),
        second.replace(&second_nonce, "N"),
        "the second visitor got the stored page, moment and all"
    );
    assert_ne!(
        first.replace(&first_nonce, "N"),
        rendered.replace(&nonces(&rendered_policy, &rendered).0, "N"),
        "a request with a cookie of ours is rendered for it (five seconds later)"
    );
    assert_eq!(
        without_nonce_and_moment(&first_policy, &first),
        without_nonce_and_moment(&rendered_policy, &rendered),
        "rendered for another host, language and cookie, the page is the same"
    );

    // The yearly prices are their own page, and a signed-in viewer's page is always their own.
    let (_, yearly) = visit(&app, "/pricing?billing=yearly").await;
    assert!(yearly.contains(">$15.20<"));
    let cookie = app.sign_in("stored@example.com").await;
    let own = app.text("/pricing", &cookie).await;
    assert!(card(&own, "free").contains("Your current plan"));
    assert!(!card(&first, "free").contains("Your current plan"));
    let (_, again) = visit(&app, "/pricing").await;
    assert!(!again.contains("stored@example.com"));
    assert!(again.contains(">Sign in<"));
}
