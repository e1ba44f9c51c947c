use super::browser_json::BrowserJsonPost;
use super::wire::TestCheckoutView;
use super::ApiError;
use leptos::prelude::*;

/// The test-mode checkout `id`, for the account it was made for; "not found" for anyone else
/// and whenever real Stripe keys are configured.
#[server(output = BrowserJsonPost)]
pub async fn get_test_checkout(id: String) -> Result<TestCheckoutView, ApiError> {
    use crate::billing::local::TestItem;
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
    let amount = checkout.amount.exact();
    let (title, terms, pay_label) = match &checkout.item {
        TestItem::Plan {
            name,
            interval,
            trial_days,
        } => {
            let (billed, per) = (interval.as_str(), interval.unit());
            let title = format!("{name}, billed {billed}");
            match trial_days {
                0 => (
                    title,
                    format!("{amount} today, then {amount} every {per} until you cancel."),
                    format!("Pay {amount} — test mode"),
                ),
                days => (
                    title,
                    format!("$0.00 today, then {amount} per {per} after your {days}-day free trial. Cancel before it ends and you pay nothing."),
                    format!("Start {days}-day free trial — test mode"),
                ),
            }
        }
        TestItem::Pack { name } => (
            format!("Credit pack: {name}"),
            format!(
                "One payment of {amount}. The credits are spent only after your plan's allowance."
            ),
            format!("Pay {amount} — test mode"),
        ),
    };
    Ok(TestCheckoutView {
        title,
        terms,
        pay_label,
        complete: checkout.complete,
        continue_url: checkout.success_url,
        cancel_url: checkout.cancel_url,
        id: checkout.id,
    })
}

/// The test-mode portal of the signed-in user; `refused_price` names a switch just refused
/// for being over that plan's limits (its sentence is worded here, from current usage).
#[server(output = BrowserJsonPost)]
pub async fn get_test_portal(
    refused_price: Option<String>,
) -> Result<super::wire::TestPortalView, ApiError> {
    use crate::domain::{CatalogPrice, PlanChange};
    let me = super::session::require_user()?;
    let state = expect_context::<crate::state::AppState>();
    let no_subscription = || {
        ApiError::NotFound(
            "There is no subscription to manage; choose a plan on the pricing page.".into(),
        )
    };
    let local = state.billing.test_mode().ok_or_else(no_subscription)?;
    let customer = crate::billing::customers::find(&state.db, me.user.id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(no_subscription)?;
    let sub = local
        .current_subscription(&customer)
        .await
        .map_err(ApiError::internal)?;
    let packs = local
        .pack_payments(&customer)
        .await
        .map_err(ApiError::internal)?;
    if sub.is_none() && packs.is_empty() {
        return Err(no_subscription());
    }
    let catalog = &state.catalog;
    let mut view = portal_view(catalog, sub.as_ref());
    view.packs = packs.iter().map(|paid| pack_view(catalog, paid)).collect();
    view.refused = match refused_price.as_deref().and_then(|key| catalog.price(key)) {
        Some(CatalogPrice::Plan { plan, .. }) => match state
            .access
            .can_change_plan(&crate::access::Subject::User(me.user.id), &plan.id)
            .await
            .map_err(ApiError::internal)?
        {
            PlanChange::Blocked(blocked) => Some(blocked.message),
            PlanChange::Allowed => None,
        },
        _ => None,
    };
    Ok(view)
}

/// The subscription part of the test portal (or "No subscription" beside paid packs).
#[cfg(feature = "ssr")]
fn portal_view(
    catalog: &crate::domain::Catalog,
    sub: Option<&crate::billing::local_engine::LocalSubscription>,
) -> super::wire::TestPortalView {
    use crate::billing::local_engine::PortalAction;
    use crate::domain::calendar::date;
    use crate::domain::{BillingInterval, CatalogPrice, SubscriptionStatus};
    let Some(sub) = sub else {
        return super::wire::TestPortalView {
            plan: "No subscription".into(),
            status: "Free".into(),
            notes: Vec::new(),
            switches: Vec::new(),
            actions: Vec::new(),
            refused: None,
            packs: Vec::new(),
        };
    };
    let name = |key: &str| match catalog.price(key) {
        Some(CatalogPrice::Plan { plan, interval }) => {
            format!("{}, billed {}", plan.name, interval.as_str())
        }
        _ => key.to_owned(),
    };
    let status = match sub.status {
        SubscriptionStatus::Active => "Active",
        SubscriptionStatus::Trialing => "Trialing",
        SubscriptionStatus::PastDue => "Past due",
        SubscriptionStatus::Incomplete => "Incomplete",
        SubscriptionStatus::IncompleteExpired => "Expired",
        SubscriptionStatus::Unpaid => "Unpaid",
        SubscriptionStatus::Canceled => "Canceled",
        SubscriptionStatus::Paused => "Paused",
    };
    let mut notes = Vec::new();
    if let Some(end) = sub.trial_end {
        notes.push(format!("Trial ends on {}.", date(end)));
    }
    if sub.status == SubscriptionStatus::Canceled {
        notes.push(format!("Ended on {}.", date(sub.current_period_end)));
    } else if sub.cancel_at_period_end {
        notes.push(format!(
            "Cancels on {}; the plan stays until then.",
            date(sub.current_period_end)
        ));
    } else {
        notes.push(format!("Renews on {}.", date(sub.current_period_end)));
    }
    if let Some(next) = &sub.pending_price_key {
        notes.push(format!(
            "Switches to {} on {}.",
            name(next),
            date(sub.current_period_end)
        ));
    }
    if sub.next_renewal_fails {
        notes.push("The next renewal will fail (a declined test card).".into());
    }
    let switches = if sub.status.is_live() {
        catalog
            .plans
            .iter()
            .flat_map(|plan| {
                [BillingInterval::Monthly, BillingInterval::Yearly]
                    .into_iter()
                    .filter_map(move |interval| Some((plan, interval, plan.price_key(interval)?)))
            })
            .filter(|(_, _, key)| key.as_str() != sub.price_key)
            .map(|(plan, interval, key)| {
                let per = interval.unit();
                (
                    key.to_string(),
                    format!(
                        "{}: {} per {per}",
                        name(key.as_str()),
                        plan.price(interval).exact()
                    ),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    super::wire::TestPortalView {
        plan: name(&sub.price_key),
        status: status.into(),
        notes,
        switches,
        actions: PortalAction::buttons(sub)
            .into_iter()
            .map(|(code, label)| (code.to_owned(), label.to_owned()))
            .collect(),
        refused: None,
        packs: Vec::new(),
    }
}

/// A paid pack in the test portal, with the buttons that still change something.
#[cfg(feature = "ssr")]
fn pack_view(
    catalog: &crate::domain::Catalog,
    paid: &crate::billing::local_charges::PackPayment,
) -> super::wire::TestPackView {
    use crate::domain::calendar::date;
    use crate::domain::{CatalogPrice, Money};
    let name = match catalog.price(&paid.lookup_key) {
        Some(CatalogPrice::Pack(pack)) => pack.name.clone(),
        _ => paid.lookup_key.clone(),
    };
    let amount = Money::from_cents(u64::try_from(paid.amount_cents).unwrap_or(0)).exact();
    let refunded = paid.amount_refunded >= paid.amount_cents;
    let disputed = paid.disputed != 0;
    let state = match (refunded, disputed) {
        (_, true) => "Disputed",
        (true, false) => "Refunded",
        (false, false) => "",
    };
    super::wire::TestPackView {
        checkout_id: paid.checkout_id.clone(),
        label: format!("{name}, {amount}, paid {}", date(paid.created_at)),
        state: state.into(),
        can_refund: !refunded && !disputed,
        can_dispute: !disputed,
    }
}
