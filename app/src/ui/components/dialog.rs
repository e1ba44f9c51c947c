use leptos::html::Div;
use leptos::prelude::*;

/// A modal dialog over the page, for assistive technology and the keyboard alike: `aria-modal`,
/// labelled by its title and described by its body; focus moves to its first action when it
/// opens, Tab stays inside it, and closing gives the focus back to where it was. (The overlay
/// takes every click meant for the page behind; `aria-modal` hides that page from screen
/// readers, so it is not made `inert` too: the dialog is rendered inside it, also without JS.) With `on_close`, Escape closes it; without, it blocks until
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
    {
        // Where the focus was before the dialog took it, to give it back on close.
        let before = StoredValue::new_local(None::<web_sys::HtmlElement>);
        Effect::new(move |_| {
            if let Some(dialog) = dialog.get().filter(|_| !preview) {
                before.set_value(focus::current());
                focus::first(&dialog);
            }
        });
        on_cleanup(move || {
            if let Some(element) = before.try_get_value().flatten() {
                let _ = element.focus();
            }
        });
    }
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
    // Unique on a page of many (the design gallery): one dialog per test id and title.
    let id = format!("{testid}-{}", slug(&title));
    let title_id = format!("{id}-title");
    let body_id = format!("{id}-body");
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
                // A preview sits in a page of many; only a real dialog hides the page behind.
                aria-modal=(!preview).then_some("true")
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

/// "You're out of credits" → "you-re-out-of-credits": a title as an id part.
fn slug(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_becomes_an_id_part() {
        assert_eq!(
            super::slug("You're out of credits"),
            "you-re-out-of-credits"
        );
        assert_eq!(super::slug("Trial · 5 days left"), "trial-5-days-left");
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

    /// The focused element, when it is one that can be focused again (not the page's body).
    pub fn current() -> Option<HtmlElement> {
        let document = web_sys::window()?.document()?;
        let active = document.active_element()?;
        let body = document.body();
        if body.is_some_and(|b| b.unchecked_ref::<web_sys::Element>() == &active) {
            return None;
        }
        active.dyn_into::<HtmlElement>().ok()
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
