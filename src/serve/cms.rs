//! `serve --cms`: the local backend of the CMS, on the server's own port,
//! so that the editing form at `/admin/` reads and writes the site's files
//! with no git host and no Node.js. It speaks the protocol of Decap CMS's
//! local backend: one `POST /api/v1` with `{"action", "params"}` per call
//! (list, read, write and delete entries and media).
//!
//! Only `content/` and `static/` are reachable, symbolic links included
//! (a path is judged where it really leads); only this computer may call it
//! (the client's address, and the `Host` it asks for, are loopback ones);
//! the server's guard refuses writes that a browser says come from another
//! site. What it writes is replaced whole (written beside, then renamed),
//! and the watcher rebuilds and reloads it like any other save.

use std::path::{Component, Path, PathBuf};

use axum::Extension;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::connections::Peer;
use crate::messages::MessageLang;

/// The folders the CMS may touch, below the site's root.
const REACHABLE: &[&str] = &["content", "static"];

/// Largest request body: a few photos in one save.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// What the API needs: the site's root (canonical) and the message
/// language.
#[derive(Debug, Clone)]
pub(super) struct Backend {
    pub root: PathBuf,
    pub lang: MessageLang,
}

#[derive(Deserialize)]
struct Call {
    action: String,
    #[serde(default)]
    params: Value,
}

/// Why a call is refused or failed.
#[derive(Debug)]
enum Failure {
    NotLocal,
    Outside(String),
    Unreadable(String),
    Unknown(String),
    Io(String, std::io::Error),
}

impl Failure {
    fn into_response(self, lang: MessageLang) -> Response {
        let (status, message) = match self {
            Failure::NotLocal => (StatusCode::FORBIDDEN, msg!("cms.not_local")),
            Failure::Outside(path) => (StatusCode::FORBIDDEN, msg!("cms.outside", path)),
            Failure::Unreadable(error) => (StatusCode::BAD_REQUEST, msg!("cms.bad_call", error)),
            Failure::Unknown(action) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                msg!("cms.unknown_action", action),
            ),
            Failure::Io(path, error) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                msg!("cms.io", path, error = error.to_string()),
            ),
        };
        reply(status, &json!({ "error": message.render(lang) }))
    }
}

/// `POST /api/v1`.
pub(super) async fn api(
    State(backend): State<std::sync::Arc<Backend>>,
    Extension(Peer(peer)): Extension<Peer>,
    request: Request,
) -> Response {
    let lang = backend.lang;
    if !peer.ip().is_loopback() || !super::guard::names_loopback(&request) {
        return Failure::NotLocal.into_response(lang);
    }
    let body = match axum::body::to_bytes(request.into_body(), MAX_BODY).await {
        Ok(body) => body,
        Err(err) => return Failure::Unreadable(err.to_string()).into_response(lang),
    };
    let call: Call = match serde_json::from_slice(&body) {
        Ok(call) => call,
        Err(err) => return Failure::Unreadable(err.to_string()).into_response(lang),
    };
    let answered = tokio::task::spawn_blocking(move || answer(&backend.root, call)).await;
    match answered {
        Ok(Ok(value)) => reply(StatusCode::OK, &value),
        Ok(Err(failure)) => failure.into_response(lang),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn reply(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(value).unwrap_or_default(),
    )
        .into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Folder {
    folder: String,
    #[serde(default)]
    extension: String,
    #[serde(default = "one")]
    depth: usize,
}

fn one() -> usize {
    1
}

#[derive(Deserialize)]
struct FileRef {
    path: String,
    label: Option<String>,
}

#[derive(Deserialize)]
struct DataFile {
    path: String,
    raw: String,
    #[serde(rename = "newPath")]
    new_path: Option<String>,
}

#[derive(Deserialize)]
struct Asset {
    path: String,
    content: String,
    #[serde(default)]
    encoding: String,
}

fn params<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Failure> {
    serde_json::from_value(value).map_err(|err| Failure::Unreadable(err.to_string()))
}

/// One call, on the files.
fn answer(root: &Path, call: Call) -> Result<Value, Failure> {
    let p = call.params;
    match call.action.as_str() {
        "info" => Ok(json!({
            "repo": root.file_name().map(|n| n.to_string_lossy().into_owned()),
            "publish_modes": ["simple"],
            "type": "local_fs",
        })),
        "entriesByFolder" => {
            let folder: Folder = params(p)?;
            let files = list(root, &folder.folder, &folder.extension, folder.depth)?;
            Ok(Value::from_iter(
                files.iter().map(|path| entry(root, path, None)),
            ))
        }
        "entriesByFiles" => {
            #[derive(Deserialize)]
            struct Files {
                files: Vec<FileRef>,
            }
            let files: Files = params(p)?;
            Ok(Value::from_iter(
                files
                    .files
                    .iter()
                    .map(|f| entry(root, &f.path, f.label.as_deref())),
            ))
        }
        "getEntry" => {
            let file: FileRef = params(p)?;
            Ok(entry(root, &file.path, None))
        }
        "persistEntry" => persist_entry(root, p),
        "getMedia" => {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Media {
                media_folder: String,
            }
            let media: Media = params(p)?;
            let files = list(root, &media.media_folder, "", 1)?;
            files
                .iter()
                .map(|path| media_file(root, path))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::from)
        }
        "getMediaFile" => {
            let file: FileRef = params(p)?;
            media_file(root, &file.path)
        }
        "persistMedia" => {
            #[derive(Deserialize)]
            struct Persist {
                asset: Asset,
            }
            let persist: Persist = params(p)?;
            write(root, &persist.asset.path, &decode(&persist.asset)?)?;
            media_file(root, &persist.asset.path)
        }
        "deleteFile" => {
            let file: FileRef = params(p)?;
            remove(root, &file.path)?;
            Ok(json!({ "message": format!("deleted file {}", file.path) }))
        }
        "deleteFiles" => {
            #[derive(Deserialize)]
            struct Paths {
                paths: Vec<String>,
            }
            let paths: Paths = params(p)?;
            for path in &paths.paths {
                remove(root, path)?;
            }
            Ok(json!({ "message": "deleted files" }))
        }
        "getDeployPreview" => Ok(Value::Null),
        other => Err(Failure::Unknown(other.to_string())),
    }
}

/// `persistEntry`: the entry's files (one per language), its new pictures,
/// and a move when its name changed.
fn persist_entry(root: &Path, p: Value) -> Result<Value, Failure> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Persist {
        entry: Option<DataFile>,
        data_files: Option<Vec<DataFile>>,
        #[serde(default)]
        assets: Vec<Asset>,
    }
    let persist: Persist = params(p)?;
    let files = match (persist.data_files, persist.entry) {
        (Some(files), _) => files,
        (None, Some(entry)) => vec![entry],
        (None, None) => return Err(Failure::Unreadable("no entry".into())),
    };
    // Everything is checked before anything is written.
    for file in &files {
        confined(root, &file.path)?;
        if let Some(new) = &file.new_path {
            confined(root, new)?;
        }
    }
    for asset in &persist.assets {
        confined(root, &asset.path)?;
    }
    for asset in &persist.assets {
        write(root, &asset.path, &decode(asset)?)?;
    }
    // The CMS sends a file for every language, the blank ones too: a
    // language left blank gets no file (one already there is written).
    let files: Vec<&DataFile> = (files.iter())
        .filter(|f| {
            confined(root, &f.path).is_ok_and(|p| p.exists())
                || !crate::load::front_matter::is_blank(&f.raw)
        })
        .collect();
    for file in &files {
        write(root, &file.path, file.raw.as_bytes())?;
    }
    if files.iter().all(|f| f.new_path.is_some()) {
        for file in &files {
            if let Some(new) = &file.new_path {
                let (from, to) = (confined(root, &file.path)?, confined(root, new)?);
                std::fs::rename(&from, &to).map_err(|e| Failure::Io(new.clone(), e))?;
            }
        }
    }
    Ok(json!({ "message": "entry persisted" }))
}

fn decode(asset: &Asset) -> Result<Vec<u8>, Failure> {
    if asset.encoding == "base64" {
        base64::engine::general_purpose::STANDARD
            .decode(asset.content.as_bytes())
            .map_err(|err| Failure::Unreadable(err.to_string()))
    } else {
        Ok(asset.content.as_bytes().to_vec())
    }
}

/// Where `path` (relative to the root, `/`-separated) really is, if that
/// is inside `content/` or `static/`: no `..`, no absolute path, and the
/// deepest part that exists, symbolic links followed, still inside.
fn confined(root: &Path, path: &str) -> Result<PathBuf, Failure> {
    let outside = || Failure::Outside(path.to_string());
    let relative = Path::new(path);
    let mut parts = relative.components();
    let first = match parts.next() {
        Some(Component::Normal(first)) => first.to_string_lossy().into_owned(),
        _ => return Err(outside()),
    };
    if !REACHABLE.contains(&first.as_str())
        || !parts.all(|c| matches!(c, Component::Normal(_)))
        || path.contains('\\')
    {
        return Err(outside());
    }
    let top = root.join(&first).canonicalize().map_err(|_| outside())?;
    let target = root.join(relative);
    // The deepest existing ancestor, where it really leads.
    let mut existing = target.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        rest.push(existing.file_name().ok_or_else(outside)?);
        existing = existing.parent().ok_or_else(outside)?;
    }
    let real = existing.canonicalize().map_err(|_| outside())?;
    if !real.starts_with(&top) {
        return Err(outside());
    }
    Ok(rest.iter().rev().fold(real, |p, part| p.join(part)))
}

/// The files of `folder` ending in `extension`, `depth` levels down, as
/// paths from the root.
fn list(root: &Path, folder: &str, extension: &str, depth: usize) -> Result<Vec<String>, Failure> {
    let folder = folder.trim_end_matches('/');
    let start = confined(root, folder)?;
    if !start.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&start)
        .min_depth(1)
        .max_depth(depth.max(1))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || !name.ends_with(extension) {
            continue;
        }
        // Links are not followed (nor listed: not regular files), and what
        // is listed is confined again when it is read.
        if let Ok(inside) = entry.path().strip_prefix(&start) {
            found.push(format!(
                "{folder}/{}",
                inside.to_string_lossy().replace('\\', "/")
            ));
        }
    }
    Ok(found)
}

/// An entry as the CMS reads it: its text and an id that changes with it
/// (`data: null` for a file that cannot be read).
fn entry(root: &Path, path: &str, label: Option<&str>) -> Value {
    let read = confined(root, path)
        .ok()
        .and_then(|p| std::fs::read(p).ok());
    let (data, id) = match read {
        Some(bytes) => (
            Value::from(String::from_utf8_lossy(&bytes).into_owned()),
            Value::from(hex_sha256(&bytes)),
        ),
        None => (Value::Null, Value::Null),
    };
    json!({ "data": data, "file": { "path": path, "label": label, "id": id } })
}

fn media_file(root: &Path, path: &str) -> Result<Value, Failure> {
    let real = confined(root, path)?;
    let bytes = std::fs::read(&real).map_err(|e| Failure::Io(path.to_string(), e))?;
    Ok(json!({
        "id": hex_sha256(&bytes),
        "content": base64::engine::general_purpose::STANDARD.encode(&bytes),
        "encoding": "base64",
        "path": path,
        "name": Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()),
    }))
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Replaces `path` whole: written beside it, then renamed over it.
fn write(root: &Path, path: &str, bytes: &[u8]) -> Result<(), Failure> {
    let real = confined(root, path)?;
    let io = |e| Failure::Io(path.to_string(), e);
    let folder = real
        .parent()
        .ok_or_else(|| Failure::Outside(path.to_string()))?;
    std::fs::create_dir_all(folder).map_err(io)?;
    // The folders just made must still be inside (a link raced in).
    confined(root, path)?;
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
    std::io::Write::write_all(&mut file, bytes).map_err(io)?;
    file.persist(&real).map_err(|e| io(e.error))?;
    Ok(())
}

fn remove(root: &Path, path: &str) -> Result<(), Failure> {
    let real = confined(root, path)?;
    match std::fs::remove_file(&real) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Failure::Io(path.to_string(), e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/news")).unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("config.toml"), "secret").unwrap();
        std::fs::write(
            dir.path().join("content/news/a.fr.md"),
            "+++\ntitle = \"A\"\n+++\n",
        )
        .unwrap();
        dir
    }

    fn call(root: &Path, action: &str, params: Value) -> Result<Value, Failure> {
        answer(
            &root.canonicalize().unwrap(),
            Call {
                action: action.into(),
                params,
            },
        )
    }

    #[test]
    fn lists_reads_writes_and_deletes_entries() {
        let dir = site();
        let root = dir.path();
        let listed = call(
            root,
            "entriesByFolder",
            json!({"folder": "content/news", "extension": "md", "depth": 1}),
        )
        .unwrap();
        assert_eq!(listed[0]["file"]["path"], "content/news/a.fr.md");
        assert!(
            listed[0]["data"]
                .as_str()
                .unwrap()
                .contains("title = \"A\"")
        );
        let files = json!([{"path": "content/news/b.fr.md", "raw": "+++\ntitle = \"B\"\n+++\n"},
                           {"path": "content/news/b.en.md", "raw": "+++\ntitle = \"B en\"\n+++\n"}]);
        let asset =
            json!({"path": "content/news/p.png", "content": "iVBORw0KGgo=", "encoding": "base64"});
        call(
            root,
            "persistEntry",
            json!({"dataFiles": files, "assets": [asset]}),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("content/news/b.en.md")).unwrap(),
            "+++\ntitle = \"B en\"\n+++\n"
        );
        assert_eq!(
            std::fs::read(root.join("content/news/p.png")).unwrap(),
            b"\x89PNG\r\n\x1a\n"
        );
        let media = call(root, "getMediaFile", json!({"path": "content/news/p.png"})).unwrap();
        assert_eq!(media["name"], "p.png");
        call(
            root,
            "deleteFiles",
            json!({"paths": ["content/news/b.fr.md", "content/news/b.en.md"]}),
        )
        .unwrap();
        assert!(!root.join("content/news/b.fr.md").exists());
        assert!(matches!(
            call(root, "nothing", json!({})),
            Err(Failure::Unknown(_))
        ));
    }

    #[test]
    fn a_language_left_blank_gets_no_file() {
        let dir = site();
        let root = dir.path();
        let blank = "+++\n\n+++\n";
        let files = json!([{"path": "content/news/c.fr.md", "raw": "+++\ntitle = \"C\"\n+++\n"},
                           {"path": "content/news/c.ar.md", "raw": blank}]);
        call(root, "persistEntry", json!({"dataFiles": files})).unwrap();
        assert!(root.join("content/news/c.fr.md").exists());
        assert!(!root.join("content/news/c.ar.md").exists());
        // A file that is there is written as sent, blank or not.
        std::fs::write(
            root.join("content/news/c.ar.md"),
            "+++\ntitle = \"ج\"\n+++\n",
        )
        .unwrap();
        let files = json!([{"path": "content/news/c.ar.md", "raw": blank}]);
        call(root, "persistEntry", json!({"dataFiles": files})).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("content/news/c.ar.md")).unwrap(),
            blank
        );
    }

    #[test]
    fn nothing_outside_content_and_static() {
        let dir = site();
        let root = dir.path();
        for path in [
            "config.toml",
            "content/../config.toml",
            "/etc/passwd",
            "../x",
            "templates/a.html",
            "content\\..\\config.toml",
        ] {
            let read = call(root, "getMediaFile", json!({"path": path}));
            assert!(matches!(read, Err(Failure::Outside(_))), "{path}");
            let written = call(
                root,
                "persistMedia",
                json!({"asset": {"path": path, "content": "x"}}),
            );
            assert!(matches!(written, Err(Failure::Outside(_))), "{path}");
        }
        assert_eq!(
            std::fs::read_to_string(root.join("config.toml")).unwrap(),
            "secret"
        );
        // An entry with one file outside writes nothing at all.
        let files = json!([{"path": "content/news/ok.fr.md", "raw": "x"}, {"path": "config.toml", "raw": "x"}]);
        assert!(
            call(
                root,
                "persistEntry",
                json!({"dataFiles": files, "assets": []})
            )
            .is_err()
        );
        assert!(!root.join("content/news/ok.fr.md").exists());
    }

    #[test]
    fn only_this_computer_may_call() {
        let dir = site();
        let backend = std::sync::Arc::new(Backend {
            root: dir.path().canonicalize().unwrap(),
            lang: MessageLang::En,
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let status = |peer: &str, host: &str| {
            let request = Request::builder()
                .method("POST")
                .uri("/api/v1")
                .header("host", host)
                .body(axum::body::Body::from(r#"{"action":"info"}"#))
                .unwrap();
            let peer = Peer(peer.parse().unwrap());
            runtime
                .block_on(api(State(backend.clone()), Extension(peer), request))
                .status()
        };
        assert_eq!(status("127.0.0.1:5000", "127.0.0.1:1111"), StatusCode::OK);
        assert_eq!(status("[::1]:5000", "localhost:1111"), StatusCode::OK);
        assert_eq!(status("[::1]:5000", "[::1]:1111"), StatusCode::OK);
        // Another computer on the network, though the server listens there.
        assert_eq!(
            status("192.168.1.20:5000", "192.168.1.2:1111"),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status("192.168.1.20:5000", "127.0.0.1:1111"),
            StatusCode::FORBIDDEN
        );
        // This computer, asking for another name (DNS rebinding).
        assert_eq!(
            status("127.0.0.1:5000", "portal.example"),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status("127.0.0.1:5000", "192.168.1.2:1111"),
            StatusCode::FORBIDDEN
        );
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_are_refused() {
        let dir = site();
        let root = dir.path();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("s.md"), "outside").unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.join("content/out")).unwrap();
        std::os::unix::fs::symlink(root.join("config.toml"), root.join("static/config.toml"))
            .unwrap();
        assert!(
            matches!(call(root, "getEntry", json!({"path": "content/out/s.md"})), Ok(v) if v["data"].is_null())
        );
        for path in [
            "content/out/s.md",
            "content/out/new.md",
            "static/config.toml",
        ] {
            let written = call(
                root,
                "persistMedia",
                json!({"asset": {"path": path, "content": "x"}}),
            );
            assert!(matches!(written, Err(Failure::Outside(_))), "{path}");
        }
        assert_eq!(
            std::fs::read_to_string(elsewhere.path().join("s.md")).unwrap(),
            "outside"
        );
        assert!(!elsewhere.path().join("new.md").exists());
        let listed = call(
            root,
            "entriesByFolder",
            json!({"folder": "content", "extension": "md", "depth": 3}),
        )
        .unwrap();
        assert!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .all(|e| !e["file"]["path"].as_str().unwrap().contains("out/"))
        );
    }
}
