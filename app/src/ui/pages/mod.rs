//! One page per route.

pub(crate) mod account;
mod admin;
mod confirm_sign_in;
mod dashboard;
pub(crate) mod design;
mod dev_mailbox;
mod generate;
mod home;
mod lazy;
mod login;
mod not_found;
pub(crate) mod pricing;
mod test_checkout;
mod test_portal;
mod tracked_accounts;
pub(crate) mod tutors;
mod welcome;

pub use account::AccountPage;
pub use admin::AdminPage;
pub use confirm_sign_in::ConfirmSignInPage;
pub use dashboard::DashboardPage;
pub use design::{DesignPage, DesignStatesPage, STATES_PATH as DESIGN_STATES_PATH};
pub use dev_mailbox::DevMailboxPage;
pub use generate::GeneratePage;
pub use home::HomePage;
pub use lazy::{
    AccountRoute, AdminRoute, ConfirmSignInRoute, DashboardRoute, DesignRoute, DesignStatesRoute,
    DevMailboxRoute, GenerateRoute, LoginRoute, TestCheckoutRoute, TestPortalRoute,
    TrackedAccountsRoute, TutorsRoute, WelcomeRoute,
};
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use pricing::PricingPage;
pub use test_checkout::TestCheckoutPage;
pub use test_portal::TestPortalPage;
pub use tracked_accounts::TrackedAccountsPage;
pub use tutors::TutorsPage;
pub use welcome::WelcomePage;
