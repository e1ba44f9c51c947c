use super::browser_json::BrowserJsonPost;
use super::wire::{BillingState, ShellState};
use super::ApiError;
use leptos::prelude::*;

/// What every page's shell shows of the viewer — the header counter, the user button, the
/// status notices, the pricing cards' buttons — worded on the server, so the first wasm file
/// carries none of the usage summary's types (see `domain::usage_words`). A visitor costs no
/// database read at all. The source of the billing context (`ui::billing`).
#[server(output = BrowserJsonPost)]
pub async fn get_shell_state() -> Result<ShellState, ApiError> {
    let state = expect_context::<crate::state::AppState>();
    let now = state.db.now();
    let Some(me) = super::session::current_user() else {
        return Ok(ShellState::visitor(now));
    };
    let (account, usage) = member_reads(&state, &me).await?;
    let subscription = account.subscription;
    let status = crate::domain::status_notice::status_notice(
        subscription.as_ref(),
        plan_name(&state, subscription.as_ref()),
        state.catalog.past_due_grace_days,
        now,
    );
    let plan_moves = match &usage.holder {
        crate::domain::Holder::Member { plan, .. } => {
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
        crate::domain::Holder::Guest => Vec::new(),
    };
    let counter = usage
        .feature(&usage.product.generations)
        .map(|g| crate::domain::usage_words::counter(g, usage.credits, now));
    Ok(ShellState {
        viewer: Some(super::session::viewer_info(&me)),
        counter,
        status,
        notice: account.kept_plan_notice,
        plan_moves,
        holds_subscription: account.holds_subscription,
        as_of: now,
    })
}

/// The viewer's whole usage summary and what the pages that show it need around it (the
/// dashboard, `/generate`, `/account`): read through the billing context's `details()`, only
/// by those pages (their own wasm files). Signed in or a guest by cookie; the same module and
/// numbers as `GET /api/usage`.
#[server(output = BrowserJsonPost)]
pub async fn get_billing_state() -> Result<BillingState, ApiError> {
    let state = expect_context::<crate::state::AppState>();
    // One moment for everything this read says ("renews on …"), taken before the reads: a
    // page asking the event stream what changed since then errs towards one more read.
    let now = state.db.now();
    let me = super::session::current_user();
    let (account, usage) = match &me {
        Some(me) => {
            let (account, usage) = member_reads(&state, me).await?;
            (Some(account), usage)
        }
        None => (None, guest_usage(&state).await?),
    };
    let plan_words = account.map(|account| {
        crate::domain::status_notice::plan_words(
            account.subscription.as_ref(),
            plan_name(&state, account.subscription.as_ref()),
            now,
        )
    });
    let generations = &usage.product.generations;
    let upgrade_to = usage
        .feature(generations)
        .and_then(|g| g.counts.upgrade_to.as_ref());
    let ways_on =
        crate::domain::pricing::WaysOn::from_catalog(&state.catalog, generations, upgrade_to);
    Ok(BillingState {
        viewer: me.as_ref().map(super::session::viewer_info),
        plan_words,
        ways_on,
        usage,
        as_of: now,
    })
}

/// A signed-in viewer's account and usage summary, read once per request and shared by every
/// part of the page (the shell, the dashboard's details, `/tutors`, `/accounts`). The account
/// first: its kept-plan check may change the limits the usage is counted by. The summary is
/// the viewer's own — pages authenticate by the session cookie, and an `Authorization` header
/// a script adds does not change whose page it is — built from the role and ban the session
/// read and the account's subscription, so only the usage is read.
#[cfg(feature = "ssr")]
pub(super) async fn member_reads(
    state: &crate::state::AppState,
    me: &crate::auth::current_user::CurrentUser,
) -> Result<(super::request_reads::Account, crate::domain::UsageSummary), ApiError> {
    let reads = super::request_reads::RequestReads::current();
    let account = read_account(state, &reads, me.user.id).await?;
    let member = crate::access::Member {
        admin: me.is_admin(),
        banned: me.user.banned,
        subscription: account.subscription.clone(),
    };
    let usage = reads
        .usage(async {
            state
                .access
                .member_summary(me.user.id, member)
                .await
                .map_err(ApiError::internal)
        })
        .await?;
    Ok((account, usage))
}

/// The usage summary a page shows someone not signed in: the guest their cookie names (only
/// the page's details ask for it, so nothing is shared).
#[cfg(feature = "ssr")]
async fn guest_usage(
    state: &crate::state::AppState,
) -> Result<crate::domain::UsageSummary, ApiError> {
    use crate::access::caller;
    let headers = use_context::<axum::http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    let caller = caller::identify(
        &state.db,
        &state.site,
        &headers,
        None,
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
    state
        .access
        .summary(&caller.subject)
        .await
        .map_err(ApiError::internal)
}

/// The user's subscription and kept-plan sentence, read once per request: the subscription,
/// then the kept-plan check, which ends a kept plan whose usage fits now (and the subscription
/// is read again as it then stands).
#[cfg(feature = "ssr")]
async fn read_account(
    state: &crate::state::AppState,
    reads: &super::request_reads::RequestReads,
    user_id: i64,
) -> Result<super::request_reads::Account, ApiError> {
    use crate::billing::holds::KeptPlanNotice;
    use crate::billing::subscriptions;
    use crate::domain::provider_subscription::has_live_paid_subscription;
    reads
        .account(async {
            let stored = subscriptions::find_with_details(&state.db, user_id).await?;
            let notice = state
                .billing
                .kept_plan_notice(user_id, stored.as_ref().map(|(s, _)| s))
                .await?;
            let (stored, kept_plan_notice) = match notice {
                KeptPlanNotice::NotKept => (stored, None),
                KeptPlanNotice::Kept(sentence) => (stored, Some(sentence)),
                KeptPlanNotice::Ended => (
                    subscriptions::find_with_details(&state.db, user_id).await?,
                    None,
                ),
            };
            // The rule checkout refuses a second subscription by, so the pricing page never
            // sends anyone to a portal with nothing to manage (an operator's plan).
            let holds_subscription = stored.as_ref().is_some_and(|(subscription, details)| {
                has_live_paid_subscription(subscription, details)
            });
            Ok::<_, crate::billing::provider::BillingError>(super::request_reads::Account {
                subscription: stored.map(|(subscription, _)| subscription),
                holds_subscription,
                kept_plan_notice,
            })
        })
        .await
        .map_err(ApiError::internal)
}

/// The subscribed plan's name for sentences ("Your last payment for Pro failed.").
#[cfg(feature = "ssr")]
fn plan_name<'s>(
    state: &'s crate::state::AppState,
    subscription: Option<&crate::domain::Subscription>,
) -> &'s str {
    subscription
        .and_then(|s| state.catalog.plan(&s.plan))
        .map_or("your plan", |p| p.name.as_str())
}
