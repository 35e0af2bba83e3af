//! Atom feeds, read back with a real feed parser.

use crate::harness::{SiteTest, tree};

#[test]
fn every_feed_parses_and_lists_dated_pages_newest_first() {
    let (_out, public, _) = crate::harness::build_demo(&[], &[]);
    let files = tree(&public);
    let feeds: Vec<&String> = files.keys().filter(|k| k.ends_with("atom.xml")).collect();
    for expected in [
        "fr/atom.xml",
        "en/atom.xml",
        "fr/actualites/atom.xml",
        "en/news/atom.xml",
        "fr/activites/atom.xml",
    ] {
        assert!(
            feeds.iter().any(|f| f.as_str() == expected),
            "missing {expected}: {feeds:?}"
        );
    }
    for path in feeds {
        let feed = feed_rs::parser::parse(files[path].as_slice())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom, "{path}");
        assert!(
            feed.title.is_some() && feed.updated.is_some() && !feed.authors.is_empty(),
            "{path}"
        );
        assert!(
            !feed.entries.is_empty() && feed.entries.len() <= 20,
            "{path}"
        );
        let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "{path}: not newest first"
        );
        for entry in &feed.entries {
            assert!(
                entry.title.is_some() && entry.updated.is_some() && !entry.links.is_empty(),
                "{path}"
            );
            assert!(
                entry.id.starts_with("https://portail.example.org/"),
                "{path}: {}",
                entry.id
            );
            let target = entry.links[0]
                .href
                .strip_prefix("https://portail.example.org/")
                .unwrap();
            assert!(
                files.contains_key(&format!("{target}index.html")),
                "{path}: {target} does not exist"
            );
        }
    }
    let news: feed_rs::model::Feed =
        feed_rs::parser::parse(files["fr/actualites/atom.xml"].as_slice()).unwrap();
    assert_eq!(
        news.entries[0].title.as_ref().unwrap().content,
        "Forum de Lisbonne sur l'investissement de la diaspora : les inscriptions sont ouvertes"
    );
}

#[test]
fn sections_and_pages_announce_their_feeds() {
    let site = SiteTest::new("basic");
    site.build_ok(&["--base-url", "https://example.org/portal/"]);
    let news = site.read("fr/actualites/index.html");
    assert!(news.contains(r#"<link rel="alternate" type="application/atom+xml" title="Actualités" href="/portal/fr/actualites/atom.xml">"#), "{news}");
    assert!(
        site.read("en/index.html")
            .contains(r#"href="/portal/en/atom.xml""#)
    );
    let feed = site.read("fr/actualites/atom.xml");
    assert!(
        feed.contains("<id>https://example.org/portal/fr/actualites/reunion-a-dakar/</id>"),
        "{feed}"
    );
    assert!(!feed.contains("brouillon"));
}

#[test]
fn the_sitemap_is_valid_and_lists_every_translation() {
    let site = SiteTest::new("basic");
    site.build_ok(&["--base-url", "https://example.org/portal/"]);
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas/sitemap.xsd");
    let check = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(site.public().join("sitemap.xml"))
        .output()
        .expect("xmllint is needed for this test: apt-get install libxml2-utils");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let xml = site.read("sitemap.xml");
    // Every page of the output, and nothing else.
    let mut pages: Vec<String> = crate::harness::tree(&site.public())
        .into_keys()
        .filter(|p| p.ends_with("index.html") && !p.contains("ancien-guide"))
        .map(|p| {
            format!(
                "https://example.org/portal/{}",
                p.trim_end_matches("index.html")
            )
        })
        .collect();
    pages.sort();
    let mut locs: Vec<String> = xml
        .match_indices("<loc>")
        .map(|(i, _)| xml[i + 5..i + xml[i..].find("</loc>").unwrap()].to_string())
        .collect();
    locs.sort();
    assert_eq!(locs, pages);
    assert!(xml.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://example.org/portal/en/news/meeting-in-dakar/"/>"#));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/portal/sitemap.xml")
    );
}
