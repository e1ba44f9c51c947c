use super::usage_meter::local_reset_words;
use crate::domain::pricing::WaysOn;
use crate::domain::Renewal;
use leptos::html::Div;
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
/// A modal dialog for assistive technology and the keyboard: `aria-modal`, labelled and
/// described; focus moves to the main action when it opens, Tab stays inside it, Escape and
/// "Not now" close it.
#[component]
pub fn OutOfCreditsModal(
    refused: Refused,
    ways: WaysOn,
    renewal: Renewal,
    on_close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let dialog = NodeRef::<Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            focus::first(&dialog);
        }
    });
    let reset = refused
        .reset_at
        .as_deref()
        .and_then(|at| {
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()
        })
        .filter(|_| matches!(renewal, Renewal::Day | Renewal::Month))
        .map(|at| local_reset_words(at, renewal));
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
    let close = on_close.clone();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => close(),
        #[cfg(feature = "hydrate")]
        "Tab" => {
            if let Some(dialog) = dialog.get() {
                focus::keep_inside(&dialog, &ev);
            }
        }
        _ => {}
    };
    view! {
        <div class="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/50 p-4">
            <div
                node_ref=dialog
                role="dialog"
                aria-modal="true"
                aria-labelledby="out-of-credits-title"
                aria-describedby="out-of-credits-message"
                data-testid="out-of-credits"
                class="w-full max-w-md rounded-2xl bg-white p-6 shadow-xl"
                on:keydown=on_keydown
            >
                <h2 id="out-of-credits-title" class="text-xl font-bold">
                    {title}
                </h2>
                <div id="out-of-credits-message">
                    {lead
                        .map(|lead| {
                            view! { <p class="mt-1 font-medium text-slate-900">{lead}</p> }
                        })} <p class="mt-2 text-slate-700" data-testid="out-of-credits-message">
                        {refused.error}
                    </p>
                    {reset
                        .map(|words| {
                            view! {
                                <p
                                    class="mt-1 text-sm text-slate-500"
                                    data-testid="out-of-credits-reset"
                                >
                                    {move || format!("{}.", words.get())}
                                </p>
                            }
                        })}
                </div>
                <div class="mt-6 space-y-3">{actions}</div>
                <button
                    type="button"
                    class="mt-3 w-full rounded-lg px-4 py-2 text-sm font-semibold text-slate-600 hover:bg-slate-100"
                    data-testid="not-now"
                    on:click=move |_| on_close()
                >
                    "Not now"
                </button>
            </div>
        </div>
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

/// Keyboard focus inside the dialog (browser only).
#[cfg(feature = "hydrate")]
mod focus {
    use wasm_bindgen::JsCast;
    use web_sys::HtmlElement;

    const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([type=hidden])";

    fn focusable(dialog: &web_sys::HtmlDivElement) -> Vec<HtmlElement> {
        let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
            .collect()
    }

    /// Focuses the dialog's first action (the upgrade), so Enter takes it and Tab goes on.
    pub fn first(dialog: &web_sys::HtmlDivElement) {
        if let Some(first) = focusable(dialog).first() {
            let _ = first.focus();
        }
    }

    /// Tab from the last element goes to the first, Shift+Tab from the first to the last.
    pub fn keep_inside(dialog: &web_sys::HtmlDivElement, ev: &web_sys::KeyboardEvent) {
        let elements = focusable(dialog);
        let (Some(first), Some(last)) = (elements.first(), elements.last()) else {
            return;
        };
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let at = |e: &HtmlElement| {
            active
                .as_ref()
                .is_some_and(|a| a == e.unchecked_ref::<web_sys::Element>())
        };
        let target = if ev.shift_key() && at(first) {
            Some(last)
        } else if !ev.shift_key() && at(last) {
            Some(first)
        } else {
            None
        };
        if let Some(target) = target {
            ev.prevent_default();
            let _ = target.focus();
        }
    }
}
