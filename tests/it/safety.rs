//! Titles, descriptions, labels and configured texts that carry `</script>`,
//! quotes, ampersands, angle brackets, CR/LF and emoji come out escaped in
//! every format: HTML, JSON-LD, Atom, the sitemap, iCalendar and the search
//! files.

use crate::demo::assert_valid_html5;
use crate::harness::{SiteTest, tree};

/// What the fixture puts in every field.
const MARK: &str = "alert(1)";

fn built() -> SiteTest {
    let site = SiteTest::new("hostile");
    site.build_ok(&[]);
    site
}

#[test]
fn html_pages_escape_every_field_and_stay_valid() {
    let site = built();
    let output = tree(&site.public());
    let (mut pages, mut json_ld) = (0, 0);
    for (path, bytes) in &output {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8_lossy(bytes);
        // Only the theme's and serve's own scripts: none was opened by a title.
        assert!(!html.contains("<script>alert"), "{path}");
        assert!(!html.contains("<b>x</b>"), "{path}: markup from a field");
        assert_eq!(
            html.matches("<script").count(),
            html.matches("</script>").count(),
            "{path}"
        );
        // Each JSON-LD block parses, and holds the text as written.
        for block in html.split(r#"<script type="application/ld+json">"#).skip(1) {
            let json = &block[..block.find("</script>").unwrap()];
            let value: serde_json::Value = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse: {e}\n{json}"));
            assert!(value.to_string().contains(MARK), "{path}: {value}");
            json_ld += 1;
        }
    }
    assert!(pages >= 12, "{pages} pages");
    assert!(json_ld >= 6, "{json_ld} JSON-LD blocks");
    // The fields do show, escaped: a page's, a term's, a data file's, an
    // `[extra]` value, the organisation's.
    const ESCAPED: &str = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39; &lt;b&gt;x&lt;/b&gt;, ; \\";
    // (In English: French typography adds a narrow space before `;`.)
    let page = site.read("en/news/piege/index.html");
    for field in [
        "Piège ",
        "Résumé ",
        "Danger ",
        "Bureau ",
        "Extra ",
        "Organisation ",
        "Rue ",
    ] {
        assert!(
            page.contains(&format!("{field}{ESCAPED}")),
            "{field} in {page}"
        );
    }
    assert!(page.contains("🎉"));
    let event = site.read("en/events/index.html");
    assert!(event.contains("Lieu &lt;/script&gt;"), "{event}");
    assert_valid_html5(&site.public(), 12);
}

#[test]
fn feeds_parse_and_carry_the_titles_as_text() {
    let site = built();
    for feed in ["fr/atom.xml", "en/atom.xml", "fr/actualites/atom.xml"] {
        let xml = site.read(feed);
        let parsed = feed_rs::parser::parse(xml.as_bytes())
            .unwrap_or_else(|e| panic!("{feed} does not parse: {e}"));
        let entry = &parsed.entries[0];
        let title = &entry.title.as_ref().unwrap().content;
        assert!(
            title.contains("</script><script>alert(1)</script>"),
            "{feed}: {title}"
        );
        assert!(title.contains('🎉'), "{feed}: {title}");
        assert!(parsed.title.unwrap().content.contains(MARK), "{feed}");
    }
}

#[test]
fn sitemap_and_search_files_are_well_formed() {
    let site = built();
    for xml in ["sitemap.xml", "fr/atom.xml", "en/atom.xml"] {
        let text = site.read(xml);
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut elements = 0;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(_)) => elements += 1,
                Ok(_) => {}
                Err(e) => panic!("{xml} is not well-formed XML: {e}"),
            }
        }
        assert!(elements > 5, "{xml}: {elements} elements");
    }
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.matches("<loc>").count() >= 10, "{sitemap}");
    for lang in ["fr", "en"] {
        let documents = crate::search::stored(&site, lang);
        assert!(
            serde_json::Value::from(documents)
                .to_string()
                .contains(MARK)
        );
        assert_eq!(crate::search::manifest(&site, lang)["version"], "2.3.9");
    }
}

/// RFC 5545: lines end with CRLF, are at most 75 octets, and values keep
/// their line breaks, commas and semicolons escaped.
#[test]
fn calendars_escape_text_and_fold_lines() {
    let site = built();
    let output = tree(&site.public());
    let calendars: Vec<&String> = output.keys().filter(|p| p.ends_with(".ics")).collect();
    assert!(calendars.len() >= 3, "{calendars:?}");
    for path in calendars {
        let text = String::from_utf8(output[path].clone()).unwrap();
        assert!(text.ends_with("\r\n"), "{path}");
        for line in text.split_terminator("\r\n") {
            assert!(
                !line.contains('\r') && !line.contains('\n'),
                "{path}: {line:?}"
            );
            assert!(line.len() <= 75, "{path}: {} octets: {line:?}", line.len());
        }
        let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
        let summary = unfolded
            .split("\r\n")
            .find(|l| l.starts_with("SUMMARY:"))
            .unwrap_or_else(|| panic!("{path} has no SUMMARY"));
        assert!(summary.contains(r"\n🎉"), "{path}: {summary}");
        // Commas, semicolons and backslashes escaped; no control character.
        assert!(summary.contains(r"</b>\, \; \\"), "{path}: {summary}");
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\r' | '\n')),
            "{path} holds a control character"
        );
        assert!(summary.contains(MARK), "{path}: {summary}");
        let plain = icalendar::parser::unfold(&text);
        let parsed = icalendar::parser::read_calendar(&plain)
            .unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
        assert!(!parsed.components.is_empty(), "{path}");
        let location = unfolded
            .split("\r\n")
            .find(|l| l.starts_with("LOCATION:"))
            .unwrap_or_else(|| panic!("{path} has no LOCATION"));
        assert!(location.contains(r"Lieu </script>"), "{path}: {location}");
    }
}

const RAW: &str = "+++\ntitle = \"Brut\"\n+++\n## Contexte\n\n\
<script>alert(1)</script><img src=\"x.svg\" alt=\"X\" onerror=\"alert(1)\">\n\n\
[lien](javascript:alert(1)) et [interne](@/news/2024-05-12-piege.md)\n\n\
- [x] fait\n\n| a | b |\n|:-:|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: La note.\n";

#[test]
fn raw_html_is_trusted_by_default_and_cleaned_with_markdown_safe() {
    let site = SiteTest::new("hostile");
    site.write("content/news/brut.fr.md", RAW);
    site.build_ok(&[]);
    let trusted = site.read("fr/actualites/brut/index.html");
    assert!(
        trusted.contains("<script>alert(1)</script>"),
        "trusted authors keep raw HTML"
    );
    site.edit("config.toml", |text| {
        format!("{text}\n[markdown]\nsafe = true\n")
    });
    site.build_ok(&[]);
    let page = site.read("fr/actualites/brut/index.html");
    let body =
        &page[page.find(r#"<div class="content">"#).unwrap()..page.find("</article>").unwrap()];
    for gone in ["<script", "onerror", "javascript:"] {
        assert!(!body.contains(gone), "{gone} in {body}");
    }
    for kept in [
        r#"<h2 id="contexte">"#,
        r#"<img src="x.svg" alt="X">"#,
        r#"href="/fr/actualites/piege/""#,
        r#"type="checkbox""#,
        r#"style="text-align:center""#,
        "footnote-definition",
    ] {
        assert!(body.contains(kept), "{kept} not in {body}");
    }
}

/// The demo's pages keep every anchor and link when cleaned.
#[test]
fn the_demo_builds_the_same_links_and_anchors_with_markdown_safe() {
    let (_dir, public, run) = crate::harness::build_demo(&[], &[]);
    run.assert_code(0);
    let plain = tree(&public);
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "data", "static"] {
        crate::harness::copy_dir(&repo.join(part), &dir.path().join(part));
    }
    let config = std::fs::read_to_string(repo.join("config.toml")).unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!("{config}\n[markdown]\nsafe = true\n"),
    )
    .unwrap();
    crate::harness::run_in_with_env(dir.path(), &["build"], &[]).assert_code(0);
    let safe = tree(&dir.path().join("public"));
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        safe.keys().collect::<Vec<_>>()
    );
    let count = |bytes: &[u8], what: &str| String::from_utf8_lossy(bytes).matches(what).count();
    for (path, bytes) in &plain {
        if path.ends_with(".html") {
            for what in [" id=\"", " href=\"", "<img ", "<h2", "<table"] {
                assert_eq!(
                    count(bytes, what),
                    count(&safe[path], what),
                    "{path}: {what}"
                );
            }
        }
    }
}

/// Nothing an author writes in front matter becomes a `javascript:` link:
/// URLs in pages are made by portail, and aliases are paths of the site.
#[test]
fn no_script_url_from_front_matter_reaches_a_link() {
    let site = SiteTest::new("hostile");
    site.write(
        "content/news/liens.fr.md",
        "+++\ntitle = \"javascript:alert(1)\"\ndescription = \"javascript:alert(2)\"\n\
         aliases = [\"javascript:alert(3)\"]\nslug = \"javascript:alert(4)\"\n\n\
         [extra]\nlink = \"javascript:alert(5)\"\n+++\nTexte.\n",
    );
    site.build_ok(&[]);
    for (path, bytes) in tree(&site.public()) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for attribute in ["href=\"javascript:", "src=\"javascript:", "url=javascript:"] {
            assert!(!text.contains(attribute), "{path}: {attribute}");
        }
    }
    assert!(site.exists("fr/actualites/javascript-alert-4/index.html"));
}

/// Browsers drop tabs and line breaks from a URL: a menu entry
/// `/<tab>/evil.example/` would lead to another host. Every URL of config
/// and front matter with whitespace is refused at its line.
#[test]
fn urls_with_whitespace_are_refused_at_their_line() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let before = site.output_tree();
    for (bad, code) in [
        ("/\\t/evil.example/", "U+0009"),
        ("/\\n/evil2.example/", "U+000A"),
    ] {
        site.edit("config.toml", |text| {
            text.replace(
                "{ name = \"Externe\", url = \"https://example.com/\" }",
                &format!("{{ name = \"Externe\", url = \"{bad}\" }}"),
            )
        });
        site.run(&["build"])
            .assert_code(2)
            .assert_stderr_contains(&format!(
                "config.toml:9:86: this URL holds a blank ({code})"
            ));
        site.edit("config.toml", |text| {
            text.replace(bad, "https://example.com/")
        });
    }
    site.write(
        "content/news/alias.fr.md",
        "+++\ntitle = \"Alias\"\naliases = [\"/fr/ok/\", \"/fr/a\\tb/\"]\n+++\nTexte.\n",
    );
    // Plain spaces inside a URL are sent as %20; at its ends, dropped.
    site.edit("config.toml", |text| {
        format!("{text}\n[organisation]\nlogo = \"images/logo.svg \"\n")
    });
    site.run(&["build"])
        .assert_code(2)
        .assert_stderr_contains("config.toml:23:8: this URL holds a blank (U+0020)");
    site.edit("config.toml", |text| {
        text.replace("logo = \"images/logo.svg \"\n", "")
    });
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("content/news/alias.fr.md:3:23: this URL holds a blank (U+0009)");
    assert!(site.output_tree() == before, "the output changed");
}

/// NUL, ESC and the other control characters (but tab and line breaks)
/// would reach titles, lists, the footer and share tags: refused, at their
/// line, in config, front matter and body alike.
#[test]
fn control_characters_are_refused_at_their_line() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    site.edit("config.toml", |text| {
        text.replace(
            "title = \"Site d’essai\"",
            "title = \"Site\\u001b d’essai\"",
        )
    });
    site.run(&["build"]).assert_code(2).assert_stderr_contains(
        "config.toml:7:9: this text holds an invisible control character (U+001B)",
    );
    site.edit("config.toml", |text| text.replace("\\u001b", ""));
    site.write(
        "content/news/controle.fr.md",
        concat!(
            "+++\n",
            "title = \"Nul\\u0000 ici\"\n",
            "description = \"tab\\tand line\\nbreak are fine\"\n",
            "[taxonomies]\n",
            "themes = [\"Échap\\u001b\"]\n",
            "[extra]\n",
            "note = \"\\u007f\"\n",
            "+++\n",
            "Un \u{1b}[31m rouge, et \u{b} une tabulation verticale.\n",
        ),
    );
    let run = site.run(&["build"]);
    run.assert_code(1);
    for at in [
        "content/news/controle.fr.md:2:9: this text holds an invisible control character (U+0000)",
        "content/news/controle.fr.md:5:11: this text holds an invisible control character (U+001B)",
        "content/news/controle.fr.md:7:8: this text holds an invisible control character (U+007F)",
        "content/news/controle.fr.md:9:4: this text holds an invisible control character (U+001B)",
    ] {
        run.assert_stderr_contains(at);
    }
    // One error a line: the vertical tab further on is not told again.
    assert_eq!(
        run.stderr.matches("control character").count(),
        4,
        "{}",
        run.stderr
    );
    // The built pages hold no control character at all.
    std::fs::remove_file(site.root().join("content/news/controle.fr.md")).unwrap();
    site.build_ok(&[]);
    for (path, bytes) in site.output_tree() {
        let bad = bytes
            .iter()
            .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f);
        assert!(!bad || !path.ends_with(".html"), "{path}");
    }
}
