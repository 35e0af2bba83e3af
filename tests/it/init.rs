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
        fr.contains("<html lang=\"fr\" dir=\"ltr\">")
            && fr.contains("href=\"/en/news/first-news/\""),
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

#[test]
fn a_whole_portal_builds_and_passes_a_strict_check() {
    let parent = SiteTest::new("basic");
    parent
        .run(&["init", "portail", "--ci", "github"])
        .assert_code(0);
    let root = parent.root().join("portail");
    let files: Vec<String> = tree(&root).into_keys().collect();
    for file in [
        ".github/workflows/site.yml",
        "data/themes.toml",
        "content/activities/_index.en.md",
        "content/good-practices/_index.fr.md",
        "content/about/_index.en.md",
    ] {
        assert!(files.contains(&file.to_string()), "{file}: {files:?}");
    }
    assert!(!files.iter().any(|f| f.starts_with(".gitlab")), "{files:?}");
    let check = parent.run(&["check", "--root", "portail", "--strict"]);
    check.assert_code(0);
    assert!(
        check.stderr.contains("0 errors, 0 warnings"),
        "{}",
        check.stderr
    );
    let build = parent.run(&["build", "--root", "portail"]);
    build.assert_code(0);
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    let read = |path: &str| {
        std::fs::read_to_string(root.join("public").join(path))
            .unwrap_or_else(|err| panic!("{path}: {err}"))
    };
    // Each section in both languages, each in the menu of both.
    let (fr, en) = (read("fr/index.html"), read("en/index.html"));
    for href in [
        "/fr/actualites/",
        "/fr/activites/",
        "/fr/bonnes-pratiques/",
        "/fr/a-propos/",
    ] {
        assert!(fr.contains(&format!("href=\"{href}\"")), "{href}");
    }
    for href in [
        "/en/news/",
        "/en/activities/",
        "/en/good-practices/",
        "/en/about/",
    ] {
        assert!(en.contains(&format!("href=\"{href}\"")), "{href}");
    }
    // The home shows the sample of each list.
    assert!(
        fr.contains("Exemple de formation") && fr.contains("Un calendrier de formation partagé")
    );
    let activity = read("en/activities/sample-training/index.html");
    assert!(
        activity.contains("Lyon"),
        "the English activity inherits its place"
    );
    let workflow = std::fs::read_to_string(root.join(".github/workflows/site.yml")).unwrap();
    assert!(workflow.contains(&format!(
        "PORTAIL_VERSION: \"{}\"",
        env!("CARGO_PKG_VERSION")
    )));
}

#[test]
fn a_minimal_site_has_news_only_and_gitlab_gets_its_ci() {
    let parent = SiteTest::new("basic");
    parent
        .run(&["init", "petit", "--minimal", "--ci", "gitlab"])
        .assert_code(0);
    let files: Vec<String> = tree(&parent.root().join("petit")).into_keys().collect();
    assert!(files.contains(&".gitlab-ci.yml".to_string()), "{files:?}");
    assert!(
        !files
            .iter()
            .any(|f| f.contains("activities") || f.starts_with(".github"))
    );
    parent
        .run(&["check", "--root", "petit", "--strict"])
        .assert_code(0);
    parent
        .run(&["init", "autre", "--ci", "bitbucket"])
        .assert_code(2)
        .assert_stderr_contains("bitbucket");
    assert!(!parent.root().join("autre").exists());
}

#[test]
fn home_headings_agree_with_any_section_name() {
    let parent = SiteTest::new("basic");
    parent.run(&["init", "p"]).assert_code(0);
    let root = parent.root().join("p");
    let retitle = |file: &str, from: &str, to: &str| {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    // A masculine, a masculine singular and a feminine plural name.
    retitle("content/news/_index.fr.md", "\"Actualités\"", "\"Blogue\"");
    retitle(
        "content/activities/_index.fr.md",
        "\"Activités\"",
        "\"Agenda\"",
    );
    retitle(
        "content/good-practices/_index.fr.md",
        "\"Bonnes pratiques\"",
        "\"Initiatives\"",
    );
    parent.run(&["build", "--root", "p"]).assert_code(0);
    let home = std::fs::read_to_string(root.join("public/fr/index.html")).unwrap();
    for text in [
        ">Récemment dans Blogue</h2>",
        ">Toute la rubrique Blogue</a>",
        ">Agenda à venir</h2>",
        ">Toute la rubrique Agenda</a>",
        ">Initiatives à la une</h2>",
        ">Toute la rubrique Initiatives</a>",
    ] {
        assert!(home.contains(text), "{text} not in {home}");
    }
    // A section words its own.
    retitle(
        "content/news/_index.fr.md",
        "weight = 1\n",
        "weight = 1\n\n[extra]\nhome_title = \"Derniers billets\"\nsee_all = \"Tous les billets\"\n",
    );
    parent.run(&["build", "--root", "p"]).assert_code(0);
    let home = std::fs::read_to_string(root.join("public/fr/index.html")).unwrap();
    assert!(home.contains(">Derniers billets</h2>") && home.contains(">Tous les billets</a>"));
    let en = std::fs::read_to_string(root.join("public/en/index.html")).unwrap();
    assert!(
        en.contains(">Latest in News</h2>") && en.contains(">All of News</a>"),
        "{en}"
    );
}
