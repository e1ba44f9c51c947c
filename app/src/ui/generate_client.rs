//! The browser side of `POST /api/generate`: fetch with a streamed body, text appended as it
//! arrives. Only compiled into the wasm bundle; on the server the form simply posts.

/// How a generation request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// All text arrived (what is left now comes from the billing context, read again).
    Done,
    /// Refused (401/402/403/429) with the server's sentence and when the allowance renews.
    Refused {
        status: u16,
        error: String,
        reset_at: Option<String>,
    },
}

#[cfg(feature = "hydrate")]
pub async fn generate(prompt: &str, mut on_text: impl FnMut(&str)) -> Result<Outcome, String> {
    use crate::api::browser_json::BrowserJson;
    use crate::api::wire::{GenerateRequest, Refusal};
    use js_sys::{Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn js_err(e: JsValue) -> String {
        e.as_string()
            .unwrap_or_else(|| "The connection failed. Check your network and try again.".into())
    }

    let window = web_sys::window().ok_or("no window")?;
    // The same types the server reads and writes, so neither side can drift.
    let body = BrowserJson::write(&GenerateRequest {
        prompt: prompt.to_owned(),
    })
    .map_err(|e| e.to_string())?;
    let headers = web_sys::Headers::new().map_err(js_err)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(js_err)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init("/api/generate", &init))
            .await
            .map_err(js_err)?
            .dyn_into()
            .map_err(js_err)?;
    let status = response.status();
    if status != 200 {
        let text = JsFuture::from(response.text().map_err(js_err)?)
            .await
            .map_err(js_err)?
            .as_string()
            .unwrap_or_default();
        let refusal: Refusal = BrowserJson::read(&text)
            .unwrap_or_else(|_| Refusal::saying("The request was refused."));
        return Ok(Outcome::Refused {
            status,
            error: refusal.error,
            reset_at: refusal.reset_at.flatten(),
        });
    }
    let stream = response.body().ok_or("The server sent no text.")?;
    let reader: web_sys::ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|_| "This browser cannot read streamed text.".to_owned())?;
    let decoder = web_sys::TextDecoder::new().map_err(js_err)?;
    let options = web_sys::TextDecodeOptions::new();
    options.set_stream(true);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| {
            "The text stopped arriving. This generation was not counted; try again.".to_owned()
        })?;
        let done = Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let bytes: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(js_err)?
            .dyn_into()
            .map_err(js_err)?;
        let text = decoder
            .decode_with_buffer_source_and_options(&bytes, &options)
            .map_err(js_err)?;
        on_text(&text);
    }
    Ok(Outcome::Done)
}
