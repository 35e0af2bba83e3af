//! What a successful build produces.

use crate::harness::{SiteTest, tree};

fn built() -> SiteTest {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    site
}

#[test]
fn publishes_every_language_under_its_prefix_with_translated_slugs() {
    let site = built();
    for path in [
        "fr/index.html",
        "en/index.html",
        "fr/actualites/index.html",
        "en/news/index.html",
        "fr/actualites/reunion-a-dakar/index.html",
        "en/news/meeting-in-dakar/index.html",
        "fr/a-propos/equipe/directrice/index.html",
        "en/about/team/director/index.html",
        "fr/actualites/seulement-en-francais/index.html",
    ] {
        assert!(site.exists(path), "missing {path}");
    }
    // English inherits no French slug: the folder and file names give it.
    assert!(!site.exists("en/actualites/index.html"));
}

#[test]
fn slugs_from_file_names_transliterate_accents() {
    let site = built();
    // `2024-05-12-Réunion à Dakar.fr.md`: date prefix dropped, accents folded.
    assert!(site.exists("fr/actualites/reunion-a-dakar/index.html"));
}

#[test]
fn root_is_a_bilingual_language_chooser() {
    let site = built();
    let html = site.read("index.html");
    assert!(
        html.contains(r#"<li lang="fr" dir="ltr">"#)
            && html.contains(r#"<li lang="en" dir="ltr">"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/fr/" hreflang="fr""#), "{html}");
    assert!(html.contains(r#"href="/en/" hreflang="en""#), "{html}");
    assert!(html.contains("Site d’essai") && html.contains("Test site"));
    assert!(html.contains(r#"hreflang="x-default" href="https://example.org/""#));
    assert!(html.contains(r#"<meta property="og:locale" content="fr">"#));
    assert!(html.contains(r#"<meta property="og:locale:alternate" content="en">"#));
}

#[test]
fn pages_list_and_link_their_translations() {
    let site = built();
    let fr = site.read("fr/actualites/reunion-a-dakar/index.html");
    assert!(
        fr.starts_with("<!DOCTYPE html>\n<html lang=\"fr\" dir=\"ltr\">"),
        "{fr}"
    );
    for needle in [
        r#"<link rel="alternate" hreflang="fr" href="https://example.org/fr/actualites/reunion-a-dakar/">"#,
        r#"<link rel="alternate" hreflang="en" href="https://example.org/en/news/meeting-in-dakar/">"#,
        r#"<link rel="alternate" hreflang="x-default" href="https://example.org/fr/actualites/reunion-a-dakar/">"#,
        r#"<meta property="og:locale" content="fr">"#,
        r#"<meta property="og:locale:alternate" content="en">"#,
        r#"<li lang="en" dir="ltr"><a href="/en/news/meeting-in-dakar/" hreflang="en">English</a></li>"#,
    ] {
        assert!(fr.contains(needle), "missing {needle}");
    }
}

#[test]
fn switcher_falls_back_to_the_nearest_translated_section_and_says_so() {
    let site = built();
    let only_fr = site.read("fr/actualites/seulement-en-francais/index.html");
    // No English version: the English link goes to the English news section,
    // without hreflang, with a note in English.
    assert!(
        only_fr.contains(r#"<li lang="en" dir="ltr"><a href="/en/news/">English</a> <small class="translation-missing">This page exists only in French.</small></li>"#),
        "{only_fr}"
    );
    assert!(!only_fr.contains(r#"<link rel="alternate" hreflang="en""#));
    assert!(only_fr.contains(r#"<link rel="alternate" hreflang="x-default" href="https://example.org/fr/actualites/seulement-en-francais/">"#));
}

#[test]
fn internal_links_resolve_per_language_and_keep_anchors() {
    let site = built();
    let fr = site.read("fr/actualites/reunion-a-dakar/index.html");
    assert!(
        fr.contains(r##"<a href="/en/news/guide/#details">le guide en anglais</a>"##),
        "{fr}"
    );
    assert!(
        fr.contains(r##"<a href="/fr/actualites/reunion-a-dakar/#contexte">la même page</a>"##)
    );
    let home_fr = site.read("fr/index.html");
    assert!(home_fr.contains(r#"<a href="/fr/actualites/">les actualités</a>"#));
    assert!(home_fr.contains(r#"<a href="/fr/actualites/le-guide/">le guide</a>"#));
    let home_en = site.read("en/index.html");
    assert!(home_en.contains(r#"<a href="/en/news/">the news</a>"#));
}

#[test]
fn markdown_extensions_are_on() {
    let site = built();
    let html = site.read("fr/actualites/reunion-a-dakar/index.html");
    for needle in [
        "<table><thead><tr><th>Pays</th>",
        "<del>barré</del>",
        r#"<sup class="footnote-reference">"#,
        r#"<input type="checkbox" disabled checked aria-label="fait">"#,
        "“guillemets” – et tirets",
        r#"<abbr title="Union européenne">UE</abbr>"#,
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn headings_get_unique_anchors() {
    let site = built();
    let html = site.read("fr/actualites/reunion-a-dakar/index.html");
    assert!(html.contains(r#"<h2 id="contexte">Contexte</h2>"#));
    assert!(html.contains(r#"<h2 id="contexte-1">Contexte</h2>"#));
}

#[test]
fn code_is_highlighted_with_theme_classes() {
    let site = built();
    let html = site.read("fr/actualites/reunion-a-dakar/index.html");
    assert!(html.contains(r#"<pre class="code" data-lang="json"><code class="language-json"><span class="hl-source hl-json">"#));
    assert!(site.read("syntax.css").contains(".hl-string {"));
}

#[test]
fn lists_show_the_summary_before_the_more_marker() {
    let site = built();
    let list = site.read("fr/actualites/page/2/index.html");
    assert!(list.contains("<p>Le résumé de la réunion"), "{list}");
    assert!(
        !list.contains("Contexte"),
        "the summary stops at <!-- more -->"
    );
}

#[test]
fn sections_paginate_newest_first() {
    let site = built();
    let first = site.read("fr/actualites/index.html");
    let second = site.read("fr/actualites/page/2/index.html");
    let order = ["seulement-en-francais", "le-guide", "reunion-a-dakar"];
    let pos = |html: &str, slug: &str| {
        html.find(&format!("/fr/actualites/{slug}/"))
            .unwrap_or(usize::MAX)
    };
    assert!(
        pos(&first, order[0]) < pos(&first, order[1]),
        "newest first"
    );
    assert!(pos(&second, order[2]) != usize::MAX, "third item on page 2");
    assert!(first.contains(r#"<a rel="next" href="/fr/actualites/page/2/">"#));
    assert!(second.contains(r#"<a rel="prev" href="/fr/actualites/">"#));
}

#[test]
fn dates_come_from_file_names_or_front_matter_in_site_time_zone() {
    let site = built();
    let fr = site.read("fr/actualites/reunion-a-dakar/index.html");
    assert!(
        fr.contains(r#"<time datetime="2024-05-12T00:00:00+02:00">12 mai 2024</time>"#),
        "{fr}"
    );
    // The English translation has the same date, inherited.
    let en = site.read("en/news/meeting-in-dakar/index.html");
    assert!(
        en.contains(r#"<time datetime="2024-05-12T00:00:00+02:00">12 May 2024</time>"#),
        "{en}"
    );
    // 09:30 UTC is 11:30 in Paris in July.
    let other = site.read("fr/actualites/seulement-en-francais/index.html");
    assert!(
        other.contains(r#"<time datetime="2024-07-01T11:30:00+02:00">1er juillet 2024</time>"#),
        "{other}"
    );
}

#[test]
fn drafts_only_with_the_flag() {
    let site = built();
    assert!(!site.exists("fr/actualites/brouillon/index.html"));
    site.build_ok(&["--drafts"]);
    assert!(site.exists("fr/actualites/brouillon/index.html"));
}

#[test]
fn page_folder_assets_are_published_beside_each_translation() {
    let site = built();
    assert!(site.exists("fr/actualites/le-guide/photo.svg"));
    assert!(site.exists("en/news/guide/photo.svg"));
    assert!(
        site.read("fr/actualites/le-guide/index.html")
            .contains(r#"<img src="photo.svg" alt="Photo" />"#)
    );
}

#[test]
fn static_and_theme_files_are_copied() {
    let site = built();
    assert!(site.exists("images/logo.svg"));
    assert!(site.read("style.css").contains("--accent"));
    assert!(site.exists("404.html"));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn sitemap_lists_pages_with_language_alternates() {
    let site = built();
    let xml = site.read("sitemap.xml");
    assert!(xml.contains("<loc>https://example.org/fr/actualites/reunion-a-dakar/</loc>"));
    assert!(xml.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://example.org/en/news/meeting-in-dakar/"/>"#));
    assert!(xml.contains(r#"<xhtml:link rel="alternate" hreflang="x-default" href="https://example.org/fr/actualites/reunion-a-dakar/"/>"#));
    assert!(!xml.contains("brouillon"));
}

#[test]
fn menus_resolve_content_links_per_language() {
    let site = built();
    assert!(
        site.read("fr/index.html")
            .contains(r#"<li><a href="/fr/actualites/">Actualités</a></li>"#)
    );
    assert!(
        site.read("en/index.html")
            .contains(r#"<li><a href="/en/news/">News</a></li>"#)
    );
}

#[test]
fn every_internal_link_carries_the_base_path() {
    let site = SiteTest::new("basic");
    site.build_ok(&["--base-url", "https://example.org/portal/"]);
    let mut checked = 0;
    for (path, bytes) in site.output_tree() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let value = &html[i + attr.len()..];
                let value = &value[..value.find('"').unwrap()];
                if value.starts_with('/') {
                    assert!(value.starts_with("/portal/"), "{path}: {attr}{value}");
                    checked += 1;
                } else if value.starts_with("http") && value.contains("example.org") {
                    assert!(
                        value.starts_with("https://example.org/portal/"),
                        "{path}: {value}"
                    );
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} root-relative links seen");
    assert!(
        site.read("fr/actualites/reunion-a-dakar/index.html")
            .contains(r#"<img src="/portal/images/logo.svg""#)
    );
}

/// Raw HTML's URLs get the treatment of Markdown links however they are
/// written: unquoted, single-quoted, and each candidate of a `srcset`.
#[test]
fn raw_html_links_are_resolved_however_they_are_written() {
    let site = SiteTest::new("basic");
    site.write(
        "content/news/brut.fr.md",
        concat!(
            "+++\ntitle = \"Brut\"\n+++\n",
            "<p><a href=@/news/2024-06-05-guide/index.md>sans guillemets</a> ",
            "<a href='/fr/actualites/'>simples</a> ",
            "<img alt=\"\" src=/images/logo.svg ",
            "srcset=\"/images/logo.svg 1x, /images/logo.svg 2x\"></p>\n",
        ),
    );
    site.build_ok(&["--base-url", "https://example.org/portal/"]);
    let html = site.read("fr/actualites/brut/index.html");
    for written in [
        "<a href=/portal/fr/actualites/le-guide/>sans guillemets</a>",
        "<a href='/portal/fr/actualites/'>simples</a>",
        "src=/portal/images/logo.svg ",
        "srcset=\"/portal/images/logo.svg 1x, /portal/images/logo.svg 2x\"",
    ] {
        assert!(html.contains(written), "{written} not in {html}");
    }
    // And `check`, which reads them the same ways, finds them all.
    site.run(&["check"])
        .assert_code(0)
        .assert_stderr_contains("0 errors");
}

#[test]
fn builds_are_byte_identical_whatever_the_thread_count() {
    let site = SiteTest::new("basic");
    let mut trees = Vec::new();
    for threads in ["1", "2", "2", "8"] {
        site.run_with_env(&["build"], &[("RAYON_NUM_THREADS", threads)])
            .assert_code(0);
        trees.push(site.output_tree());
    }
    assert!(trees[0].len() > 20);
    for t in &trees[1..] {
        assert_eq!(
            t.keys().collect::<Vec<_>>(),
            trees[0].keys().collect::<Vec<_>>()
        );
        assert!(t == &trees[0], "output differs between runs");
    }
}

#[test]
fn site_templates_override_theme_templates_by_name() {
    let site = SiteTest::new("basic");
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><title>{{ page.title }}</title><body>CUSTOM {{ page.content | safe }}</body></html>",
    );
    site.build_ok(&[]);
    assert!(
        site.read("fr/actualites/le-guide/index.html")
            .contains("CUSTOM")
    );
    // Other templates still come from the theme.
    assert!(site.read("fr/actualites/index.html").contains("page-list"));
}

#[test]
fn the_embedded_theme_matches_the_repository_theme() {
    // The fixture has no themes/ folder, so it used the embedded copy; the
    // demo's themes/default must give the same stylesheet.
    let site = built();
    let repo_css = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/style.css"
    ))
    .unwrap();
    assert_eq!(site.read("style.css"), repo_css);
}

#[test]
fn output_option_writes_elsewhere_and_never_outside() {
    let site = SiteTest::new("basic");
    site.build_ok(&["--output", "dist/site"]);
    let out = tree(&site.root().join("dist/site"));
    assert!(out.contains_key("fr/index.html"));
    assert!(!site.public().exists());
}

#[test]
fn every_language_needs_a_home_page() {
    let site = SiteTest::new("basic");
    std::fs::remove_file(site.root().join("content/_index.en.md")).unwrap();
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("error: content/_index.en.md: the site has no home page in `en`")
        .assert_stderr_contains("help: add content/_index.en.md with a title");
}

#[test]
fn a_section_without_list_page_in_a_language_is_a_warning() {
    let site = SiteTest::new("basic");
    std::fs::remove_file(site.root().join("content/about/team/_index.en.md")).unwrap();
    site.build_ok(&[]).assert_stderr_contains(
        "warning: content/about/team/_index.en.md: section `about/team` has pages in `en`",
    );
    assert!(site.exists("en/about/team/director/index.html"));
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = built();
    let html = site.read("fr/ancien-guide/index.html");
    assert!(
        html.contains(r#"<meta http-equiv="refresh" content="0; url=/fr/actualites/le-guide/">"#),
        "{html}"
    );
    assert!(html.contains(r#"<html lang="fr">"#));
}

#[test]
fn pager_pages_have_their_own_canonical_url_and_title() {
    let site = built();
    let second = site.read("fr/actualites/page/2/index.html");
    assert!(
        second
            .contains(r#"<link rel="canonical" href="https://example.org/fr/actualites/page/2/">"#),
        "{second}"
    );
    assert!(
        second.contains("<title>Actualités – Page 2 · Site d’essai</title>"),
        "{second}"
    );
    assert!(
        !second.contains(r#"<link rel="alternate" hreflang="en""#),
        "page 2 has no English counterpart"
    );
    let first = site.read("fr/actualites/index.html");
    assert!(first.contains(r#"<link rel="canonical" href="https://example.org/fr/actualites/">"#));
    assert!(second.contains(
        r#"<link rel="alternate" hreflang="fr" href="https://example.org/fr/actualites/page/2/">"#
    ));
    assert!(
        second.contains(r#"<li><a href="/fr/actualites/" aria-current="true">Actualités</a></li>"#)
    );
}

#[test]
fn lists_can_show_pages_that_exist_only_in_another_language() {
    let site = SiteTest::new("basic");
    // Default policy: left out.
    site.build_ok(&[]);
    assert!(
        !site
            .output_tree()
            .iter()
            .any(|(p, b)| p.starts_with("en/news/")
                && String::from_utf8_lossy(b).contains("Seulement en français"))
    );
    // `untranslated = "show"`: listed, marked with its language, linking to the French page.
    site.edit("config.toml", |config| {
        config.replace(
            "title = \"Test site\"",
            "title = \"Test site\"\nuntranslated = \"show\"",
        )
    });
    site.build_ok(&[]);
    let list: String = ["en/news/index.html", "en/news/page/2/index.html"]
        .iter()
        .filter(|p| site.exists(p))
        .map(|p| site.read(p))
        .collect();
    assert!(
        list.contains(r#"<a href="/fr/actualites/seulement-en-francais/" lang="fr" dir="ltr">Seulement en français</a> <small class="other-language">(in French)</small>"#),
        "{list}"
    );
}

#[test]
fn translations_inherit_shared_fields_from_the_default_language() {
    let site = SiteTest::new("shared_fields");
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><title>{{ page.title }}</title>{% if page.fields.start is defined %}<p>{{ date_range(start=page.fields.start, end=page.fields.end) }} · {{ page.fields.location }} · {{ page.taxonomies.themes | join(sep=\",\") }} · {{ page.extra.image }}</p>{% endif %}</html>",
    );
    site.build_ok(&[]);
    assert!(
        site.read("fr/evenements/atelier/index.html")
            .contains("<p>11–13 mars 2025 · Dakar · protection · atelier.jpg</p>")
    );
    assert!(
        site.read("en/events/atelier/index.html")
            .contains("<p>11–13 March 2025 · Dakar · protection · atelier.jpg</p>")
    );
}

#[test]
fn french_typography_touches_text_only() {
    let site = built();
    let html = site.read("fr/actualites/seulement-en-francais/index.html");
    let expected = "<p>Attention\u{a0}: le code <code>a : b</code> et l’adresse <a href=\"https://exemple.org/?q=1\">https://exemple.org/?q=1</a> restent intacts\u{202f}! Voir «\u{a0}le guide\u{a0}»\u{202f}; <span title=\"x : y\">HTML\u{a0}: brut</span>.</p>";
    assert!(html.contains(expected), "{html}");
    assert!(
        html.contains("clé : valeur ?"),
        "code blocks are left alone"
    );
    assert!(
        html.contains("<p>Voir «\u{a0}<code>code</code>\u{a0}».</p>"),
        "{html}"
    );
    // A space before emphasised punctuation; image text (alt) left alone.
    assert!(
        html.contains("<p>Vraiment\u{202f}<strong>!</strong> <img src=\"/images/logo.svg\" alt=\"Logo : dessin\" /></p>"),
        "{html}"
    );
    // English pages are not changed.
    let en = site.read("en/news/meeting-in-dakar/index.html");
    assert!(!en.contains('\u{a0}') && !en.contains('\u{202f}'));
}

#[test]
fn canadian_and_swiss_french_follow_their_locale_or_the_setting() {
    let site = SiteTest::new("basic");
    let page = "fr/actualites/seulement-en-francais/index.html";
    // The locale chooses; `typography` wins over it.
    for (settings, expected) in [
        (
            "locale = \"fr_CA\"",
            "<p>Attention\u{a0}: le code <code>a : b</code> et l’adresse <a href=\"https://exemple.org/?q=1\">https://exemple.org/?q=1</a> restent intacts! Voir «\u{a0}le guide\u{a0}»; <span title=\"x : y\">HTML\u{a0}: brut</span>.</p>",
        ),
        (
            "locale = \"fr_CH\"",
            "<p>Attention\u{202f}: le code <code>a : b</code> et l’adresse <a href=\"https://exemple.org/?q=1\">https://exemple.org/?q=1</a> restent intacts\u{202f}! Voir «\u{202f}le guide\u{202f}»\u{202f}; <span title=\"x : y\">HTML\u{202f}: brut</span>.</p>",
        ),
        (
            "locale = \"fr_CA\"\ntypography = \"french-ch\"",
            "restent intacts\u{202f}! Voir «\u{202f}le guide\u{202f}»",
        ),
    ] {
        let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
        let config = config.replacen(
            "[languages.fr]\n",
            &format!("[languages.fr]\n{settings}\n"),
            1,
        );
        let original = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
        site.write("config.toml", &config);
        site.build_ok(&[]);
        let html = site.read(page);
        assert!(html.contains(expected), "{settings}: {html}");
        assert!(
            html.contains("clé : valeur ?"),
            "code blocks are left alone"
        );
        site.write("config.toml", original);
    }
}

#[test]
fn pages_carry_open_graph_and_json_ld() {
    let site = built();
    let page = site.read("fr/actualites/reunion-a-dakar/index.html");
    for needle in [
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:title" content="Réunion à Dakar">"#,
        r#"<meta property="og:url" content="https://example.org/fr/actualites/reunion-a-dakar/">"#,
        r#"<meta property="og:site_name" content="Site d’essai">"#,
    ] {
        assert!(page.contains(needle), "missing {needle}");
    }
    let start = page.find(r#"<script type="application/ld+json">"#).unwrap() + 35;
    let end = start + page[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "Réunion à Dakar");
    assert_eq!(ld["datePublished"], "2024-05-12T00:00:00+02:00");
    assert_eq!(ld["publisher"]["url"], "https://example.org/fr/");
    let home = site.read("fr/index.html");
    assert!(home.contains(r#""@type":"Organization""#));
}

#[test]
fn json_ld_cannot_end_its_script_early() {
    let site = SiteTest::new("basic");
    site.write(
        "content/news/2024-09-01-piege.fr.md",
        "+++\ntitle = \"</script><script>alert(1)</script> <!--\"\n+++\n",
    );
    site.build_ok(&[]);
    let page = site.read("fr/actualites/piege/index.html");
    assert_eq!(page.matches("</script>").count(), 2, "{page}"); // the JSON-LD one and search.js's
    assert!(
        page.contains(r#"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e"#),
        "{page}"
    );
}

#[test]
fn aliases_are_listed_for_hosts_and_every_language_has_a_404() {
    let site = built();
    assert_eq!(
        site.read("_redirects"),
        "/fr/ancien-guide/ /fr/actualites/le-guide/ 301\n"
    );
    let fr = site.read("fr/404.html");
    assert!(
        fr.starts_with("<!DOCTYPE html>\n<html lang=\"fr\" dir=\"ltr\">")
            && fr.contains("<h1>Page introuvable</h1>")
    );
    assert!(site.read("en/404.html").contains("<h1>Page not found</h1>"));
    assert!(site.exists("404.html"));
}

#[test]
fn files_beside_a_page_are_listed_with_type_and_size() {
    let site = SiteTest::new("basic");
    site.write(
        "content/news/2024-06-05-guide/programme.pdf",
        "%PDF-1.4\n%%EOF\n",
    );
    site.write(
        "content/news/2024-06-05-guide/extrait.mp4",
        "not really a video",
    );
    site.build_ok(&[]);
    let html = site.read("fr/actualites/le-guide/index.html");
    assert!(
        html.contains(r#"<li><a href="/fr/actualites/le-guide/programme.pdf" type="application/pdf">programme.pdf</a> <span class="meta">(PDF, 15 B)</span></li>"#),
        "{html}"
    );
    // Pictures and videos are shown, not offered as documents; they are
    // published all the same.
    let documents = html.split("id=\"documents-title\"").nth(1).unwrap();
    assert!(
        !documents.contains("photo.svg") && !documents.contains("extrait.mp4"),
        "{html}"
    );
    assert!(site.exists("fr/actualites/le-guide/photo.svg"));
    assert!(site.exists("fr/actualites/le-guide/extrait.mp4"));
}

#[test]
fn templates_read_data_files() {
    let site = SiteTest::new("basic");
    site.write(
        "data/partners.csv",
        "name,country\nAgence A,senegal\n\"Office B, Rabat\",maroc\n",
    );
    site.write("data/figures.toml", "participants = 120\n");
    site.write(
        "data/links.json",
        r#"{"report": "https://example.org/report.pdf"}"#,
    );
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><title>x</title><ul>{% for p in data.partners %}<li>{{ p.name }} ({{ p.country }})</li>{% endfor %}</ul><p>{{ data.figures.participants }} {{ data.links.report }}</p></html>",
    );
    site.build_ok(&[]);
    let html = site.read("fr/actualites/le-guide/index.html");
    assert!(
        html.contains("<li>Agence A (senegal)</li><li>Office B, Rabat (maroc)</li>"),
        "{html}"
    );
    assert!(
        html.contains("<p>120 https://example.org/report.pdf</p>"),
        "{html}"
    );
    site.write("data/broken.json", "{\"a\": }");
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("error: data/broken.json:1:");
    // A byte-order mark, as some Windows editors write, is accepted in
    // every format, as in content and config.
    std::fs::remove_file(site.root().join("data/broken.json")).unwrap();
    for (file, text) in [
        (
            "data/partners.csv",
            "\u{feff}name,country\nAgence A,senegal\n",
        ),
        ("data/figures.toml", "\u{feff}participants = 120\n"),
        (
            "data/links.json",
            "\u{feff}{\"report\": \"https://example.org/r.pdf\"}",
        ),
    ] {
        site.write(file, text);
    }
    site.build_ok(&[]);
    let html = site.read("fr/actualites/le-guide/index.html");
    assert!(
        html.contains("<li>Agence A (senegal)</li></ul><p>120 https://example.org/r.pdf</p>"),
        "{html}"
    );
}

#[test]
fn a_language_suffix_in_capitals_is_an_error() {
    let site = SiteTest::new("basic");
    site.write("content/news/x.FR.md", "+++\ntitle = \"X\"\n+++\nTexte.\n");
    site.run(&["build"]).assert_code(1).assert_stderr_contains(
        "content/news/x.FR.md: `FR` in `x.FR.md` is a language suffix written in capitals",
    );
    // A name that merely ends like a language is no suffix.
    std::fs::remove_file(site.root().join("content/news/x.FR.md")).unwrap();
    site.write(
        "content/news/rapport.FINAL.md",
        "+++\ntitle = \"Rapport\"\n+++\nTexte.\n",
    );
    site.build_ok(&[]);
    assert!(site.exists("fr/actualites/rapport-final/index.html"));
}

#[test]
fn browse_pages_link_every_filter_and_pages_list_related_ones() {
    let (_out, public, _) = crate::harness::build_demo(&[], &[]);
    let read = |p: &str| std::fs::read_to_string(public.join(p)).unwrap();
    let browse = read("fr/bonnes-pratiques/index.html");
    // Without JavaScript, every filter value is a link to its page.
    assert!(
        browse.contains(r#"<li><a href="/fr/pays/maroc/">Maroc</a>"#),
        "{browse}"
    );
    assert!(browse.contains(r#"<li><a href="/fr/bonnes-pratiques/2025/">2025</a>"#));
    assert!(browse.contains(r#"<option value="maroc">Maroc ("#));
    assert!(public.join("fr/bonnes-pratiques/2025/index.html").exists());
    // Related pages share terms, in a stable order, never the page itself.
    let page = read("en/good-practices/diaspora-skills-matching-platform/index.html");
    let start = page
        .find(r#"<section class="related""#)
        .expect("a related list");
    let related = &page[start..start + page[start..].find("</section>").unwrap()];
    assert!(!related.contains("diaspora-skills-matching-platform"));
    assert!(
        related.matches("<li>").count() >= 1 && related.matches("<li>").count() <= 5,
        "{related}"
    );
    assert_eq!(
        page,
        read("en/good-practices/diaspora-skills-matching-platform/index.html")
    );
}

#[test]
fn aliases_with_spaces_and_accents_are_encoded_for_hosts() {
    let site = SiteTest::new("basic");
    site.write(
        "content/news/vieux.fr.md",
        "+++\ntitle = \"Vieux\"\naliases = [\"/fr/été 2024/\"]\n+++\n",
    );
    site.build_ok(&[]);
    let redirects = site.read("_redirects");
    assert!(
        redirects.contains("/fr/%C3%A9t%C3%A9%202024/ /fr/actualites/vieux/ 301\n"),
        "{redirects}"
    );
    let page = site.read("fr/été 2024/index.html");
    assert!(
        page.contains(r#"content="0; url=/fr/actualites/vieux/""#)
            && page.contains(
                r#"<link rel="canonical" href="https://example.org/fr/actualites/vieux/">"#
            ),
        "{page}"
    );
}

#[test]
fn timings_show_every_stage_and_the_slowest_templates() {
    let site = SiteTest::new("basic");
    let run = site.build_ok(&["--timings"]);
    for stage in [
        "configuration",
        "content: read, parse, check",
        "theme, templates, UI strings",
        "site structure",
        "Markdown",
        "pages from templates",
        "search indexes",
        "writing the output",
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.trim_start().starts_with(stage))
            .unwrap_or_else(|| panic!("no {stage:?} line in:\n{}", run.stderr));
        assert!(line.ends_with(" ms"), "{line}");
    }
    let templates: Vec<&str> = run
        .stderr
        .lines()
        .skip_while(|l| !l.starts_with("Slowest templates"))
        .skip(1)
        .take_while(|l| l.contains(" × "))
        .collect();
    assert!((2..=10).contains(&templates.len()), "{}", run.stderr);
    assert!(
        templates
            .iter()
            .any(|l| l.trim_start().starts_with("page.html "))
    );
    site.build_ok(&["--timings", "--lang", "fr"])
        .assert_stderr_contains("Temps par étape")
        .assert_stderr_contains("Gabarits les plus lents");
    // Without the flag, no table.
    assert!(!site.build_ok(&[]).stderr.contains("Slowest templates"));
}

#[test]
fn an_image_without_a_text_alternative_is_a_warning_at_its_line() {
    let site = SiteTest::new("basic");
    site.write(
        "content/news/images.fr.md",
        "+++\ntitle = \"Images\"\n+++\n\nUne photo : ![](photo.jpg)\n\n![Une carte de la région](carte.png)\n\n\
         <p><img src=\"logo.png\"> <img src=\"trait.png\" alt=\"\"> <IMG SRC=\"x.png\" ALT=\"Logo\"></p>\n",
    );
    site.write(
        "content/news/images.en.md",
        "+++\ntitle = \"Images\"\n+++\n",
    );
    // Real pictures: a missing one would be an error.
    for (name, format) in [
        ("photo.jpg", image::ImageFormat::Jpeg),
        ("carte.png", image::ImageFormat::Png),
    ] {
        let mut bytes = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 120]))
            .write_to(&mut bytes, format)
            .unwrap();
        site.write(&format!("content/news/{name}"), bytes.into_inner());
    }
    let run = site.build_ok(&[]);
    run.assert_stderr_contains(
        "warning: content/news/images.fr.md:5:13: image without a text alternative",
    )
    .assert_stderr_contains("help: describe the image between the brackets");
    assert_eq!(
        run.stderr
            .matches("image without a text alternative")
            .count(),
        1,
        "the described image is fine:\n{}",
        run.stderr
    );
    site.build_ok(&["--lang", "fr"]).assert_stderr_contains(
        "avertissement: content/news/images.fr.md:5:13: image sans texte de remplacement",
    );
    // check reports it too.
    site.run(&["check"])
        .assert_stderr_contains("content/news/images.fr.md:5:13: image without a text alternative");
}

#[test]
fn deploy_headers_write_the_hosts_headers_file_only_when_asked() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    assert!(!site.exists("_headers"));
    site.edit("config.toml", |text| {
        format!("{text}\n[deploy]\nheaders = true\n")
    });
    site.build_ok(&[]);
    let headers = site.read("_headers");
    for rule in ["/*\n", "/fr/*\n", "/en/*\n", "/404.html\n", "/pictures/*\n"] {
        assert!(headers.contains(rule), "{rule:?} in\n{headers}");
    }
    assert_eq!(
        headers
            .matches(
                "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';"
            )
            .count(),
        5,
        "{headers}"
    );
    assert!(headers.contains("  Cache-Control: public, max-age=31536000, immutable\n"));
    assert_eq!(
        headers
            .matches("  Cache-Control: public, max-age=0, must-revalidate\n")
            .count(),
        5,
        "{headers}"
    );
    // The colours are a stylesheet, which that policy lets in.
    let page = site.read("fr/index.html");
    assert!(!page.contains("<style"), "{page}");
}

#[test]
fn text_indented_into_code_is_a_warning() {
    let site = SiteTest::new("basic");
    site.write(
        "content/news/2024-09-10-colle.fr.md",
        "+++\ntitle = \"Collé\"\n+++\n\nUn paragraphe.\n\n\tUn paragraphe collé avec sa tabulation.\n\n```\ndu code voulu\n```\n",
    );
    let build = site.run(&["build"]);
    build.assert_code(0).assert_stderr_contains(
        "warning: content/news/2024-09-10-colle.fr.md:7:2: this text starts with a tab or four spaces: it is shown as code",
    );
    assert_eq!(
        build.stderr.matches("shown as code").count(),
        1,
        "{}",
        build.stderr
    );
}
