//! `POST /design/switch`: the design gallery's state switcher, in test mode only. Puts the
//! signed-in user's own account into a plan and status (the same code as `tollgate user
//! set-plan`, limits not checked: a designer may want any state), spends today's generations
//! down to what was asked with real uses, and adds credits — then opens the dashboard.
//!
//! Who may call it: any signed-in user, for their own account only, and only while no payment
//! provider is configured. In test mode plans cost nothing anyway (the test checkout pays with
//! a button), so this gives nobody anything they could not take already.

use crate::operator;
use app::access::Subject;
use app::auth::token::SecretToken;
use app::auth::CurrentUser;
use app::domain::IdempotencyKey;
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

/// Credits one switch may add.
const MAX_CREDITS: u64 = 10_000;

#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    status: String,
    /// Generations to leave for today; empty leaves them as they are.
    #[serde(default)]
    left: String,
    #[serde(default)]
    credits: String,
}

pub async fn switch(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(form): Form<SwitchForm>,
) -> Response {
    if state.billing.test_mode().is_none() {
        return refuse(
            StatusCode::NOT_FOUND,
            "The state switcher exists only in test mode (without STRIPE_SECRET_KEY).",
        );
    }
    let left = match form.left.trim() {
        "" => None,
        raw => match raw.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "Generations left must be a number.",
                )
            }
        },
    };
    let credits = match form.credits.trim() {
        "" => 0,
        raw => match raw.parse::<u64>() {
            Ok(n) if n <= MAX_CREDITS => n,
            _ => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "Credits must be a number from 0 to 10000.",
                )
            }
        },
    };
    let email = me.user.email.clone();
    if let Err(e) = operator::set_plan(
        &state.db,
        &state.access,
        &email,
        &form.plan,
        &form.status,
        true,
    )
    .await
    {
        return refuse(StatusCode::BAD_REQUEST, &format!("Nothing changed: {e}."));
    }
    if let Some(left) = left {
        if let Err(e) = spend_down_to(&state, me.user.id, left).await {
            tracing::error!(error = %e, "the state switcher could not spend generations");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Spending generations failed; the plan was switched. Try again.",
            );
        }
    }
    if credits > 0 {
        let granted = operator::grant_credits(
            &state.db,
            &state.access,
            &email,
            credits,
            state.access.product().generations.as_str(),
        )
        .await;
        if let Err(e) = granted {
            tracing::error!(error = %e, "the state switcher could not add credits");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Adding credits failed; the plan was switched. Try again.",
            );
        }
    }
    Redirect::to("/dashboard").into_response()
}

/// Uses generations, as one real use of several, until `left` remain today (bought credits
/// count as remaining, so they are spent too): one transaction and one ledger row whatever
/// the number, so a switch costs the database what a generation does. Unlimited plans have
/// nothing to spend down; a use the plan refuses leaves things as they are.
async fn spend_down_to(state: &AppState, user_id: i64, left: u64) -> Result<(), String> {
    let subject = Subject::User(user_id);
    let feature = state.access.product().generations.clone();
    let summary = state
        .access
        .summary(&subject)
        .await
        .map_err(|e| e.to_string())?;
    let Some(to_spend) = summary
        .feature(&feature)
        .and_then(|usage| usage.counts.remaining)
        .and_then(|remaining| remaining.checked_sub(left))
        .filter(|n| *n > 0)
    else {
        return Ok(());
    };
    let key = IdempotencyKey::parse(&format!("design-{}", SecretToken::generate().expose()))?;
    state
        .access
        .consume(&subject, &feature, to_spend, &key)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn refuse(status: StatusCode, sentence: &str) -> Response {
    (status, sentence.to_owned()).into_response()
}
