use super::browser_json::BrowserJsonPost;
use super::wire::SwitcherChoices;
use super::ApiError;
use leptos::prelude::*;

/// What the design gallery's state switcher offers: the catalog's plans and every status;
/// `None` (no switcher) with a real payment provider or for a visitor.
#[server(output = BrowserJsonPost)]
pub async fn get_state_switcher() -> Result<Option<SwitcherChoices>, ApiError> {
    let state = expect_context::<crate::state::AppState>();
    if state.billing.test_mode().is_none() || super::session::current_user().is_none() {
        return Ok(None);
    }
    Ok(Some(SwitcherChoices {
        plans: state
            .catalog
            .plans
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
        statuses: crate::domain::SubscriptionStatus::ALL
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
    }))
}
