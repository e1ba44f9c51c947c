use super::components::{SiteHeader, StatusNotices};
use super::pages::{
    AccountRoute, AdminRoute, ConfirmSignInRoute, DashboardRoute, DesignRoute, DesignStatesRoute,
    DevMailboxRoute, GenerateRoute, HomePage, LoginRoute, NotFoundPage, PricingPage,
    TestCheckoutRoute, TestPortalRoute, TrackedAccountsRoute, TutorsRoute, WelcomeRoute,
    DESIGN_STATES_PATH,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy, SsrMode};

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
    super::billing::provide_billing();

    // Pages render with `SsrMode::Async`: the server waits for their data and sends complete
    // HTML, so every page reads (and every form works) with JavaScript off. Where visitors land
    // (home, pricing) is in the first wasm file; the other pages' code loads when they are
    // opened (`Lazy`, see `pages::lazy`). `FlatRoutes`, not `Routes`: no route is nested, and
    // the flat router's code is ~13 KB (gzip) smaller in the first wasm file.
    let login = Lazy::<LoginRoute>::new();
    let confirm_sign_in = Lazy::<ConfirmSignInRoute>::new();
    let dashboard = Lazy::<DashboardRoute>::new();
    let account = Lazy::<AccountRoute>::new();
    let generate = Lazy::<GenerateRoute>::new();
    let tracked_accounts = Lazy::<TrackedAccountsRoute>::new();
    let tutors = Lazy::<TutorsRoute>::new();
    let dev_mailbox = Lazy::<DevMailboxRoute>::new();
    let admin = Lazy::<AdminRoute>::new();
    let test_checkout = Lazy::<TestCheckoutRoute>::new();
    let test_portal = Lazy::<TestPortalRoute>::new();
    let welcome = Lazy::<WelcomeRoute>::new();
    let design = Lazy::<DesignRoute>::new();
    let design_states = Lazy::<DesignStatesRoute>::new();
    view! {
        <Stylesheet id="leptos" href="/pkg/tollgate.css" />
        <Title text="Tollgate" />
        <Router>
            <Chrome />
            <main class="mx-auto max-w-6xl px-4 py-10">
                <FlatRoutes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/pricing") view=PricingPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=login ssr=SsrMode::Async />
                    <Route
                        path=path!("/auth/email/confirm")
                        view=confirm_sign_in
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/dashboard") view=dashboard ssr=SsrMode::Async />
                    <Route path=path!("/welcome") view=welcome ssr=SsrMode::Async />
                    <Route path=path!("/account") view=account ssr=SsrMode::Async />
                    <Route path=path!("/generate") view=generate ssr=SsrMode::Async />
                    <Route path=path!("/accounts") view=tracked_accounts ssr=SsrMode::Async />
                    <Route path=path!("/tutors") view=tutors ssr=SsrMode::Async />
                    <Route path=path!("/dev/mailbox") view=dev_mailbox ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=admin ssr=SsrMode::Async />
                    <Route path=path!("/design") view=design ssr=SsrMode::Async />
                    <Route path=path!("/design/states") view=design_states ssr=SsrMode::Async />
                    <Route path=path!("/billing/test-portal") view=test_portal ssr=SsrMode::Async />
                    <Route
                        path=path!("/billing/test-checkout/:id")
                        view=test_checkout
                        ssr=SsrMode::Async
                    />
                </FlatRoutes>
            </main>
        </Router>
    }
}

/// The header and the billing notices above every page but the design gallery, which is drawn
/// from fixtures alone (and framed twice by `/design`): nothing of the viewer appears in it.
#[component]
fn Chrome() -> impl IntoView {
    let location = use_location();
    let bare = Memo::new(move |_| location.pathname.with(|path| path == DESIGN_STATES_PATH));
    // The gallery read no billing state; a link out of it reads it now.
    let billing = super::billing::use_billing();
    Effect::new(move |was_bare: Option<bool>| {
        let bare_now = bare.get();
        if was_bare == Some(true) && !bare_now {
            billing.refresh();
        }
        bare_now
    });
    move || {
        (!bare.get()).then(|| {
            view! {
                <SiteHeader />
                <StatusNotices />
            }
        })
    }
}
