use super::wire::TestCheckoutView;
use super::ApiError;
use leptos::prelude::*;

/// The test-mode checkout `id`, for the account it was made for; "not found" for anyone else
/// and whenever real Stripe keys are configured.
#[server]
pub async fn get_test_checkout(id: String) -> Result<TestCheckoutView, ApiError> {
    use crate::domain::BillingInterval;
    let me = super::session::require_user()?;
    let state = expect_context::<crate::state::AppState>();
    let not_found = || {
        ApiError::NotFound("There is no such checkout. Start again from the pricing page.".into())
    };
    let local = state.billing.test_mode().ok_or_else(not_found)?;
    let checkout = local.checkout(&id).await.map_err(ApiError::internal)?;
    let mine = crate::billing::customers::find(&state.db, me.user.id)
        .await
        .map_err(ApiError::internal)?;
    let checkout = checkout
        .filter(|c| Some(&c.customer) == mine.as_ref())
        .ok_or_else(not_found)?;
    let (billed, per) = match checkout.interval {
        BillingInterval::Monthly => ("monthly", "month"),
        BillingInterval::Yearly => ("yearly", "year"),
    };
    let amount = checkout.amount.exact();
    let (terms, pay_label) = match checkout.trial_days {
        0 => (
            format!("{amount} today, then {amount} every {per} until you cancel."),
            format!("Pay {amount} — test mode"),
        ),
        days => (
            format!("$0.00 today, then {amount} per {per} after your {days}-day free trial. Cancel before it ends and you pay nothing."),
            format!("Start {days}-day free trial — test mode"),
        ),
    };
    Ok(TestCheckoutView {
        title: format!("{}, billed {billed}", checkout.plan_name),
        terms,
        pay_label,
        complete: checkout.complete,
        continue_url: checkout.success_url,
        cancel_url: checkout.cancel_url,
        id: checkout.id,
    })
}
