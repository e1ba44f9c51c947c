use leptos::html::Div;
use leptos::prelude::*;

/// A modal dialog over the page, for assistive technology and the keyboard alike: `aria-modal`,
/// labelled by its title and described by its body; focus moves to its first action when it
/// opens and Tab stays inside it. With `on_close`, Escape closes it; without, it blocks until
/// its own actions lead away (`role="alertdialog"`).
#[component]
pub fn Dialog(
    title: String,
    #[prop(into)] testid: String,
    #[prop(optional)] on_close: Option<Callback<()>>,
    /// Shown in the design gallery: over its own box instead of the page, and without taking
    /// the focus (a page of many dialogs would jump to the last).
    #[prop(optional)]
    preview: bool,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get().filter(|_| !preview) {
            focus::first(&dialog);
        }
    });
    let overlay = if preview { "absolute" } else { "fixed" };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            if let Some(close) = on_close {
                close.run(());
            }
        }
        #[cfg(feature = "hydrate")]
        "Tab" => {
            if let Some(dialog) = dialog.get() {
                focus::keep_inside(&dialog, &ev);
            }
        }
        _ => {}
    };
    let title_id = format!("{testid}-title");
    let body_id = format!("{testid}-body");
    let (labelled_by, described_by) = (title_id.clone(), body_id.clone());
    let role = if on_close.is_some() {
        "dialog"
    } else {
        "alertdialog"
    };
    view! {
        <div class=format!(
            "{overlay} inset-0 z-50 flex items-center justify-center bg-slate-900/50 p-4",
        )>
            <div
                node_ref=dialog
                role=role
                aria-modal="true"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                data-testid=testid
                class="w-full max-w-md rounded-2xl bg-white p-6 shadow-xl"
                on:keydown=on_keydown
            >
                <h2 id=title_id class="text-xl font-bold">
                    {title}
                </h2>
                <div id=body_id>{children()}</div>
            </div>
        </div>
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

    /// Focuses the dialog's first action, so Enter takes it and Tab goes on.
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
