//! Every HTTP route of the app in one place.

use crate::health::healthz;
use crate::middleware::headers::with_security_headers;
use crate::middleware::visitor_pages::{serve_visitor_pages, VisitorPages};
use crate::middleware::{csrf, session};
use crate::routes::{
    account, admin, auth, billing, design, events, generate, oauth, stripe_webhook,
    tracked_accounts, tutors, usage,
};
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::handler::Handler;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeader;
use tower_http::trace::TraceLayer;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    // The compiled wasm, js and css and the files of `public/` come straight from the site
    // root; anything else gets the app's 404 page. Static files do not go through
    // `file_and_error_handler` alone: it builds their response inside a reactive owner that can
    // inherit the `ResponseOptions` of a page rendered at the same moment on the same thread —
    // the e2e suite caught `tollgate.wasm` sent with status 404 (and its full body) while
    // another browser was being shown the 404 page.
    let not_found = leptos_axum::file_and_error_handler::<AppState, _>(shell);
    let site_root = Path::new(state.leptos_options.site_root.as_ref());
    let static_files =
        always_revalidated(site_files(site_root).fallback(not_found.with_state(state.clone())));
    // The bundles (`/pkg/…`: wasm, js, css and the split-out page files) are the same for
    // everyone and read nothing of the request, so they skip the layers that learn who is
    // asking: a signed-in browser's first visit to a lazy page fetches dozens of them, and
    // each one used to cost a session read (and a 503 while the database was down). A missing
    // one is a plain 404, not the app's page.
    let pkg = state.leptos_options.site_pkg_dir.to_string();
    let bundles = Router::new().nest_service(
        &format!("/{pkg}"),
        always_revalidated(site_files(&site_root.join(&pkg))),
    );
    let https = state.site.secure_cookies();
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/api/generate", post(generate::generate))
        .route("/api/usage", get(usage::usage))
        .route("/api/events", get(events::events))
        .route("/api/webhooks/stripe", post(stripe_webhook::stripe))
        .route("/auth/email", post(auth::request_link))
        .route(
            "/auth/email/callback",
            get(auth::open_old_link).post(auth::redeem_link),
        )
        .route("/auth/logout", post(auth::logout))
        .route("/auth/oauth/{provider}", get(oauth::start))
        .route("/auth/oauth/{provider}/callback", get(oauth::callback))
        .route("/account/sessions/revoke", post(account::revoke_session))
        .route("/account/api-keys", post(account::create_api_key))
        .route("/account/api-keys/revoke", post(account::revoke_api_key))
        .route("/accounts", post(tracked_accounts::add))
        .route("/accounts/delete", post(tracked_accounts::delete))
        .route("/tutors/start", post(tutors::start))
        .route("/billing/checkout", post(billing::checkout))
        .route("/billing/success", get(billing::success))
        .route("/billing/test-checkout/{id}/pay", post(billing::test_pay))
        .route("/billing/portal", post(billing::portal))
        .route("/billing/credits", post(billing::buy_credits))
        .route("/billing/test-portal", post(billing::test_portal))
        .route("/design/switch", post(design::switch))
        .route("/admin/users/ban", post(admin::ban))
        .route("/admin/users/unban", post(admin::unban))
        .route(
            "/account/sessions/revoke-others",
            post(account::revoke_other_sessions),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            app::api::request_reads::provide,
            move || shell(options.clone()),
        )
        .fallback_service(static_files)
        // Outermost first: trace, security headers, a visitor's landing pages from memory,
        // refuse cross-site writes, then learn who is asking.
        .layer(from_fn_with_state(state.clone(), session::resolve_session))
        .layer(from_fn_with_state(state.clone(), csrf::check_origin))
        .layer(from_fn_with_state(VisitorPages::new(), serve_visitor_pages))
        .merge(bundles);
    // Spans name the path only: a query may hold a sign-in token, which never goes to a log.
    let trace = TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
        tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
    });
    with_security_headers(router, https)
        .layer(trace)
        .with_state(state)
}

/// The files under `dir`, with the precompressed copies (`--precompress`: `.br`, `.gz`) sent to
/// browsers that accept them.
fn site_files(dir: &Path) -> ServeDir {
    ServeDir::new(dir).precompressed_gzip().precompressed_br()
}

/// `files` with the headers caches need. `Cache-Control: no-cache`: browsers revalidate (a 304
/// from `Last-Modified`) instead of guessing how long a file stays fresh — bundle names carry
/// no hash, and a cached old `tollgate.wasm` beside the split-out page files of a new build
/// would fail to load them. `Vary: Accept-Encoding`: one address answers with the brotli, the
/// gzip or the plain copy, and a shared cache (a CDN, a proxy) that stored the brotli one
/// would otherwise revalidate it for a browser that accepts only gzip and hand it over.
fn always_revalidated<S>(
    files: S,
) -> SetResponseHeader<SetResponseHeader<S, HeaderValue>, HeaderValue> {
    let revalidated = SetResponseHeader::if_not_present(
        files,
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    SetResponseHeader::appending(
        revalidated,
        header::VARY,
        HeaderValue::from_static("accept-encoding"),
    )
}
