//! One page per route.

mod account;
mod admin;
mod dashboard;
mod dev_mailbox;
mod home;
mod login;
mod not_found;
mod pricing;

pub use account::AccountPage;
pub use admin::AdminPage;
pub use dashboard::DashboardPage;
pub use dev_mailbox::DevMailboxPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use pricing::PricingPage;
