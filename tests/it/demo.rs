//! The repository's own demo site: it builds cleanly, is complete, and
//! every page is valid HTML5 (checked with HTML Tidy, which `.ci/run`
//! installs).

use std::path::Path;
use std::process::Command;

use crate::harness::tree;

fn build_demo() -> (tempfile::TempDir, String) {
    let (out, _, run) = crate::harness::build_demo(&[], &[]);
    (out, run.stderr)
}

#[test]
fn demo_builds_without_warnings_and_is_complete() {
    let (out, stderr) = build_demo();
    assert!(!stderr.contains("warning"), "{stderr}");
    let files = tree(&out.path().join("public"));
    let count = |prefix: &str| {
        files
            .keys()
            .filter(|k| {
                k.starts_with(prefix) && k.ends_with("/index.html") && !k.contains("/page/")
            })
            .count()
            - 1
    };
    for (prefix, at_least) in [
        ("fr/actualites/", 12),
        ("en/news/", 12),
        ("fr/activites/", 8),
        ("en/activities/", 8),
        ("fr/bonnes-pratiques/", 8),
        ("en/good-practices/", 8),
        ("fr/a-propos/", 3),
        ("en/about/", 3),
    ] {
        assert!(
            count(prefix) >= at_least,
            "{prefix}: {} pages",
            count(prefix)
        );
    }
    assert!(
        !files.keys().any(|k| k.contains("newsletter")),
        "the draft is not published"
    );
}

#[test]
fn demo_arabic_pages_run_right_to_left() {
    let (out, _) = build_demo();
    let public = out.path().join("public");
    let read = |rel: &str| std::fs::read_to_string(public.join(rel)).unwrap();
    let news = read("ar/news/steering-committee-meeting/index.html");
    for needle in [
        "<html lang=\"ar\" dir=\"rtl\">",
        // Arabic month names; the other languages named in their own direction.
        ">20 يونيو 2025</time>",
        r#"<li lang="fr" dir="ltr"><a href="/fr/actualites/comite-de-pilotage-point-mi-parcours/" hreflang="fr">Français</a></li>"#,
        r#"<link rel="alternate" hreflang="ar" href="https://portail.example.org/ar/news/steering-committee-meeting/">"#,
    ] {
        assert!(news.contains(needle), "missing {needle}");
    }
    // The French page names the Arabic version, right to left.
    let fr = read("fr/actualites/comite-de-pilotage-point-mi-parcours/index.html");
    assert!(fr.contains(r#"<li lang="ar" dir="rtl"><a href="/ar/news/steering-committee-meeting/" hreflang="ar">العربية</a></li>"#));
    // A page with no Arabic version sends Arabic readers to the nearest one, said in Arabic.
    let only = read("fr/actualites/etude-cout-transferts-de-fonds/index.html");
    assert!(only.contains(r#"<li lang="ar" dir="rtl"><a href="/ar/news/">العربية</a> <small class="translation-missing">هذه الصفحة متوفرة فقط باللغة الفرنسية والإنجليزية.</small></li>"#), "{only}");
    let feed = read("ar/news/atom.xml");
    assert!(feed.contains("xml:lang=\"ar\"") && feed.contains("لجنة التوجيه تقيّم منتصف المرحلة"));
    let calendar = read("ar/activities/calendar.ics");
    assert!(
        calendar.contains("SUMMARY:ورشة إقليمية حول حماية"),
        "{calendar}"
    );
    // Only the languages that have the page are alternates of the French page.
    let sitemap = read("sitemap.xml");
    assert!(sitemap.contains(
        r#"hreflang="ar" href="https://portail.example.org/ar/about/secretariat-role/""#
    ));
}

#[test]
fn demo_pages_are_valid_html5_with_lang() {
    let (out, _) = build_demo();
    assert_valid_html5(&out.path().join("public"), 80);
}

#[test]
fn fixture_pages_are_valid_html5_with_lang() {
    // The fixture has summaries cut inside lists, raw HTML, tables, footnotes.
    let site = crate::harness::SiteTest::new("basic");
    site.build_ok(&["--drafts"]);
    assert_valid_html5(&site.public(), 15);
}

/// Every page starts with a doctype and `<html lang>`, and HTML Tidy finds
/// nothing to report.
pub(crate) fn assert_valid_html5(public: &Path, at_least: usize) {
    let pages: Vec<String> = tree(public)
        .into_keys()
        .filter(|k| k.ends_with(".html"))
        .collect();
    assert!(pages.len() >= at_least, "only {} pages", pages.len());
    for page in &pages {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\""), "{page}");
        let result = Command::new("tidy")
            .args(["-q", "-e", "--gnu-emacs", "yes"])
            .arg(public.join(page))
            .output()
            .expect("HTML Tidy is needed for this test: apt-get install tidy");
        // Tidy 5.6 predates ARIA 1.1 and calls its `aria-current` proprietary,
        // and the responsive-image and loading attributes of today's HTML
        // (`sizes` on `<source>`, `loading` and `decoding` on `<img>`); those
        // messages are ignored, any other fails the test.
        let newer = [
            r#"<a> proprietary attribute "aria-current""#,
            r#"<source> proprietary attribute "sizes""#,
            r#"<img> proprietary attribute "loading""#,
            r#"<img> proprietary attribute "decoding""#,
        ];
        let report: Vec<String> = String::from_utf8_lossy(&result.stderr)
            .lines()
            .filter(|line| !line.trim().is_empty())
            .filter(|line| !newer.iter().any(|n| line.ends_with(n)))
            .map(str::to_string)
            .collect();
        assert!(report.is_empty(), "{page}:\n{}", report.join("\n"));
    }
}
