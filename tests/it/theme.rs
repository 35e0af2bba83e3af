//! The default theme read from config.toml: the home's lists, the
//! organisation in the footer, the logo and the colours.

use crate::harness::SiteTest;

const HOME: &str = r##"
[home]
latest = "news"
featured = "news"
count = 2

[organisation]
name = { fr = "Secrétariat d'essai", en = "Test secretariat" }
address = "1 rue de l'Essai\n75000 Paris"
email = "contact@example.org"
phone = "+33 1 23 45 67 89"
logo = "images/logo.svg"

[colors]
accent = "#7a1f3d"
dark_accent = "#f0a8c0"
"##;

#[test]
fn the_home_lists_newest_and_featured_pages_and_the_footer_presents_the_organisation() {
    let site = SiteTest::new("basic");
    site.edit("config.toml", |text| format!("{text}{HOME}"));
    site.edit("content/news/2024-05-12-Réunion à Dakar.fr.md", |text| {
        text.replacen("+++\n", "+++\nfeatured = true\n", 1)
    });
    site.build_ok(&[]);
    let home = site.read("fr/index.html");
    let latest = &home[home.find(r#"id="home-latest""#).unwrap()..];
    let latest = &latest[..latest.find("</section>").unwrap()];
    // The two newest of three French news items, newest first.
    let titles: Vec<&str> = latest
        .match_indices("<h3><a href=\"")
        .map(|(i, _)| &latest[i..])
        .collect();
    assert_eq!(titles.len(), 2, "{latest}");
    assert!(
        titles[0].contains("/fr/actualites/seulement-en-francais/"),
        "{latest}"
    );
    assert!(titles[1].contains("/fr/actualites/le-guide/"), "{latest}");
    // The section's name, without agreeing with it.
    assert!(
        latest.contains(">Récemment dans Actualités</h2>"),
        "{latest}"
    );
    let featured = &home[home.find(r#"id="home-featured""#).unwrap()..];
    let featured = &featured[..featured.find("</section>").unwrap()];
    assert_eq!(featured.matches("<h3>").count(), 1, "{featured}");
    assert!(
        featured.contains("/fr/actualites/reunion-a-dakar/"),
        "{featured}"
    );
    // Not shared unless the section lists it: the English page is not featured.
    let english = site.read("en/index.html");
    assert!(
        !english.contains(r#"id="home-featured""#),
        "no featured English page"
    );
    // No `upcoming` asked for: no such list.
    assert!(!home.contains("home-upcoming"));

    assert!(
        home.contains("<p class=\"footer-name\">Secrétariat d&#39;essai</p>"),
        "{home}"
    );
    assert!(english.contains("<p class=\"footer-name\">Test secretariat</p>"));
    assert!(home.contains("1 rue de l&#39;Essai<br>75000 Paris<br>"));
    assert!(home.contains(r#"<a href="mailto:contact@example.org">"#));
    assert!(home.contains(r#"<a href="tel:+33123456789">+33 1 23 45 67 89</a>"#));
    assert!(home.contains(r#"<img src="/images/logo.svg" alt="" width="40" height="40">"#));
    // The colours are a stylesheet of their own (a Content Security Policy
    // without inline styles keeps them).
    assert!(
        home.contains(r#"<link rel="stylesheet" href="/colors.css">"#),
        "{home}"
    );
    assert_eq!(
        site.read("colors.css"),
        ":root {--accent: #7a1f3d;--accent-on-dark: #f0a8c0;}\n"
    );
    assert!(home.contains(r#"<a href="/fr/atom.xml" type="application/atom+xml">Flux Atom</a>"#));
    // The bilingual pages at the root take the colours too.
    for root in ["index.html", "404.html"] {
        assert!(site.read(root).contains("/colors.css"), "{root}");
    }
}

#[test]
fn without_settings_the_theme_keeps_its_own_colours_and_the_site_title() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let home = site.read("fr/index.html");
    assert!(!home.contains("<style>") && !home.contains("colors.css"));
    assert!(!site.exists("colors.css"));
    assert!(home.contains("<p class=\"footer-name\">Site d’essai</p>"));
    assert!(!home.contains("<address>"));
    assert!(!home.contains("home-latest"));
}

#[test]
fn a_missing_logo_or_a_home_section_that_does_not_exist_stops_the_build() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let before = site.output_tree();
    site.edit("config.toml", |text| {
        format!("{text}\n[organisation]\nlogo = \"images/logo.png\"\n\n[home]\nlatest = \"nws\"\n")
    });
    site.run(&["build"])
        .assert_code(2)
        .assert_stderr_contains("error: config.toml:23:8: [organisation] the logo static/images/logo.png does not exist")
        .assert_stderr_contains("error: config.toml:26:10: [home] `latest` names `nws`, which is not a section")
        .assert_stderr_contains("did you mean `news`?");
    assert!(site.output_tree() == before, "the output changed");
}

#[test]
fn a_home_list_whose_section_lacks_a_language_is_left_out_there() {
    let site = SiteTest::new("basic");
    site.edit("config.toml", |text| {
        format!("{text}\n[home]\nlatest = \"notes\"\n")
    });
    site.write(
        "content/notes/_index.fr.md",
        "+++\ntitle = \"Notes\"\n+++\n",
    );
    site.write(
        "content/notes/2024-09-01-une-note.fr.md",
        "+++\ntitle = \"Une note\"\n+++\nEn français seulement.\n",
    );
    site.build_ok(&[]);
    assert!(site.read("fr/index.html").contains(r#"id="home-latest""#));
    assert!(!site.read("en/index.html").contains("home-latest"));
}

#[test]
fn each_404_page_leads_to_the_others() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let english = site.read("en/404.html");
    assert!(
        english.contains(
            r#"<li lang="fr" dir="ltr"><a href="/fr/404.html" hreflang="fr">Français</a></li>"#
        ),
        "{english}"
    );
    assert!(!english.contains("translation-missing"));
}
