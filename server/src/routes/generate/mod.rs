//! `POST /api/generate` (contract, ARCHITECTURE §7): authenticate, consume one generation,
//! stream the text, refund when the generator fails.

mod relay;
mod replay;
mod request;

use super::api_error::ApiFailure;
use app::access::caller::{self, CallerError, NoCookie};
use app::access::{AccessError, Metered, Payer, Prepared};
use app::auth::client_ip::ClientIp;
use app::auth::Viewer;
use app::domain::{Decision, Denial, DenyReason};
use app::generation::results;
use app::generation::{GenerationError, GenerationRequest};
use app::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::StreamExt;
use relay::relay;
use replay::replayed;
use request::Asked;

const ROUTE: &str = "/api/generate";

pub async fn generate(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    asked: Asked,
) -> Result<Response, ApiFailure> {
    let no_cookie = NoCookie::NameGuestFrom(ip);
    let caller = caller::identify_payer(
        &state.db,
        &state.site,
        &headers,
        viewer.0.as_ref(),
        no_cookie,
    )
    .await
    .map_err(|e| caller_refused(&state, e))?;
    // A guest named just now gets their cookie whatever happens next.
    let mut response = run(&state, &caller.payer, asked)
        .await
        .unwrap_or_else(IntoResponse::into_response);
    if let Some(cookie) = caller
        .set_cookie
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

async fn run(state: &AppState, payer: &Payer, asked: Asked) -> Result<Response, ApiFailure> {
    let Asked {
        prompt,
        key,
        replayable,
    } = asked;
    let generations = &state.access.product().generations;
    // One read: who pays (an API key's owner too) and what they have used; a "no" it settles
    // is answered without the writer.
    let ready = match state.access.prepare(payer, generations, 1, &key).await {
        Ok(Prepared::Ready(ready)) => ready,
        Ok(Prepared::Refused(refused)) => return Err(ApiFailure::denied(refused, state.db.now())),
        Err(e) => return Err(access_failed(state, e)),
    };
    let subject = ready.subject().clone();
    // Taken before the charge, so a refusal here costs nothing; held until the text is done.
    let slot = state
        .generations_in_flight
        .try_start(&subject.key())
        .ok_or_else(|| too_many_at_once(state.generations_in_flight.max_per_subject()))?;
    let paid = ready
        .metered(|paid| async {
            let request = GenerationRequest {
                prompt: prompt.clone(),
                // Without a value (a catalog that gives none), a modest cap.
                max_tokens: paid
                    .setting(&state.access.product().max_tokens)
                    .unwrap_or(500),
            };
            let text = state.generator.generate(request).await?;
            Ok::<_, GenerationError>((text, paid.refund))
        })
        .await;
    let (text, refund, left) = match paid {
        Ok(Metered::Done {
            output: (text, refund),
            left,
        }) => (text, refund, left),
        Ok(Metered::Failed(e)) => {
            tracing::warn!(error = %e, "the generator refused the request");
            return Err(generator_failed());
        }
        Ok(Metered::Refused(refused)) => return Err(ApiFailure::denied(refused, state.db.now())),
        Ok(Metered::AlreadyDone(now)) => {
            return replayed(state, &subject, generations, &key, &prompt, &now).await
        }
        Ok(Metered::AlreadyRefunded) => return Err(replay::refunded()),
        Err(e) => return Err(access_failed(state, e)),
    };
    let keep = replayable.then(|| {
        let db = state.db.clone();
        let subject = subject.clone();
        move |text: String| async move {
            let saved = results::save(&db, &subject, &key, &prompt, &text, db.now()).await;
            if let Err(e) = saved {
                // The generation stands; only a retry with its key will not find it.
                tracing::warn!(error = %e, "keeping a finished generation for retries failed");
            }
        }
    });
    let on_failure = move || async move { refund.run().await };
    let mut body = Box::pin(relay(text, on_failure, keep, slot).peekable());
    // The headers wait for the first text and go out with it, in one write; a generation that
    // fails before any text (already given back by the relay) is a clean 502, not a broken 200.
    if let Some(Err(_)) = body.as_mut().peek().await {
        return Err(generator_failed());
    }
    Ok(text_response(
        Body::from_stream(body),
        &Decision::Allowed(left),
        false,
    ))
}

/// 200 with the text and what is left: `X-Usage-Remaining` ("unlimited" or a number) and
/// `X-Usage-Limit`.
fn text_response(body: Body, usage: &Decision, replayed: bool) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Proxies such as nginx would otherwise buffer the stream.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    let (remaining, limit) = match usage {
        Decision::Allowed(a) => (a.remaining, a.limit),
        Decision::Denied(d) => (Some(0), d.limit),
    };
    let remaining = remaining.map_or_else(|| "unlimited".to_owned(), |n| n.to_string());
    if let Ok(value) = HeaderValue::from_str(&remaining) {
        headers.insert("x-usage-remaining", value);
    }
    if let Some(limit) = limit {
        headers.insert("x-usage-limit", HeaderValue::from(limit));
    }
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// A caller the route cannot serve: a bad key (401), a banned owner's key (the access
/// module's "banned" 403), or an address that has named all its new guests for today (the
/// guest allowance's 401).
fn caller_refused(state: &AppState, refused: CallerError) -> ApiFailure {
    let denial = |reason, limit| ApiFailure::Denied {
        denial: Denial {
            reason,
            upgrade_to: None,
            resets_at: None,
            limit,
        },
        error: refused.to_string(),
        now: state.db.now(),
    };
    match refused {
        CallerError::InvalidApiKey => {
            ApiFailure::Refused(StatusCode::UNAUTHORIZED, refused.to_string())
        }
        CallerError::TooManyGuests => {
            denial(DenyReason::SignInRequired, Some(state.catalog.guest.total))
        }
        CallerError::Banned => denial(DenyReason::Banned, None),
        CallerError::Db(e) => ApiFailure::internal(ROUTE, e),
    }
}

/// A charge the access module could not answer: a payer who is not there (401), or a fault.
fn access_failed(state: &AppState, failed: AccessError) -> ApiFailure {
    match failed {
        AccessError::UnknownApiKey => caller_refused(state, CallerError::InvalidApiKey),
        AccessError::UnknownSubject => {
            ApiFailure::Refused(StatusCode::UNAUTHORIZED, "Sign in to continue.".into())
        }
        e => ApiFailure::internal(ROUTE, e),
    }
}

/// 502 for a generation that failed before any text; its use was given back.
fn generator_failed() -> ApiFailure {
    ApiFailure::Refused(
        StatusCode::BAD_GATEWAY,
        "The writing service failed, so this generation was not counted. Please try again.".into(),
    )
}

/// 429 for a caller already streaming its maximum of generations; nothing was charged.
fn too_many_at_once(max: usize) -> ApiFailure {
    ApiFailure::Busy {
        error: format!(
            "You already have {max} generations running at once. Wait for one to finish, then try again (nothing was counted)."
        ),
        retry_after: 1,
    }
}
