//! Billing forms and returns: start a checkout from /pricing, come back from it, and the
//! test-mode provider's payment buttons. Each answers with a redirect, so all of it works
//! without JavaScript; refusals go back to the page as a code it words.

use super::redirect_with;
use app::api::outcomes::{PricingError, TestCheckoutError, TestPortalError};
use app::auth::{CurrentUser, Viewer};
use app::billing::checkout::{CheckoutError, CheckoutRefused, FinishError};
use app::billing::customers;
use app::billing::local::{ActError, PayError, TestCard};
use app::billing::local_charges::ChargeAction;
use app::billing::local_engine::PortalAction;
use app::billing::portal::{PortalError, TestPortalRefused};
use app::domain::BillingInterval;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct CheckoutForm {
    #[serde(default)]
    plan: String,
    /// `monthly` or `yearly` (the pricing page's toggle); anything else is monthly.
    billing: Option<String>,
}

/// `POST /billing/checkout`: to the provider's checkout for the plan, or back to /pricing with
/// why not. Visitors who are not signed in sign in first and come back to the plans.
pub async fn checkout(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<CheckoutForm>,
) -> Response {
    let interval = BillingInterval::from_query(form.billing.as_deref());
    let pricing = format!("/pricing?billing={}", interval.as_str());
    let Some(me) = viewer.0 else {
        return redirect_with("/login", &[("next", &pricing)]).into_response();
    };
    let back = |error: PricingError| {
        redirect_with(
            "/pricing",
            &[("billing", interval.as_str()), ("error", error.code())],
        )
        .into_response()
    };
    match state
        .billing
        .start_plan_checkout(&me.user, &form.plan, interval)
        .await
    {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(CheckoutError::Refused(refused)) => back(match refused {
            CheckoutRefused::UnknownPlan => PricingError::UnknownPlan,
            CheckoutRefused::FreePlan => PricingError::FreePlan,
            CheckoutRefused::AlreadySubscribed => PricingError::AlreadySubscribed,
            CheckoutRefused::UnknownPack => PricingError::UnknownPack,
        }),
        Err(CheckoutError::Billing(e)) => {
            tracing::error!(error = %e, "starting a checkout failed");
            back(PricingError::Unavailable)
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Returned {
    #[serde(default)]
    session_id: String,
}

/// `GET /billing/success?session_id=…`: the provider sends the buyer here after paying. The
/// subscription is synced now, so the dashboard already shows the plan.
pub async fn success(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(returned): Query<Returned>,
) -> Response {
    match state
        .billing
        .finish_checkout(me.user.id, &returned.session_id)
        .await
    {
        // The dashboard shows what there is now: the plan, the credits, or (a payment still
        // on its way) what there was; the webhook brings the rest.
        Ok(outcome) => {
            tracing::info!(%outcome, "back from checkout");
            Redirect::to("/dashboard").into_response()
        }
        Err(FinishError::NotYours) => redirect_with(
            "/pricing",
            &[("error", PricingError::NotYourCheckout.code())],
        )
        .into_response(),
        Err(FinishError::Billing(e)) => {
            // Paid at the provider; only our eager copy failed. The webhook brings it.
            tracing::error!(error = %e, "syncing after checkout failed");
            redirect_with("/pricing", &[("error", PricingError::Unavailable.code())])
                .into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct PayForm {
    #[serde(default)]
    card: String,
}

/// `POST /billing/test-checkout/{id}/pay`: the test-mode provider's "Pay" and "card declined"
/// buttons. Only the account the checkout was made for can pay it; there is no such page
/// when real Stripe keys are configured.
pub async fn test_pay(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<PayForm>,
) -> Response {
    let Some(local) = state.billing.test_mode() else {
        return not_found();
    };
    let page = format!("/billing/test-checkout/{id}");
    let back =
        |error: TestCheckoutError| redirect_with(&page, &[("error", error.code())]).into_response();
    let owner = match (
        local.checkout(&id).await,
        customers::find(&state.db, me.user.id).await,
    ) {
        (Ok(Some(checkout)), Ok(Some(mine))) if checkout.customer == mine => checkout,
        (Ok(_), Ok(_)) => return not_found(),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "loading a test checkout failed");
            return back(TestCheckoutError::Unavailable);
        }
    };
    let card = match form.card.as_str() {
        "declined" => TestCard::Declined,
        _ => TestCard::Succeeds,
    };
    match local.pay(&owner.id, card).await {
        Ok(success_url) => {
            // What Stripe's webhook would bring, at once: the same code.
            if let Err(e) = state.billing.complete_checkout(&owner.id, None).await {
                tracing::error!(error = %e, "completing a test payment failed");
            }
            Redirect::to(&success_url).into_response()
        }
        Err(PayError::Declined) => back(TestCheckoutError::Declined),
        Err(PayError::NotFound) => not_found(),
        Err(PayError::Db(e)) => {
            tracing::error!(error = %e, "a test payment failed");
            back(TestCheckoutError::Unavailable)
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct PackForm {
    #[serde(default)]
    pack: String,
}

/// `POST /billing/credits`: to the provider's checkout for a credit pack.
pub async fn buy_credits(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<PackForm>,
) -> Response {
    let Some(me) = viewer.0 else {
        return redirect_with("/login", &[("next", "/pricing")]).into_response();
    };
    let back =
        |error: PricingError| redirect_with("/pricing", &[("error", error.code())]).into_response();
    match state
        .billing
        .start_pack_checkout(&me.user, &form.pack)
        .await
    {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(CheckoutError::Refused(_)) => back(PricingError::UnknownPack),
        Err(CheckoutError::Billing(e)) => {
            tracing::error!(error = %e, "starting a credit pack checkout failed");
            back(PricingError::Unavailable)
        }
    }
}

/// `POST /billing/portal`: "Manage billing" on /account, to the provider's portal.
pub async fn portal(State(state): State<AppState>, me: CurrentUser) -> Response {
    match state.billing.open_portal(me.user.id).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(PortalError::NoCustomer) => redirect_with(
            "/pricing",
            &[("error", PricingError::NothingToManage.code())],
        )
        .into_response(),
        Err(PortalError::Billing(e)) => {
            tracing::error!(error = %e, "opening the billing portal failed");
            redirect_with("/pricing", &[("error", PricingError::Unavailable.code())])
                .into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct PortalForm {
    #[serde(default)]
    action: String,
    price: Option<String>,
    /// The pack payment a refund or dispute is about.
    checkout: Option<String>,
}

/// `POST /billing/test-portal`: the test-mode portal's buttons.
pub async fn test_portal(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<PortalForm>,
) -> Response {
    if let Some(charge_action) = ChargeAction::parse(&form.action) {
        let checkout = form.checkout.as_deref().unwrap_or_default();
        return charge_button(&state, me.user.id, checkout, charge_action).await;
    }
    let Some(action) = PortalAction::from_form(&form.action, form.price.as_deref()) else {
        return back_to_portal(&[("error", TestPortalError::NotNow.code())]);
    };
    match state.billing.test_portal_act(me.user.id, &action).await {
        Ok(_) => back_to_portal(&[("notice", "changed")]),
        Err(TestPortalRefused::NotTestMode) => not_found(),
        Err(TestPortalRefused::DowngradeBlocked(_)) => back_to_portal(&[
            ("error", TestPortalError::DowngradeBlocked.code()),
            ("price", form.price.as_deref().unwrap_or_default()),
        ]),
        Err(TestPortalRefused::Act(ActError::NoSubscription)) => {
            back_to_portal(&[("error", TestPortalError::NoSubscription.code())])
        }
        Err(TestPortalRefused::Act(ActError::NotNow(_))) => {
            back_to_portal(&[("error", TestPortalError::NotNow.code())])
        }
        Err(e) => {
            tracing::error!(error = %e, "a test-portal button failed");
            back_to_portal(&[("error", TestPortalError::Unavailable.code())])
        }
    }
}

/// The test portal's refund and dispute buttons of a paid pack.
async fn charge_button(
    state: &AppState,
    user_id: i64,
    checkout: &str,
    action: ChargeAction,
) -> Response {
    match state
        .billing
        .test_charge_act(user_id, checkout, action)
        .await
    {
        Ok(_) => back_to_portal(&[("notice", "charge")]),
        Err(TestPortalRefused::NotTestMode) => not_found(),
        Err(TestPortalRefused::NoSuchPayment) => {
            back_to_portal(&[("error", TestPortalError::NoSuchPayment.code())])
        }
        Err(e) => {
            tracing::error!(error = %e, "a test-portal charge button failed");
            back_to_portal(&[("error", TestPortalError::Unavailable.code())])
        }
    }
}

/// Back to the test portal, saying what happened.
fn back_to_portal(params: &[(&str, &str)]) -> Response {
    redirect_with("/billing/test-portal", params).into_response()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        "There is no such checkout. Start again from the pricing page.",
    )
        .into_response()
}
