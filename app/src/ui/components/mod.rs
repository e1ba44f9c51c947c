//! Reusable components, one per file.

mod interval_toggle;
mod plan_card;
mod require_sign_in;
mod site_header;

pub use interval_toggle::IntervalToggle;
pub use plan_card::PlanCard;
pub use require_sign_in::{url_encode, RequireSignIn};
pub use site_header::SiteHeader;
