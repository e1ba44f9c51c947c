use super::usage_meter::local_reset_words;
use super::Dialog;
use crate::domain::pricing::WaysOn;
use crate::domain::usage_words::ResetAt;
use crate::domain::Renewal;
use leptos::prelude::*;

const PRIMARY: &str = "block w-full rounded-lg bg-indigo-600 px-4 py-2 text-center text-sm font-semibold text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
const SECONDARY: &str = "block w-full rounded-lg border border-indigo-600 px-4 py-2 text-center text-sm font-semibold text-indigo-700 hover:bg-indigo-50";

/// What was refused, as the modal needs it (from the refusal's JSON body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// 401 (sign in), 402 (payment required) or 429/403 (out of the allowance).
    pub status: u16,
    /// The server's sentence.
    pub error: String,
    /// RFC 3339, when the allowance comes back.
    pub reset_at: Option<String>,
}

/// Shown when a use is refused: "You're out of credits. Upgrade to continue.", when it renews,
/// and the ways on — one click into the checkout of the plan that gives more, or a credit
/// pack. A signed-out visitor is offered sign-in, a payment problem the account page.
///
/// A [`Dialog`]: focus starts on the main action, Escape and "Not now" close it.
#[component]
pub fn OutOfCreditsModal(
    refused: Refused,
    ways: WaysOn,
    renewal: Renewal,
    on_close: impl Fn() + Send + Sync + 'static,
    /// In the design gallery (see [`Dialog`]).
    #[prop(optional)]
    preview: bool,
) -> impl IntoView {
    let reset = refused
        .reset_at
        .as_deref()
        .and_then(|at| {
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()
        })
        .filter(|_| matches!(renewal, Renewal::Day | Renewal::Month))
        .map(|at| {
            local_reset_words(ResetAt {
                at: at.unix_timestamp(),
                monthly: renewal == Renewal::Month,
            })
        });
    let (title, lead) = match refused.status {
        401 => ("Sign in to keep writing", None),
        402 => (
            "Payment required",
            Some("Update your payment details to continue."),
        ),
        _ => ("You're out of credits", Some("Upgrade to continue.")),
    };
    let actions = match refused.status {
        401 => view! {
            <a href="/login" rel="external" class=PRIMARY data-testid="upgrade-link">
                "Sign in"
            </a>
        }
        .into_any(),
        402 => view! {
            <a href="/account" rel="external" class=PRIMARY data-testid="upgrade-link">
                "Update payment"
            </a>
        }
        .into_any(),
        _ => view! { <WaysOnButtons ways /> }.into_any(),
    };
    let close = Callback::new(move |()| on_close());
    view! {
        <Dialog title=title.to_owned() testid="out-of-credits" on_close=close preview>
            {lead.map(|lead| view! { <p class="mt-1 font-medium text-slate-900">{lead}</p> })}
            <p class="mt-2 text-slate-700" data-testid="out-of-credits-message">
                {refused.error.clone()}
            </p>
            {reset
                .map(|words| {
                    view! {
                        <p class="mt-1 text-sm text-slate-500" data-testid="out-of-credits-reset">
                            {move || format!("{}.", words.get())}
                        </p>
                    }
                })}
            <div class="mt-6 space-y-3">{actions}</div>
            <button
                type="button"
                class="mt-3 w-full rounded-lg px-4 py-2 text-sm font-semibold text-slate-600 hover:bg-slate-100"
                data-testid="not-now"
                on:click=move |_| close.run(())
            >
                "Not now"
            </button>
        </Dialog>
    }
}

/// One click each: the better plan's checkout (a plain form, so it works before hydration),
/// then the packs; "See all plans" when there is neither.
#[component]
fn WaysOnButtons(ways: WaysOn) -> impl IntoView {
    let nothing = ways.upgrade.is_none() && ways.packs.is_empty();
    view! {
        {ways
            .upgrade
            .map(|offer| {
                view! {
                    <form method="post" action="/billing/checkout">
                        <input type="hidden" name="plan" value=offer.plan.to_string() />
                        <input type="hidden" name="billing" value="monthly" />
                        <button type="submit" class=PRIMARY data-testid="upgrade-now">
                            {format!("Upgrade to {} · {}", offer.name, offer.price)}
                        </button>
                    </form>
                }
            })}
        {ways
            .packs
            .into_iter()
            .map(|pack| {
                view! {
                    <form method="post" action="/billing/credits">
                        <input type="hidden" name="pack" value=pack.id />
                        <button type="submit" class=SECONDARY data-testid="buy-pack">
                            {format!("Buy {}", pack.text)}
                        </button>
                    </form>
                }
            })
            .collect_view()}
        {nothing
            .then(|| {
                view! {
                    <a href="/pricing" class=PRIMARY data-testid="upgrade-link">
                        "See all plans"
                    </a>
                }
            })}
    }
}
