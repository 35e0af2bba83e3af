//! `SiteTest`: a fixture site copied to a fresh temporary folder, built by
//! the real `portail` binary with a clean environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

pub struct SiteTest {
    dir: tempfile::TempDir,
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_stderr_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_stdout_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }
}

impl SiteTest {
    /// Copies `tests/fixtures/<name>` into a new temporary folder.
    pub fn new(name: &str) -> SiteTest {
        let dir = tempfile::Builder::new()
            .prefix(&format!("{name}-"))
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .unwrap();
        copy_dir(&Path::new(FIXTURES).join(name), dir.path());
        SiteTest { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Copies the files of another fixture folder over this site.
    pub fn overlay(&self, fixture: &str) -> &Self {
        copy_dir(&Path::new(FIXTURES).join(fixture), self.root());
        self
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Rewrites a file of the site with `change`.
    pub fn edit(&self, rel: &str, change: impl FnOnce(&str) -> String) -> &Self {
        let text = std::fs::read_to_string(self.root().join(rel)).unwrap();
        self.write(rel, change(&text))
    }

    /// Runs `portail <args>` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        run_in_with_env(self.root(), args, env)
    }

    /// `portail build`, which must succeed.
    #[track_caller]
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend(args);
        let run = self.run(&all);
        run.assert_code(0);
        run
    }

    /// A file of the output, as text.
    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read public/{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }

    /// Every file of `public/` with its bytes.
    pub fn output_tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.public())
    }
}

/// The demo site built into a fresh folder, which must succeed: the folder
/// (keep it alive), its `public/`, and the run.
#[track_caller]
pub fn build_demo(args: &[&str], env: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, Run) {
    let out = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let public = out.path().join("public");
    let public_arg = public.to_string_lossy().into_owned();
    let mut all = vec!["build", "--output", &public_arg];
    all.extend(args);
    let run = run_in_with_env(Path::new(env!("CARGO_MANIFEST_DIR")), &all, env);
    run.assert_code(0);
    (out, public, run)
}

/// Runs `portail <args>` in `dir` (a site that must not be written to).
pub fn run_in(dir: &str, args: &[&str]) -> Run {
    run_in_with_env(Path::new(dir), args, &[])
}

/// Runs `portail <args>` in `dir` with only the variables of `env`, and
/// `LANG=C` unless `env` sets it: messages are in English by default.
pub fn run_in_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_portail"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("LANG", "C")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
