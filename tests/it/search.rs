//! The search files a build writes (their lunr.js compatibility is proven
//! by the node tests in tests/node/).

use crate::harness::SiteTest;

/// The document store (an array indexed by ref), keyed by URL here.
fn documents(site: &SiteTest, lang: &str) -> serde_json::Map<String, serde_json::Value> {
    let text = site.read(&format!("search/{lang}/documents.json"));
    let list: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    list.into_iter()
        .map(|d| (d["url"].as_str().unwrap().to_string(), d))
        .collect()
}

#[test]
fn every_language_gets_an_index_and_a_document_store() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    for lang in ["fr", "en"] {
        let index: serde_json::Value =
            serde_json::from_str(&site.read(&format!("search/{lang}/index.json"))).unwrap();
        assert_eq!(index["version"], "2.3.9");
        assert_eq!(
            index["fields"],
            serde_json::json!(["title", "description", "taxonomies", "body"])
        );
    }
    let fr = documents(&site, "fr");
    let doc = &fr["/fr/actualites/reunion-a-dakar/"];
    assert_eq!(doc["title"], "Réunion à Dakar");
    assert_eq!(doc["url"], "/fr/actualites/reunion-a-dakar/");
    assert_eq!(doc["section"], "Actualités");
    assert_eq!(doc["date"], "12 mai 2024");
    assert_eq!(doc["terms"], serde_json::json!(["protection"]));
    assert_eq!(doc["excerpt"], "Une réunion.");
    assert!(
        fr.values()
            .all(|d| d["excerpt"].as_str().unwrap().chars().count() <= 160)
    );
    let index: serde_json::Value =
        serde_json::from_str(&site.read("search/fr/index.json")).unwrap();
    assert_eq!(
        index["pipeline"],
        serde_json::json!(["trimmer-fr", "accentFold-fr", "stemmer-fr"])
    );
    assert!(
        site.read("fr/recherche/index.html")
            .contains(r#"<div id="search-results""#)
    );
    assert!(
        site.read("en/search/index.html")
            .contains("<h1>Search</h1>")
    );
    // The home and the search page have a large search box of their own;
    // other pages have one in the header. Each page has one.
    for (path, class) in [
        ("fr/index.html", "site-search hero-search"),
        ("fr/recherche/index.html", "site-search hero-search"),
        ("fr/actualites/index.html", "site-search"),
    ] {
        let html = site.read(path);
        let form = format!(r#"<form class="{class}" role="search" action="/fr/recherche/""#);
        assert!(html.contains(&form), "{path}");
        assert_eq!(
            html.matches("<form class=\"site-search").count(),
            1,
            "{path}"
        );
    }
}

#[test]
fn pages_can_opt_out_and_drafts_stay_out() {
    let site = SiteTest::new("basic");
    let page = "content/news/2024-07-01-seulement-en-francais.fr.md";
    site.edit(page, |text| {
        text.replacen("+++\n", "+++\nsearch = false\n", 1)
    });
    site.build_ok(&[]);
    let fr = documents(&site, "fr");
    assert!(!fr.contains_key("/fr/actualites/seulement-en-francais/"));
    assert!(!fr.keys().any(|k| k.contains("brouillon")));
    assert!(
        !site
            .read("search/fr/index.json")
            .contains("seulement-en-francais")
    );
    assert!(fr.contains_key("/fr/"), "sections are indexed too");
}

#[test]
fn a_language_without_a_pipeline_must_choose() {
    let site = SiteTest::new("basic");
    site.overlay("three_languages");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", config.replace("search = \"generic\"\n", ""));
    site.run(&["build"])
        .assert_code(2)
        .assert_stderr_contains("error: config.toml: no search pipeline is built in for `es`")
        .assert_stderr_contains("add `search = \"generic\"` (accent folding, no stemming) or `search = \"off\"` to [languages.es]");
    site.write(
        "config.toml",
        config.replace("search = \"generic\"", "search = \"off\""),
    );
    site.build_ok(&[]);
    assert!(!site.exists("search/es/index.json"));
    assert!(site.exists("search/fr/index.json"));
}
