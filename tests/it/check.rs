//! `portail check`: links, anchors and files of the rendered site, and
//! pages without a translation, without writing anything.

use crate::harness::SiteTest;

const PLANTED: &str = "+++\ntitle = \"Liens\"\n+++\n\n## Premier\n\n\
Voir [ailleurs](../nulle-part/) et [la section](@/news/_index.md#absente).\n\n\
<a href=\"/fr/actualites/#nope\">brut</a> ![image](manque.png)\n\n\
[bon](#premier) [ok](@/news/_index.md) [externe](https://example.com/x) [mail](mailto:a@b.c)\n";

#[test]
fn finds_broken_links_and_anchors_with_file_line_and_column() {
    let site = SiteTest::new("basic");
    site.write("content/news/liens.fr.md", PLANTED);
    site.write("content/news/liens.en.md", "+++\ntitle = \"Links\"\n+++\n");
    let run = site.run(&["check"]);
    run.assert_code(1)
        .assert_stderr_contains(
            "error: content/news/liens.fr.md:7:17: link to a missing page or file: `../nulle-part/`",
        )
        .assert_stderr_contains(
            "error: content/news/liens.fr.md:7:65: link to a missing anchor: `/fr/actualites/#absente`",
        )
        .assert_stderr_contains(
            "error: content/news/liens.fr.md:9:10: link to a missing anchor: `/fr/actualites/#nope`",
        )
        .assert_stderr_contains("error: content/news/liens.fr.md:9:50: link to a missing page or file: `manque.png`")
        .assert_stderr_contains("help: in /fr/actualites/liens/index.html; fix the link")
        .assert_stderr_contains("Checked 30 pages: 4 errors, 1 warning.");
    assert!(!run.stderr.contains("#premier`"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("example.com") && !run.stderr.contains("mailto"),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists(), "check must not write the site");

    site.run(&["check", "--format", "github"])
        .assert_code(1)
        .assert_stdout_contains(
            "::error file=content/news/liens.fr.md,line=7,col=17::link to a missing page or file: `../nulle-part/`",
        )
        .assert_stdout_contains("::error file=content/news/liens.fr.md,line=9,col=10::link to a missing anchor");
}

#[test]
fn a_broken_link_in_a_template_is_reported_once() {
    let site = SiteTest::new("basic");
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"),
    )
    .unwrap();
    site.write(
        "templates/page.html",
        page.replacen(
            "{% block content %}",
            "{% block content %}<a href=\"/fr/disparu/\">x</a>",
            1,
        ),
    );
    let run = site.run(&["check"]);
    run.assert_code(1)
        .assert_stderr_contains(
            "error: templates/page.html:4:29: link to a missing page or file: `/fr/disparu/`",
        )
        .assert_stderr_contains("other pages; fix the link");
    assert_eq!(
        run.stderr.matches("/fr/disparu/`").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn untranslated_pages_are_warnings_and_strict_makes_them_errors() {
    let site = SiteTest::new("basic");
    site.run(&["check"])
        .assert_code(0)
        .assert_stderr_contains(
            "warning: content/news/2024-07-01-seulement-en-francais.fr.md: no English version",
        )
        .assert_stderr_contains("0 errors, 1 warning.");
    site.run(&["check", "--strict"])
        .assert_code(1)
        .assert_stderr_contains(
            "error: content/news/2024-07-01-seulement-en-francais.fr.md: no English version",
        );
}

#[test]
fn the_demo_site_has_no_broken_link() {
    let run = crate::harness::run_in(
        env!("CARGO_MANIFEST_DIR"),
        &["check", "--strict", "--now", "2026-11-26"],
    );
    run.assert_code(0)
        .assert_stderr_contains("0 errors, 0 warnings.");
}
