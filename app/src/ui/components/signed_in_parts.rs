//! The parts of every page's shell that only a signed-in viewer sees — the header's allowance
//! counter, the signed-in menu, the billing notices and the unpaid dialog — as lazy functions:
//! their code is in wasm files of their own (`cargo leptos … --split`), so a visitor's first
//! load does not carry it (issue 9, first load ≤ 250 KB; docs/architecture.md, "Bundle size").
//!
//! Hydration cannot wait for a file inside the shell: a `Suspend` polls its future once while
//! it hydrates and, if that is not ready, hydrates nothing where the server drew the part. So
//! the wasm entry point loads the files of the parts the server drew first ([`SIGNED_IN_MARKER`],
//! [`NOTICES_MARKER`], [`preload_drawn`]); by then each call below is ready at its first poll.
//! After hydration (a state read again) a call may wait for its file, which `Transition`
//! covers by keeping the part as it was. On the server they are plain functions.

use super::header_counter::HeaderCounter;
use super::site_header::SignedIn;
use super::status_notices::Notices;
use crate::api::wire::{ShellState, ViewerInfo};
use crate::domain::status_notice::StatusNotice;
use crate::domain::usage_words::Counter;
use leptos::prelude::*;

/// The attribute the signed-in menu's account link carries (`site_header::SignedIn`), by which
/// the wasm entry point knows to load the header's parts ([`preload_drawn`]). Were it missing,
/// a signed-in page's header would not hydrate — every signed-in end-to-end test would fail.
pub const SIGNED_IN_MARKER: &str = "data-signed-in";

/// The attribute around the billing notices when the server drew them: only then are their
/// files loaded before hydration (most signed-in pages have none: 17 files beyond the header's,
/// ~24 KB gzip, not fetched).
pub const NOTICES_MARKER: &str = "data-billing-notices";

/// The header's allowance counter.
#[lazy]
pub fn allowance_counter(counter: Counter) -> AnyView {
    view! { <HeaderCounter counter /> }.into_any()
}

/// The signed-in menu: the product's links, the user button, sign-out.
#[lazy]
pub fn signed_in_menu(me: ViewerInfo, status: Option<StatusNotice>) -> AnyView {
    view! { <SignedIn me status /> }.into_any()
}

/// The billing notices under the header and the unpaid dialog (`path`: the page shown), in an
/// element that only marks them ([`NOTICES_MARKER`]; `display: contents`, no box of its own).
#[lazy]
pub fn billing_notices(state: ShellState, path: String) -> AnyView {
    view! {
        <div class="contents" data-billing-notices="">
            <Notices state path />
        </div>
    }
    .into_any()
}

/// Loads the files of the parts the server drew on this page, found by their markers (at once,
/// in parallel).
#[cfg(feature = "hydrate")]
pub async fn preload_drawn(document: &web_sys::Document) {
    let drawn = |marker: &str| {
        document
            .query_selector(&format!("[{marker}]"))
            .ok()
            .flatten()
            .is_some()
    };
    let (signed_in, notices) = (drawn(SIGNED_IN_MARKER), drawn(NOTICES_MARKER));
    futures_util::future::join3(
        async {
            if signed_in {
                __preload_allowance_counter().await;
            }
        },
        async {
            if signed_in {
                __preload_signed_in_menu().await;
            }
        },
        async {
            if notices {
                __preload_billing_notices().await;
            }
        },
    )
    .await;
}
