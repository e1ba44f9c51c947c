//! Billing forms and returns: start a checkout from /pricing, come back from it, and the
//! test-mode provider's payment buttons. Each answers with a redirect, so all of it works
//! without JavaScript; refusals go back to the page as a code it words.

use super::redirect_with;
use app::api::outcomes::{PricingError, TestCheckoutError};
use app::auth::{CurrentUser, Viewer};
use app::billing::checkout::{CheckoutError, CheckoutRefused, FinishError};
use app::billing::local::{PayError, TestCard};
use app::billing::{customers, sync::Synced};
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
        Ok(Synced::Subscription { .. }) => Redirect::to("/dashboard").into_response(),
        Ok(other) => {
            // Paid, but nothing to write yet (e.g. a price plans.toml does not name): the
            // webhook or `tollgate billing sync` will bring it once the provider has it.
            tracing::warn!(
                ?other,
                "a checkout came back without a subscription to sync"
            );
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
            // What Stripe's webhook would bring: the same sync, at once.
            if let Err(e) = state.billing.sync(&owner.customer).await {
                tracing::error!(error = %e, "syncing a test payment failed");
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

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        "There is no such checkout. Start again from the pricing page.",
    )
        .into_response()
}
