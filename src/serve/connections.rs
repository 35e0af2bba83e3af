//! The server's connections: how many at once and how long a client may
//! take to send a request, so that stalled clients cannot take every file
//! the process may open (`axum::serve` sets neither).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client may take to send a request's head, counted from when
/// it connects or from the end of its previous response: a browser sends
/// it at once. hyper starts this timer whenever it waits for a head
/// (`Conn::poll_read_head`, called again by `State::idle` after each
/// response), so it is also the idle timeout of kept-alive connections;
/// a response being sent, such as a page's event stream, is not timed.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most connections served at once: a browser opens six to a site and
/// each open page holds one more for its events; clients beyond wait in
/// the listen queue, which takes no file of ours.
const MAX_CONNECTIONS: usize = 512;

/// However few files the process may open, enough for a few pages.
const MIN_CONNECTIONS: usize = 8;

/// Files kept for the rest of the process (the build, the watcher, the
/// runtime) out of those it may open.
const RESERVED_FILES: u64 = 64;

/// How long to wait before accepting again when accepting failed for want
/// of files or memory (trying again at once would only spin).
const ACCEPT_PAUSE: Duration = Duration::from_secs(1);

/// The address of a connection's client.
#[derive(Debug, Clone, Copy)]
pub(super) struct Peer(pub std::net::SocketAddr);

/// Serves `router` to the clients of `listener`, forever. `failed` hears of
/// the first of a series of failures to accept a client (other than
/// clients gone before they were accepted).
pub(super) async fn serve(listener: TcpListener, router: Router, failed: impl Fn(std::io::Error)) {
    let slots = Arc::new(Semaphore::new(connection_cap(file_limit())));
    let mut failing = false;
    loop {
        // A client beyond the cap waits to be accepted, taking no file.
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, peer)) => {
                failing = false;
                // Small responses go out at once: without it a reload's
                // requests wait on delayed acknowledgements.
                let _ = stream.set_nodelay(true);
                // Handlers that answer this computer only ask who it is.
                let router = router.clone().layer(axum::Extension(Peer(peer)));
                let connection = connection(stream, router);
                tokio::spawn(async move {
                    // A client that went away or stalled is not news.
                    let _ = connection.await;
                    drop(slot);
                });
            }
            Err(err) if gone(&err) => {}
            Err(err) => {
                if !failing {
                    failed(err);
                }
                failing = true;
                tokio::time::sleep(ACCEPT_PAUSE).await;
            }
        }
    }
}

/// Whether accepting failed only because the client had already left.
fn gone(err: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

/// One client's connection, served until it closes or stalls.
fn connection<I>(io: I, router: Router) -> impl Future<Output = Result<(), hyper::Error>> + Send
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(io), TowerToHyperService::new(router))
}

/// How many connections may be open at once when the process may open
/// `files` files (`None`: no limit): half of those left by the rest of the
/// process, since a connection may also be reading a file to send.
fn connection_cap(files: Option<u64>) -> usize {
    let Some(files) = files else {
        return MAX_CONNECTIONS;
    };
    let half = files.saturating_sub(RESERVED_FILES) / 2;
    usize::try_from(half)
        .unwrap_or(MAX_CONNECTIONS)
        .clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
}

/// How many files the process may open (`ulimit -n`).
#[cfg(unix)]
fn file_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(not(unix))]
fn file_limit() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

    /// A connection served on one end of an in-memory pipe, a page at `/`
    /// and a response that never ends at `/events`: the client's end.
    fn client() -> DuplexStream {
        let (client, server) = tokio::io::duplex(4096);
        let endless = || async {
            let stream = tokio_stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
            axum::body::Body::from_stream(stream)
        };
        let router = Router::new()
            .route("/", get(|| async { "page" }))
            .route("/events", get(endless));
        tokio::spawn(connection(server, router));
        client
    }

    /// Reads until the server closes the connection: what it sent. Fails
    /// if it is still open long after the timeout.
    async fn until_closed(client: &mut DuplexStream) -> String {
        let mut text = Vec::new();
        let read = tokio::time::timeout(HEADER_TIMEOUT * 10, client.read_to_end(&mut text)).await;
        assert!(
            read.is_ok(),
            "still open: {}",
            String::from_utf8_lossy(&text)
        );
        String::from_utf8_lossy(&text).into_owned()
    }

    /// Reads one response to `GET /` (its length is known).
    async fn read_page(client: &mut DuplexStream) -> String {
        let mut text = String::new();
        let mut buffer = [0; 1024];
        while !text.ends_with("page") {
            let read = client.read(&mut buffer).await.unwrap();
            assert!(read > 0, "closed: {text}");
            text.push_str(&String::from_utf8_lossy(&buffer[..read]));
        }
        text
    }

    /// Whether `elapsed` is `expected`, give or take the timer's tick.
    fn about(elapsed: Duration, expected: Duration) -> bool {
        elapsed >= expected && elapsed <= expected + Duration::from_millis(5)
    }

    // The clock is paused: it jumps to the next timer whenever every task
    // waits, so these tests take no time.
    #[tokio::test(start_paused = true)]
    async fn a_client_that_sends_nothing_or_half_a_head_is_dropped() {
        let started = tokio::time::Instant::now();
        assert_eq!(until_closed(&mut client()).await, "");
        assert!(
            about(started.elapsed(), HEADER_TIMEOUT),
            "{:?}",
            started.elapsed()
        );

        let started = tokio::time::Instant::now();
        let mut half = client();
        half.write_all(b"GET / HTTP/1.1\r\nHost: 12").await.unwrap();
        assert_eq!(until_closed(&mut half).await, "");
        assert!(
            about(started.elapsed(), HEADER_TIMEOUT),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_kept_alive_connection_is_closed_when_idle() {
        let mut client = client();
        let request = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        client.write_all(request).await.unwrap();
        assert!(read_page(&mut client).await.starts_with("HTTP/1.1 200"));
        // Just under the timeout: the connection still serves.
        tokio::time::sleep(HEADER_TIMEOUT - Duration::from_millis(100)).await;
        client.write_all(request).await.unwrap();
        assert!(read_page(&mut client).await.starts_with("HTTP/1.1 200"));
        let idle = tokio::time::Instant::now();
        assert_eq!(until_closed(&mut client).await, "");
        assert!(
            about(idle.elapsed(), HEADER_TIMEOUT),
            "{:?}",
            idle.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_response_in_progress_is_never_cut() {
        let mut client = client();
        let request = b"GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n";
        client.write_all(request).await.unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            head.push(client.read_u8().await.unwrap());
        }
        assert!(head.starts_with(b"HTTP/1.1 200"));
        // The body never comes, and the connection stays.
        let mut more = [0; 1];
        let waited = tokio::time::timeout(HEADER_TIMEOUT * 30, client.read(&mut more)).await;
        assert!(waited.is_err(), "the stream ended: {waited:?}");
    }

    #[test]
    fn the_cap_leaves_files_for_the_rest() {
        assert_eq!(connection_cap(None), MAX_CONNECTIONS);
        assert_eq!(connection_cap(Some(1 << 20)), MAX_CONNECTIONS);
        // The usual limits: Linux's 1024, macOS's 256.
        assert_eq!(connection_cap(Some(1024)), 480);
        assert_eq!(connection_cap(Some(256)), 96);
        assert_eq!(connection_cap(Some(20)), MIN_CONNECTIONS);
    }
}
