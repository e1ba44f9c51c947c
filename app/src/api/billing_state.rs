use super::wire::BillingState;
use super::ApiError;
use leptos::prelude::*;

/// Everything the pages show of the viewer's plan and usage, read at once: the only source of
/// the billing context (`ui::billing`), which every component reads instead of fetching on its
/// own. Signed in or a guest by cookie; the same module and numbers as `GET /api/usage`.
#[server]
pub async fn get_billing_state() -> Result<BillingState, ApiError> {
    use crate::access::caller;
    let state = expect_context::<crate::state::AppState>();
    let headers = use_context::<axum::http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    let me = super::session::current_user();
    let caller = caller::identify(
        &state.db,
        &state.site,
        &headers,
        me.as_ref(),
        caller::NoCookie::Unnamed,
    )
    .await
    .map_err(|e| match e {
        caller::CallerError::Db(e) => ApiError::internal(e),
        // Pages authenticate by cookie; a stray or stale `Authorization` header only means
        // "not signed in this way".
        caller::CallerError::InvalidApiKey | caller::CallerError::TooManyGuests => {
            ApiError::Unauthorized
        }
        caller::CallerError::Banned => ApiError::Suspended,
    })?;
    let usage = state
        .access
        .summary(&caller.subject)
        .await
        .map_err(ApiError::internal)?;
    let (notice, status, plan_words) = match &me {
        Some(me) => {
            let notice = state
                .billing
                .kept_plan_notice(me.user.id)
                .await
                .map_err(ApiError::internal)?;
            let subscription = crate::billing::subscriptions::find(&state.db, me.user.id)
                .await
                .map_err(ApiError::internal)?;
            let plan_name = subscription
                .as_ref()
                .and_then(|s| state.catalog.plan(&s.plan))
                .map_or("your plan", |p| p.name.as_str());
            let status = crate::domain::status_notice::status_notice(
                subscription.as_ref(),
                plan_name,
                state.catalog.past_due_grace_days,
                state.db.now(),
            );
            let words = crate::domain::status_notice::plan_words(
                subscription.as_ref(),
                plan_name,
                state.db.now(),
            );
            (notice, status, Some(words))
        }
        None => (None, None, None),
    };
    let generations = &usage.product.generations;
    let upgrade_to = usage
        .feature(generations)
        .and_then(|g| g.counts.upgrade_to.as_ref());
    let ways_on =
        crate::domain::pricing::WaysOn::from_catalog(&state.catalog, generations, upgrade_to);
    let plan_moves = match (&me, &usage.holder) {
        (Some(_), crate::domain::Holder::Member { plan, .. }) => {
            // The live counts are in the summary already: no query more.
            let counts: Vec<_> = state
                .catalog
                .features
                .iter()
                .filter(|f| f.kind == crate::domain::FeatureKind::Count)
                .filter_map(|f| Some((f.id.clone(), usage.feature(&f.id)?.counts.used)))
                .collect();
            crate::domain::plan_change::plan_moves(&state.catalog, plan, &counts)
        }
        _ => Vec::new(),
    };
    Ok(BillingState {
        plan_moves,
        viewer: me.as_ref().map(super::session::viewer_info),
        notice,
        plan_words,
        status,
        ways_on,
        usage,
        as_of: state.db.now(),
    })
}
