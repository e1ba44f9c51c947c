//! The pages most visitors never open, as routes whose code is split out of the first wasm file
//! and loaded when the route is opened (`cargo leptos … --split`; docs/bundle-splitting.md).
//! On the server they render as before, completely; in the browser the page's wasm file is
//! fetched while it hydrates. The pages themselves do not change.

use super::{
    AccountPage, AdminPage, ConfirmSignInPage, DashboardPage, DesignPage, DesignStatesPage,
    DevMailboxPage, GeneratePage, LoginPage, TestCheckoutPage, TestPortalPage, TrackedAccountsPage,
    TutorsPage, WelcomePage,
};
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `$route`: the page `$page`, its code loaded when opened.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        #[doc = concat!("[`", stringify!($page), "`], its code loaded when the route is opened.")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_page!(DashboardRoute, DashboardPage);
lazy_page!(AccountRoute, AccountPage);
lazy_page!(GenerateRoute, GeneratePage);
lazy_page!(TrackedAccountsRoute, TrackedAccountsPage);
lazy_page!(TutorsRoute, TutorsPage);
lazy_page!(DevMailboxRoute, DevMailboxPage);
lazy_page!(AdminRoute, AdminPage);
lazy_page!(ConfirmSignInRoute, ConfirmSignInPage);
lazy_page!(LoginRoute, LoginPage);
lazy_page!(WelcomeRoute, WelcomePage);
lazy_page!(TestCheckoutRoute, TestCheckoutPage);
lazy_page!(TestPortalRoute, TestPortalPage);
lazy_page!(DesignRoute, DesignPage);
lazy_page!(DesignStatesRoute, DesignStatesPage);
