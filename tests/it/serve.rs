//! `portail serve`: the real server on a free port, driven like a browser
//! would (plain HTTP requests and the server-sent events stream).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::SiteTest;

/// Generous: a rebuild of the fixture takes milliseconds, CI machines vary.
const WAIT: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    port: u16,
    /// The server's stderr lines.
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    /// Stops the server as Ctrl-C would, so that it cleans up after itself.
    fn drop(&mut self) {
        // Not a signal to a process already gone (its number may be reused).
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Not while unwinding from a failed assertion: that would abort.
        if !std::thread::panicking() {
            panic!("the server did not stop on Ctrl-C within 5 s");
        }
    }
}

impl Server {
    fn start(site: &SiteTest) -> Server {
        Server::spawn(Server::command(site))
    }

    /// `portail serve --port 0` in the site, with a clean environment.
    fn command(site: &SiteTest) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_portail"));
        command
            .args(["serve", "--port", "0"])
            .current_dir(site.root())
            .env_clear();
        command
    }

    /// The server allowed only `files` open files, as `ulimit -n` would.
    fn start_with_file_limit(site: &SiteTest, files: u64) -> Server {
        let mut command = Command::new("/bin/sh");
        command
            .arg("-c")
            .arg(format!("ulimit -n {files} && exec \"$0\" serve --port 0"))
            .arg(env!("CARGO_BIN_EXE_portail"))
            .current_dir(site.root())
            .env_clear();
        Server::spawn(command)
    }

    /// Runs `command` and waits until it listens.
    fn spawn(mut command: Command) -> Server {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            port: 0,
            log,
        };
        let line = server.wait_for_log("Serving the site at http://127.0.0.1:");
        let port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        server.port = port;
        server
    }

    #[track_caller]
    fn wait_for_log(&self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.log.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!(
            "the server never said {needle:?}; it said:\n{}",
            seen.join("\n")
        );
    }

    /// `GET path` as raw bytes (so that `..` reaches the server unchanged):
    /// status, headers, body.
    fn get(&self, path: &str) -> (u16, String, String) {
        let response = http_get(self.port, path).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_lowercase(), body.to_string())
    }

    /// Loads the page at `path` and opens its events stream, which
    /// starts with `ok`: the page and the stream.
    #[track_caller]
    fn open(&self, path: &str) -> (String, Events) {
        let (_, _, page) = self.get(path);
        let mut events = self.page_events(&generation(&page), path);
        assert_eq!(events.next().0, "ok");
        (page, events)
    }

    /// Opens the events stream a page would open, without its path.
    fn events(&self, since: &str) -> Events {
        self.page_events(since, "")
    }

    /// Opens the events stream of the page at `path` (ASCII).
    fn page_events(&self, since: &str, path: &str) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            // HTTP/1.0: the stream comes unchunked, as plain lines.
            "GET /__portail/events?since={since}&path={path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        Events {
            reader: BufReader::new(stream),
        }
    }
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event other than keep-alive comments: (name, data).
    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("no event in time");
            assert!(read > 0, "the events stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }
}

impl Events {
    /// Waits for the event `name`. A save can reach the watcher in two
    /// steps: a repeat of the event before it is tolerated, nothing else.
    #[track_caller]
    fn expect(&mut self, name: &str, after: &str) -> String {
        loop {
            let (got, data) = self.next();
            if got == name {
                return data;
            }
            assert_eq!(got, after, "expected {name:?}, got {got:?}: {data}");
        }
    }

    /// Waits for `reload` (after `after`s) and reads its build numbers.
    #[track_caller]
    fn reload(&mut self, after: &str) -> serde_json::Value {
        serde_json::from_str(&self.expect("reload", after)).unwrap()
    }
}

fn generation(page: &str) -> String {
    let at = page
        .find("data-generation=\"")
        .expect("no live-reload script")
        + 17;
    page[at..].split('"').next().unwrap().to_string()
}

#[test]
fn pages_reload_after_a_save_and_show_errors_until_fixed() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let (status, head, page) = server.get("/fr/actualites/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        page.contains("<script src=\"/__portail/live.js\""),
        "{page}"
    );
    assert!(
        !site.root().join("public").exists(),
        "serve must not write public/"
    );
    let mut events = server.events(&generation(&page));
    assert_eq!(events.next().0, "ok");

    let file = "content/news/2024-05-12-Réunion à Dakar.fr.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    site.write(
        file,
        text.replace(
            "title = \"Réunion à Dakar\"",
            "title = \"Réunion déplacée à Thiès\"",
        ),
    );
    let first = generation(&page);
    let reload = events.reload("ok");
    // A Markdown edit: the open pages may replace their content in place
    // (the last build to load whole is still the one they come from).
    assert_eq!(reload["full"].to_string(), first, "{reload}");
    assert_ne!(reload["generation"].to_string(), first, "{reload}");
    let (_, _, page) = server.get("/fr/actualites/reunion-a-dakar/");
    assert!(page.contains("Réunion déplacée à Thiès"), "{page}");
    // Only the pages that show the title were rendered again.
    let (anew, all) = pages_rendered(&server.wait_for_log("Rebuilt in"));
    assert!(anew > 1 && anew < all, "{anew} of {all}");

    // A broken file: the errors reach the page, the last good build stays.
    site.write(file, "+++\ntitle = \n+++\n");
    let data = events.expect("errors", "reload");
    let errors: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(errors[0]["file"], file);
    assert_eq!(errors[0]["line"], 2);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("invalid front matter")
    );
    assert!(errors[0]["help"].as_str().unwrap().contains("TOML"));
    let (status, _, page) = server.get("/fr/actualites/reunion-a-dakar/");
    assert_eq!(status, 200);
    assert!(page.contains("Réunion déplacée à Thiès"));
    server.wait_for_log("still serving the last good build");
    // A page opened now learns about the errors at once.
    assert_eq!(server.events("").next().0, "errors");

    site.write(file, text);
    events.expect("reload", "errors");
    let (_, _, page) = server.get("/fr/actualites/reunion-a-dakar/");
    assert!(page.contains("Réunion à Dakar"), "{page}");
}

/// The numbers of `rendered anew: N of M pages` in a rebuild's line.
#[track_caller]
fn pages_rendered(line: &str) -> (usize, usize) {
    let counts = line
        .split_once("rendered anew: ")
        .and_then(|(_, rest)| rest.split_once(" pages"))
        .and_then(|(counts, _)| counts.split_once(" of "))
        .unwrap_or_else(|| panic!("no page counts in {line:?}"));
    (counts.0.parse().unwrap(), counts.1.parse().unwrap())
}

#[test]
fn an_old_page_reloads_and_editor_files_are_ignored() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    // A page served before the last rebuild (or by an earlier server)
    // reloads as soon as it connects.
    assert_eq!(server.events("0").next().0, "reload");
    let (_, mut events) = server.open("/fr/actualites/");
    site.write("content/news/.brouillon.fr.md.swp", "x");
    site.write("content/news/notes.fr.md~", "x");
    site.write("README.txt", "x");
    // Then a real edit: the first event after the noise is its reload.
    site.write(
        "content/news/nouvelle.fr.md",
        "+++\ntitle = \"Nouvelle\"\n+++\n",
    );
    events.expect("reload", "ok");
    let line = server.wait_for_log("Rebuilt in");
    assert!(line.contains("content/news/nouvelle.fr.md"), "{line}");
    assert!(!line.contains("swp") && !line.contains('~'), "{line}");
    assert_eq!(server.get("/fr/actualites/nouvelle/").0, 200);
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = SiteTest::new("basic");
    site.write("secret.txt", "do not serve");
    let server = Server::start(&site);
    for path in [
        "/../secret.txt",
        "/fr/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/fr/%2E%2E/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 403, "{path}");
        assert!(!body.contains("do not serve"));
    }
    for path in ["//etc/passwd", "/config.toml", "/content/news/_index.fr.md"] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(body.starts_with("<!DOCTYPE html>"), "{path}: {body}");
        assert!(
            !body.contains("base_url") && !body.contains("+++"),
            "{path}: a source file was served"
        );
    }
    let (status, head, _) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");
    let (status, head, _) = server.get("/fr/actualites");
    assert_eq!(status, 301);
    assert!(head.contains("location: /fr/actualites/"), "{head}");
    let (status, _, page) = server.get("/en/nowhere/");
    assert_eq!(status, 404);
    assert!(page.contains("<h1>Page not found</h1>"), "{page}");
}

#[test]
fn serving_a_folder_without_a_site_is_explained() {
    let site = SiteTest::new("basic");
    site.run(&["serve", "--root", "content", "--port", "0"])
        .assert_code(2)
        .assert_stderr_contains("error: there is no site in content: no config.toml")
        .assert_stderr_contains("help: give the site's folder with --root");
}

#[test]
fn a_source_folder_created_while_serving_is_watched() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let (_, mut events) = server.open("/fr/actualites/");
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"),
    )
    .unwrap();
    std::fs::create_dir(site.root().join("templates")).unwrap();
    events.expect("reload", "ok");
    // Give the new watch a moment, as an author would take to save a file.
    std::thread::sleep(Duration::from_millis(300));
    site.write(
        "templates/page.html",
        page.replacen(
            "{% block content %}",
            "{% block content %}<p>gabarit du site</p>",
            1,
        ),
    );
    // The folder's own event may bring one more reload first.
    loop {
        events.expect("reload", "reload");
        let (_, _, html) = server.get("/fr/actualites/reunion-a-dakar/");
        if html.contains("gabarit du site") {
            break;
        }
    }
}

/// The whole response to `GET path` (sent as raw bytes, so that `..`
/// reaches the server unchanged).
fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    http_get_within(port, path, WAIT)
}

/// `http_get`, waiting up to `wait` for the answer.
fn http_get_within(port: u16, path: &str, wait: Duration) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(wait))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

/// Sends `request` (raw bytes) and returns the status, or 0 when the server
/// closed the connection without one.
fn raw_status(port: u16, request: &[u8]) -> u16 {
    raw_response(port, request)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Sends `request` (raw bytes) and returns the whole response.
fn raw_response(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    // The server may close before reading everything: that is an answer too.
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn overlong_requests_and_slow_clients_leave_the_server_serving() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    // A 100 KB path and a 1 MB header: refused, and nothing else changes.
    let path = "/a".repeat(50_000);
    let status = raw_status(
        server.port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert!(status == 0 || (400..500).contains(&status), "{status}");
    let header = "x".repeat(1 << 20);
    let status = raw_status(
        server.port,
        format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {header}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert!(status == 0 || (400..500).contains(&status), "{status}");
    assert_eq!(raw_status(server.port, b"NOT HTTP AT ALL\r\n\r\n"), 400);
    // Clients that open a connection and send half a request, or nothing.
    let stalled: Vec<TcpStream> = (0..200)
        .map(|i| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            if i % 2 == 0 {
                stream.write_all(b"GET /fr/ HTTP/1.1\r\nHost: 12").unwrap();
            }
            stream
        })
        .collect();
    let (status, _, page) = server.get("/fr/actualites/");
    assert_eq!(status, 200);
    assert!(page.contains("</html>"));
    drop(stalled);
    assert_eq!(server.get("/en/").0, 200);
}

#[test]
fn a_thousand_requests_at_once_while_rebuilding_all_succeed() {
    // 1,000 clients at once, 3,000 requests in all.
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let port = server.port;
    let file = "content/news/2024-05-12-Réunion à Dakar.fr.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    let start = std::sync::Arc::new(std::sync::Barrier::new(1001));
    let clients: Vec<_> = (0..1000)
        .map(|i| {
            let start = std::sync::Arc::clone(&start);
            std::thread::spawn(move || {
                let path = [
                    "/fr/",
                    "/fr/actualites/",
                    "/fr/actualites/reunion-a-dakar/",
                    "/style.css",
                ][i % 4];
                start.wait();
                // Three in a row each: a thousand at once, then while the
                // saves below are rebuilt.
                (0..3)
                    .map(|_| (path, http_get(port, path).map_err(|e| e.to_string())))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    start.wait();
    // Saves while the requests are answered: every page stays whole.
    for round in 0..5 {
        site.write(file, format!("{text}\nTour {round}.\n"));
        std::thread::sleep(Duration::from_millis(40));
    }
    let mut failures = Vec::new();
    let mut generations = std::collections::BTreeSet::new();
    for client in clients {
        for (path, response) in client.join().unwrap() {
            let response = match response {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{path}: {e}"));
                    continue;
                }
            };
            assert!(
                response.starts_with("HTTP/1.1 200"),
                "{path}: {response:.200}"
            );
            if path.ends_with('/') {
                assert!(
                    response.trim_end().ends_with("</html>"),
                    "{path}: a cut page"
                );
                generations.insert(generation(&response));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
    server.wait_for_log("Rebuilt in");
    assert_eq!(server.get("/fr/").0, 200);
    // The answers came from more than one build: rebuilds ran meanwhile.
    assert!(generations.len() >= 2, "{generations:?}");
}

#[test]
fn a_change_outside_markdown_makes_open_pages_load_whole() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let (page, mut events) = server.open("/fr/actualites/");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", format!("{config}\n"));
    let reload = events.reload("ok");
    assert_eq!(reload["full"], reload["generation"], "{reload}");
    assert_ne!(reload["full"].to_string(), generation(&page), "{reload}");
}

#[test]
fn a_failed_build_s_changes_reach_the_next_good_one() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let (_, mut events) = server.open("/fr/actualites/");
    // The configuration changes while a page is broken: that build fails.
    let file = "content/news/2024-05-12-Réunion à Dakar.fr.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    site.write(file, "+++\ntitle = \n+++\n");
    events.expect("errors", "reload");
    server.wait_for_log("Build failed");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", format!("{config}\n"));
    let failed = server.wait_for_log("Build failed");
    assert!(failed.contains("config.toml"), "{failed}");
    // Fixing the page is a Markdown edit, but the configuration changed
    // since the pages loaded: they must load whole.
    site.write(file, text);
    let reload = events.reload("errors");
    assert_eq!(reload["full"], reload["generation"], "{reload}");
}

#[test]
fn a_page_given_another_address_is_announced_with_it() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let (_, mut events) = server.open("/fr/actualites/reunion-a-dakar/");
    let file = "content/news/2024-05-12-Réunion à Dakar.fr.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    let moved = text.replacen("+++\n", "+++\nslug = \"reunion-a-thies\"\n", 1);
    site.write(file, &moved);
    let reload = events.reload("ok");
    assert_eq!(
        reload["moved"]["/fr/actualites/reunion-a-dakar/"], "/fr/actualites/reunion-a-thies/",
        "{reload}"
    );
    assert_eq!(server.get("/fr/actualites/reunion-a-thies/").0, 200);
    assert_eq!(server.get("/fr/actualites/reunion-a-dakar/").0, 404);
    // The list leads there too, once every file is written.
    let (_, _, list) = server.get("/fr/actualites/page/2/");
    assert!(list.contains("/fr/actualites/reunion-a-thies/"), "{list}");
    // An edit that moves nothing announces no move.
    site.write(
        file,
        moved.replace("title = \"Réunion à Dakar\"", "title = \"Réunion à Thiès\""),
    );
    let reload = events.reload("reload");
    assert_eq!(reload["moved"], serde_json::json!({}), "{reload}");
}

/// How many files this process may open (`ulimit -n`).
fn file_limit() -> u64 {
    let output = Command::new("/bin/sh")
        .args(["-c", "ulimit -n"])
        .output()
        .unwrap();
    // "unlimited" is no limit.
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or(u64::MAX)
}

#[test]
fn more_stalled_clients_than_the_server_has_files_leave_it_serving() {
    // This test holds every connection too: the server gets a quarter of
    // its files (at most 512, to keep the test short), and more clients
    // hold half a request than it could keep open.
    let files = (file_limit() / 4).min(512);
    assert!(
        files >= 128,
        "`ulimit -n` must be 512 or more for this test"
    );
    let site = SiteTest::new("basic");
    let server = Server::start_with_file_limit(&site, files);
    let stalled: Vec<TcpStream> = (0..files + 64)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            stream.write_all(b"GET /fr/ HTTP/1.1\r\nHost: 12").unwrap();
            stream
        })
        .collect();
    // Served once the stalled clients before it were dropped: no timing
    // is asserted, only that it comes.
    let response = http_get_within(server.port, "/fr/actualites/", Duration::from_secs(120))
        .expect("no answer while stalled clients hold the server");
    assert!(response.starts_with("HTTP/1.1 200"), "{response:.200}");
    assert!(response.trim_end().ends_with("</html>"), "a cut page");
    drop(stalled);
    let response = http_get_within(server.port, "/en/", Duration::from_secs(120)).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response:.200}");
}

/// `GET /fr/` with the `Host` header `host`, if any: the whole response.
fn get_with_host(port: u16, host: Option<&str>) -> String {
    let host = host.map_or(String::new(), |host| format!("Host: {host}\r\n"));
    raw_response(
        port,
        format!("GET /fr/ HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes(),
    )
}

#[test]
fn only_requests_for_this_computer_or_an_ip_address_are_answered() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let port = server.port;
    let status = |response: String| response.split(' ').nth(1).map(str::to_string);
    // Names a web page could point at this server (DNS rebinding).
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
    ] {
        let response = get_with_host(port, Some(&host));
        assert_eq!(status(response.clone()).as_deref(), Some("403"), "{host}");
        assert!(
            response.contains("localhost") && response.contains("127.0.0.1"),
            "the refusal names the hosts answered: {response}"
        );
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("portail.localhost:{port}"),
        "192.168.1.20".to_string(),
    ] {
        let response = get_with_host(port, Some(&host));
        assert_eq!(status(response).as_deref(), Some("200"), "{host}");
    }
    // HTTP/1.1 requires one.
    assert_eq!(status(get_with_host(port, None)).as_deref(), Some("400"));
}

#[test]
fn writes_from_another_origin_are_refused() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let port = server.port;
    let post = |origin: &str| {
        raw_status(
            port,
            format!(
                "POST /fr/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
    };
    // No route takes a POST yet: without an Origin, or from the server's
    // own pages, it gets what it always got.
    assert_eq!(post(""), 405);
    assert_eq!(post(&format!("Origin: http://127.0.0.1:{port}\r\n")), 405);
    for origin in [
        "http://evil.example".to_string(),
        format!("http://localhost:{port}"),
        format!("https://127.0.0.1:{port}"),
        "null".to_string(),
    ] {
        assert_eq!(post(&format!("Origin: {origin}\r\n")), 403, "{origin}");
    }
    // Reading is not writing: another site may link to a page.
    let response = raw_response(
        port,
        format!(
            "GET /fr/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert!(response.starts_with("HTTP/1.1 200"), "{response:.200}");
}

/// The `portail-serve-*` folders in `dir`.
fn serve_copies(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("portail-serve-"))
        .collect()
}

#[test]
fn a_closed_terminal_stops_the_server_and_its_copy_goes() {
    let site = SiteTest::new("basic");
    let temp = tempfile::Builder::new()
        .prefix("tmpdir-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let mut command = Server::command(&site);
    command.env("TMPDIR", temp.path());
    let mut server = Server::spawn(command);
    assert_eq!(server.get("/fr/").0, 200);
    assert_eq!(serve_copies(temp.path()).len(), 1, "the site's copy");
    // What a terminal sends the programs it ran when it is closed.
    Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after SIGHUP");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(serve_copies(temp.path()), Vec::<String>::new(), "{status}");
    assert!(status.success(), "{status}");
}

/// Started with `nohup`, the server outlives its terminal: the hangup it
/// was told to ignore stays ignored. Ctrl-C still stops it.
#[test]
fn under_nohup_a_closed_terminal_does_not_stop_the_server() {
    let site = SiteTest::new("basic");
    let mut command = Command::new("nohup");
    command
        .arg(env!("CARGO_BIN_EXE_portail"))
        .args(["serve", "--port", "0"])
        .current_dir(site.root())
        .env_clear();
    let mut server = Server::spawn(command);
    assert_eq!(server.get("/fr/").0, 200);
    Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "stopped by SIGHUP"
    );
    assert_eq!(server.get("/fr/").0, 200);
}
