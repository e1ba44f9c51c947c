//! One page per route.

mod home;
mod not_found;
mod pricing;

pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use pricing::PricingPage;
