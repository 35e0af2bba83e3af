//! The CMS's admin pages, made from the site's schemas, and the local API
//! of `serve --cms` (its refusals are unit-tested in src/serve/cms.rs).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::SiteTest;

const CMS: &str = r#"
[cms]
enabled = true
backend = "github"
repo = "example/portal"

[sections.news.fields]
kind = { one_of = ["meeting", "training"] }
start = "date"
places = "list"
"#;

fn config(site: &SiteTest) -> serde_json::Value {
    // JSON is YAML: the CMS reads it as its config.yml.
    serde_json::from_str(&site.read("admin/config.yml")).unwrap()
}

#[test]
fn a_taxonomy_without_a_list_takes_free_words() {
    let site = SiteTest::new("basic");
    site.edit("config.toml", |text| format!("{text}\n{CMS}"));
    site.build_ok(&[]);
    let config = config(&site);
    let news = &config["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "news")
        .unwrap();
    let taxonomies = news["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "taxonomies")
        .unwrap();
    assert_eq!(taxonomies["fields"][0]["widget"], "list");
}

#[test]
fn the_admin_is_published_only_when_enabled() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    assert!(!site.exists("admin/index.html"));
    assert!(!site.exists("admin/config.yml"));
}

#[test]
fn the_cms_config_follows_the_schemas() {
    let site = SiteTest::new("basic");
    site.overlay("taxonomy_terms");
    site.edit("config.toml", |text| {
        format!(
            "{}\nshared = [\"date\", \"taxonomies\"]\n{CMS}",
            text.trim_end()
        )
    });
    site.build_ok(&[]);
    let page = site.read("admin/index.html");
    assert!(page.contains(r#"<script src="https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js" integrity="sha384-"#), "{page}");
    assert!(page.contains(r#"CMS.registerPreviewStyle("/style.css")"#));
    assert!(page.contains(r#"<meta name="robots" content="noindex">"#));
    let config = config(&site);
    insta::assert_snapshot!(
        "cms_config_basic",
        serde_json::to_string_pretty(&config).unwrap()
    );
    assert_eq!(config["backend"]["name"], "github");
    assert_eq!(config["i18n"]["structure"], "multiple_files");
    assert_eq!(config["i18n"]["locales"], serde_json::json!(["fr", "en"]));
    let news = config["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "news")
        .unwrap()
        .clone();
    assert_eq!(news["folder"], "content/news");
    assert_eq!(news["format"], "toml-frontmatter");
    assert_eq!(news["frontmatter_delimiter"], "+++");
    assert_eq!(news["slug"], "{{year}}-{{month}}-{{day}}-{{slug}}");
    let field = |name: &str| {
        news["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no field {name}"))
            .clone()
    };
    // Shared fields are edited in the default language only.
    assert_eq!(field("date")["widget"], "datetime");
    assert_eq!(field("date")["i18n"], false);
    assert_eq!(field("taxonomies")["i18n"], false);
    assert_eq!(field("title")["i18n"], true);
    assert_eq!(field("body")["widget"], "markdown");
    assert_eq!(field("draft")["widget"], "boolean");
    assert_eq!(field("image")["widget"], "image");
    let kind = field("kind");
    assert_eq!(kind["widget"], "select");
    assert_eq!(kind["options"], serde_json::json!(["meeting", "training"]));
    // Required unless said otherwise (the CMS's default): the title only.
    assert_eq!(kind["required"], false);
    assert!(field("title").get("required").is_none());
    assert_eq!(field("start")["widget"], "datetime");
    assert_eq!(field("places")["widget"], "list");
    let themes = &field("taxonomies")["fields"][0];
    assert_eq!(themes["name"], "themes");
    assert_eq!(themes["widget"], "select");
    assert_eq!(themes["multiple"], true);
    // Each term with its label in both languages.
    let labels: Vec<&str> = themes["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"Protection des personnes · People protection"),
        "{labels:?}"
    );
    // Section pages: a form per file, the home's and each section's, in
    // every language; a shared weight in the default language's only.
    let sections = config["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "_sections")
        .unwrap()
        .clone();
    let files: Vec<(&str, &str)> = sections["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f["file"].as_str().unwrap()))
        .collect();
    assert!(
        files.contains(&("home-fr", "content/_index.fr.md")),
        "{files:?}"
    );
    assert!(
        files.contains(&("news-en", "content/news/_index.en.md")),
        "{files:?}"
    );
    let names = |file: &str| -> Vec<String> {
        let entry = sections["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == file);
        entry.unwrap()["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names("news-fr"),
        ["title", "slug", "description", "weight", "body"]
    );
    assert_eq!(
        names("news-en"),
        ["title", "slug", "description", "weight", "body"]
    );
    assert_eq!(
        names("about-fr"),
        ["title", "slug", "description", "weight", "body"]
    );
    assert_eq!(names("about-en"), ["title", "slug", "description", "body"]);
    assert_eq!(names("home-en"), ["title", "description", "body"]);
}

#[test]
fn cms_settings_are_checked() {
    let site = SiteTest::new("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        format!("{config}\n[cms]\nenabled = true\nbackend = \"githb\"\n"),
    );
    site.run(&["build"])
        .assert_code(2)
        .assert_stderr_contains("`githb` is not a CMS backend portail knows")
        .assert_stderr_contains("github");
    site.write(
        "config.toml",
        format!("{config}\n[cms]\nenabled = true\nbackend = \"gitlab\"\n"),
    );
    site.run(&["build"])
        .assert_code(2)
        .assert_stderr_contains("the `gitlab` backend needs `repo` under `[cms]`");
}

/// `portail serve --cms --port 0` in `site`; its port.
fn serve_cms(site: &SiteTest) -> (Child, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portail"))
        .args(["serve", "--cms", "--port", "0"])
        .current_dir(site.root())
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let port = loop {
        let mut buffer = [0u8; 256];
        let n = stderr.read(&mut buffer).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
        if let Some(port) = seen
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
        {
            break port;
        }
        assert!(n > 0 && Instant::now() < deadline, "{seen}");
    };
    // Keep reading, so that the server never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    (child, port)
}

fn post(port: u16, host: &str, origin: Option<&str>, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST /api/v1 HTTP/1.1\r\nHost: {host}\r\n{origin}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

#[test]
fn serve_cms_saves_into_content_and_refuses_other_sites() {
    let site = SiteTest::new("basic");
    let (mut child, port) = serve_cms(&site);
    let host = format!("127.0.0.1:{port}");
    let origin = format!("http://127.0.0.1:{port}");
    // The admin points the CMS at this server, though config.toml has no [cms].
    let admin = get(port, "/admin/config.yml");
    assert!(admin.contains("\"local_backend\""), "{admin}");
    // The CMS's page is not reloaded after each of its saves.
    let page = get(port, "/admin/");
    assert!(
        page.contains("decap-cms") && !page.contains("__portail/live.js"),
        "{page}"
    );
    assert!(get(port, "/fr/").contains("__portail/live.js"));
    let (status, body) = post(
        port,
        &host,
        Some(&origin),
        r#"{"action":"info","params":{}}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"local_fs\""));
    // A page saved through the API is built like any other save.
    let raw =
        "+++\\ntitle = \\\"Écrit dans le navigateur\\\"\\ndate = 2025-01-02\\n+++\\n\\nTexte.\\n";
    let save = format!(
        r#"{{"action":"persistEntry","params":{{"dataFiles":[{{"path":"content/news/2025-01-02-navigateur.fr.md","raw":"{raw}"}}],"assets":[]}}}}"#
    );
    let (status, body) = post(port, &host, Some(&origin), &save);
    assert_eq!(status, 200, "{body}");
    assert!(
        std::fs::read_to_string(site.root().join("content/news/2025-01-02-navigateur.fr.md"))
            .unwrap()
            .contains("Écrit dans le navigateur")
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while !get(port, "/fr/actualites/navigateur/").contains("Écrit dans le navigateur") {
        assert!(Instant::now() < deadline, "the saved page was not built");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Refused: another name for this server, another site's page, a path
    // outside content/ and static/.
    let (status, _) = post(port, "evil.example", None, r#"{"action":"info"}"#);
    assert_eq!(status, 403);
    let (status, _) = post(
        port,
        &host,
        Some("http://evil.example"),
        r#"{"action":"info"}"#,
    );
    assert_eq!(status, 403);
    let outside =
        r#"{"action":"persistMedia","params":{"asset":{"path":"config.toml","content":"x"}}}"#;
    let (status, body) = post(port, &host, Some(&origin), outside);
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("outside content/ and static/"), "{body}");
    assert!(
        std::fs::read_to_string(site.root().join("config.toml"))
            .unwrap()
            .contains("base_url")
    );
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
