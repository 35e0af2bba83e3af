//! `portail new`: files named and filled from the section's schema.

use crate::harness::SiteTest;

/// The `basic` fixture plus a calendar section with a schema.
fn site_with_events() -> SiteTest {
    let site = SiteTest::new("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        format!(
            "{config}\n[sections.events]\ncalendar = true\nsort_by = \"start\"\n\
             shared = [\"start\", \"place\", \"taxonomies\"]\n\n[sections.events.fields]\n\
             start = {{ type = \"date\", required = true }}\nplace = {{ type = \"string\", required = true }}\n\
             kind = {{ one_of = [\"meeting\", \"training\"] }}\n"
        ),
    );
    site.write(
        "content/events/_index.fr.md",
        "+++\ntitle = \"Événements\"\n+++\n",
    );
    site.write(
        "content/events/_index.en.md",
        "+++\ntitle = \"Events\"\n+++\n",
    );
    site
}

fn source(site: &SiteTest, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const NOV_18_2026: (&str, &str) = ("SOURCE_DATE_EPOCH", "1795000000");

#[test]
fn dated_sections_get_the_date_in_the_file_name() {
    let site = SiteTest::new("basic");
    site.run_with_env(&["new", "news", "Réunion à Lomé"], &[NOV_18_2026])
        .assert_code(0)
        .assert_stderr_contains("Created content/news/2026-11-18-reunion-a-lome.fr.md");
    let text = source(&site, "content/news/2026-11-18-reunion-a-lome.fr.md");
    assert!(
        text.starts_with("+++\ntitle = \"Réunion à Lomé\"\ndescription = \"\"\ndraft = true"),
        "{text}"
    );
    assert!(text.contains("[taxonomies]\nthemes = []\n+++\n"), "{text}");
    assert!(
        !site
            .root()
            .join("content/news/2026-11-18-reunion-a-lome.en.md")
            .exists()
    );
    // A draft appears with --drafts only.
    site.build_ok(&[]);
    assert!(!site.exists("fr/actualites/reunion-a-lome/index.html"));
    site.build_ok(&["--drafts"]);
    assert!(site.exists("fr/actualites/reunion-a-lome/index.html"));
}

#[test]
fn fields_come_from_the_schema_and_translations_inherit_shared_ones() {
    let site = site_with_events();
    site.run_with_env(
        &[
            "new",
            "content/events/",
            "Atelier à Dakar",
            "--translations",
        ],
        &[NOV_18_2026],
    )
    .assert_code(0)
    .assert_stderr_contains("Created content/events/atelier-a-dakar.fr.md")
    .assert_stderr_contains("Created content/events/atelier-a-dakar.en.md");
    let fr = source(&site, "content/events/atelier-a-dakar.fr.md");
    for line in [
        "start = 2026-11-18  # required\n",
        "place = \"\"  # required\n",
        "kind = \"\"  # one of: meeting, training\n",
    ] {
        assert!(fr.contains(line), "{line:?} not in\n{fr}");
    }
    let en = source(&site, "content/events/atelier-a-dakar.en.md");
    assert!(
        en.contains("title = \"Atelier à Dakar\"  # to translate\n"),
        "{en}"
    );
    assert!(en.contains("kind = \"\""), "{en}");
    assert!(
        !en.contains("start") && !en.contains("place") && !en.contains("[taxonomies]"),
        "{en}"
    );

    // Until its required fields are filled in, the draft says what is missing.
    site.run(&["build", "--drafts"])
        .assert_code(1)
        .assert_stderr_contains("atelier-a-dakar.fr.md:1:1: missing required field `place`");
    let filled = fr
        .replace("place = \"\"", "place = \"Dakar\"")
        .replace("draft = true  # delete this line to publish the page\n", "");
    site.write("content/events/atelier-a-dakar.fr.md", filled);
    let en = en.replace("draft = true  # delete this line to publish the page\n", "");
    site.write("content/events/atelier-a-dakar.en.md", en);
    site.build_ok(&[]);
    let page = site.read("en/events/atelier-a-dakar/index.html");
    assert!(page.contains("Dakar"), "{page}");
}

#[test]
fn a_translation_given_its_title_gets_its_own_address() {
    let site = site_with_events();
    site.run(&[
        "new",
        "events",
        "Atelier à Dakar",
        "--translations",
        "--title-en",
        "Workshop in Dakar",
    ])
    .assert_code(0);
    let en = source(&site, "content/events/atelier-a-dakar.en.md");
    assert!(
        en.starts_with("+++\ntitle = \"Workshop in Dakar\"\nslug = \"workshop-in-dakar\"\n"),
        "{en}"
    );
    assert!(!en.contains("to translate"), "{en}");
    site.run(&[
        "new",
        "events",
        "Réunion",
        "--translations",
        "--title-in",
        "de=Treffen",
    ])
    .assert_code(2)
    .assert_stderr_contains("`de` is not a language of the site");
    site.run(&[
        "new",
        "events",
        "Réunion",
        "--translations",
        "--title-in",
        "Meeting",
    ])
    .assert_code(2)
    .assert_stderr_contains("`--title-in Meeting` names no language");
    assert!(!site.root().join("content/events/reunion.fr.md").exists());
}

#[test]
fn never_overwrites_and_writes_nothing_when_one_file_exists() {
    let site = site_with_events();
    site.write(
        "content/events/atelier.en.md",
        "+++\ntitle = \"Mine\"\n+++\n",
    );
    site.run(&["new", "events", "Atelier", "--translations"])
        .assert_code(2)
        .assert_stderr_contains("error: content/events/atelier.en.md already exists")
        .assert_stderr_contains("help: nothing was written");
    assert!(!site.root().join("content/events/atelier.fr.md").exists());
    assert_eq!(
        source(&site, "content/events/atelier.en.md"),
        "+++\ntitle = \"Mine\"\n+++\n"
    );
}

#[test]
fn wrong_section_language_or_title_are_explained() {
    let site = SiteTest::new("basic");
    site.run(&["new", "nwes", "Titre"])
        .assert_code(2)
        .assert_stderr_contains("error: there is no section `nwes` in content/")
        .assert_stderr_contains("help: did you mean `news`?");
    site.run(&["new", "news", "Titre", "--lang", "de"])
        .assert_code(2)
        .assert_stderr_contains("error: `de` is not a language of the site");
    site.run(&["new", "news", "?!"])
        .assert_code(2)
        .assert_stderr_contains("gives an empty file name");
    site.run(&["new", "../news", "Titre"]).assert_code(2);
    let files = crate::harness::tree(&site.root().join("content"));
    assert_eq!(
        files.len(),
        crate::harness::tree(&std::path::Path::new(crate::harness::FIXTURES).join("basic/content"))
            .len()
    );
}
