//! `portail init`: a new site that builds at once.

use crate::harness::{SiteTest, tree};

#[test]
fn a_new_site_builds_in_both_languages() {
    let parent = SiteTest::new("basic");
    parent
        .run(&["init", "nouveau"])
        .assert_code(0)
        .assert_stderr_contains("Created nouveau/config.toml");
    let root = parent.root().join("nouveau");
    let files: Vec<String> = tree(&root).into_keys().collect();
    assert!(files.contains(&".gitignore".to_string()), "{files:?}");
    let ignored = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(
        ignored.contains("/public/") && ignored.contains("/.portail-cache/"),
        "{ignored}"
    );
    assert!(!files.iter().any(|f| f.starts_with("themes/")), "{files:?}");
    let build = parent.run(&["build", "--root", "nouveau"]);
    build.assert_code(0);
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    let fr =
        std::fs::read_to_string(root.join("public/fr/actualites/premiere-actualite/index.html"))
            .unwrap();
    assert!(
        fr.contains("<html lang=\"fr\">") && fr.contains("href=\"/en/news/first-news/\""),
        "{fr}"
    );
    assert!(root.join("public/en/news/first-news/index.html").exists());
    // And the next page can be added at once.
    parent
        .run(&[
            "new",
            "news",
            "Suite",
            "--translations",
            "--root",
            "nouveau",
        ])
        .assert_code(0);
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let parent = SiteTest::new("basic");
    let before = tree(parent.root());
    parent
        .run(&["init", "content"])
        .assert_code(2)
        .assert_stderr_contains("error: content is not empty");
    assert!(tree(parent.root()) == before, "files changed");
    std::fs::create_dir(parent.root().join("vide")).unwrap();
    parent.run(&["init", "vide"]).assert_code(0);
    assert!(parent.root().join("vide/config.toml").is_file());
}
