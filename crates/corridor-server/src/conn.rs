//! The connection layer of `corridor serve`: an accept loop with a connection limit and timeouts,
//! serving each connection with hyper so that the timeouts can be set (axum's `serve` has none).
//!
//! * At most `max_connections` connections are served at once; one more is answered with a 503
//!   JSON error and closed at once, so an idle-connection flood cannot exhaust the open-file
//!   limit and starve normal requests (each served connection holds a permit until it closes).
//! * A request's headers must arrive within `header_timeout_secs`; hyper applies the same timer
//!   while a kept-alive connection waits for its next request, so idle and slow-header
//!   connections are closed. Bodies have their own limit (`body_timeout_secs`, in `api.rs`).
//! * Accept errors (e.g. out of file descriptors) are logged and retried after a pause instead of
//!   ending the server.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use super::limits::Limits;

/// The reply to a connection beyond the limit (HTTP/1.1; the connection is then closed).
fn over_limit_response(max: usize) -> Vec<u8> {
    let body = format!(
        r#"{{"error":"too many connections: at most {max} are served at once; retry shortly","kind":"limit","limit":"max_connections","max":{max}}}"#
    );
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let header_timeout = Duration::from_secs(limits.header_timeout_secs);
    let refusal: Arc<[u8]> = over_limit_response(limits.max_connections).into();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = &mut shutdown => return,
        };
        let (stream, _peer) = match accepted {
            Ok(x) => x,
            Err(e) => {
                tracing::warn!("accept failed: {e}; retrying");
                eprintln!("corridor serve: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                let svc = TowerToHyperService::new(app.clone());
                tokio::spawn(async move {
                    let mut http = hyper::server::conn::http1::Builder::new();
                    http.timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
                    let _ = http.serve_connection(TokioIo::new(stream), svc).await;
                    drop(permit);
                });
            }
            Err(_) => {
                let refusal = refusal.clone();
                tokio::spawn(async move {
                    let mut stream = stream;
                    let _ = tokio::time::timeout(Duration::from_secs(2), stream.write_all(&refusal)).await;
                    let _ = stream.shutdown().await;
                });
            }
        }
    }
}
