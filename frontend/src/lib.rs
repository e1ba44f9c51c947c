//! The wasm entry point: hydrates the server-rendered HTML with the same `App`.

mod split_data_room;

/// Hydrates asynchronously, as `leptos::mount::hydrate_lazy` does: the pages most visitors
/// never open are split into their own wasm files (`cargo leptos … --split`), and a page
/// opened directly waits for its file before it can hydrate, and so does a signed-in page for
/// the files of the shell's signed-in parts (`app::ui::components::signed_in_parts`). Then
/// live updates start (see `app::ui::billing::hydrated`) and `<body>` gets `data-hydrated`:
/// only now is the page interactive, and the end-to-end suite waits for it.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let document = leptos::prelude::document();
        let Some(body) = document.body() else {
            return;
        };
        // The shell's signed-in parts are lazy functions: hydration needs the code of those
        // the server drew at hand.
        app::ui::components::preload_drawn_parts(&document).await;
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        app::ui::billing::hydrated();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
