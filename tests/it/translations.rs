//! `portail translations`: missing, stale and unmarked translations, and
//! marking a translation current.

use crate::harness::SiteTest;

const FR: &str = "content/news/2024-05-12-Réunion à Dakar.fr.md";
const EN: &str = "content/news/2024-05-12-Réunion à Dakar.en.md";

fn row<'a>(table: &'a str, key: &str) -> &'a str {
    table
        .lines()
        .find(|l| l.split_whitespace().next() == Some(key))
        .unwrap_or_else(|| panic!("no row {key} in\n{table}"))
}

#[test]
fn reports_missing_translations_and_fails_on_request() {
    let site = SiteTest::new("basic");
    let run = site.run(&["translations"]);
    run.assert_code(0);
    let only_fr = row(&run.stdout, "news/2024-07-01-seulement-en-francais");
    assert!(
        only_fr.contains("source") && only_fr.contains("MISSING"),
        "{only_fr}"
    );
    assert!(
        row(&run.stdout, "news/2024-05-12-Réunion").contains("unmarked"),
        "{}",
        run.stdout
    );
    site.run(&["translations", "--fail-on", "missing"])
        .assert_code(1)
        .assert_stderr_contains("1 missing translation(s)"); // the French-only page; drafts do not count
    site.run(&["translations", "--fail-on", "stale"])
        .assert_code(0);
}

#[test]
fn marking_current_then_editing_the_source_makes_it_stale() {
    let site = SiteTest::new("basic");
    site.run(&["translations", "--mark-current", EN])
        .assert_code(0)
        .assert_stderr_contains("marked current (translation_of = \"");
    let marked = std::fs::read_to_string(site.root().join(EN)).unwrap();
    assert!(marked.starts_with("+++\ntranslation_of = \""), "{marked}");
    let run = site.run(&["translations", "--fail-on", "stale"]);
    run.assert_code(0);
    assert!(row(&run.stdout, "news/2024-05-12-Réunion").contains("current"));
    // The French source changes: the English translation is now stale.
    site.edit(FR, |source| {
        source.replace("Le résumé de la réunion", "Le nouveau résumé de la réunion")
    });
    let run = site.run(&["translations", "--fail-on", "stale"]);
    run.assert_code(1)
        .assert_stderr_contains("1 stale translation(s)");
    assert!(row(&run.stdout, "news/2024-05-12-Réunion").contains("STALE"));
    // Marking again makes it current; the site still builds.
    site.run(&["translations", "--mark-current", EN])
        .assert_code(0);
    site.run(&["translations", "--fail-on", "stale"])
        .assert_code(0);
    site.build_ok(&[]);
}

#[test]
fn json_report() {
    let site = SiteTest::new("basic");
    let run = site.run(&["translations", "--format", "json"]);
    run.assert_code(0);
    let groups: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let group = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "news/2024-07-01-seulement-en-francais")
        .unwrap();
    assert_eq!(group["kind"], "page");
    assert_eq!(group["languages"]["fr"]["status"], "source");
    assert_eq!(group["languages"]["en"]["status"], "missing");
    assert_eq!(group["languages"]["en"]["file"], serde_json::Value::Null);
}

#[test]
fn only_translations_can_be_marked() {
    let site = SiteTest::new("basic");
    site.run(&["translations", "--mark-current", FR])
        .assert_code(2)
        .assert_stderr_contains("is in the default language");
    site.run(&["translations", "--mark-current", "content/nope.en.md"])
        .assert_code(2)
        .assert_stderr_contains("cannot find content/nope.en.md");
}

#[test]
fn a_blank_translation_is_left_out_with_a_warning() {
    // What the CMS writes for a language left blank.
    let site = SiteTest::new("basic");
    site.write(
        "content/news/2024-07-01-seulement-en-francais.en.md",
        "+++\n\n+++\n",
    );
    let run = site.build_ok(&[]);
    run.assert_stderr_contains(
        "warning: content/news/2024-07-01-seulement-en-francais.en.md: this translation is empty: it is not published",
    );
    assert!(site.exists("fr/actualites/seulement-en-francais/index.html"));
    assert!(!site.public().join("en/news/seulement-en-francais").exists());
    // Still a missing translation, even with drafts built; strict checks fail on it.
    let table = site.run(&["translations"]).stdout;
    assert!(row(&table, "news/2024-07-01-seulement-en-francais").contains("MISSING"));
    site.build_ok(&["--drafts"]);
    assert!(!site.public().join("en/news/seulement-en-francais").exists());
    site.run(&["check", "--strict"])
        .assert_code(1)
        .assert_stderr_contains("this translation is empty");
}

#[test]
fn a_partial_language_expects_missing_pages() {
    let site = SiteTest::new("basic");
    site.edit("config.toml", |c| {
        c.replace("name = \"English\"", "name = \"English\"\npartial = true")
    });
    let table = site.run(&["translations"]).stdout;
    assert!(
        row(&table, "news/2024-07-01-seulement-en-francais").contains("not yet"),
        "{table}"
    );
    site.run(&["translations", "--fail-on", "missing"])
        .assert_code(0);
    let check = site.run(&["check", "--strict"]);
    assert!(
        !check.stderr.contains("no English version"),
        "{}",
        check.stderr
    );
    let json = site.run(&["translations", "--format", "json"]).stdout;
    assert!(json.contains("\"not-yet\""), "{json}");
}
