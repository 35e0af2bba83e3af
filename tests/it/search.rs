//! The search files a build writes (their lunr.js compatibility is proven
//! by the node tests in tests/node/).

use crate::harness::SiteTest;

/// A language's search manifest.
pub fn manifest(site: &SiteTest, lang: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(&format!("search/{lang}/manifest.json"))).unwrap()
}

/// The document store, by ref: its chunks put end to end.
pub fn stored(site: &SiteTest, lang: &str) -> Vec<serde_json::Value> {
    let manifest = manifest(site, lang);
    let count = manifest["documents"].as_u64().unwrap() as usize;
    let chunk = manifest["chunk"].as_u64().unwrap() as usize;
    let mut all = Vec::new();
    for n in 0..count.div_ceil(chunk) {
        let text = site.read(&format!("search/{lang}/d/{n}.json"));
        let list: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        all.extend(list);
    }
    assert_eq!(all.len(), count);
    assert!(!site.exists(&format!("search/{lang}/d/{}.json", count.div_ceil(chunk))));
    all
}

/// The document store keyed by URL.
fn documents(site: &SiteTest, lang: &str) -> serde_json::Map<String, serde_json::Value> {
    stored(site, lang)
        .into_iter()
        .map(|d| (d["url"].as_str().unwrap().to_string(), d))
        .collect()
}

#[test]
fn every_language_gets_an_index_and_a_document_store() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    for lang in ["fr", "en"] {
        let manifest = manifest(&site, lang);
        assert_eq!(manifest["version"], "2.3.9");
        assert_eq!(
            manifest["fields"],
            serde_json::json!(["title", "description", "taxonomies", "body"])
        );
        // Every key has its shard; nothing else is there.
        let keys = manifest["keys"].as_array().unwrap().len();
        assert!(keys >= 1);
        for n in 0..keys {
            let shard: serde_json::Value =
                serde_json::from_str(&site.read(&format!("search/{lang}/t/{n}.json"))).unwrap();
            assert!(shard["t"].is_array() && shard["w"].is_array());
        }
        assert!(!site.exists(&format!("search/{lang}/t/{keys}.json")));
        // The whole index is written only when asked for.
        assert!(!site.exists(&format!("search/{lang}/index.json")));
        assert!(!site.exists(&format!("search/{lang}/documents.json")));
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
    assert_eq!(
        manifest(&site, "fr")["pipeline"],
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
    assert_eq!(manifest(&site, "fr")["documents"], fr.len());
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
    assert!(!site.exists("search/es/manifest.json"));
    assert!(site.exists("search/fr/manifest.json"));
}
