//! Snapshots (insta) of what authors see: rendered Markdown and error
//! reports. Review `.snap` changes like code (`cargo insta review`).

use crate::harness::SiteTest;

/// The `<main>` region of a page: the content without the theme's chrome.
fn main_region(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html.find("</main>").expect("a </main> element") + "</main>".len();
    &html[start..end]
}

#[test]
fn rendered_markdown_page() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    insta::assert_snapshot!(main_region(
        &site.read("fr/actualites/reunion-a-dakar/index.html")
    ));
}

#[test]
fn error_report_for_authors() {
    let site = SiteTest::new("basic");
    site.overlay("errors/wrong_type")
        .overlay("errors/missing_title")
        .overlay("errors/malformed_toml")
        .overlay("errors/slug_slash");
    let run = site.run(&["build"]);
    run.assert_code(1);
    insta::assert_snapshot!(run.stderr);
}
