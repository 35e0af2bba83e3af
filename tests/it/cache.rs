//! `build --cache`: a build renders only the pages whose reads changed since
//! the build that wrote the cache, gives a clean build's output, and never
//! trusts a cache of another version, another configuration, or one that
//! is damaged.

use std::path::Path;

use crate::harness::{SiteTest, tree};

/// The demo site, in a fresh folder.
fn demo() -> SiteTest {
    let site = SiteTest::new("basic");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "data", "static"] {
        let _ = std::fs::remove_dir_all(site.root().join(part));
        crate::harness::copy_dir(&repo.join(part), &site.root().join(part));
    }
    std::fs::copy(repo.join("config.toml"), site.root().join("config.toml")).unwrap();
    site
}

const NOW: &str = "--now=2025-06-01";

/// The pages rendered and reused, as the build says.
fn counts(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("Cache:"))
        .unwrap_or_else(|| panic!("no cache line in:\n{stderr}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// The output equals a build without cache, file for file.
#[track_caller]
fn equals_a_clean_build(site: &SiteTest) {
    site.build_ok(&[NOW, "--output", "clean"]);
    let (cached, clean) = (tree(&site.public()), tree(&site.root().join("clean")));
    assert_eq!(
        cached.keys().collect::<Vec<_>>(),
        clean.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &clean {
        assert!(cached[path] == *bytes, "{path} differs from a clean build");
    }
}

#[test]
fn a_cache_renders_only_what_changed_and_gives_the_clean_build() {
    let site = demo();
    let first = site.build_ok(&[NOW, "--cache"]);
    let (rendered, reused) = counts(&first.stderr);
    assert_eq!(reused, 0, "{}", first.stderr);
    assert!(site.root().join(".portail-cache/render.bin").is_file());
    let all = rendered;

    // Nothing changed: nothing is rendered.
    let again = site.build_ok(&[NOW, "--cache"]);
    assert_eq!(counts(&again.stderr), (0, all));
    equals_a_clean_build(&site);

    // A body: its page alone.
    let page = "content/news/2024-06-11-study-remittance-costs.fr.md";
    site.edit(page, |text| format!("{text}\nUn paragraphe de plus.\n"));
    let body = site.build_ok(&[NOW, "--cache"]);
    assert_eq!(counts(&body.stderr), (1, all - 1), "{}", body.stderr);
    equals_a_clean_build(&site);

    // A title: the page and the lists that show it, not the whole site.
    site.edit(page, |text| {
        text.replacen("title = \"", "title = \"Revu : ", 1)
    });
    let title = site.build_ok(&[NOW, "--cache"]);
    let (rendered, _) = counts(&title.stderr);
    assert!(rendered > 1 && rendered * 4 < all, "{}", title.stderr);
    equals_a_clean_build(&site);

    // A template: every page it renders (here: all of them).
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><title>{{ page.title }}</title></html>\n",
    );
    site.build_ok(&[NOW, "--cache"]);
    equals_a_clean_build(&site);

    // A page added, then deleted.
    let new = "content/news/2026-11-02-nouvelle.fr.md";
    site.write(new, "+++\ntitle = \"Nouvelle\"\n+++\nTexte.\n");
    let added = site.build_ok(&[NOW, "--cache"]);
    let (rendered, reused) = counts(&added.stderr);
    assert!(rendered > 0 && reused > 0, "{}", added.stderr);
    assert!(site.exists("fr/actualites/nouvelle/index.html"));
    equals_a_clean_build(&site);
    std::fs::remove_file(site.root().join(new)).unwrap();
    let deleted = site.build_ok(&[NOW, "--cache"]);
    let (rendered, reused) = counts(&deleted.stderr);
    assert!(rendered > 0 && reused > 0, "{}", deleted.stderr);
    assert!(!site.exists("fr/actualites/nouvelle/index.html"));
    equals_a_clean_build(&site);
}

#[test]
fn a_page_file_changed_in_the_output_is_rendered_again() {
    let site = demo();
    site.build_ok(&[NOW, "--cache"]);
    let page = site.public().join("fr/actualites/index.html");
    std::fs::write(&page, "tampered").unwrap();
    let again = site.build_ok(&[NOW, "--cache"]);
    assert_eq!(counts(&again.stderr).0, 1, "{}", again.stderr);
    equals_a_clean_build(&site);
}

#[test]
fn a_cache_of_another_version_configuration_or_damaged_is_refused() {
    let site = demo();
    let cache = site.root().join("cache-folder");
    let cache_arg = format!("--cache={}", cache.display());
    site.build_ok(&[NOW, &cache_arg]);
    let file = cache.join("render.bin");

    // Another version: the version is stored as text near the start.
    let bytes = std::fs::read(&file).unwrap();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let at = bytes
        .windows(version.len())
        .position(|w| w == version)
        .expect("the version in the cache");
    let mut other = bytes.clone();
    other[at] = if other[at] == b'9' { b'8' } else { b'9' };
    std::fs::write(&file, &other).unwrap();
    let run = site.build_ok(&[NOW, &cache_arg]);
    run.assert_stderr_contains("The cache was made by portail 9");
    assert_eq!(counts(&run.stderr).1, 0, "nothing taken from it");
    equals_a_clean_build(&site);

    // Damaged: cut short, or bytes added after its end.
    for damaged in [
        bytes[..bytes.len() / 2].to_vec(),
        [&bytes[..], b"xx"].concat(),
    ] {
        std::fs::write(&file, damaged).unwrap();
        let run = site.build_ok(&[NOW, &cache_arg]);
        run.assert_stderr_contains("The cache is damaged");
        assert_eq!(counts(&run.stderr).1, 0, "nothing taken from it");
        equals_a_clean_build(&site);
    }

    // Another configuration.
    site.build_ok(&[NOW, &cache_arg]);
    site.edit("config.toml", |text| format!("{text}\n# A comment.\n"));
    let run = site.build_ok(&[NOW, &cache_arg]);
    run.assert_stderr_contains("another configuration");
    assert_eq!(counts(&run.stderr).1, 0);
    // Another base URL on the command line is another configuration too.
    let run = site.build_ok(&[NOW, &cache_arg, "--base-url", "https://other.example.org/"]);
    run.assert_stderr_contains("another configuration");
    // In French as well.
    let run = site.build_ok(&[NOW, &cache_arg, "--lang", "fr"]);
    run.assert_stderr_contains("autre configuration");
}

#[test]
fn a_cache_that_cannot_be_written_is_a_warning_not_a_failure() {
    let site = demo();
    // A file where the cache's folder should be.
    site.write("not-a-folder", "x");
    let run = site.build_ok(&[NOW, "--cache=not-a-folder"]);
    run.assert_stderr_contains("The cache could not be written");
    assert!(site.exists("index.html"));
}

#[test]
fn a_cache_naming_a_path_out_of_the_output_is_damaged() {
    let site = demo();
    site.build_ok(&[NOW, "--cache"]);
    let file = site.root().join(".portail-cache/render.bin");
    let bytes = std::fs::read(&file).unwrap();
    let (inside, outside) = (b"fr/actualites/index.html", b"../actualites/index.html");
    assert!(bytes.windows(inside.len()).any(|w| w == inside));
    let mut edited = Vec::with_capacity(bytes.len());
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        if rest.starts_with(inside) {
            edited.extend_from_slice(outside);
            rest = &rest[inside.len()..];
        } else {
            edited.push(rest[0]);
            rest = &rest[1..];
        }
    }
    std::fs::write(&file, edited).unwrap();
    let run = site.build_ok(&[NOW, "--cache"]);
    run.assert_stderr_contains("The cache is damaged");
    assert_eq!(counts(&run.stderr).1, 0, "nothing taken from it");
    equals_a_clean_build(&site);
}
