//! A local OpenAI-compatible chat-completions server that speaks real HTTP and SSE. What it does
//! depends on the prompt: `upstream-down` → 500; `break-midway` → one chunk, then the
//! connection drops; `break-at-once` → a 200 whose stream drops before any text; `hold` → "Hello", then waits for [`FakeOpenAi::release`] before the rest;
//! anything else → "Fake reply to: <prompt>" in word chunks.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

pub const API_KEY: &str = "sk-test-fake";

#[derive(Default)]
struct Inner {
    requests: Mutex<Vec<Value>>,
    release: Notify,
}

#[derive(Clone)]
pub struct FakeOpenAi {
    pub base_url: String,
    inner: Arc<Inner>,
}

impl FakeOpenAi {
    pub async fn start() -> Self {
        let inner = Arc::new(Inner::default());
        let app = Router::new()
            .route("/v1/chat/completions", post(completions))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            base_url: format!("http://{addr}/v1"),
            inner,
        }
    }

    /// Bodies of the requests received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.inner.requests.lock().unwrap().clone()
    }

    /// Lets a `hold` generation finish.
    pub fn release(&self) {
        self.inner.release.notify_one();
    }
}

fn sse(text: &str) -> Bytes {
    let chunk = json!({"choices": [{"index": 0, "delta": {"content": text}}]});
    Bytes::from(format!("data: {chunk}\n\n"))
}

async fn completions(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok())
        != Some(&format!("Bearer {API_KEY}"))
    {
        return (StatusCode::UNAUTHORIZED, "bad key").into_response();
    }
    inner.requests.lock().unwrap().push(body.clone());
    let prompt = body
        .pointer("/messages/0/content")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if body.get("stream") != Some(&json!(true)) {
        return (StatusCode::BAD_REQUEST, "expected stream: true").into_response();
    }
    let sse_response = |body: Body| {
        Response::builder()
            .header("content-type", "text/event-stream")
            .body(body)
            .unwrap()
    };
    if prompt.contains("upstream-down") {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": {"message": "The server is overloaded"}})),
        )
            .into_response();
    }
    if prompt.contains("break-midway") {
        // The pause lets the headers and first chunk go out before the connection drops.
        let first = stream::once(async { Ok::<_, std::io::Error>(sse("Partial")) });
        let failure = stream::once(async {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            Err(std::io::Error::other("connection lost"))
        });
        return sse_response(Body::from_stream(first.chain(failure)));
    }
    if prompt.contains("break-at-once") {
        let failure =
            stream::once(async { Err::<Bytes, _>(std::io::Error::other("connection lost")) });
        return sse_response(Body::from_stream(failure));
    }
    if prompt.contains("hold") {
        let first = stream::once(async { Ok::<_, std::io::Error>(sse("Hello")) });
        let rest = stream::once(async move {
            inner.release.notified().await;
            Ok(Bytes::from(format!(
                "{}data: [DONE]\n\n",
                std::str::from_utf8(&sse(" world")).unwrap()
            )))
        });
        return sse_response(Body::from_stream(first.chain(rest)));
    }
    let mut chunks: Vec<Result<Bytes, std::io::Error>> = vec![Ok(Bytes::from(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n",
    ))];
    for (i, word) in format!("Fake reply to: {prompt}").split(' ').enumerate() {
        let word = if i == 0 {
            word.to_owned()
        } else {
            format!(" {word}")
        };
        chunks.push(Ok(sse(&word)));
    }
    chunks.push(Ok(Bytes::from("data: [DONE]\n\n")));
    sse_response(Body::from_stream(stream::iter(chunks)))
}
