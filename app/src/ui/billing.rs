//! The one billing context: the viewer's plan, status and usage, read once per page load and
//! given to every component through [`use_billing`]; components never fetch billing state on
//! their own. In the browser it stays current by itself: a server-sent event stream
//! (`GET /api/events`) says when anything changed — another tab, an API-key call, a webhook,
//! an operator, another server — and the context reads the state again. Without JavaScript the
//! pages are simply current when loaded.
//!
//! It has two parts, read through the same context and refreshed by the same events: the
//! **shell** (every page: header, notices, pricing buttons; worded on the server, small, in
//! the first wasm file) and the **details** (the whole usage summary, read only by the pages
//! that show it — the dashboard, `/generate`, `/account` — whose code loads with them).

use crate::api::billing_state::{get_billing_state, get_shell_state};
use crate::api::wire::{BillingState, ShellState};
use crate::api::ApiError;
use crate::ui::loaded::{loaded, Loaded};
use leptos::prelude::*;

/// The viewer's billing state, shared by the whole app.
#[derive(Debug, Clone, Copy)]
pub struct Billing {
    shell: Loaded<Result<ShellState, ApiError>>,
    /// Bumped by [`Billing::refresh`]: every part of the state reads again.
    version: RwSignal<u64>,
}

/// The whole usage summary, for the page that asked for it (see [`Billing::details`]).
#[derive(Debug, Clone, Copy)]
pub struct Details(Loaded<Result<BillingState, ApiError>>);

/// Creates the context (once, in `App`) and, in the browser, follows changes. The design
/// gallery draws fixtures only: there the viewer's state is neither read nor sent.
pub fn provide_billing() {
    #[cfg(not(feature = "hydrate"))]
    let opened_on_gallery = on_gallery_page();
    let version = RwSignal::new(0_u64);
    let shell = loaded(
        move || version.get(),
        move |_| async move {
            // Asked again at each read in the browser: after a link out of the gallery (which
            // refreshes, see `app::Chrome`) the state is read.
            #[cfg(feature = "hydrate")]
            let gallery = on_gallery_page();
            #[cfg(not(feature = "hydrate"))]
            let gallery = opened_on_gallery;
            if gallery {
                return Err(ApiError::NotFound(
                    "The gallery shows no billing state.".into(),
                ));
            }
            get_shell_state().await
        },
    );
    let billing = Billing { shell, version };
    provide_context(billing);
    #[cfg(feature = "hydrate")]
    live::follow_when_signed_in(billing);
}

/// Whether this page is the design gallery (`provide_billing` runs outside the router, so the
/// path is read from the request on the server and from the address bar in the browser).
fn on_gallery_page() -> bool {
    let gallery = crate::ui::pages::DESIGN_STATES_PATH;
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>().is_some_and(|parts| parts.uri.path() == gallery)
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .is_some_and(|path| path == gallery)
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        let _ = gallery;
        false
    }
}

/// The context given by [`provide_billing`].
pub fn use_billing() -> Billing {
    expect_context::<Billing>()
}

impl Billing {
    /// The shell's state, once read (for `Suspend`, so the server waits for it and sends full
    /// HTML).
    pub async fn shell(self) -> Result<ShellState, ApiError> {
        self.shell.await
    }

    /// The whole usage summary, read for this page and the components under it (once per page,
    /// however many ask) and again whenever the shell is.
    pub fn details(self) -> Details {
        if let Some(details) = use_context::<Details>() {
            return details;
        }
        let version = self.version;
        let details = Details(loaded(move || version.get(), |_| get_billing_state()));
        provide_context(details);
        details
    }

    /// How many times the state was read again; a tracked read, so a resource keyed on it reads
    /// again with the billing state (the dashboard's chart).
    pub fn version(self) -> u64 {
        self.version.get()
    }

    /// Reads the state again (after a generation, or when the server says it changed); what is
    /// shown stays until the new state arrives.
    pub fn refresh(self) {
        self.version.update(|v| *v += 1);
    }
}

impl Details {
    /// The details, once read.
    pub async fn state(self) -> Result<BillingState, ApiError> {
        self.0.await
    }
}

/// Tells the context that the page has hydrated (the wasm entry point calls it once
/// `hydrate_from_async` is done). The event stream opens only then: a `changed` heard while a
/// page still hydrates — waiting for a lazy page's wasm file — would re-render what is being
/// hydrated and break it. Nothing is missed meanwhile: the stream asks what changed since the
/// page's state was read.
#[cfg(feature = "hydrate")]
pub fn hydrated() {
    live::hydrated();
}

#[cfg(feature = "hydrate")]
mod live {
    use super::Billing;
    use leptos::prelude::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    /// Opens the event stream once a signed-in state has been read (a visitor's changes come
    /// only from the page they are on). The design gallery reads no state, so its two frames in
    /// `/design` hold none of the browser's few connections.
    pub fn follow_when_signed_in(billing: Billing) {
        let started = StoredValue::new(false);
        Effect::new(move |_| {
            let signed_in = billing
                .shell
                .get()
                .and_then(Result::ok)
                .is_some_and(|state| state.viewer.is_some());
            if signed_in && !started.get_value() {
                started.set_value(true);
                after_hydration(move || follow(billing));
            }
        });
    }

    /// Something to do once the page has hydrated.
    type Waiting = Box<dyn FnOnce()>;

    thread_local! {
        /// What waits for the page to hydrate; `None` once it has.
        static UNTIL_HYDRATED: RefCell<Option<Vec<Waiting>>> = RefCell::new(Some(Vec::new()));
    }

    /// Runs `then` once the page has hydrated (at once if it has).
    fn after_hydration(then: impl FnOnce() + 'static) {
        let mut then: Option<Waiting> = Some(Box::new(then));
        UNTIL_HYDRATED.with(|waiting| {
            if let Some(waiting) = waiting.borrow_mut().as_mut() {
                waiting.extend(then.take());
            }
        });
        if let Some(then) = then {
            then();
        }
    }

    pub fn hydrated() {
        let waiting = UNTIL_HYDRATED.with(|waiting| waiting.borrow_mut().take());
        for then in waiting.into_iter().flatten() {
            then();
        }
    }

    /// Listens while the tab is visible. A hidden tab closes its stream: browsers give a site
    /// about six connections over HTTP/1.1, and a stream held by every background tab would
    /// leave none for the page in front. Coming back opens it again, saying when the shown
    /// state was read, and the server answers `changed` if anything changed meanwhile.
    fn follow(billing: Billing) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let open: Rc<RefCell<Option<Open>>> = Rc::default();
        // A tab opened in the background waits until it is first shown.
        if !document.hidden() {
            *open.borrow_mut() = Open::connect(billing);
        }
        let on_visibility = {
            let document = document.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                let mut open = open.borrow_mut();
                if document.hidden() {
                    *open = None;
                } else if open.is_none() {
                    *open = Open::connect(billing);
                }
            })
        };
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_visibility.as_ref().unchecked_ref(),
        );
        // Listens as long as the page lives.
        on_visibility.forget();
    }

    /// One open stream and its listeners; dropping it closes the stream.
    struct Open {
        source: web_sys::EventSource,
        _on_ready: Closure<dyn FnMut(web_sys::Event)>,
        _on_changed: Closure<dyn FnMut(web_sys::Event)>,
    }

    impl Open {
        /// `ready` on each (re)connection, `changed` when the viewer's state changed since the
        /// shown state was read (`since`), also while there was no connection: the browser
        /// reconnects by itself after a drop with the same `since`, so nothing is missed.
        /// `<body data-live="on">` tells tests it listens.
        fn connect(billing: Billing) -> Option<Open> {
            let since = billing
                .shell
                .get_untracked()
                .and_then(Result::ok)
                .map(|state| state.as_of);
            let url = match since {
                Some(since) => format!("/api/events?since={since}"),
                None => "/api/events".to_owned(),
            };
            let source = web_sys::EventSource::new(&url).ok()?;
            let on_ready = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                if let Some(body) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.body())
                {
                    let _ = body.set_attribute("data-live", "on");
                }
            });
            let on_changed = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| billing.refresh());
            let _ =
                source.add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref());
            let _ = source
                .add_event_listener_with_callback("changed", on_changed.as_ref().unchecked_ref());
            Some(Open {
                source,
                _on_ready: on_ready,
                _on_changed: on_changed,
            })
        }
    }

    impl Drop for Open {
        fn drop(&mut self) {
            self.source.close();
        }
    }
}
