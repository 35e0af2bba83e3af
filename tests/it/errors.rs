//! Bad inputs: each is an overlay on the `basic` fixture (under
//! `tests/fixtures/errors/<case>/`). Every case must give the exit code, the
//! message at its location, and leave the previous output byte-for-byte.

use crate::harness::SiteTest;

struct Case<'a> {
    name: &'a str,
    code: i32,
    /// `path:line:col: message` prefix expected on stderr.
    located: &'a str,
    help: &'a str,
}

fn check(case: Case) {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let before = site.output_tree();
    site.overlay(&format!("errors/{}", case.name));
    let run = site.run(&["build"]);
    run.assert_code(case.code)
        .assert_stderr_contains(&format!("error: {}", case.located))
        .assert_stderr_contains(&format!("help: {}", case.help))
        .assert_stderr_contains("the previous output was left untouched");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        site.output_tree() == before,
        "{}: public/ changed after a failed build",
        case.name
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The cache folder is kept on purpose between builds.
        .filter(|n| n.contains("portail-") && n != ".portail-cache")
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn malformed_toml_points_inside_the_file() {
    check(Case {
        name: "malformed_toml",
        code: 1,
        located: "content/news/bad.fr.md:3:35: invalid front matter: invalid basic string",
        help: "front matter is TOML",
    });
}

#[test]
fn typographic_quotes_and_impossible_dates_are_named() {
    check(Case {
        name: "curly_quotes",
        code: 1,
        located: "content/news/citation.fr.md:2:9: `title` is between typographic quotes (“…): TOML needs straight double quotes",
        help: "write title = \"Une citation\"",
    });
    check(Case {
        name: "impossible_date",
        code: 1,
        located: "content/news/bissextile.fr.md:3:8: February 2027 has only 28 days",
        help: "a date is written YYYY-MM-DD",
    });
    check(Case {
        name: "config_curly_quotes",
        code: 2,
        located: "config.toml:13:9: `title` is between typographic quotes (“…)",
        help: "write title = \"Test site\"",
    });
}

#[test]
fn unclosed_front_matter() {
    check(Case {
        name: "unclosed_front_matter",
        code: 1,
        located: "content/news/open.fr.md:1:1: the front matter is not closed",
        help: "add a line with `+++`",
    });
}

#[test]
fn missing_title() {
    check(Case {
        name: "missing_title",
        code: 1,
        located: "content/news/untitled.en.md:1:1: missing required field `title`",
        help: "add a line such as: title = ",
    });
}

#[test]
fn wrong_type_shows_accepted_date_forms() {
    check(Case {
        name: "wrong_type",
        code: 1,
        located: "content/news/when.fr.md:3:8: field `date` must be a date, found \"yesterday\"",
        help: "accepted forms: 2024-05-12, 2024-05-12T14:30:00",
    });
}

#[test]
fn unknown_language_suffix() {
    check(Case {
        name: "unknown_language",
        code: 1,
        located: "content/news/seite.de.md: `de` in `seite.de.md` is not a configured language",
        help: "expected one of `fr`, `en` (languages are set in config.toml under [languages])",
    });
}

#[test]
fn two_pages_with_the_same_url_name_both_files() {
    check(Case {
        name: "duplicate_url",
        code: 1,
        located: "content/news/copie.fr.md: `content/news/2024-06-05-guide/index.fr.md` and `content/news/copie.fr.md` are both published at /fr/actualites/le-guide/",
        help: "give one of them a different `slug`",
    });
}

#[test]
fn slug_with_dot_dot() {
    check(Case {
        name: "slug_dotdot",
        code: 1,
        located: "content/news/evasion.fr.md:3:8: invalid slug \"../../etc\"",
        help: "a slug is one URL segment",
    });
}

#[test]
fn slug_with_slash() {
    check(Case {
        name: "slug_slash",
        code: 1,
        located: "content/news/sous-dossier.fr.md:3:8: invalid slug \"a/b\": a slug must not contain `/`",
        help: "a slug is one URL segment",
    });
}

#[test]
fn link_to_a_missing_page() {
    check(Case {
        name: "missing_link",
        code: 1,
        located: "content/news/lien.fr.md:7:6: internal link to a missing page: `@/news/disparue.md`",
        help: "the path is relative to content/",
    });
}

#[test]
fn template_syntax_error_names_template_and_line() {
    check(Case {
        name: "template_syntax",
        code: 1,
        located: "templates/page.html:5:",
        help: "check the template syntax",
    });
}

#[test]
fn file_that_is_not_utf8() {
    check(Case {
        name: "not_utf8",
        code: 1,
        located: "content/news/latin1.fr.md: the file is not valid UTF-8 (line 2, byte 14)",
        help: "save the file with the UTF-8 encoding",
    });
}

#[test]
fn empty_file() {
    check(Case {
        name: "empty_file",
        code: 1,
        located: "content/news/vide.fr.md: the file is empty",
        help: "a page starts with its front matter",
    });
}

#[test]
fn unknown_config_key_is_a_configuration_error() {
    check(Case {
        name: "config_unknown_key",
        code: 2,
        located: "config.toml:7:1: unknown field `titre`",
        help: "did you mean `title`?",
    });
}

#[test]
fn malformed_config() {
    let site = SiteTest::new("basic");
    site.overlay("errors/config_malformed");
    let run = site.run(&["build"]);
    run.assert_code(2)
        .assert_stderr_contains("error: config.toml:3:");
}

#[test]
fn every_error_of_a_stage_is_reported_sorted() {
    let site = SiteTest::new("basic");
    site.overlay("errors/missing_title")
        .overlay("errors/wrong_type")
        .overlay("errors/empty_file");
    let run = site.run(&["build"]);
    run.assert_code(1);
    let positions: Vec<usize> = ["untitled.en.md", "vide.fr.md", "when.fr.md"]
        .iter()
        .map(|f| {
            run.stderr
                .find(f)
                .unwrap_or_else(|| panic!("{f} not reported:\n{}", run.stderr))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "not sorted:\n{}",
        run.stderr
    );
    run.assert_stderr_contains("Build failed with 3 errors");
}

#[test]
fn template_runtime_error_is_reported_once_for_all_pages() {
    check(Case {
        name: "template_runtime",
        code: 1,
        located: "templates/page.html:3:9: template error: Field `missing` is not defined",
        help: "docs/reference.md (\"Templates\") lists the variables templates receive",
    });
    let site = SiteTest::new("basic");
    site.overlay("errors/template_runtime");
    let run = site.run(&["build"]);
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .count(),
        1,
        "{}",
        run.stderr
    );
    run.assert_stderr_contains(
        "(while rendering content/about/team/director.en.md and 6 other files)",
    );
}

#[test]
fn page_folder_in_a_folder_without_index() {
    check(Case {
        name: "folder_without_index",
        code: 1,
        located: "content/events: this folder holds pages or sections but has no `_index` file",
        help: "add `content/events/_index.fr.md` with a title",
    });
}

#[test]
fn section_below_a_folder_without_index() {
    check(Case {
        name: "section_gap",
        code: 1,
        located: "content/a: this folder holds pages or sections but has no `_index` file",
        help: "add `content/a/_index.fr.md` with a title",
    });
}

#[test]
fn page_folder_inside_a_page_folder() {
    check(Case {
        name: "nested_page_folder",
        code: 1,
        located: "content/news/2024-06-05-guide/annexe/index.fr.md: a page folder holds only its own `index` files and their assets",
        help: "move this page next to the page folder",
    });
}

#[test]
fn markdown_with_another_extension() {
    check(Case {
        name: "markdown_extension",
        code: 1,
        located: "content/news/Note.MD: Markdown files must end with `.md` (lowercase)",
        help: "rename the file",
    });
}

#[test]
fn a_language_without_interface_texts_is_reported_once() {
    let theme_table = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/i18n/en.toml"
    ))
    .unwrap();
    let table = theme_table.parse::<toml::Table>().unwrap();
    let first: Vec<String> = table.keys().take(3).map(|k| format!("`{k}`")).collect();
    let located = format!(
        "i18n/es.toml: {} interface text(s) missing in `es`: {}",
        table.len(),
        first.join(", ")
    );
    check(Case {
        name: "third_language",
        code: 1,
        located: &located,
        help: "copy themes/default/i18n/en.toml to i18n/es.toml and translate its texts",
    });
}

#[test]
fn static_file_in_the_way_of_a_folder() {
    check(Case {
        name: "static_in_the_way",
        code: 1,
        located: "static/fr: `static/fr` produces the file /fr, where `templates/not_found.html` needs a folder",
        help: "rename the file",
    });
}

#[test]
fn a_translation_that_changes_a_shared_field_names_both_files() {
    let site = SiteTest::new("shared_fields");
    site.build_ok(&[]);
    let before = site.output_tree();
    site.overlay("errors/shared_conflict");
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains(
            "error: content/events/atelier.en.md:3:9: `start` is shared by all translations, but here it is \"2025-03-12\" and in content/events/atelier.fr.md:3 it is \"2025-03-11\"",
        )
        .assert_stderr_contains("help: write `start` only in content/events/atelier.fr.md (the default-language file)");
    assert!(site.output_tree() == before);
}

#[test]
fn a_translation_cannot_change_a_date_given_by_the_file_name() {
    check(Case {
        name: "shared_date_conflict",
        code: 1,
        located: "content/news/2024-05-12-Réunion à Dakar.en.md:4:8: `date` is shared by all translations, but here it is \"2024-09-30T00:00:00+02:00\" and in content/news/2024-05-12-Réunion à Dakar.fr.md it is \"2024-05-12T00:00:00+02:00\"",
        help: "write `date` only in content/news/2024-05-12-Réunion à Dakar.fr.md",
    });
}

#[test]
fn unknown_taxonomy_term_points_at_the_term() {
    check(Case {
        name: "unknown_term",
        code: 1,
        located: "content/news/terme.fr.md:5:20: unknown themes term \"protections\"",
        help: "did you mean `protection`? (the terms are listed in data/themes.toml)",
    });
}

#[test]
fn section_schemas_require_fields_and_allowed_values() {
    let site = SiteTest::new("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        config.replace(
            "[sections.news]\npaginate_by = 2",
            "[sections.news]\npaginate_by = 2\nrequired = [\"themes\"]\n\n[sections.news.fields]\nkind = { one_of = [\"communique\", \"article\"] }",
        ),
    );
    let page = "content/news/2024-07-01-seulement-en-francais.fr.md";
    site.edit(page, |text| {
        text.replacen("+++\n", "+++\nkind = \"comunique\"\n", 1)
    });
    let run = site.run(&["build"]);
    run.assert_code(1)
        .assert_stderr_contains("error: content/news/2024-06-05-guide/index.fr.md:1:1: missing required field `themes`")
        .assert_stderr_contains("help: pages of content/news/ need it (config.toml [sections.news]): add [taxonomies] then themes = [\"…\"]")
        .assert_stderr_contains("error: content/news/2024-07-01-seulement-en-francais.fr.md:2:8: field `kind` cannot be \"comunique\"")
        .assert_stderr_contains("help: did you mean `communique`? (the values are listed in config.toml)");
    // The English translation of the guide inherits its taxonomies: reported once, in French.
    assert!(
        !run.stderr
            .contains("index.en.md:1:1: missing required field"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_schema_cannot_require_what_does_not_exist() {
    let site = SiteTest::new("basic");
    site.edit("config.toml", |config| {
        config.replace(
            "[sections.news]\npaginate_by = 2",
            "[sections.news]\npaginate_by = 2\nrequired = [\"dates\"]",
        )
    });
    site.run(&["build"])
        .assert_code(2)
        .assert_stderr_contains("[sections.news] requires `dates`, which is no front-matter key, taxonomy or declared field")
        .assert_stderr_contains("help: did you mean `date`?");
}

#[test]
fn an_activity_cannot_end_before_it_starts() {
    let site = SiteTest::new("shared_fields");
    site.edit("config.toml", |config| {
        config.replace(
            "[sections.events]\n",
            "[sections.events]\ncalendar = true\n",
        )
    });
    let page = "content/events/atelier.fr.md";
    site.edit(page, |text| {
        text.replace("end = 2025-03-13", "end = 2025-03-10")
    });
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("error: content/events/atelier.fr.md:4:7: the activity ends (2025-03-10) before it starts (2025-03-11)");
}

#[test]
fn two_terms_cannot_share_a_page() {
    let site = SiteTest::new("basic");
    site.overlay("taxonomy_terms");
    site.write("data/themes.toml", "[protection]\nfr = \"Santé\"\nen = \"Health\"\n\n[sante]\nfr = \"Sante\"\nen = \"Health care\"\n");
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains(
            "terms \"protection\" and \"sante\" have the same URL slug \"sante\" in `fr`",
        )
        .assert_stderr_contains("help: give one of them its own slug");
}

#[test]
fn two_data_files_with_one_name() {
    check(Case {
        name: "data_collision",
        code: 1,
        located: "data/people.toml: `data/people.csv` and `data/people.toml` both give data.people",
        help: "templates would see only one of them: rename or merge them",
    });
}

#[test]
fn calendar_page_without_start() {
    check(Case {
        name: "calendar_without_start",
        code: 1,
        located: "content/events/atelier.fr.md:1:1: missing `start`",
        help: "add a line such as: start = 2025-03-11",
    });
}
