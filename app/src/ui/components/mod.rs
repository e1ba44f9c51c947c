//! Reusable components, one per file.

mod dialog;
mod header_counter;
mod interval_toggle;
mod invoice_list;
mod out_of_credits_modal;
mod plan_card;
mod require_sign_in;
mod signed_in_parts;
mod site_header;
mod status_notices;
mod usage_chart;
mod usage_meter;

pub use dialog::Dialog;
pub use header_counter::HeaderCounter;
pub use interval_toggle::IntervalToggle;
pub use invoice_list::InvoiceList;
pub use out_of_credits_modal::{OutOfCreditsModal, Refused};
pub use plan_card::PlanCard;
pub use require_sign_in::RequireSignIn;
#[cfg(feature = "hydrate")]
pub use signed_in_parts::preload_drawn as preload_drawn_parts;
pub use signed_in_parts::{NOTICES_MARKER, SIGNED_IN_MARKER};
pub use site_header::{SiteHeader, UserButton};
pub use status_notices::{PaymentRequiredDialog, StatusBanner, StatusNotices};
pub use usage_chart::UsageChart;
pub use usage_meter::UsageMeter;
