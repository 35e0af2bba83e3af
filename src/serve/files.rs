//! Which file of the built site a request path names, refusing any path
//! that could leave the output folder.

use std::path::{Path, PathBuf};

use crate::html::NO_LIVE_RELOAD;

/// The outcome of resolving a request path.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect there.
    AddSlash(String),
    NotFound,
    /// `..`, `.`, a NUL or a backslash, encoded or not, or a symlink that
    /// leads out of the output folder.
    Forbidden,
}

/// Resolves the raw (still percent-encoded) request path under `root`,
/// which must be canonical.
pub fn resolve(root: &Path, raw_path: &str) -> Resolved {
    let Ok(decoded) = percent_encoding::percent_decode_str(raw_path).decode_utf8() else {
        return Resolved::NotFound;
    };
    if decoded.contains(['\0', '\\']) {
        return Resolved::Forbidden;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Resolved::Forbidden;
    }
    let mut path = root.to_path_buf();
    path.extend(&segments);
    let path = if path.is_dir() {
        if !decoded.ends_with('/') {
            // Never `//host/`: a browser would take it for another site.
            return Resolved::AddSlash(format!("/{}/", raw_path.trim_matches('/')));
        }
        path.join("index.html")
    } else {
        path
    };
    // Symlinks are followed only while they stay inside the output.
    match path.canonicalize() {
        Ok(real) if !real.starts_with(root) => Resolved::Forbidden,
        Ok(real) if real.is_file() => Resolved::File(real),
        _ => Resolved::NotFound,
    }
}

/// The reload script's tag, added to every HTML page served (never to the
/// built files, so what `serve` shows is what `build` publishes), but
/// those that carry [`NO_LIVE_RELOAD`].
/// The page remembers the build it comes from, so that it reloads if a
/// rebuild finished while it was loading.
pub fn inject_live_reload(html: &str, generation: u64) -> String {
    if html.contains(NO_LIVE_RELOAD) {
        return html.to_string();
    }
    let tag =
        format!("<script src=\"/__portail/live.js\" data-generation=\"{generation}\"></script>");
    match html.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &html[..at], &html[at..]),
        None => format!("{html}{tag}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("fr/actualites")).unwrap();
        std::fs::write(root.join("fr/actualites/index.html"), "<p>").unwrap();
        std::fs::write(root.join("style.css"), "p{}").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn serves_files_and_folder_indexes() {
        let (_dir, root) = site();
        assert_eq!(
            resolve(&root, "/fr/actualites/"),
            Resolved::File(root.join("fr/actualites/index.html"))
        );
        assert_eq!(
            resolve(&root, "/style.css"),
            Resolved::File(root.join("style.css"))
        );
        assert_eq!(
            resolve(&root, "/fr/actualites"),
            Resolved::AddSlash("/fr/actualites/".into())
        );
        assert_eq!(resolve(&root, "//fr"), Resolved::AddSlash("/fr/".into()));
        assert_eq!(resolve(&root, "/nothing.html"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/%C3%A9t%C3%A9/"), Resolved::NotFound);
    }

    #[test]
    fn refuses_every_way_out() {
        let (_dir, root) = site();
        for path in [
            "/../secret.txt",
            "/fr/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/fr/%2e%2e%5c..%5csecret.txt",
            "/./style.css",
            "/style.css%00.html",
        ] {
            assert_eq!(resolve(&root, path), Resolved::Forbidden, "{path}");
        }
        // An absolute path stays under the root.
        assert_eq!(resolve(&root, "//etc/passwd"), Resolved::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.parent().unwrap().join("secret.txt"), root.join("out"))
                .unwrap();
            assert_eq!(resolve(&root, "/out"), Resolved::Forbidden);
        }
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        assert_eq!(
            inject_live_reload("<body><p>x</p></body></html>", 3),
            "<body><p>x</p><script src=\"/__portail/live.js\" data-generation=\"3\"></script></body></html>"
        );
    }
}
