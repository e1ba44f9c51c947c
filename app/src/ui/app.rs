use super::components::SiteHeader;
use super::pages::{
    AccountPage, AdminPage, ConfirmSignInPage, DashboardPage, DevMailboxPage, GeneratePage,
    HomePage, LoginPage, NotFoundPage, PricingPage, TrackedAccountsPage, TutorsPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server only (with its
/// Content-Security-Policy header).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    super::csp::send_with_page();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();

    // Pages render with `SsrMode::Async`: the server waits for their data and sends complete
    // HTML, so every page reads (and every form works) with JavaScript off.
    view! {
        <Stylesheet id="leptos" href="/pkg/tollgate.css" />
        <Title text="Tollgate" />
        <Router>
            <SiteHeader />
            <main class="mx-auto max-w-6xl px-4 py-10">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/pricing") view=PricingPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/auth/email/confirm")
                        view=ConfirmSignInPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/generate") view=GeneratePage ssr=SsrMode::Async />
                    <Route path=path!("/accounts") view=TrackedAccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/tutors") view=TutorsPage ssr=SsrMode::Async />
                    <Route path=path!("/dev/mailbox") view=DevMailboxPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}

/// Sets `data-hydrated` on `<body>` once the wasm app has taken over the server's HTML.
/// Effects never run on the server, so the attribute means exactly "interactive now"; the
/// end-to-end suite waits for it before clicking.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
