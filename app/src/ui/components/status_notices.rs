use super::{signed_in_parts, Dialog};
use crate::api::wire::ShellState;
use crate::domain::status_notice::{NextStep, StatusNotice, Tone};
use crate::ui::billing::use_billing;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

const BUTTON: &str = "inline-block rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500";

/// Whether an unpaid account can still use the page at `path`: where the payment is sorted
/// out (its account, the plans, and the checkout and portal pages under `/billing/`).
fn is_billing_page(path: &str) -> bool {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    matches!(path, "/account" | "/pricing") || path.starts_with("/billing/")
}

/// Under the header on every page: what the viewer's billing needs from them — a past-due or
/// other status banner, a downgrade held back, and for an unpaid account a dialog that blocks
/// every page but the billing ones. From the billing context, so it appears and goes as the
/// status changes.
#[component]
pub fn StatusNotices() -> impl IntoView {
    let billing = use_billing();
    let location = use_location();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let path = location.pathname.get();
                Suspend::new(async move {
                    let state = billing.shell().await.ok().filter(has_notices)?;
                    Some(signed_in_parts::billing_notices(state, path).await)
                })
            }}
        </Transition>
    }
}

/// Whether `Notices` would show anything: only then is its code loaded (`signed_in_parts`).
fn has_notices(state: &ShellState) -> bool {
    let (blocking, banner) = blocking_or_banner(state.status.clone());
    state.notice.is_some() || blocking.is_some() || banner.is_some()
}

/// The status as the dialog that blocks the page or as a banner (other tones are shown
/// elsewhere: the trial badge beside the user button).
fn blocking_or_banner(
    status: Option<StatusNotice>,
) -> (Option<StatusNotice>, Option<StatusNotice>) {
    match status {
        Some(notice) if notice.tone == Tone::Blocking => (Some(notice), None),
        Some(notice) if matches!(notice.tone, Tone::Banner { .. }) => (None, Some(notice)),
        _ => (None, None),
    }
}

#[component]
pub(super) fn Notices(state: ShellState, path: String) -> impl IntoView {
    let on_billing_page = is_billing_page(&path);
    let (blocking, banner) = blocking_or_banner(state.status);
    view! {
        {banner.map(|notice| view! { <StatusBanner notice /> })}
        {state
            .notice
            .map(|text| {
                view! {
                    <div class="mx-auto max-w-6xl px-4 pt-4">
                        <p
                            role="alert"
                            class="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900"
                            data-testid="held-downgrade"
                        >
                            {text}
                            " "
                            <a href="/accounts" class="font-semibold underline">
                                "Manage accounts"
                            </a>
                        </p>
                    </div>
                }
            })}
        {blocking
            .filter(|_| !on_billing_page)
            .map(|notice| view! { <PaymentRequiredDialog notice /> })}
    }
}

/// The dialog an unpaid account sees over every page but the billing ones: no way to close
/// it, only ways to pay or choose another plan.
#[component]
pub fn PaymentRequiredDialog(
    notice: StatusNotice,
    /// In the design gallery (see [`Dialog`]).
    #[prop(optional)]
    preview: bool,
) -> impl IntoView {
    view! {
        <Dialog title=notice.headline.clone() testid="payment-required" preview>
            <p class="mt-2 text-slate-700">{notice.detail.clone()}</p>
            <div class="mt-6 flex flex-wrap gap-3">
                <NextStepButton notice=notice.clone() />
                <a
                    href="/pricing"
                    class="rounded-lg px-3 py-1.5 text-sm font-semibold text-slate-700 hover:bg-slate-100"
                >
                    "See plans"
                </a>
            </div>
        </Dialog>
    }
}

/// A banner under the header: red for what needs doing now, amber for the rest.
#[component]
pub fn StatusBanner(notice: StatusNotice) -> impl IntoView {
    let colours = if notice.needs_attention() {
        "border-red-300 bg-red-50 text-red-900"
    } else {
        "border-amber-300 bg-amber-50 text-amber-900"
    };
    let testid = format!("status-banner-{}", notice.status.as_str());
    view! {
        <div class="mx-auto max-w-6xl px-4 pt-4">
            <div
                role="status"
                class=format!(
                    "flex flex-wrap items-center justify-between gap-3 rounded-lg border p-4 {colours}",
                )
                data-testid=testid
            >
                <p>
                    <strong class="font-semibold">{notice.headline.clone()}</strong>
                    " "
                    {notice.detail.clone()}
                </p>
                <NextStepButton notice />
            </div>
        </div>
    }
}

/// The notice's way forward: the portal is a form (it redirects to the provider), plans a link.
#[component]
fn NextStepButton(notice: StatusNotice) -> impl IntoView {
    notice.action.map(|(words, step)| match step {
        NextStep::Portal => view! {
            <form method="post" action="/billing/portal">
                <button type="submit" class=BUTTON data-testid="status-action">
                    {words}
                </button>
            </form>
        }
        .into_any(),
        NextStep::Pricing => view! {
            <a href="/pricing" class=BUTTON data-testid="status-action">
                {words}
            </a>
        }
        .into_any(),
    })
}

#[cfg(test)]
mod tests {
    use super::is_billing_page;

    #[test]
    fn only_the_billing_pages_are_open_to_an_unpaid_account() {
        for open in ["/account", "/account/", "/pricing", "/billing/test-portal"] {
            assert!(is_billing_page(open), "{open}");
        }
        for blocked in ["/accounts", "/pricingx", "/billing", "/dashboard", "/"] {
            assert!(!is_billing_page(blocked), "{blocked}");
        }
    }
}
