//! Bilingual output as a whole: alternates are reciprocal, the default
//! language can live at `/`, menus mark the current page, template texts.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::{SiteTest, tree};

/// `(hreflang, href)` of every `<link rel="alternate" hreflang>` in a page.
fn alternates(html: &str) -> Vec<(String, String)> {
    html.match_indices("<link rel=\"alternate\" hreflang=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let lang = &rest[..rest.find('"').unwrap()];
            let href_at = rest.find("href=\"").unwrap() + 6;
            let href = &rest[href_at..href_at + rest[href_at..].find('"').unwrap()];
            (lang.to_string(), href.to_string())
        })
        .collect()
}

fn html_lang(html: &str) -> &str {
    let i = html.find("<html lang=\"").expect("<html lang>") + 12;
    &html[i..i + html[i..].find('"').unwrap()]
}

/// Every alternate of every page exists, has the announced language, and
/// points back; every page with alternates has an `x-default`.
pub(crate) fn assert_reciprocal(public: &Path, base_url: &str) -> usize {
    let pages: BTreeMap<String, String> = tree(public)
        .into_iter()
        .filter(|(p, _)| p.ends_with("index.html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect();
    let file_of = |url: &str| -> String {
        let path = url
            .strip_prefix(base_url)
            .unwrap_or_else(|| panic!("{url} is not below {base_url}"));
        format!("{path}index.html")
    };
    let mut checked = 0;
    for (path, html) in &pages {
        let links = alternates(html);
        if links.is_empty() {
            continue;
        }
        assert!(
            links.iter().any(|(l, _)| l == "x-default"),
            "{path} has no x-default"
        );
        let own = links
            .iter()
            .find(|(l, _)| l == html_lang(html))
            .unwrap_or_else(|| panic!("{path} does not list itself"))
            .1
            .clone();
        for (lang, href) in links.iter().filter(|(l, _)| l != "x-default") {
            let target = pages
                .get(&file_of(href))
                .unwrap_or_else(|| panic!("{path}: alternate {href} does not exist"));
            assert_eq!(html_lang(target), lang, "{path}: {href} is not in {lang}");
            assert!(
                alternates(target)
                    .iter()
                    .any(|(l, h)| l == html_lang(html) && *h == own),
                "{href} does not point back to {own}"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn demo_alternates_are_reciprocal() {
    let (_out, public, _) = crate::harness::build_demo(&[], &[]);
    let checked = assert_reciprocal(&public, "https://portail.example.org/");
    assert!(checked > 150, "only {checked} alternates checked");
}

#[test]
fn default_language_at_the_root() {
    let site = SiteTest::new("basic");
    site.edit("config.toml", |config| {
        config.replace(
            "[languages.fr]",
            "[languages]\nroot = \"default\"\n\n[languages.fr]",
        )
    });
    site.build_ok(&[]);
    let home = site.read("index.html");
    assert_eq!(html_lang(&home), "fr");
    assert!(
        home.contains(r#"<link rel="alternate" hreflang="en" href="https://example.org/en/">"#),
        "{home}"
    );
    assert!(
        home.contains(r#"<link rel="alternate" hreflang="x-default" href="https://example.org/">"#)
    );
    assert!(site.exists("actualites/reunion-a-dakar/index.html"));
    assert!(!site.exists("fr/index.html"));
    assert!(site.read("en/news/meeting-in-dakar/index.html").contains(
        r#"<li lang="fr" dir="ltr"><a href="/actualites/reunion-a-dakar/" hreflang="fr">Français</a></li>"#
    ));
    assert!(assert_reciprocal(&site.public(), "https://example.org/") > 10);
}

#[test]
fn fixture_alternates_are_reciprocal() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    assert!(assert_reciprocal(&site.public(), "https://example.org/") > 10);
}

#[test]
fn menus_mark_the_current_page_and_section() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let section = site.read("fr/actualites/index.html");
    assert!(
        section
            .contains(r#"<li><a href="/fr/actualites/" aria-current="page">Actualités</a></li>"#),
        "{section}"
    );
    let page = site.read("fr/actualites/le-guide/index.html");
    assert!(
        page.contains(r#"<li><a href="/fr/actualites/" aria-current="true">Actualités</a></li>"#)
    );
    let home = site.read("fr/index.html");
    assert!(home.contains(r#"<li><a href="/fr/actualites/">Actualités</a></li>"#));
    assert!(home.contains(r#"<li><a href="https://example.com/">Externe</a></li>"#));
}

#[test]
fn a_missing_text_names_key_language_and_template() {
    let site = SiteTest::new("basic");
    site.write(
        "templates/page.html",
        "<!DOCTYPE html>\n<html lang=\"{{ lang }}\">\n<p>{{ trans(key=\"partager\") }}</p>\n</html>\n",
    );
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("error: templates/page.html:3:7: template error: no text for key `partager` in language `en`; add it to i18n/en.toml");
}

#[test]
fn texts_take_placeholders_and_sites_can_override_them() {
    let site = SiteTest::new("basic");
    site.write("i18n/fr.toml", "page_of = \"Feuille {current}/{total}\"\n");
    site.build_ok(&[]);
    assert!(
        site.read("fr/actualites/index.html")
            .contains("<span>Feuille 1/2</span>")
    );
    assert!(
        site.read("fr/actualites/page/2/index.html")
            .contains("<span>Feuille 2/2</span>")
    );
}

#[test]
fn a_third_language_needs_only_files() {
    let site = SiteTest::new("basic");
    site.overlay("three_languages");
    site.build_ok(&[]);
    let es = site.read("es/noticias/reunion-en-dakar/index.html");
    assert_eq!(html_lang(&es), "es");
    for needle in [
        r#"<link rel="alternate" hreflang="fr" href="https://example.org/fr/actualites/reunion-a-dakar/">"#,
        r#"<link rel="alternate" hreflang="en" href="https://example.org/en/news/meeting-in-dakar/">"#,
        r#"<link rel="alternate" hreflang="es" href="https://example.org/es/noticias/reunion-en-dakar/">"#,
        r#"<li lang="fr" dir="ltr"><a href="/fr/actualites/reunion-a-dakar/" hreflang="fr">Français</a></li>"#,
        r#"<time datetime="2024-05-12T00:00:00+02:00">12 de mayo de 2024</time>"#,
    ] {
        assert!(es.contains(needle), "missing {needle} in\n{es}");
    }
    let fr = site.read("fr/actualites/reunion-a-dakar/index.html");
    assert!(fr.contains(
        r#"<li lang="es" dir="ltr"><a href="/es/noticias/reunion-en-dakar/" hreflang="es">Español</a></li>"#
    ));
    // A French-only page: the Spanish link falls back, with a note in Spanish.
    let only_fr = site.read("fr/actualites/seulement-en-francais/index.html");
    assert!(only_fr.contains(r#"<li lang="es" dir="ltr"><a href="/es/noticias/">Español</a> <small class="translation-missing">Esta página solo existe en francés.</small></li>"#), "{only_fr}");
    // A page in French and English only: the note names both.
    let guide = site.read("en/news/guide/index.html");
    assert!(
        guide.contains(r#"<small class="translation-missing">Esta página solo existe en francés y inglés.</small>"#),
        "{guide}"
    );
    assert!(assert_reciprocal(&site.public(), "https://example.org/") > 20);
}

#[test]
fn x_default_is_the_same_for_every_member_of_a_group() {
    // A page in English and Spanish only, no French (default) version.
    let site = SiteTest::new("basic");
    site.overlay("three_languages");
    site.write(
        "content/news/solo.en.md",
        "+++\ntitle = \"Only here\"\n+++\n",
    );
    site.write(
        "content/news/solo.es.md",
        "+++\ntitle = \"Solo aquí\"\n+++\n",
    );
    site.build_ok(&[]);
    let x =
        r#"<link rel="alternate" hreflang="x-default" href="https://example.org/en/news/solo/">"#;
    assert!(site.read("en/news/solo/index.html").contains(x));
    assert!(site.read("es/noticias/solo/index.html").contains(x));
}

#[test]
fn a_text_missing_in_one_language_names_the_templates_that_use_it() {
    let site = SiteTest::new("basic");
    site.write("i18n/fr.toml", "partager = \"Partager\"\n");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ trans(key=\"partager\") }}{% endblock content %}\n",
    );
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("error: i18n/en.toml: 1 interface text(s) missing in `en`: `partager` (used by templates/page.html)");
}

#[test]
fn taxonomy_terms_have_a_label_and_a_page_per_language() {
    let site = SiteTest::new("basic");
    site.overlay("taxonomy_terms");
    site.build_ok(&[]);
    let fr = site.read("fr/actualites/reunion-a-dakar/index.html");
    assert!(
        fr.contains(
            r#"<a href="/fr/themes/protection-des-personnes/">Protection des personnes</a>"#
        ),
        "{fr}"
    );
    let en = site.read("en/news/meeting-in-dakar/index.html");
    assert!(
        en.contains(r#"<a href="/en/themes/protection-people/">People protection</a>"#),
        "{en}"
    );
    let term = site.read("fr/themes/protection-des-personnes/index.html");
    assert!(term.contains("<h1>Protection des personnes</h1>"));
    assert!(term.contains(r#"<a href="/fr/actualites/reunion-a-dakar/">"#));
    assert!(term.contains(r#"<link rel="alternate" hreflang="en" href="https://example.org/en/themes/protection-people/">"#));
    let list = site.read("en/themes/index.html");
    assert!(list.contains(r#"<a href="/en/themes/protection-people/">People protection</a> <span class="count">(1)</span>"#), "{list}");
    // Labels are what search indexes.
    assert!(
        serde_json::Value::from(crate::search::stored(&site, "en"))
            .to_string()
            .contains(r#""terms":["People protection"]"#)
    );
    assert!(assert_reciprocal(&site.public(), "https://example.org/") > 10);
}

#[test]
fn a_translation_key_pairs_files_named_apart() {
    let site = SiteTest::new("basic");
    site.write(
        "content/news/2024-09-10-atelier.fr.md",
        "+++\ntitle = \"Atelier\"\n+++\n\nVoir [la version anglaise](@/news/2024-09-10-workshop.en.md).\n",
    );
    site.write(
        "content/news/2024-09-10-workshop.en.md",
        "+++\ntitle = \"Workshop\"\ntranslation_key = \"2024-09-10-atelier\"\n+++\n\nText.\n",
    );
    let build = site.run(&["build"]);
    build.assert_code(0);
    assert!(
        !build.stderr.contains("no language in common"),
        "{}",
        build.stderr
    );
    // One page in two languages, each at its own address, naming the other.
    let fr = site.read("fr/actualites/atelier/index.html");
    assert!(
        fr.contains("hreflang=\"en\" href=\"https://example.org/en/news/workshop/\""),
        "{fr}"
    );
    assert!(
        fr.contains("href=\"/en/news/workshop/\""),
        "the link by file name: {fr}"
    );
    let en = site.read("en/news/workshop/index.html");
    assert!(
        en.contains("hreflang=\"fr\" href=\"https://example.org/fr/actualites/atelier/\""),
        "{en}"
    );
    let check = site.run(&["check"]);
    assert!(!check.stderr.contains("2024-09-10"), "{}", check.stderr);

    // A key that names a version that exists is an error naming both files.
    site.write(
        "content/news/2024-09-11-other.en.md",
        "+++\ntitle = \"Other\"\ntranslation_key = \"2024-09-10-atelier\"\n+++\n",
    );
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("`content/news/2024-09-10-workshop.en.md` and `content/news/2024-09-11-other.en.md` are both the `en` version of one page");
    site.write(
        "content/news/2024-09-11-other.en.md",
        "+++\ntitle = \"Other\"\ntranslation_key = \"a/b\"\n+++\n",
    );
    site.run(&["build"]).assert_code(1).assert_stderr_contains(
        "content/news/2024-09-11-other.en.md:3:19: `translation_key = \"a/b\"` is not a name",
    );
}
