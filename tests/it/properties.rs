//! Properties of any bilingual site (proptest): the build is deterministic,
//! every internal link of the output leads to a file of the output, the
//! alternates of translations are reciprocal, and a rebuild after an edit
//! gives the full build's output.

use std::collections::BTreeSet;
use std::path::Path;

use portail::build::{BuildOptions, build};
use portail::rebuild::{OpenPages, Rebuilder};
use proptest::prelude::*;

use crate::harness::tree;
use crate::i18n::assert_reciprocal;

const BASE_URL: &str = "https://example.org/site/";
const SECTIONS: [&str; 3] = ["news", "events", "guides"];
const TERMS: [&str; 3] = ["alpha", "beta", "gamma"];

#[derive(Debug, Clone)]
struct Page {
    section: usize,
    name: String,
    /// French title, and English title when the page exists in English.
    title: String,
    english: Option<String>,
    date: Option<(u16, u8, u8)>,
    terms: Vec<usize>,
    /// Pages this one links to (indexes into the site's pages).
    links: Vec<usize>,
    slug: bool,
    body: String,
}

#[derive(Debug, Clone)]
struct Site {
    sections: usize,
    pages: Vec<Page>,
}

fn title() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿŒœ][A-Za-zÀ-ÿŒœ0-9 '’!?:;«»&<>\"%#/.-]{0,24}"
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[A-Za-zÀ-ÿ0-9 ,.;:!?'’«»()-]{0,60}".prop_map(|t| format!("{t}\n\n")),
            "[A-Za-zÀ-ÿ ]{1,20}".prop_map(|t| format!("## {t}\n\n")),
            "[a-z ]{1,20}".prop_map(|t| format!("- {t}\n- *{t}*\n\n")),
            Just("| a | b |\n|---|---|\n| 1 | 2 |\n\n".to_string()),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn page(sections: usize) -> impl Strategy<Value = Page> {
    (
        0..sections,
        "[a-z][a-z0-9]{0,7}",
        title(),
        prop::option::of(title()),
        prop::option::of((2020u16..2030, 1u8..13, 1u8..29)),
        prop::collection::vec(0..TERMS.len(), 0..3),
        prop::collection::vec(0usize..64, 0..4),
        any::<bool>(),
        body(),
    )
        .prop_map(
            |(section, name, title, english, date, terms, links, slug, body)| Page {
                section,
                name,
                title,
                english,
                date,
                terms,
                links,
                slug,
                body,
            },
        )
}

fn site() -> impl Strategy<Value = Site> {
    (1..=SECTIONS.len())
        .prop_flat_map(|sections| (Just(sections), prop::collection::vec(page(sections), 1..10)))
        .prop_map(|(sections, mut pages)| {
            // One page per name and section.
            let mut seen = BTreeSet::new();
            pages.retain(|p| seen.insert((p.section, p.name.clone())));
            Site { sections, pages }
        })
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

impl Site {
    fn write(&self, root: &Path) {
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "config.toml",
            &format!(
                "base_url = \"{BASE_URL}\"\ndefault_language = \"fr\"\ntimezone = \"Europe/Paris\"\n\n\
                 [languages.fr]\nname = \"Français\"\ntitle = \"Essai\"\n\
                 menu = [{{ name = \"Accueil\", url = \"@/_index.md\" }}]\n\n\
                 [languages.en]\nname = \"English\"\ntitle = \"Test\"\n\
                 menu = [{{ name = \"Home\", url = \"@/_index.md\" }}]\n\n\
                 [languages]\nroot = \"chooser\"\n\n[taxonomies.themes]\npaginate_by = 2\n\n\
                 [home]\nlatest = \"news\"\n\n[sections.news]\nrelated = true\npaginate_by = 2\n"
            ),
        );
        let labels: String = TERMS
            .iter()
            .map(|t| format!("[{t}]\nfr = \"{t} fr\"\nen = \"{t} en\"\n"))
            .collect();
        write("data/themes.toml", &labels);
        write(
            "content/_index.fr.md",
            "+++\ntitle = \"Accueil\"\n+++\nBienvenue.\n",
        );
        write(
            "content/_index.en.md",
            "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
        );
        for (i, section) in SECTIONS.iter().enumerate() {
            // `news` always exists: the home lists it.
            if i >= self.sections && *section != "news" {
                continue;
            }
            write(
                &format!("content/{section}/_index.fr.md"),
                &format!("+++\ntitle = \"{section} fr\"\nslug = \"{section}-fr\"\n+++\n"),
            );
            write(
                &format!("content/{section}/_index.en.md"),
                &format!("+++\ntitle = \"{section} en\"\n+++\n"),
            );
        }
        for page in &self.pages {
            for (lang, title) in [("fr", Some(&page.title)), ("en", page.english.as_ref())] {
                let Some(title) = title else { continue };
                write(&self.path(page, lang), &self.text(page, lang, title));
            }
        }
    }

    fn path(&self, page: &Page, lang: &str) -> String {
        format!("content/{}/{}.{lang}.md", SECTIONS[page.section], page.name)
    }

    fn text(&self, page: &Page, lang: &str, title: &str) -> String {
        let mut front = format!("title = {}\n", toml_string(title));
        if let Some((y, m, d)) = page.date {
            front.push_str(&format!("date = {y}-{m:02}-{d:02}\n"));
        }
        if page.slug && lang == "fr" {
            front.push_str(&format!("slug = \"{}-fr\"\n", page.name));
        }
        let terms: BTreeSet<&str> = page.terms.iter().map(|t| TERMS[*t]).collect();
        if !terms.is_empty() {
            let list: Vec<String> = terms.iter().map(|t| format!("\"{t}\"")).collect();
            front.push_str(&format!("\n[taxonomies]\nthemes = [{}]\n", list.join(", ")));
        }
        // Links only to pages that exist in this language.
        let links: String = page
            .links
            .iter()
            .filter_map(|i| self.pages.get(i % self.pages.len()))
            .filter(|target| lang == "fr" || target.english.is_some())
            .map(|target| {
                format!(
                    "Voir [{}](@/{}/{}.md).\n\n",
                    target.name, SECTIONS[target.section], target.name
                )
            })
            .collect();
        format!("+++\n{front}+++\n{}{links}", page.body)
    }
}

/// `site` written in `dir/site` and built by `serve`'s rebuilder into
/// `dir/live`.
fn serve(site: &Site, dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, Rebuilder) {
    let root = dir.join("site");
    site.write(&root);
    let live = dir.join("live");
    let mut rebuilder = Rebuilder::new(options(&root, &live));
    rebuilder
        .rebuild(&[])
        .unwrap_or_else(|e| panic!("{:?}", e.into_diagnostics()));
    rebuilder.search().unwrap();
    (root, live, rebuilder)
}

fn options(root: &Path, output: &Path) -> BuildOptions {
    BuildOptions {
        output: Some(output.to_path_buf()),
        base_url: Some(BASE_URL.into()),
        now: Some("2025-06-01".parse().unwrap()),
        ..BuildOptions::new(root)
    }
}

/// Every root-relative `href` and `src` of every page names a file of the
/// output (a folder stands for its `index.html`).
fn assert_links_resolve(public: &Path) -> usize {
    let files = tree(public);
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for attribute in ["href=\"", "src=\""] {
            for (at, _) in html.match_indices(attribute) {
                let rest = &html[at + attribute.len()..];
                let url = &rest[..rest.find('"').unwrap()];
                let Some(inside) = url.strip_prefix("/site/") else {
                    assert!(
                        !url.starts_with('/') || url.starts_with("//"),
                        "{path}: {url} is outside the base path"
                    );
                    continue;
                };
                let file = inside.split(['#', '?']).next().unwrap();
                let file = if file.is_empty() || file.ends_with('/') {
                    format!("{file}index.html")
                } else {
                    file.to_string()
                };
                assert!(files.contains_key(&file), "{path}: {url} leads nowhere");
                checked += 1;
            }
        }
    }
    checked
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_site_builds_deterministically_with_links_that_resolve(site in site()) {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let root = dir.path().join("site");
        site.write(&root);
        let first = dir.path().join("first");
        let second = dir.path().join("second");
        build(&options(&root, &first))
            .unwrap_or_else(|e| panic!("{:?}", e.into_diagnostics()));
        build(&options(&root, &second)).unwrap();
        prop_assert!(tree(&first) == tree(&second), "two builds differ");
        let links = assert_links_resolve(&first);
        prop_assert!(links > 100, "only {} links", links);
        prop_assert!(assert_reciprocal(&first, BASE_URL) > 0);
    }

    #[test]
    fn a_rebuild_after_any_edit_equals_a_full_build(
        site in site(),
        edited in any::<prop::sample::Index>(),
        edit in 0..10usize,
        text in title(),
        open in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
    ) {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let (root, live, mut rebuilder) = serve(&site, dir.path());
        let edited = edited.index(site.pages.len());
        let page = &site.pages[edited];
        let rel = site.path(page, "fr");
        let file = root.join(&rel);
        let original = std::fs::read_to_string(&file).unwrap();
        let body_edit = format!("{original}\n{}\n", text.replace('#', ""));
        // A page that others may link to is not removed (the links would
        // rightly fail the build).
        let linked = site.pages.iter().any(|p| p.links.iter().any(|i| i % site.pages.len() == edited));
        let mut saved = Vec::new();
        match edit {
            1 => {
                // The title is the first line of the front matter.
                let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
                lines[1] = format!("title = {}", toml_string(&text));
                std::fs::write(&file, lines.join("\n") + "\n").unwrap();
            }
            2 if page.date.is_none() => {
                std::fs::write(&file, original.replacen("+++\n", "+++\ndate = 2031-01-02\n", 1))
                    .unwrap();
            }
            3 if !linked => std::fs::remove_file(&file).unwrap(),
            4 | 5 => {
                // Shared facts change in every version at once.
                let mut changed = page.clone();
                if edit == 4 {
                    changed.date = Some((2021, 6, (text.len() % 28) as u8 + 1));
                } else {
                    changed.terms = (0..TERMS.len()).filter(|i| (text.len() >> i) & 1 == 1).collect();
                }
                for (lang, title) in [("fr", Some(&page.title)), ("en", page.english.as_ref())] {
                    if let Some(title) = title {
                        std::fs::write(root.join(site.path(page, lang)), site.text(&changed, lang, title)).unwrap();
                        saved.push(site.path(page, lang));
                    }
                }
            }
            6 => {
                // A new page beside it, linking where it links.
                let new = Page { name: "new-page".into(), ..page.clone() };
                for (lang, title) in [("fr", Some(&text)), ("en", page.english.as_ref())] {
                    if let Some(title) = title {
                        std::fs::write(root.join(site.path(&new, lang)), site.text(&new, lang, title)).unwrap();
                        saved.push(site.path(&new, lang));
                    }
                }
            }
            7 if !linked => {
                std::fs::write(&file, original.replacen("+++\n", "+++\ndraft = true\n", 1)).unwrap();
            }
            8 => {
                // Another address: the links to it follow.
                let moved = Page { slug: !page.slug, ..page.clone() };
                std::fs::write(&file, site.text(&moved, "fr", &page.title)).unwrap();
            }
            9 if !linked => {
                // Renamed, in every language.
                let renamed = Page { name: format!("{}-renamed", page.name), ..page.clone() };
                for (lang, title) in [("fr", Some(&page.title)), ("en", page.english.as_ref())] {
                    if let Some(title) = title {
                        std::fs::remove_file(root.join(site.path(page, lang))).unwrap();
                        std::fs::write(root.join(site.path(&renamed, lang)), site.text(&renamed, lang, title)).unwrap();
                        saved.extend([site.path(page, lang), site.path(&renamed, lang)]);
                    }
                }
            }
            _ => std::fs::write(&file, body_edit).unwrap(),
        }
        if saved.is_empty() {
            saved.push(rel);
        }
        // Pages open in browsers, which may be written first: as they
        // are then, and the addresses the pages moved to.
        // Pages that show the edited one (they lead to its address) are
        // picked as often as any other.
        let pages: Vec<(String, Vec<u8>)> = tree(&live).into_iter().filter(|(p, _)| p.ends_with(".html")).collect();
        let needle = format!("/{}/", page.name);
        let showing: Vec<&String> = pages
            .iter()
            .filter(|(_, html)| String::from_utf8_lossy(html).contains(&needle))
            .map(|(path, _)| path)
            .collect();
        let open: BTreeSet<String> = open
            .iter()
            .enumerate()
            .map(|(n, i)| match n % 2 {
                0 if !showing.is_empty() => showing[i.index(showing.len())].clone(),
                _ => pages[i.index(pages.len())].0.clone(),
            })
            .collect();
        let mut ahead = Vec::new();
        let mut written = |paths: Vec<String>, moved: &[(String, String)]| {
            for path in paths {
                ahead.push((path.clone(), std::fs::read(live.join(&path)).unwrap()));
            }
            let mut moved = moved.to_vec();
            moved.sort();
            ahead.push((String::new(), format!("{moved:?}").into_bytes()));
        };
        let open_pages = OpenPages { paths: open.clone(), written: &mut written };
        let rebuilt = rebuilder
            .rebuild_open(&saved, Some(open_pages))
            .unwrap_or_else(|e| panic!("{:?}", e.into_diagnostics()));
        rebuilder.search().unwrap();
        let full = dir.path().join("full");
        build(&options(&root, &full)).unwrap();
        let (live, full) = (tree(&live), tree(&full));
        prop_assert_eq!(live.keys().collect::<Vec<_>>(), full.keys().collect::<Vec<_>>());
        for (path, bytes) in &full {
            prop_assert!(live[path] == *bytes, "{} differs from a full build", path);
        }
        // What was written first is final, and open (or where an open
        // page moved); the moves told then are those of the open pages.
        let file = |url: &str| format!("{}index.html", url.strip_prefix("/site/").unwrap());
        let mut moved_open: Vec<(String, String)> = rebuilt
            .moved
            .iter()
            .filter(|(old, _)| open.contains(&file(old)))
            .cloned()
            .collect();
        moved_open.sort();
        let moved_to: Vec<String> = moved_open.iter().map(|(_, now)| file(now)).collect();
        for (path, bytes) in &ahead {
            if path.is_empty() {
                prop_assert_eq!(bytes, &format!("{moved_open:?}").into_bytes());
                continue;
            }
            prop_assert!(open.contains(path) || moved_to.contains(path), "{} was not open", path);
            prop_assert!(full[path] == *bytes, "{} was written ahead as it is not", path);
        }
    }
}

/// One change a writer saves, of any kind the site has.
#[derive(Debug, Clone)]
enum Edit {
    Body(usize, String),
    Title(usize, String),
    Date(usize, u8),
    Terms(usize, usize),
    Slug(usize),
    Draft(usize),
    NewPage(usize, String),
    DeletePage(usize),
    /// Adds the English version if there is none, else removes it.
    Translation(usize),
    Config(String),
    Template(u8),
    Strings(String),
    Data(String),
    Static(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    let page = any::<usize>();
    prop_oneof![
        (page, title()).prop_map(|(p, t)| Edit::Body(p, t)),
        (page, title()).prop_map(|(p, t)| Edit::Title(p, t)),
        (page, 1..28u8).prop_map(|(p, d)| Edit::Date(p, d)),
        (page, 0..8usize).prop_map(|(p, t)| Edit::Terms(p, t)),
        page.prop_map(Edit::Slug),
        page.prop_map(Edit::Draft),
        (page, title()).prop_map(|(p, t)| Edit::NewPage(p, t)),
        page.prop_map(Edit::DeletePage),
        page.prop_map(Edit::Translation),
        title().prop_map(Edit::Config),
        any::<u8>().prop_map(Edit::Template),
        title().prop_map(Edit::Strings),
        title().prop_map(Edit::Data),
        any::<u8>().prop_map(Edit::Static),
    ]
}

impl Site {
    /// Whether any page links to `page` (in `lang`, or in any language).
    fn linked(&self, page: usize, english_only: bool) -> bool {
        self.pages.iter().any(|p| {
            (!english_only || p.english.is_some())
                && p.links.iter().any(|i| i % self.pages.len() == page)
        })
    }

    /// Applies `edit` to the site in `root` (kept in step in `self`);
    /// the site-relative paths it saved.
    fn apply(&mut self, root: &Path, edit: &Edit) -> Vec<String> {
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
            rel.to_string()
        };
        let n = self.pages.len();
        let index = |i: &usize| i % n;
        // Every version of page `p`, written again.
        let rewrite = |site: &Site, p: usize| -> Vec<String> {
            let page = &site.pages[p];
            [("fr", Some(&page.title)), ("en", page.english.as_ref())]
                .into_iter()
                .filter_map(|(lang, title)| {
                    let title = title?;
                    Some(write(&site.path(page, lang), &site.text(page, lang, title)))
                })
                .collect()
        };
        match edit {
            Edit::Body(p, text) => {
                let p = index(p);
                self.pages[p].body =
                    format!("{}\n{}\n\n", self.pages[p].body, text.replace('#', ""));
                rewrite(self, p)
            }
            Edit::Title(p, text) => {
                let p = index(p);
                self.pages[p].title = text.clone();
                rewrite(self, p)
            }
            Edit::Date(p, day) => {
                let p = index(p);
                self.pages[p].date = Some((2022, 3, *day));
                rewrite(self, p)
            }
            Edit::Terms(p, mask) => {
                let p = index(p);
                self.pages[p].terms = (0..TERMS.len()).filter(|i| (mask >> i) & 1 == 1).collect();
                rewrite(self, p)
            }
            Edit::Slug(p) => {
                let p = index(p);
                self.pages[p].slug = !self.pages[p].slug;
                rewrite(self, p)
            }
            Edit::Draft(p) if n > 1 && !self.linked(index(p), false) => {
                let p = index(p);
                let page = self.pages.remove(p);
                self.fix_links(p);
                let rel = self.path(&page, "fr");
                let text = self.text(&page, "fr", &page.title);
                let mut saved = vec![write(
                    &rel,
                    &text.replacen("+++\n", "+++\ndraft = true\n", 1),
                )];
                if page.english.is_some() {
                    let en = self.path(&page, "en");
                    std::fs::remove_file(root.join(&en)).unwrap();
                    saved.push(en);
                }
                saved
            }
            Edit::NewPage(p, text) => {
                let mut page = self.pages[index(p)].clone();
                page.name = format!("added-{}", self.pages.len());
                page.title = text.clone();
                page.links.clear();
                self.pages.push(page);
                rewrite(self, self.pages.len() - 1)
            }
            Edit::DeletePage(p) if n > 1 && !self.linked(index(p), false) => {
                let page = self.pages.remove(index(p));
                self.fix_links(index(p));
                [("fr", true), ("en", page.english.is_some())]
                    .into_iter()
                    .filter(|(_, exists)| *exists)
                    .map(|(lang, _)| {
                        let rel = self.path(&page, lang);
                        std::fs::remove_file(root.join(&rel)).unwrap();
                        rel
                    })
                    .collect()
            }
            Edit::Translation(p) => {
                let p = index(p);
                let page = self.pages[p].clone();
                match page.english {
                    None => {
                        self.pages[p].english = Some(format!("{} (en)", page.title));
                        rewrite(self, p)
                    }
                    Some(_) if !self.linked(p, true) => {
                        self.pages[p].english = None;
                        let rel = self.path(&page, "en");
                        std::fs::remove_file(root.join(&rel)).unwrap();
                        vec![rel]
                    }
                    Some(_) => Vec::new(),
                }
            }
            Edit::Config(title) => {
                let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
                let line = config
                    .lines()
                    .find(|l| l.starts_with("title = "))
                    .unwrap()
                    .to_string();
                vec![write(
                    "config.toml",
                    &config.replacen(&line, &format!("title = {}", toml_string(title)), 1),
                )]
            }
            Edit::Template(n) => {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates/page.html");
                let page = std::fs::read_to_string(theme).unwrap();
                let page = page.replacen(
                    "<article class=\"page\">",
                    &format!("<article class=\"page\" data-n=\"{n}\">"),
                    1,
                );
                vec![write("templates/page.html", &page)]
            }
            Edit::Strings(text) => vec![write(
                "i18n/fr.toml",
                &format!("home = {}\n", toml_string(text)),
            )],
            Edit::Data(text) => {
                let labels: String = TERMS
                    .iter()
                    .map(|t| {
                        format!(
                            "[{t}]\nfr = {}\nen = \"{t} en\"\n",
                            toml_string(&format!("{t} {text}"))
                        )
                    })
                    .collect();
                vec![write("data/themes.toml", &labels)]
            }
            Edit::Static(n) => vec![write("static/extra.css", &format!("/* {n} */\n"))],
            // Not possible here: nothing saved.
            Edit::Draft(_) | Edit::DeletePage(_) => Vec::new(),
        }
    }

    /// After page `removed` is gone, links by index keep their targets.
    fn fix_links(&mut self, removed: usize) {
        let n = self.pages.len() + 1;
        for page in &mut self.pages {
            page.links = page
                .links
                .iter()
                .map(|i| i % n)
                .filter(|i| *i != removed)
                .map(|i| if i > removed { i - 1 } else { i })
                .collect();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, max_shrink_iters: 100, ..ProptestConfig::default() })]

    /// `serve` after each save of a sequence of saves of any kind (pages,
    /// translations, drafts, the configuration, a template, the interface
    /// strings, a term list, a static file) gives a full build's output,
    /// and so does `build --cache` run after each save.
    #[test]
    fn rebuilds_after_any_sequence_of_edits_equal_full_builds(
        mut site in site(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        // Links by the index of their target, which pages added later
        // leave as they are.
        let n = site.pages.len();
        for page in &mut site.pages {
            page.links = page.links.iter().map(|i| i % n).collect();
        }
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let (root, live, mut rebuilder) = serve(&site, dir.path());
        let cached = BuildOptions {
            cache: Some(dir.path().join("cache")),
            ..options(&root, &dir.path().join("cached"))
        };
        build(&cached).unwrap();
        for (step, edit) in edits.iter().enumerate() {
            let saved = site.apply(&root, edit);
            rebuilder
                .rebuild(&saved)
                .unwrap_or_else(|e| panic!("after {edit:?}: {:?}", e.into_diagnostics()));
            rebuilder.search().unwrap();
            let report = build(&cached)
                .unwrap_or_else(|e| panic!("cached, after {edit:?}: {:?}", e.into_diagnostics()));
            let cache = report.cache.expect("a cache report");
            prop_assert!(cache.ignored.is_none() || matches!(edit, Edit::Config(_)), "{:?}", cache);
            let full = dir.path().join(format!("full-{step}"));
            build(&options(&root, &full))
                .unwrap_or_else(|e| panic!("after {edit:?}: {:?}", e.into_diagnostics()));
            let full = tree(&full);
            for (how, output) in [("serve", tree(&live)), ("build --cache", tree(&dir.path().join("cached")))] {
                prop_assert_eq!(output.keys().collect::<Vec<_>>(), full.keys().collect::<Vec<_>>(), "{} after {:?}", how, edit);
                for (path, bytes) in &full {
                    prop_assert!(output[path] == *bytes, "{}: {} differs from a full build after {:?}", how, path, edit);
                }
            }
        }
    }
}
