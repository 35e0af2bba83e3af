//! What the fuzz targets share: a small bilingual site held in memory, into
//! which a target puts its input.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use portail::load::config::Config;
use portail::load::i18n::Strings;
use portail::load::page::{self, Doc};
use portail::load::source::{SourceFile, SourceKind};
use portail::load::theme::Theme;
use portail::pictures::{Brand, Pictures};
use portail::site::{self, Site};

/// A site with French typography, a news section and declared fields.
pub const CONFIG: &str = r#"
base_url = "https://example.org/portal/"
default_language = "fr"
timezone = "Europe/Paris"

[languages.fr]
name = "Français"
title = "Portail"

[languages.en]
name = "English"
title = "Portal"

[sections.news]
sort_by = "date"

[sections.news.fields]
start = "date"
place = { type = "string" }
kind = { one_of = ["meeting", "training"] }
"#;

pub static SITE_CONFIG: LazyLock<Config> =
    LazyLock::new(|| Config::parse(CONFIG).expect("the fuzz targets' config parses"));

/// The same site with `[markdown] safe = true` (bodies sanitised).
pub static SAFE_CONFIG: LazyLock<Config> = LazyLock::new(|| {
    Config::parse(&format!("{CONFIG}\n[markdown]\nsafe = true\n"))
        .expect("the fuzz targets' safe config parses")
});

/// The built-in theme's interface texts for the config's languages.
pub static STRINGS: LazyLock<Strings> = LazyLock::new(|| {
    let nowhere = Path::new("/nonexistent-portail-fuzz-site");
    let theme = Theme::load(nowhere, "default").expect("the built-in theme loads");
    Strings::load(nowhere, &theme, &SITE_CONFIG, |_| Vec::new())
        .expect("the built-in theme has every text")
});

/// The pictures of a build whose site has none on disk (a fuzzed page's
/// `![](…)` names missing files: a located error, never a read outside).
pub static PICTURES: LazyLock<Pictures> = LazyLock::new(|| {
    let cache = std::env::temp_dir().join("portail-fuzz-cache");
    Pictures::new(&SITE_CONFIG.images, &cache, Brand::default())
});

/// The source file at `rel` (content-relative, `news/a.fr.md`).
pub fn source(rel: &str) -> SourceFile {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let (base, lang) = file
        .strip_suffix(".md")
        .and_then(|stem| stem.rsplit_once('.'))
        .expect("a name.lang.md path");
    let folder = dir.rsplit('/').next().unwrap_or("").to_string();
    let (kind, key, name) = if base == "_index" {
        (SourceKind::Section, dir.to_string(), folder)
    } else if dir.is_empty() {
        (
            SourceKind::Page { bundle: false },
            base.to_string(),
            base.to_string(),
        )
    } else {
        (
            SourceKind::Page { bundle: false },
            format!("{dir}/{base}"),
            base.to_string(),
        )
    };
    SourceFile {
        rel_path: format!("content/{rel}"),
        abs_path: PathBuf::from("/nonexistent-portail-fuzz-site/content").join(rel),
        kind,
        lang: lang.to_string(),
        key,
        section_dir: dir.to_string(),
        name,
    }
}

/// Parses `text` as the file at `rel`.
pub fn parse(rel: &str, text: &str) -> Option<Doc> {
    page::parse_text(source(rel), text.to_string(), &SITE_CONFIG).ok()
}

/// The fixed pages around the fuzzed one: both homes, the news section in
/// both languages and a page to link to.
fn fixed_docs() -> Vec<Doc> {
    let files = [
        ("_index.fr.md", "+++\ntitle = \"Accueil\"\n+++\n"),
        ("_index.en.md", "+++\ntitle = \"Home\"\n+++\n"),
        (
            "news/_index.fr.md",
            "+++\ntitle = \"Actualités\"\nslug = \"actualites\"\n+++\n",
        ),
        ("news/_index.en.md", "+++\ntitle = \"News\"\n+++\n"),
        (
            "news/cible.fr.md",
            "+++\ntitle = \"Cible\"\ndate = 2024-05-12\n+++\n## Un titre\n",
        ),
        (
            "news/cible.en.md",
            "+++\ntitle = \"Target\"\ndate = 2024-05-12\n+++\n## A heading\n",
        ),
    ];
    files
        .iter()
        .map(|(rel, text)| parse(rel, text).expect("the fixed pages parse"))
        .collect()
}

/// The site made of the fixed pages and `doc`, if it assembles, with
/// `config`.
pub fn site_with(doc: Doc, config: &Config) -> Option<Site> {
    let mut docs = fixed_docs();
    docs.push(doc);
    let sections: BTreeSet<String> = ["".to_string(), "news".to_string()].into();
    site::assemble(
        config.clone(),
        docs.into_iter().map(std::sync::Arc::new).collect(),
        &sections,
        Vec::new(),
        Default::default(),
    )
    .ok()
}
