//! The wasm entry point: hydrates the server-rendered HTML with the same `App`.

/// Hydrates asynchronously, as `leptos::mount::hydrate_lazy` does: the pages most visitors
/// never open are split into their own wasm files (`cargo leptos … --split`), and a page
/// opened directly waits for its file before it can hydrate. Then live updates start (see
/// `app::ui::billing::hydrated`) and `<body>` gets
/// `data-hydrated`: only now is the page interactive, and the end-to-end suite waits for it.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        app::ui::billing::hydrated();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
