//! Accepted connections send every write at once (`TCP_NODELAY`).
//!
//! A streamed answer — the text of `POST /api/generate`, the event stream — is many small
//! writes. With Nagle's algorithm each write after the first waits until the client has
//! acknowledged the one before, and clients delay that acknowledgement (~40 ms on Linux): every
//! streamed generation took at least ~44 ms whatever the server did, which held the allowed
//! path at ~1,400 req/s with 64 connections on any machine. Measured in one stop, same build
//! otherwise: 1,403–1,405 → 3,498–4,037 req/s (README, "Speed under load"). axum's `serve`
//! leaves the option off, so it is set here on every accepted connection.

use axum::serve::{ListenerExt, TapIo};
use tokio::net::{TcpListener, TcpStream};

/// `listener`, with Nagle's algorithm off on every connection it accepts (a concrete type:
/// axum knows a tapped `TcpListener`'s peer address for `ConnectInfo`).
pub fn sending_at_once(listener: TcpListener) -> TapIo<TcpListener, fn(&mut TcpStream)> {
    listener.tap_io(send_at_once)
}

fn send_at_once(stream: &mut TcpStream) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "TCP_NODELAY could not be set on a connection");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::serve::Listener;

    #[tokio::test]
    async fn accepted_connections_send_at_once() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("its address");
        let mut listener = sending_at_once(listener);
        let ((accepted, _), client) = tokio::join!(listener.accept(), TcpStream::connect(addr));
        client.expect("connect");
        assert!(accepted.nodelay().expect("read TCP_NODELAY"));
    }
}
