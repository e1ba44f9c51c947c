//! `POST /api/generate` (contract, ARCHITECTURE §7): authenticate, consume one generation,
//! stream the text, refund when the generator fails.

mod relay;

use super::api_error::{denial_response, internal_error, json_error, worded_denial};
use app::access::caller::{self, CallerError, NoCookie};
use app::access::{AccessError, Replay, Subject};
use app::auth::client_ip::ClientIp;
use app::auth::token::SecretToken;
use app::auth::{unix_now, Viewer};
use app::domain::{Decision, Denial, DenyReason, FeatureId, IdempotencyKey};
use app::generation::results::{self, Kept};
use app::generation::GenerationRequest;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;
use relay::relay;
use serde::Deserialize;

/// Prompts longer than this are refused rather than silently cut.
const MAX_PROMPT_CHARS: usize = 8_000;

#[derive(Debug, Deserialize)]
struct GenerateBody {
    prompt: Option<String>,
}

/// JSON from API clients and the page's script; a urlencoded form from the page without
/// JavaScript (the browser then shows the streamed text as a plain page).
fn parse_prompt(body: &[u8], form: bool) -> Result<String, String> {
    let parsed: Result<GenerateBody, ()> = if form {
        serde_urlencoded::from_bytes(body).map_err(|_| ())
    } else {
        serde_json::from_slice(body).map_err(|_| ())
    };
    let parsed = parsed
        .map_err(|()| "Send JSON like {\"prompt\": \"Write a haiku about tea\"}.".to_owned())?;
    let prompt = parsed.prompt.unwrap_or_default();
    let prompt = prompt.trim();
    if prompt.is_empty() {
        return Err("Write a prompt first: `prompt` is empty.".into());
    }
    if prompt.chars().count() > MAX_PROMPT_CHARS {
        return Err(format!(
            "The prompt is too long: at most {MAX_PROMPT_CHARS} characters."
        ));
    }
    Ok(prompt.to_owned())
}

pub async fn generate(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let prompt = match parse_prompt(&body, form) {
        Ok(prompt) => prompt,
        Err(message) => return json_error(StatusCode::BAD_REQUEST, message),
    };
    // Only a key the client chose can be sent again (`replayable`), so only then is the text
    // kept; without one, a random key still makes the charge and its refund one pair.
    let (key, replayable) = match headers.get("idempotency-key") {
        Some(raw) => match raw
            .to_str()
            .map_err(|_| ())
            .and_then(|raw| IdempotencyKey::parse(raw).map_err(|_| ()))
        {
            Ok(key) => (key, true),
            Err(()) => return json_error(
                StatusCode::BAD_REQUEST,
                "Idempotency-Key must be 1 to 100 visible ASCII characters (for example a UUID).",
            ),
        },
        None => match IdempotencyKey::parse(SecretToken::generate().expose()) {
            Ok(key) => (key, false),
            Err(e) => return internal(e),
        },
    };
    let no_cookie = NoCookie::NameGuestFrom(ip);
    let caller = match caller::identify(
        &state.db,
        &state.site,
        &headers,
        viewer.0.as_ref(),
        no_cookie,
    )
    .await
    {
        Ok(caller) => caller,
        Err(CallerError::InvalidApiKey) => {
            return json_error(
                StatusCode::UNAUTHORIZED,
                CallerError::InvalidApiKey.to_string(),
            )
        }
        Err(CallerError::TooManyGuests) => return too_many_guests(&state),
        Err(CallerError::Banned) => return banned(),
        Err(CallerError::Db(e)) => return internal(e),
    };
    let mut response = run(&state, &caller.subject, prompt, key, replayable).await;
    if let Some(cookie) = caller
        .set_cookie
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

async fn run(
    state: &AppState,
    subject: &Subject,
    prompt: String,
    key: IdempotencyKey,
    replayable: bool,
) -> Response {
    let generations = match FeatureId::parse("generations") {
        Ok(id) if state.catalog.feature(&id).is_some() => id,
        _ => return internal("the plan catalog has no `generations` feature"),
    };
    // Taken before the charge, so a refusal here costs nothing; held until the text is done.
    let Some(slot) = state.generations_in_flight.try_start(&subject.key()) else {
        return too_many_at_once(state.generations_in_flight.max_per_subject());
    };
    let consumption = match state.access.consume(subject, &generations, 1, &key).await {
        Ok(c) => c,
        Err(AccessError::UnknownSubject) => {
            return json_error(StatusCode::UNAUTHORIZED, "Sign in to continue.")
        }
        Err(e) => return internal(e),
    };
    if let Some(replay) = consumption.replay {
        return replayed(state, subject, &key, &prompt, replay, &consumption.decision).await;
    }
    let allowance = match consumption.decision {
        Decision::Allowed(a) => a,
        Decision::Denied(denial) => {
            let feature = state.catalog.feature(&generations).cloned();
            return match feature {
                Some(f) => denial_response(&state.catalog, &f, &denial, unix_now()),
                None => internal("feature vanished"),
            };
        }
    };
    // A catalog without `max_tokens` (or a failed lookup, logged) falls back to a modest cap
    // rather than refusing a generation that was already paid for.
    let max_tokens = match FeatureId::parse("max_tokens") {
        Ok(id) => match state.access.setting(subject, &id).await {
            Ok(value) => value,
            Err(e) => {
                tracing::warn!(error = %e, "max_tokens lookup failed; using 500");
                None
            }
        },
        Err(_) => None,
    }
    .unwrap_or(500);
    let request = GenerationRequest {
        prompt: prompt.clone(),
        max_tokens,
    };
    let refund = {
        let access = state.access.clone();
        let subject = subject.clone();
        let generations = generations.clone();
        let key = key.clone();
        move || async move {
            match access.refund(&subject, &generations, &key).await {
                Ok(_) => tracing::info!("generation failed; the use was refunded"),
                Err(e) => tracing::error!(error = %e, "refunding a failed generation failed"),
            }
        }
    };
    let text = match state.generator.generate(request).await {
        Ok(text) => text,
        Err(e) => {
            tracing::warn!(error = %e, "the generator refused the request");
            refund().await;
            return json_error(
                StatusCode::BAD_GATEWAY,
                "The writing service failed, so this generation was not counted. Please try again.",
            );
        }
    };
    let keep = replayable.then(|| {
        let db = state.db.clone();
        let subject = subject.clone();
        move |text: String| async move {
            let saved = results::save(&db, &subject, &key, &prompt, &text, unix_now()).await;
            if let Err(e) = saved {
                // The generation stands; only a retry with its key will not find it.
                tracing::warn!(error = %e, "keeping a finished generation for retries failed");
            }
        }
    });
    let body = relay(text, refund, keep, slot);
    text_response(
        Body::from_stream(body),
        &Decision::Allowed(allowance),
        false,
    )
}

/// A request whose Idempotency-Key was used before: it never runs the model again. A finished
/// generation is sent again as it was; otherwise the client learns why, and that a new key
/// starts a new (counted) generation.
async fn replayed(
    state: &AppState,
    subject: &Subject,
    key: &IdempotencyKey,
    prompt: &str,
    replay: Replay,
    now: &Decision,
) -> Response {
    if replay == Replay::Refunded {
        return json_error(
            StatusCode::CONFLICT,
            "The generation sent with this Idempotency-Key failed and was not counted. \
             Send a new Idempotency-Key to try again.",
        );
    }
    match results::find(&state.db, subject, key, prompt, unix_now()).await {
        Ok(Some(Kept::Text(text))) => text_response(Body::from(text), now, true),
        Ok(Some(Kept::OtherPrompt)) => json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This Idempotency-Key was already used for a different prompt. \
             Send a new Idempotency-Key for a new request.",
        ),
        Ok(None) => not_kept(state, subject, key).await,
        Err(e) => internal(e),
    }
}

/// A key charged before whose text is not (or no longer) kept: still running, or sent too
/// late for a replay. A late key is told so plainly — it will never work again — rather than
/// hearing "still running" forever.
async fn not_kept(state: &AppState, subject: &Subject, key: &IdempotencyKey) -> Response {
    let generations = match FeatureId::parse("generations") {
        Ok(id) => id,
        Err(e) => return internal(e),
    };
    match state.access.charged_at(subject, &generations, key).await {
        Ok(Some(at)) if unix_now() - at >= results::KEPT_FOR_SECS => json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This Idempotency-Key was used more than 24 hours ago; its text is no longer kept and \
             the key cannot be used again. Send a new Idempotency-Key to generate again.",
        ),
        Ok(_) => json_error(
            StatusCode::CONFLICT,
            "A generation with this Idempotency-Key is still running, or did not finish (it was \
             counted once). Try again in a moment, or send a new Idempotency-Key to generate again.",
        ),
        Err(e) => internal(e),
    }
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
    if let Some(limit) = limit.and_then(|l| HeaderValue::from_str(&l.to_string()).ok()) {
        headers.insert("x-usage-limit", limit);
    }
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// 429 for a caller already streaming its maximum of generations; nothing was charged.
fn too_many_at_once(max: usize) -> Response {
    let mut response = json_error(
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "You already have {max} generations running at once. Wait for one to finish, then try again (nothing was counted)."
        ),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// A banned owner's API key: the access module's "banned" answer, before any work.
fn banned() -> Response {
    let denial = Denial {
        reason: DenyReason::Banned,
        upgrade_to: None,
        resets_at: None,
        limit: None,
    };
    worded_denial(&denial, CallerError::Banned.to_string(), unix_now())
}

/// The guest allowance's 401, for an address that has named all its new guests for today.
fn too_many_guests(state: &AppState) -> Response {
    let denial = Denial {
        reason: DenyReason::SignInRequired,
        upgrade_to: None,
        resets_at: None,
        limit: Some(state.catalog.guest.total),
    };
    worded_denial(&denial, CallerError::TooManyGuests.to_string(), unix_now())
}

fn internal(cause: impl std::fmt::Display) -> Response {
    internal_error("/api/generate", cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_come_as_json_or_a_form_non_empty_and_bounded() {
        assert_eq!(parse_prompt(br#"{"prompt":" hi "}"#, false).unwrap(), "hi");
        assert_eq!(parse_prompt(b"prompt=a+b%21", true).unwrap(), "a b!");
        assert!(parse_prompt(b"hi", false)
            .unwrap_err()
            .contains("Send JSON"));
        let blank = parse_prompt(br#"{"prompt":"  "}"#, false).unwrap_err();
        assert!(blank.contains("empty"));
        assert!(parse_prompt(br#"{}"#, false).unwrap_err().contains("empty"));
        let long = format!(r#"{{"prompt":"{}"}}"#, "a".repeat(MAX_PROMPT_CHARS + 1));
        let err = parse_prompt(long.as_bytes(), false).unwrap_err();
        assert!(err.contains("too long"));
    }
}
