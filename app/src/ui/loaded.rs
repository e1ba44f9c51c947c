//! Data the server renders into the page and the browser reads again: Leptos resources whose
//! hydration and server-function answers share one codec, [`BrowserJson`] (why:
//! `api::browser_json`). Every page reads its data through [`loaded`], never
//! `Resource::new`, whose codec would compile `serde_json`'s parser into the bundle again
//! (`clippy.toml` refuses it, so `make lint` fails on one).

use crate::api::browser_json::BrowserJson;
use leptos::prelude::Resource;
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// A resource hydrated through [`BrowserJson`].
pub type Loaded<T> = Resource<T, BrowserJson>;

/// Reads `fetcher(source())` on the server while rendering, sends it with the page, and in the
/// browser reads it again whenever `source` changes — `Resource::new` with our codec.
#[track_caller]
pub fn loaded<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}
