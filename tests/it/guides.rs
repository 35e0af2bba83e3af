//! Every command the writers' guides and the README's first news item show
//! (their `sh` blocks) runs, in order, on a fresh `portail init` site, and
//! succeeds. A block may hold only commands this test can run, so that
//! none is shown untested.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::harness::run_in_with_env;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The command lines of the `sh` blocks of `text` (indented ones too).
fn commands(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut inside = false;
    for line in text.lines().map(str::trim) {
        match (inside, line) {
            (false, "```sh") => inside = true,
            (true, "```") => inside = false,
            (true, "") => {}
            (true, command) => found.push(command.to_string()),
            _ => {}
        }
    }
    found
}

/// A command line's words, as a shell splits them (double quotes only).
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            ' ' if !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    assert!(!quoted, "unclosed quote in {line}");
    words.extend(word);
    words
}

/// `portail serve`: started, seen to serve, stopped. `--open` is left
/// out (no browser here) and the port is any free one.
fn serve(dir: &Path, args: &[String]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portail"))
        .args(args.iter().filter(|a| *a != "--open"))
        .args(["--port", "0"])
        .current_dir(dir)
        .env_clear()
        .env("LANG", "C")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let served = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("http://127.0.0.1:"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(served, "portail {args:?} did not serve the site");
}

/// Runs the commands of `doc` as a writer would; returns how many ran.
fn follow(doc: &str, from: Option<&str>) -> usize {
    let text = std::fs::read_to_string(Path::new(ROOT).join(doc)).unwrap();
    let text = match from {
        Some(heading) => &text[text.find(heading).unwrap_or_else(|| panic!("{heading}"))..],
        None => &text[..],
    };
    let parent = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let lines = commands(text);
    let mut dir: PathBuf = parent.path().to_path_buf();
    if !lines.iter().any(|l| l.starts_with("portail init")) {
        run_in_with_env(&dir, &["init", "site"], &[]).assert_code(0);
        dir = dir.join("site");
    }
    for line in &lines {
        let words = words(line);
        match words.first().map(String::as_str) {
            Some("cd") => dir = dir.join(&words[1]),
            Some("portail") if words.get(1).map(String::as_str) == Some("serve") => {
                serve(&dir, &words[1..])
            }
            Some("portail") => {
                let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
                let run = run_in_with_env(&dir, &args, &[]);
                assert_eq!(run.code, 0, "{doc}: `{line}` failed:\n{}", run.stderr);
            }
            _ => panic!("{doc}: `{line}` is not a command this test runs: show it in a text block"),
        }
    }
    lines.len()
}

#[test]
fn the_french_guide_s_commands_work_on_a_new_portal() {
    assert!(follow("docs/guide/fr/README.md", None) >= 9);
}

#[test]
fn the_english_guide_s_commands_work_on_a_new_portal() {
    assert!(follow("docs/guide/en/README.md", None) >= 9);
}

#[test]
fn the_readme_s_first_news_item_works() {
    assert!(follow("README.md", Some("## Your first news item")) >= 5);
}

#[test]
fn command_lines_split_as_a_shell_splits_them() {
    assert_eq!(
        words(r#"portail new news "Réunion à Lomé" --title-en "A b""#),
        [
            "portail",
            "new",
            "news",
            "Réunion à Lomé",
            "--title-en",
            "A b"
        ]
    );
}
