//! Reusable components, one per file.

mod interval_toggle;
mod plan_card;
mod site_header;

pub use interval_toggle::IntervalToggle;
pub use plan_card::PlanCard;
pub use site_header::SiteHeader;
