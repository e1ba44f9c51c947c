//! The one billing context: the viewer's plan, status and usage, read once per page load
//! (`api::billing_state`) and given to every component through [`use_billing`]; components
//! never fetch billing state on their own. In the browser it stays current by itself: a
//! server-sent event stream (`GET /api/events`) says when anything changed — another tab, an
//! API-key call, a webhook, an operator, another server — and the context reads the state
//! again. Without JavaScript the pages are simply current when loaded.

use crate::api::billing_state::get_billing_state;
use crate::api::wire::BillingState;
use crate::api::ApiError;
use leptos::prelude::*;

/// The viewer's billing state, shared by the whole app.
#[derive(Debug, Clone, Copy)]
pub struct Billing(Resource<Result<BillingState, ApiError>>);

/// Creates the context (once, in `App`) and, in the browser, follows changes.
pub fn provide_billing() {
    let state = Resource::new(|| (), |_| get_billing_state());
    let billing = Billing(state);
    provide_context(billing);
    #[cfg(feature = "hydrate")]
    live::follow_when_signed_in(billing);
}

/// The context given by [`provide_billing`].
pub fn use_billing() -> Billing {
    expect_context::<Billing>()
}

impl Billing {
    /// The state, once read (for `Suspend`, so the server waits for it and sends full HTML).
    pub async fn state(self) -> Result<BillingState, ApiError> {
        self.0.await
    }

    /// Reads the state again (after a generation, or when the server says it changed); what is
    /// shown stays until the new state arrives.
    pub fn refresh(self) {
        self.0.refetch();
    }
}

#[cfg(feature = "hydrate")]
mod live {
    use super::Billing;
    use leptos::prelude::*;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    /// Opens the event stream once a signed-in state has been read (a visitor's changes come
    /// only from the page they are on).
    pub fn follow_when_signed_in(billing: Billing) {
        let opened = StoredValue::new(false);
        Effect::new(move |_| {
            let signed_in = billing
                .0
                .get()
                .and_then(Result::ok)
                .is_some_and(|state| state.viewer.is_some());
            if signed_in && !opened.get_value() {
                opened.set_value(true);
                open(billing);
            }
        });
    }

    /// `ready` on each (re)connection, `changed` when the viewer's state changed. The browser
    /// reconnects by itself after a drop; whatever changed meanwhile was not heard, so a
    /// reconnection reads the state again. `<body data-live="on">` tells tests it listens.
    fn open(billing: Billing) {
        let Ok(source) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let connected_before = Rc::new(Cell::new(false));
        let on_ready = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if connected_before.replace(true) {
                billing.refresh();
            }
            if let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            {
                let _ = body.set_attribute("data-live", "on");
            }
        });
        let on_changed = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| billing.refresh());
        let _ = source.add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref());
        let _ =
            source.add_event_listener_with_callback("changed", on_changed.as_ref().unchecked_ref());
        // The app lives as long as the page: so do the stream and its listeners.
        on_ready.forget();
        on_changed.forget();
        std::mem::forget(source);
    }
}
