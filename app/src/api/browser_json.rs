//! How the server's answers reach the page: JSON, parsed in the browser by the browser.
//!
//! Every server function's answer, every error it returns and every resource the server
//! renders into the page for hydration travel as JSON written by `serde_json` on the server,
//! exactly as Leptos' default `Json` would send them. Only the reading differs: in the wasm
//! bundle, [`BrowserJson`] hands the text to the browser's own `JSON.parse` and turns the
//! result into our types with `serde-wasm-bindgen`, so `serde_json`'s parser — number and
//! string scanning monomorphized for every type read, the largest crate of the first wasm
//! file after Leptos itself — is not compiled in. One type serves as the server functions'
//! encoding ([`BrowserJsonPost`], also the errors' encoder) and as the resources' codec
//! ([`crate::ui::loaded`]), so the two cannot disagree. Decision and measurement:
//! docs/architecture.md, "Bundle size".

use bytes::Bytes;
use leptos::server_fn::codec::Post;
use leptos::server_fn::{ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

/// JSON written by `serde_json`, read by `serde_json` on the server and by the browser's
/// `JSON.parse` in the wasm bundle.
pub struct BrowserJson;

/// A server function's answer (`#[server(output = BrowserJsonPost)]`): a `POST` whose reply
/// body is [`BrowserJson`].
pub type BrowserJsonPost = Post<BrowserJson>;

/// Why a value could not be written or read, in words (e.g. the browser's `SyntaxError` or a
/// type mismatch).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JsonError(String);

impl BrowserJson {
    /// The JSON text of `value`: `serde_json` on the server; in the wasm bundle (the page's
    /// own requests) `serde-wasm-bindgen` and the browser's `JSON.stringify`, so no part of
    /// `serde_json` is linked there.
    pub fn write<T: Serialize>(value: &T) -> Result<String, JsonError> {
        #[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
        {
            // Maps as plain objects, as `serde_json` writes them (not as a JS `Map`).
            let serializer = serde_wasm_bindgen::Serializer::json_compatible();
            let js = value
                .serialize(&serializer)
                .map_err(|error| JsonError(error.to_string()))?;
            js_sys::JSON::stringify(&js)
                .map(String::from)
                .map_err(|_| JsonError("The value cannot be written as JSON.".into()))
        }
        #[cfg(not(all(feature = "hydrate", target_arch = "wasm32")))]
        {
            serde_json::to_string(value).map_err(|error| JsonError(error.to_string()))
        }
    }

    /// `T` from JSON text: with the browser's parser in the wasm bundle, with `serde_json`
    /// elsewhere (the server never reads its own answers, but tests and the CLI may).
    pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
        #[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
        {
            let parsed = js_sys::JSON::parse(text).map_err(|error| {
                JsonError(
                    error
                        .as_string()
                        .unwrap_or_else(|| "The answer is not JSON.".into()),
                )
            })?;
            serde_wasm_bindgen::from_value(parsed).map_err(|error| JsonError(error.to_string()))
        }
        #[cfg(not(all(feature = "hydrate", target_arch = "wasm32")))]
        {
            serde_json::from_str(text).map_err(|error| JsonError(error.to_string()))
        }
    }
}

impl ContentType for BrowserJson {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for BrowserJson {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for BrowserJson {
    type Error = JsonError;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        Self::write(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for BrowserJson {
    type Error = JsonError;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| JsonError("The answer is not UTF-8 text.".into()))?;
        Self::read(text)
    }
}

impl<T: Serialize> codee::Encoder<T> for BrowserJson {
    type Error = JsonError;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, Self::Error> {
        Self::write(value)
    }
}

impl<T: DeserializeOwned> codee::Decoder<T> for BrowserJson {
    type Error = JsonError;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, Self::Error> {
        Self::read(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiError;
    use crate::domain::usage::FeatureCounts;

    /// The server's side writes what Leptos' `Json` wrote, and reads it back — also the
    /// optional fields the public API leaves out when empty.
    #[test]
    fn answers_are_the_json_serde_json_writes_and_read_back() {
        let counts = FeatureCounts {
            used: 3,
            limit: Some(10),
            remaining: Some(7),
            resets_at: None,
            allowed: true,
            reason: None,
            upgrade_to: None,
        };
        let text = BrowserJson::write(&counts).expect("writes");
        assert_eq!(
            text,
            r#"{"used":3,"limit":10,"remaining":7,"resetsAt":null,"allowed":true}"#
        );
        assert_eq!(
            BrowserJson::read::<FeatureCounts>(&text).expect("reads"),
            counts
        );
        let bytes =
            <BrowserJson as Encodes<ApiError>>::encode(&ApiError::Unauthorized).expect("encodes");
        assert_eq!(&bytes[..], br#""Unauthorized""#);
        let back: ApiError = <BrowserJson as Decodes<ApiError>>::decode(bytes).expect("decodes");
        assert_eq!(back, ApiError::Unauthorized);
    }

    #[test]
    fn an_unreadable_answer_is_an_error_in_words() {
        let error = BrowserJson::read::<FeatureCounts>("{\"used\":").expect_err("cut short");
        assert!(!error.to_string().is_empty());
        let error = <BrowserJson as Decodes<ApiError>>::decode(Bytes::from_static(&[0xff]))
            .expect_err("not text");
        assert_eq!(error.to_string(), "The answer is not UTF-8 text.");
    }
}
