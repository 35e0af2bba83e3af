//! `portail serve`: builds the site into a private folder, serves it over
//! HTTP, rebuilds when a source changes and tells open pages to reload
//! (or shows them the errors of a failed rebuild).

mod cms;
mod connections;
mod files;
mod guard;
mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tokio_stream::{Stream, StreamExt, wrappers::WatchStream};

use crate::build::BuildOptions;
use crate::diagnostics::Diagnostic;
use crate::messages::MessageLang;
use crate::rebuild::{Moved, OpenPages, Rebuilder, Rebuilt, SearchRebuilt};
use files::Resolved;

pub use files::resolve;

/// What `portail serve` was asked for.
pub struct ServeOptions {
    /// Site folder and `--drafts`; the output and base URL are the server's.
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// The language of the errors shown over the pages.
    pub lang: MessageLang,
    /// Whether each build reports where its time went.
    pub timings: bool,
}

/// What happens, for the command line to tell the author.
pub enum ServeEvent {
    Listening(String),
    Built {
        elapsed: Duration,
        changed: Vec<String>,
        /// What was rendered anew, and the warnings.
        rebuilt: Rebuilt,
    },
    /// The search indexes followed the pages.
    Indexed {
        elapsed: Duration,
        /// Whether this is the first build.
        first: bool,
        search: SearchRebuilt,
    },
    Failed {
        changed: Vec<String>,
        /// Sorted, as printed by `build`.
        errors: Vec<Diagnostic>,
    },
    /// Something wrong that does not stop the server.
    Warning(Diagnostic),
}

/// The state every open page follows.
#[derive(Debug, Clone, Default)]
struct BuildState {
    /// Numbers successful builds. It starts from the clock, so that a page
    /// left open while `serve` restarted counts as older than any build of
    /// the new server.
    generation: u64,
    /// The last build after which open pages load whole again; those after
    /// it changed only Markdown files, whose pages can replace their
    /// content in place (stylesheets, scripts and images as they were).
    full: u64,
    /// Whether a failed build had changes besides Markdown files, which the
    /// next good build brings.
    full_due: bool,
    /// The pages the last build moved: old URL → new URL.
    moved: BTreeMap<String, String>,
    /// The open pages this build wrote ahead of its other files (output
    /// paths), which are served before the rest is written.
    ahead: BTreeSet<String>,
    /// The errors of the last build, if it failed.
    errors: Vec<ErrorPayload>,
}

impl BuildState {
    fn new() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64);
        BuildState {
            generation: now,
            ..BuildState::default()
        }
    }
}

/// Whether a rebuild for `changed` touched only Markdown files (the first
/// build, with nothing changed, is not).
fn text_only(changed: &[String]) -> bool {
    !changed.is_empty()
        && changed
            .iter()
            .all(|path| path.starts_with("content/") && path.ends_with(".md"))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct ErrorPayload {
    file: Option<String>,
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
    /// "help" in the reader's language, for the overlay to put before `help`.
    help_label: String,
}

impl ErrorPayload {
    fn from_diagnostic(d: &Diagnostic, lang: MessageLang) -> Self {
        ErrorPayload {
            file: d.location.as_ref().map(|l| l.path.clone()),
            line: d.location.as_ref().map_or(0, |l| l.line),
            column: d.location.as_ref().map_or(0, |l| l.column),
            message: d.message.render(lang),
            help: d.help.as_ref().map(|h| h.render(lang)),
            help_label: msg!("report.help").render(lang),
        }
    }
}

struct App {
    /// The canonical output folder.
    output: PathBuf,
    state: tokio::sync::watch::Receiver<BuildState>,
    /// The last build generation whose files are all written.
    settled: tokio::sync::watch::Receiver<u64>,
    open: Arc<OpenPaths>,
    awaited: Arc<Awaited>,
}

/// The pages open in browsers (output paths, with how many times each),
/// as their live scripts said when they connected.
#[derive(Default)]
struct OpenPaths(Mutex<BTreeMap<String, usize>>);

impl OpenPaths {
    /// Counts `path` open until the guard is dropped.
    fn open(self: &Arc<Self>, path: String) -> OpenGuard {
        if let Ok(mut open) = self.0.lock() {
            *open.entry(path.clone()).or_default() += 1;
        }
        OpenGuard {
            paths: Arc::clone(self),
            path,
        }
    }

    fn paths(&self) -> BTreeSet<String> {
        self.0
            .lock()
            .map(|open| open.keys().cloned().collect())
            .unwrap_or_default()
    }
}

struct OpenGuard {
    paths: Arc<OpenPaths>,
    path: String,
}

impl Drop for OpenGuard {
    fn drop(&mut self) {
        if let Ok(mut open) = self.paths.0.lock()
            && let Some(count) = open.get_mut(&self.path)
        {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.path);
            }
        }
    }
}

/// Serves until interrupted. Errors only when the server cannot start.
pub fn serve(
    options: ServeOptions,
    report: impl Fn(ServeEvent) + Send + Sync + 'static,
) -> Result<(), Diagnostic> {
    // Without a site there is nothing to watch: say so before serving.
    let config = options.build.root.join("config.toml");
    if !config.is_file() {
        return Err(
            Diagnostic::error(msg!("serve.no_site", path = options.build.root.display()))
                .with_help(msg!("serve.no_site_help")),
        );
    }
    let listener = listen(SocketAddr::new(options.bind, options.port)).map_err(|err| {
        Diagnostic::error(msg!(
            "serve.cannot_listen",
            bind = options.bind,
            port = options.port,
            error = err
        ))
        .with_help(msg!("serve.cannot_listen_help"))
    })?;
    let address = listener
        .local_addr()
        .map_err(|err| Diagnostic::error(msg!("serve.no_address", error = err)))?;
    let host = if address.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        address.ip().to_string()
    };
    let url = match address {
        SocketAddr::V6(_) => format!("http://[{host}]:{}/", address.port()),
        SocketAddr::V4(_) => format!("http://{host}:{}/", address.port()),
    };
    let scratch = tempfile::Builder::new()
        .prefix("portail-serve-")
        .tempdir()
        .map_err(|err| Diagnostic::error(msg!("serve.no_temp_folder", error = err)))?;
    let output = scratch.path().join("site");
    let output = std::fs::create_dir_all(&output)
        .and_then(|()| output.canonicalize())
        .map_err(|err| Diagnostic::error(msg!("serve.no_temp_folder", error = err)))?;
    let build_options = BuildOptions {
        output: Some(output.clone()),
        base_url: Some(url.clone()),
        ..options.build
    };

    let report = Arc::new(report);
    let state = BuildState::new();
    let (settled, settled_receiver) = tokio::sync::watch::channel(state.generation);
    let (sender, receiver) = tokio::sync::watch::channel(state);
    let open = Arc::new(OpenPaths::default());
    let awaited = Arc::new(Awaited::default());
    let mut live = Live {
        rebuilder: Rebuilder::new(build_options.clone()).timed(options.timings),
        sender,
        settled,
        open: Arc::clone(&open),
        awaited: Arc::clone(&awaited),
        lang: options.lang,
    };
    live.rebuild(Vec::new(), report.as_ref());
    // Held while a rebuild runs; set when the server stops, so that no
    // rebuild writes into the copy of the site as it is removed.
    let stopped = Arc::new(Mutex::new(false));
    let _watcher = watch::start(&build_options.root, {
        let report = Arc::clone(&report);
        let stopped = Arc::clone(&stopped);
        move |changed| {
            if let Ok(stopped) = stopped.lock()
                && !*stopped
            {
                live.rebuild(changed, report.as_ref());
            }
        }
    })?;

    let app = Arc::new(App {
        output,
        state: receiver,
        settled: settled_receiver,
        open,
        awaited,
    });
    let mut router = Router::new()
        .route("/__portail/live.js", get(live_script))
        .route("/__portail/events", get(events))
        .fallback(get(file))
        .with_state(app);
    if build_options.cms_local {
        let backend = cms::Backend {
            root: build_options
                .root
                .canonicalize()
                .unwrap_or_else(|_| build_options.root.clone()),
            lang: options.lang,
        };
        let api = Router::new()
            .route("/api/v1", axum::routing::post(cms::api))
            .with_state(Arc::new(backend));
        router = api.merge(router);
    }
    let router = router.layer(axum::middleware::from_fn_with_state(
        options.lang,
        guard::guard,
    ));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| Diagnostic::error(msg!("serve.cannot_start", error = err)))?;
    let served = runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|err| Diagnostic::error(msg!("serve.cannot_start", error = err)))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|err| Diagnostic::error(msg!("serve.cannot_start", error = err)))?;
        let stop = stop_signal();
        report(ServeEvent::Listening(url));
        let failed = |err| {
            report(ServeEvent::Warning(
                Diagnostic::warning(msg!("serve.cannot_accept", error = err))
                    .with_help(msg!("serve.cannot_accept_help")),
            ))
        };
        // Not a graceful shutdown: open pages hold never-ending event
        // streams, which it would wait for forever.
        tokio::select! {
            () = connections::serve(listener, router, failed) => {}
            () = stop => {}
        }
        Ok::<(), Diagnostic>(())
    });
    // After the rebuild under way, if any.
    if let Ok(mut stopped) = stopped.lock() {
        *stopped = true;
    }
    drop(scratch);
    served
}

/// A listening socket with room for a burst of connections (a page and its
/// files in many tabs, a load test): with the usual queue of 128, the
/// connections beyond it are reset.
fn listen(address: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(address), Type::STREAM, None)?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&address.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// Ctrl-C, or (on Unix) the polite `kill` of service managers and CI, or
/// the hangup of a closed terminal: each stops the server, which then
/// removes its copy of the site. The signals are caught from the call on,
/// not from the first poll, so that none sent once the server said it
/// listens is missed.
#[cfg(unix)]
fn stop_signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    // Under `nohup` a closed terminal must not stop the server: its hangup
    // stays ignored (catching it would undo that).
    let hangup = (!hangup_ignored()).then(|| signal(SignalKind::hangup()));
    let signals = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    );
    async move {
        let hangup = async {
            match hangup {
                Some(Ok(mut hangup)) => hangup.recv().await,
                _ => std::future::pending().await,
            }
        };
        match signals {
            (Ok(mut interrupt), Ok(mut terminate)) => tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
                _ = hangup => {}
            },
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

/// Whether the hangup signal was ignored when portail started (`nohup`),
/// as Linux tells in `/proc/self/status`.
#[cfg(target_os = "linux")]
fn hangup_ignored() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        // SIGHUP is signal 1: the mask's lowest bit.
        .is_some_and(|mask| mask & 1 != 0)
}

#[cfg(all(unix, not(target_os = "linux")))]
fn hangup_ignored() -> bool {
    false
}

/// Ctrl-C.
#[cfg(not(unix))]
async fn stop_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

/// How long the rest of a rebuild waits for the open pages written ahead
/// to be fetched (a page in a background tab may never be).
const AWAIT_FETCH: Duration = Duration::from_millis(50);

/// The open pages written ahead that no browser has fetched yet.
#[derive(Default)]
struct Awaited {
    paths: Mutex<BTreeSet<String>>,
    fetched: std::sync::Condvar,
}

impl Awaited {
    fn expect(&self, paths: BTreeSet<String>) {
        if let Ok(mut awaited) = self.paths.lock() {
            *awaited = paths;
        }
    }

    fn fetched(&self, path: &str) {
        if let Ok(mut awaited) = self.paths.lock()
            && awaited.remove(path)
        {
            self.fetched.notify_all();
        }
    }

    /// Waits until every page expected is fetched, or for `most`.
    fn wait(&self, most: Duration) {
        if let Ok(awaited) = self.paths.lock()
            && let Ok((mut awaited, _)) = self
                .fetched
                .wait_timeout_while(awaited, most, |paths| !paths.is_empty())
        {
            awaited.clear();
        }
    }
}

/// What rebuilds after a save work with.
struct Live {
    rebuilder: Rebuilder,
    sender: tokio::sync::watch::Sender<BuildState>,
    settled: tokio::sync::watch::Sender<u64>,
    open: Arc<OpenPaths>,
    awaited: Arc<Awaited>,
    /// The language of the errors shown over the pages.
    lang: MessageLang,
}

impl Live {
    /// Builds the site and tells the open pages.
    fn rebuild(&mut self, changed: Vec<String>, report: &(impl Fn(ServeEvent) + ?Sized)) {
        let started = Instant::now();
        let text_only = text_only(&changed);
        let sender = &self.sender;
        let awaited = &self.awaited;
        let announce = |ahead: BTreeSet<String>, moved: &[Moved]| {
            sender.send_modify(|state| {
                state.generation += 1;
                state.moved = moved.iter().cloned().collect();
                if !text_only || state.full_due {
                    state.full = state.generation;
                }
                state.full_due = false;
                state.errors.clear();
                state.ahead = ahead;
            });
        };
        // Open pages reload as soon as they are written; requests for the
        // other pages wait until every file is (see `settled_generation`).
        // The moves announced then, if they were.
        let early = std::cell::RefCell::new(None);
        let mut written_ahead = |paths: Vec<String>, moved: &[Moved]| {
            let paths: BTreeSet<String> = paths.into_iter().collect();
            awaited.expect(paths.clone());
            announce(paths, moved);
            early.replace(Some(moved.to_vec()));
            // The rest of the rebuild would take the processor from the
            // browsers fetching these pages.
            awaited.wait(AWAIT_FETCH);
        };
        let open = OpenPages {
            paths: self.open.paths(),
            written: &mut written_ahead,
        };
        let result = self.rebuilder.rebuild_open(&changed, Some(open));
        if let Ok(built) = &result
            && early.borrow().is_none()
        {
            announce(BTreeSet::new(), &built.moved);
        }
        self.settled.send_replace(sender.borrow().generation);
        match result {
            Ok(built) => report(ServeEvent::Built {
                elapsed: started.elapsed(),
                changed: changed.clone(),
                rebuilt: built,
            }),
            Err(err) => return failed(sender, changed, err, report, self.lang),
        }
        // The search indexes come after the reload: a search needs them
        // only when someone types one.
        let started = Instant::now();
        match self.rebuilder.search() {
            Ok(search) => report(ServeEvent::Indexed {
                elapsed: started.elapsed(),
                first: changed.is_empty(),
                search,
            }),
            Err(err) => failed(sender, changed, err, report, self.lang),
        }
    }
}

/// Tells the terminal and the open pages why a rebuild failed.
fn failed(
    sender: &tokio::sync::watch::Sender<BuildState>,
    changed: Vec<String>,
    err: crate::build::BuildError,
    report: &(impl Fn(ServeEvent) + ?Sized),
    lang: MessageLang,
) {
    let errors = err.into_diagnostics().into_sorted();
    let mut payload: Vec<ErrorPayload> = errors
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .map(|d| ErrorPayload::from_diagnostic(d, lang))
        .collect();
    // A failure is never shown as "no errors" (which pages read as a reload).
    if payload.is_empty() {
        payload.push(ErrorPayload::from_diagnostic(
            &Diagnostic::error(msg!("serve.build_failed")),
            lang,
        ));
    }
    // The same errors again (an editor's save in several steps) are
    // not news to the open pages.
    let text_only = text_only(&changed);
    sender.send_if_modified(|state| {
        let news = state.errors != payload;
        state.errors = payload;
        state.full_due |= !text_only;
        news
    });
    report(ServeEvent::Failed { changed, errors });
}

async fn live_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        include_str!("live.js"),
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct EventsQuery {
    /// The build generation the page was served from.
    since: Option<String>,
    /// The page's path, which rebuilds write first while it is open.
    path: Option<String>,
}

/// Server-sent events: `reload` after each successful rebuild (with the
/// build's number, that of the last build a page must load whole after,
/// and the pages that moved to another address), `errors` while the last one failed, `ok` when a page connects
/// to a good build.
async fn events(
    State(app): State<Arc<App>>,
    Query(query): Query<EventsQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let since: Option<u64> = query.since.and_then(|s| s.parse().ok());
    let open = query
        .path
        .as_deref()
        .and_then(crate::output::url_output_path);
    // Counted open while the stream lives.
    let guard = open.map(|path| app.open.open(path));
    let mut first = true;
    let stream = WatchStream::new(app.state.clone()).map(move |state| {
        let _open = &guard;
        let was_first = std::mem::replace(&mut first, false);
        let event = if !state.errors.is_empty() {
            let json = serde_json::to_string(&state.errors).unwrap_or_else(|_| "[]".into());
            Event::default().event("errors").data(json)
        } else if was_first && since.is_none_or(|since| since == state.generation) {
            Event::default()
                .event("ok")
                .data(state.generation.to_string())
        } else {
            // A page from an older build (even one rebuilt while it was
            // loading) reloads.
            Event::default().event("reload").data(
                serde_json::json!({
                    "generation": state.generation,
                    "full": state.full,
                    "moved": state.moved,
                })
                .to_string(),
            )
        };
        Ok(event)
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn file(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let (generation, ahead) = settled_generation(&app, uri.path()).await;
    match files::resolve(&app.output, uri.path()) {
        Resolved::File(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => {
                let response = page(StatusCode::OK, &path, bytes, generation);
                if let Some(ahead) = ahead {
                    app.awaited.fetched(&ahead);
                }
                response
            }
            Err(_) => not_found(&app, uri.path(), generation).await,
        },
        Resolved::AddSlash(location) => {
            let location = match uri.query() {
                Some(query) => format!("{location}?{query}"),
                None => location,
            };
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Resolved::NotFound => not_found(&app, uri.path(), generation).await,
        Resolved::Forbidden => (StatusCode::FORBIDDEN, "403 Forbidden\n").into_response(),
    }
}

/// The build generation to serve `path` from, once its files are written,
/// and its output path if it is an open page written ahead:
/// while a rebuild has written the open pages ahead of the others, a
/// request for one of those is served at once, any other waits for the
/// rest (a list page would otherwise show the build before, and never
/// reload).
async fn settled_generation(app: &App, path: &str) -> (u64, Option<String>) {
    let (generation, ahead, waits) = {
        let state = app.state.borrow();
        let output = crate::output::url_output_path(path);
        let ahead = output.clone().filter(|p| state.ahead.contains(p));
        // Only pages, feeds and calendars are written after the open pages
        // (stylesheets, scripts and images are not: they never wait).
        let waits = ahead.is_none()
            && output.is_some_and(|p| [".html", ".xml", ".ics"].iter().any(|e| p.ends_with(e)));
        (state.generation, ahead, waits)
    };
    if waits {
        let mut settled = app.settled.clone();
        // A rebuild always settles; the bound is for one that panicked (a
        // rebuild that fell back to every stage announces again).
        let wait = settled.wait_for(|settled| *settled >= generation);
        let _ = tokio::time::timeout(Duration::from_secs(30), wait).await;
    }
    // Not a later one: a page served while a later build writes its files
    // reloads when it connects.
    (generation, ahead)
}

/// The site's 404 page of the language the path is in, else the root one.
async fn not_found(app: &App, path: &str, generation: u64) -> Response {
    let lang = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let mut candidates = vec!["/404.html".to_string()];
    if !lang.is_empty() {
        candidates.insert(0, format!("/{lang}/404.html"));
    }
    for candidate in candidates {
        if let Resolved::File(file) = files::resolve(&app.output, &candidate)
            && let Ok(bytes) = tokio::fs::read(&file).await
        {
            return page(StatusCode::NOT_FOUND, &file, bytes, generation);
        }
    }
    // No build has succeeded yet: a bare page that can still show errors.
    page(
        StatusCode::NOT_FOUND,
        std::path::Path::new("404.html"),
        b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1></body></html>".to_vec(),
        generation,
    )
}

fn page(status: StatusCode, path: &std::path::Path, bytes: Vec<u8>, generation: u64) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/javascript" => {
            "text/javascript; charset=utf-8".to_string()
        }
        _ => mime.essence_str().to_string(),
    };
    let body = if is_html {
        match String::from_utf8(bytes) {
            Ok(html) => Body::from(files::inject_live_reload(&html, generation)),
            Err(err) => Body::from(err.into_bytes()),
        }
    } else {
        Body::from(bytes)
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // Every save changes the site: never let the browser keep an old copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An app whose build `generation` wrote `ahead` first and has not
    /// written the rest yet.
    fn writing(generation: u64, ahead: &[&str]) -> (Arc<App>, tokio::sync::watch::Sender<u64>) {
        let state = BuildState {
            generation,
            ahead: ahead.iter().map(|p| p.to_string()).collect(),
            ..BuildState::default()
        };
        let (_, state) = tokio::sync::watch::channel(state);
        let (settled, settled_receiver) = tokio::sync::watch::channel(generation - 1);
        let app = App {
            output: PathBuf::from("/nowhere"),
            state,
            settled: settled_receiver,
            open: Arc::default(),
            awaited: Arc::default(),
        };
        (Arc::new(app), settled)
    }

    #[tokio::test]
    async fn pages_written_ahead_are_served_while_the_others_wait() {
        let (app, settled) = writing(8, &["fr/news/index.html"]);
        assert_eq!(
            settled_generation(&app, "/fr/news/").await,
            (8, Some("fr/news/index.html".to_string()))
        );
        // No stylesheet or image is written after the open pages.
        assert_eq!(settled_generation(&app, "/style.css").await, (8, None));
        let other = tokio::spawn({
            let app = Arc::clone(&app);
            async move { settled_generation(&app, "/fr/news/page/2/").await.0 }
        });
        // It cannot end before the build settles, however long it is given.
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!other.is_finished());
        settled.send_replace(8);
        assert_eq!(other.await.unwrap(), 8);
        // Once settled, nothing waits.
        assert_eq!(settled_generation(&app, "/en/").await, (8, None));
    }

    #[test]
    fn the_rest_of_a_rebuild_waits_for_the_open_pages_to_be_fetched() {
        let awaited = Arc::new(Awaited::default());
        let (fr, en) = ("fr/index.html".to_string(), "en/index.html".to_string());
        // One page never fetched: the wait lasts its bound, and forgets it.
        awaited.expect([fr.clone(), en.clone()].into());
        awaited.fetched(&fr);
        let started = std::time::Instant::now();
        awaited.wait(Duration::from_millis(30));
        assert!(started.elapsed() >= Duration::from_millis(30));
        assert!(awaited.paths.lock().unwrap().is_empty());
        // Both fetched while it waits: it ends long before its bound.
        awaited.expect([fr.clone(), en.clone()].into());
        let browsers = std::thread::spawn({
            let awaited = Arc::clone(&awaited);
            move || {
                std::thread::sleep(Duration::from_millis(20));
                awaited.fetched(&fr);
                awaited.fetched(&en);
            }
        });
        let started = std::time::Instant::now();
        awaited.wait(Duration::from_secs(120));
        assert!(started.elapsed() < Duration::from_secs(60));
        browsers.join().unwrap();
    }

    #[test]
    fn open_pages_are_counted_until_closed() {
        let open = Arc::new(OpenPaths::default());
        let first = open.open("fr/index.html".into());
        let second = open.open("fr/index.html".into());
        let other = open.open("en/index.html".into());
        drop(first);
        assert_eq!(open.paths().len(), 2);
        drop((second, other));
        assert!(open.paths().is_empty());
    }
}
