//! `config.toml`: read into a raw serde model, then resolved and validated
//! into [`Config`]. Every problem is a diagnostic at `config.toml:line:col`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::messages::Message;

pub mod brand;
mod home;
mod resolve;

pub use brand::{Colors, Organisation, contrast};
pub use home::{Home, HomeSection};

pub const CONFIG_FILE: &str = "config.toml";

/// How a section orders its pages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first; pages without a date last.
    #[default]
    Date,
    /// Lightest first.
    Weight,
    /// Alphabetical.
    Title,
    /// The value of a declared field (e.g. `start`), earliest first.
    #[serde(untagged)]
    Field(String),
}

/// The type of a section-specific front-matter field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    #[default]
    String,
    Date,
    Datetime,
    Bool,
    Integer,
    List,
}

impl FieldType {
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::String => "a string",
            FieldType::Date => "a date (YYYY-MM-DD)",
            FieldType::Datetime => "a date-time (YYYY-MM-DDTHH:MM:SS)",
            FieldType::Bool => "true or false",
            FieldType::Integer => "a whole number",
            FieldType::List => "a list of strings",
        }
    }
}

/// How page slugs are made when the front matter has no `slug`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SlugSource {
    /// From the file (or page folder) name, without its date prefix.
    #[default]
    Filename,
    /// From the page's title in its own language.
    Title,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: Spanned<String>,
    default_language: Spanned<String>,
    timezone: Option<Spanned<String>>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    slugs_from: SlugSource,
    languages: RawLanguages,
    #[serde(default)]
    taxonomies: BTreeMap<String, RawTaxonomy>,
    #[serde(default)]
    sections: BTreeMap<Spanned<String>, RawSection>,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    markdown: MarkdownSettings,
    #[serde(default)]
    deploy: DeploySettings,
    #[serde(default)]
    images: RawImages,
    #[serde(default)]
    cms: RawCms,
    #[serde(default)]
    home: home::RawHome,
    #[serde(default)]
    organisation: brand::RawOrganisation,
    #[serde(default)]
    colors: brand::RawColors,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    fields: Option<Spanned<BTreeMap<String, f64>>>,
    /// Also write the whole index in lunr's own format.
    #[serde(default)]
    whole_index: bool,
}

/// `[cms]`: the editing form in the browser.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCms {
    #[serde(default)]
    enabled: bool,
    backend: Option<Spanned<String>>,
    repo: Option<Spanned<String>>,
    branch: Option<String>,
    api_root: Option<String>,
    base_url: Option<String>,
    auth_endpoint: Option<String>,
    app_id: Option<String>,
}

/// Where the CMS saves what it edits: a git host, by the name Decap CMS
/// gives its backend, and that backend's settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CmsSettings {
    /// Publish `admin/` with every build.
    pub enabled: bool,
    /// Set by `serve --cms`, not by config.toml: publish `admin/` pointed
    /// at the server's own API.
    pub local: bool,
    /// `github`, `gitlab`, `gitea` or `git-gateway`.
    pub backend: String,
    pub repo: Option<String>,
    pub branch: String,
    pub api_root: Option<String>,
    pub base_url: Option<String>,
    pub auth_endpoint: Option<String>,
    pub app_id: Option<String>,
}

/// The backends Decap CMS and Sveltia CMS both know.
pub const CMS_BACKENDS: &[&str] = &["github", "gitlab", "gitea", "git-gateway"];

/// `[deploy]`: what the static host is told besides the files.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploySettings {
    /// Write `_headers` (Netlify, Cloudflare Pages): caching, and security
    /// headers with a Content Security Policy the theme keeps.
    #[serde(default)]
    pub headers: bool,
}

/// `[markdown]`: how bodies become HTML.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownSettings {
    /// Sanitise the HTML of every body (raw HTML from less trusted authors).
    #[serde(default)]
    pub safe: bool,
}

/// The fields that can be indexed, in index order, with their default boosts.
pub const SEARCH_FIELDS: &[(&str, f64)] = &[
    ("title", 10.0),
    ("description", 5.0),
    ("taxonomies", 3.0),
    ("body", 1.0),
];

/// `[images]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImages {
    widths: Option<Spanned<Vec<u32>>>,
    quality: Option<Spanned<u8>>,
    warn_size_mb: Option<f64>,
    warn_pixels: Option<u32>,
    share: Option<Spanned<String>>,
    cards: Option<bool>,
    page_budget_kb: Option<u64>,
    keep_metadata: Option<bool>,
}

/// `[images]`: how pictures are processed.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSettings {
    /// The widths each picture is published at (never wider than itself).
    pub widths: Vec<u32>,
    /// WebP and JPEG quality, 1 to 100.
    pub quality: u8,
    /// Originals heavier than this many megabytes, or wider or taller than
    /// this many pixels, are worth a warning (`check --strict`: an error).
    pub warn_size_mb: f64,
    pub warn_pixels: u32,
    /// A page whose HTML and pictures (as a wide screen loads them) weigh
    /// more than this many kilobytes is worth a warning.
    pub page_budget_kb: u64,
    /// Whether published pictures keep the original's EXIF block (camera,
    /// date, GPS position…); by default none does.
    pub keep_metadata: bool,
    /// The picture (a file of `static/`) pages without one of their own
    /// show when shared, and where it is written in config.toml.
    pub share: Option<(String, std::ops::Range<usize>)>,
    /// Whether pages without a picture of their own (and no `share`) get a
    /// card drawn from their title.
    pub cards: bool,
}

impl ImageSettings {
    pub const DEFAULT_WIDTHS: [u32; 4] = [480, 800, 1200, 1600];
    pub const DEFAULT_QUALITY: u8 = 80;
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: Self::DEFAULT_WIDTHS.to_vec(),
            quality: Self::DEFAULT_QUALITY,
            warn_size_mb: 8.0,
            warn_pixels: 6000,
            page_budget_kb: 1500,
            keep_metadata: false,
            share: None,
            cards: true,
        }
    }
}

/// Which search index a language gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchSetting {
    English,
    French,
    Arabic,
    /// Accent folding and trimming only, for languages without a stemmer.
    Generic,
    /// No search index.
    Off,
}

fn default_theme() -> String {
    "default".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    menu: Vec<MenuItem>,
    locale: Option<String>,
    #[serde(default)]
    untranslated: Untranslated,
    typography: Option<Typography>,
    direction: Option<crate::load::lang::Direction>,
    #[serde(default)]
    partial: bool,
    search: Option<SearchSetting>,
}

/// `[languages]`: one table per language, plus the `root` setting.
#[derive(Default)]
struct RawLanguages {
    root: RootMode,
    languages: BTreeMap<String, RawLanguage>,
}

impl<'de> Deserialize<'de> for RawLanguages {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawLanguages;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`root` and one table per language, such as [languages.fr]")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawLanguages, A::Error> {
                let mut out = RawLanguages::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "root" {
                        out.root = map.next_value()?;
                    } else {
                        let language = map.next_value()?;
                        out.languages.insert(key, language);
                    }
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// What `/` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RootMode {
    /// A bilingual page that links every language's home.
    #[default]
    Chooser,
    /// The default language's home, its pages without a language prefix.
    Default,
}

/// What a language's lists show for pages that exist only in other languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Untranslated {
    /// Leave them out.
    #[default]
    Hide,
    /// List them, marked with their language, linking to the existing version.
    Show,
}

/// Typographic rules applied to a language's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Typography {
    /// No change.
    #[serde(rename = "none")]
    None,
    /// France: a narrow no-break space before `; ! ?`, a no-break space
    /// before `:` and inside « ».
    #[serde(rename = "french")]
    French,
    /// Canada: no space before `; ! ?`, a no-break space before `:` and
    /// inside « ».
    #[serde(rename = "french-ca")]
    FrenchCa,
    /// Switzerland: a narrow no-break space before `; ! ? :` and inside « ».
    #[serde(rename = "french-ch")]
    FrenchCh,
}

impl Typography {
    /// The default of a language: French ones by their locale's country.
    pub fn for_language(code: &str, locale: &str) -> Typography {
        let french = code == "fr" || code.starts_with("fr-") || code.starts_with("fr_");
        let country = locale.split(['_', '-', '.']).nth(1).unwrap_or("");
        match (french, country) {
            (false, _) => Typography::None,
            (true, "CA") => Typography::FrenchCa,
            (true, "CH") => Typography::FrenchCh,
            (true, _) => Typography::French,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    paginate_by: Option<Spanned<usize>>,
    /// URL segment per language (default: the name).
    #[serde(default)]
    slug: BTreeMap<String, String>,
    /// Title per language (default: the name).
    #[serde(default)]
    title: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    shared: Option<Spanned<Vec<String>>>,
    sort_by: Option<Spanned<SortBy>>,
    paginate_by: Option<Spanned<usize>>,
    #[serde(default)]
    required: Vec<String>,
    /// Pages are events: `start` (and `end`, `location`) fields.
    #[serde(default)]
    calendar: bool,
    /// Filters of the browse page: taxonomy names and `year`.
    #[serde(default)]
    filters: Vec<String>,
    /// Each page lists related pages of the section (shared terms).
    #[serde(default)]
    related: bool,
    #[serde(default)]
    fields: BTreeMap<String, RawField>,
}

/// A declared field: its type alone (`start = "date"`), or a table.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawField {
    Type(FieldType),
    Spec(FieldSpec),
}

#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    #[serde(rename = "type", default = "string_type")]
    pub ty: FieldType,
    #[serde(default)]
    pub required: bool,
    /// The only values allowed.
    pub one_of: Option<Vec<String>>,
    /// The value must be a term of this taxonomy.
    pub taxonomy: Option<String>,
}

fn string_type() -> FieldType {
    FieldType::String
}

impl RawField {
    fn spec(self) -> FieldSpec {
        match self {
            RawField::Type(ty) => FieldSpec {
                ty,
                ..FieldSpec::default()
            },
            RawField::Spec(spec) => spec,
        }
    }
}

/// A menu entry; `url` is an `@/` content link or a URL.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
}

/// A configured language.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    /// Its own name for itself (« Français », "English").
    pub name: String,
    pub title: String,
    pub description: String,
    pub menu: Vec<MenuItem>,
    /// For `og:locale` (`fr_FR`).
    pub locale: String,
    pub untranslated: Untranslated,
    pub typography: Typography,
    /// `ltr` or `rtl`: set, or known from the code.
    pub direction: crate::load::lang::Direction,
    /// Being built up: pages without a version in it are expected, not
    /// reported as missing translations.
    pub partial: bool,
    /// The search pipeline, or `None` for no index.
    pub search: Option<crate::load::lang::Pipeline>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub name: String,
    pub paginate_by: Option<usize>,
    /// URL segment per configured language.
    pub slug: BTreeMap<String, String>,
    /// Title per configured language.
    pub title: BTreeMap<String, String>,
}

/// Settings for the section whose directory is the map key.
#[derive(Debug, Clone, Default)]
pub struct SectionSettings {
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    pub fields: BTreeMap<String, FieldType>,
    /// Declared fields with more than a type (allowed values, taxonomy terms).
    pub specs: BTreeMap<String, FieldSpec>,
    /// Front-matter keys, taxonomies and fields every page of the section must have.
    pub required: Vec<String>,
    /// The pages are events with `start`, `end` and `location` fields.
    pub calendar: bool,
    /// Filters of the section's browse page (taxonomies, `year`).
    pub filters: Vec<String>,
    /// Pages list related pages of the section.
    pub related: bool,
    /// Where `[sections.<dir>]` is written in config.toml.
    pub key_span: std::ops::Range<usize>,
    /// Fields written once in the default-language file and inherited by
    /// its translations.
    pub shared: Vec<String>,
}

/// Front-matter keys a section may require besides taxonomies and fields.
pub const REQUIRABLE_KEYS: &[&str] = &["date", "updated", "description", "weight"];

/// Shared fields of sections that do not list their own.
pub const DEFAULT_SHARED: &[&str] = &["date", "weight", "taxonomies", "image"];

/// Front-matter keys that can be shared, besides declared fields and `extra.<key>`.
pub const SHAREABLE_KEYS: &[&str] = &[
    "date",
    "updated",
    "weight",
    "draft",
    "featured",
    "taxonomies",
    "image",
];

/// The resolved, validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute base URL, always ending with `/`.
    pub base_url: String,
    /// Path part of `base_url`, starting and ending with `/` (`/portal/`).
    pub base_path: String,
    pub default_language: String,
    /// Languages sorted by code, the default one first.
    pub languages: Vec<Language>,
    pub root: RootMode,
    pub timezone: jiff::tz::TimeZone,
    pub timezone_name: String,
    pub theme: String,
    pub slugs_from: SlugSource,
    pub taxonomies: Vec<Taxonomy>,
    /// Keyed by content-relative directory (`news`, `about/team`).
    pub sections: BTreeMap<String, SectionSettings>,
    pub extra: serde_json::Value,
    /// Indexed fields and boosts, in index order.
    pub search_fields: Vec<(String, f64)>,
    /// Also write `search/<lang>/index.json` and `documents.json` whole (for
    /// tools that read lunr's format; the site's search reads the shards).
    pub search_whole_index: bool,
    pub markdown: MarkdownSettings,
    pub deploy: DeploySettings,
    pub images: ImageSettings,
    pub cms: CmsSettings,
    /// What the homes show besides their own text.
    pub home: Home,
    /// Who publishes the site, for the footer and the header's logo.
    pub organisation: Organisation,
    /// The theme's colours, where the site sets its own.
    pub colors: Colors,
    /// The text of config.toml, for diagnostics found by later stages.
    pub text: String,
}

impl Config {
    /// Checks what needs the content: every `[sections.<dir>]` and `[home]`
    /// entry names a section.
    pub fn check_sections(&self, section_dirs: &std::collections::BTreeSet<String>) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let dirs: Vec<&str> = section_dirs
            .iter()
            .map(String::as_str)
            .filter(|d| !d.is_empty())
            .collect();
        for (dir, settings) in &self.sections {
            if !section_dirs.contains(dir) {
                diagnostics.push(
                    Diagnostic::error(msg!("config.section_without_folder", dir))
                        .at_span(CONFIG_FILE, &self.text, settings.key_span.clone())
                        .with_help(did_you_mean(dir, &dirs)),
                );
            }
        }
        diagnostics.extend(self.home.check(self, &dirs).into_sorted());
        diagnostics
    }

    /// A diagnostic at the first place `needle` is written in config.toml.
    pub fn error_at_text(&self, needle: &str, message: Message) -> Diagnostic {
        let d = Diagnostic::error(message);
        match self.text.find(needle) {
            Some(at) => d.at_span(CONFIG_FILE, &self.text, at..at + needle.len()),
            None => d.in_file(CONFIG_FILE),
        }
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The path of a language's home below the base path: `fr/`, or empty
    /// for the default language when `[languages] root = "default"`.
    pub fn language_prefix(&self, lang: &str) -> String {
        if self.root == RootMode::Default && lang == self.default_language {
            String::new()
        } else {
            format!("{lang}/")
        }
    }

    /// Root-relative URL of a language's home (`/portal/fr/`).
    pub fn home_url(&self, lang: &str) -> String {
        self.url_of(&self.language_prefix(lang))
    }

    /// Root-relative URL of a path of the output (`fr/news/` →
    /// `/portal/fr/news/`): the one place the base path is joined.
    pub fn url_of(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    pub fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|l| l.code.as_str())
    }

    pub fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    pub fn section(&self, dir: &str) -> Option<&SectionSettings> {
        self.sections.get(dir)
    }

    /// The shared fields of the section in `dir`.
    pub fn shared_fields(&self, dir: &str) -> Vec<&str> {
        match self.section(dir) {
            Some(settings) => settings.shared.iter().map(String::as_str).collect(),
            None => DEFAULT_SHARED.to_vec(),
        }
    }

    /// Reads and validates `config.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|err| {
            Diagnostic::error(msg!("config.unreadable", file = CONFIG_FILE, error = err))
                .in_file(CONFIG_FILE)
                .with_help(msg!("config.unreadable_help", path = path.display()))
        })?;
        let text = String::from_utf8(bytes).map_err(|err| {
            Diagnostic::error(msg!("config.not_utf8"))
                .in_file(CONFIG_FILE)
                .with_help(msg!(
                    "config.not_utf8_help",
                    offset = err.utf8_error().valid_up_to()
                ))
        })?;
        Config::parse(&text)
    }

    /// Parses and validates the text of `config.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostics> {
        let raw: RawConfig = toml::from_str(text).map_err(|err| toml_error(text, &err))?;
        // Both kinds of error at once, the structure's first.
        let characters = resolve::check_characters(text);
        match resolve::resolve(raw, text) {
            Ok(config) if characters.is_empty() => Ok(config),
            Ok(_) => {
                let mut errors = Diagnostics::new();
                errors.extend(characters);
                Err(errors)
            }
            Err(mut errors) => {
                // One error a line: a value already refused is not told again.
                let line = |d: &Diagnostic| d.location.as_ref().map(|l| l.line);
                let refused: std::collections::HashSet<_> = errors.iter().map(line).collect();
                errors.extend(
                    characters
                        .into_iter()
                        .filter(|d| !refused.contains(&line(d))),
                );
                Err(errors)
            }
        }
    }

    /// Replaces the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        let (base_url, base_path) = parse_base_url(url).map_err(|msg| {
            Diagnostic::error(msg!("config.invalid_base_url_flag", url, reason = msg))
                .with_help(msg!("config.invalid_base_url_flag_help"))
        })?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }
}

/// Turns a TOML or serde error into a diagnostic, with a "did you mean" hint
/// for unknown keys.
fn toml_error(text: &str, err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim().to_string();
    let slip = err
        .span()
        .and_then(|span| crate::load::slips::explain(text, span.start));
    if let (Some(slip), Some(span)) = (slip, err.span()) {
        return Diagnostic::error(slip.message)
            .at_span(CONFIG_FILE, text, span)
            .with_help(slip.help);
    }
    let mut diagnostic = if message.contains("untagged enum RawField") {
        Diagnostic::error(msg!("config.field_shape"))
    } else {
        Diagnostic::error(Message::raw(first_line(&message)))
    };
    diagnostic = match err.span() {
        Some(span) => diagnostic.at_span(CONFIG_FILE, text, span),
        None => diagnostic.in_file(CONFIG_FILE),
    };
    if let Some(help) = unknown_field_help(&message) {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// serde words unknown keys as "unknown field `x`, expected one of `a`, `b`"
/// (or "expected `a`"); the hint names the closest accepted key.
pub fn unknown_field_help(message: &str) -> Option<Message> {
    let rest = message.strip_prefix("unknown field `")?;
    let (word, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty())
        .collect();
    if expected.is_empty() {
        return Some(msg!("config.no_keys"));
    }
    Some(did_you_mean(word, &expected))
}

/// Splits a base URL into its normalised form (ending with `/`) and its path.
fn parse_base_url(url: &str) -> Result<(String, String), Message> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| msg!("config.base_url_scheme"))?;
    if url
        .chars()
        .any(|c| c.is_whitespace() || c == '?' || c == '#')
    {
        return Err(msg!("config.base_url_characters"));
    }
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() {
        return Err(msg!("config.base_url_no_host"));
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err(msg!("config.base_url_dots"));
    }
    let path = path.trim_matches('/');
    let base_path = if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    };
    let scheme_len = url.len() - rest.len();
    Ok((
        format!("{}{host}{base_path}", &url[..scheme_len]),
        base_path,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
base_url = "https://example.org/portal"
default_language = "fr"

[languages.fr]
name = "Français"
title = "Portail"

[languages.en]
name = "English"
title = "Portal"
"#;

    fn errors(text: &str) -> Vec<Diagnostic> {
        Config::parse(text).unwrap_err().into_sorted()
    }

    #[test]
    fn resolves_base_path_and_orders_default_language_first() {
        let config = Config::parse(MINIMAL).unwrap();
        assert_eq!(config.base_url, "https://example.org/portal/");
        assert_eq!(config.base_path, "/portal/");
        let codes: Vec<_> = config.language_codes().collect();
        assert_eq!(codes, ["fr", "en"]);
    }

    #[test]
    fn unknown_key_has_line_and_hint() {
        let text = MINIMAL.replace("title = \"Portal\"", "titel = \"Portal\"");
        let errs = errors(&text);
        let loc = errs[0].location.as_ref().unwrap();
        assert_eq!(loc.line, 11, "{errs:?}");
        assert_eq!(errs[0].help_en().as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn wrong_type_has_line() {
        let text = format!("{MINIMAL}\n[sections.news]\npaginate_by = \"ten\"\n");
        let errs = errors(&text);
        assert_eq!(errs[0].location.as_ref().unwrap().line, 14, "{errs:?}");
        assert!(errs[0].message_en().contains("invalid type"), "{errs:?}");
    }

    #[test]
    fn sorting_by_an_undeclared_field_is_an_error() {
        let text = format!("{MINIMAL}\n[sections.news]\nsort_by = \"wieght\"\n");
        let errs = errors(&text);
        assert_eq!(errs[0].location.as_ref().unwrap().line, 14, "{errs:?}");
        assert!(
            errs[0]
                .help_en()
                .as_deref()
                .unwrap()
                .starts_with("did you mean `weight`?"),
            "{errs:?}"
        );
    }

    #[test]
    fn shared_fields_must_be_front_matter_fields() {
        let text = format!("{MINIMAL}\n[sections.news]\nshared = [\"dates\"]\n");
        let errs = errors(&text);
        assert!(
            errs[0].message_en().contains("`dates` cannot be shared"),
            "{errs:?}"
        );
        assert!(
            errs[0]
                .help_en()
                .as_deref()
                .unwrap()
                .starts_with("did you mean `date`?"),
            "{errs:?}"
        );
    }

    #[test]
    fn sections_must_exist() {
        let text = format!("{MINIMAL}\n[sections.nws]\npaginate_by = 3\n");
        let config = Config::parse(&text).unwrap();
        let dirs = ["".to_string(), "news".to_string()].into_iter().collect();
        let errs = config.check_sections(&dirs).into_sorted();
        assert_eq!(errs[0].location.as_ref().unwrap().line, 13, "{errs:?}");
        assert_eq!(errs[0].help_en().as_deref(), Some("did you mean `news`?"));
    }

    #[test]
    fn unknown_default_language_is_an_error() {
        let text = MINIMAL.replace("default_language = \"fr\"", "default_language = \"fra\"");
        let errs = errors(&text);
        assert!(errs[0].message_en().contains("`fra`"));
        assert_eq!(errs[0].help_en().as_deref(), Some("did you mean `fr`?"));
    }

    #[test]
    fn home_sections_must_exist_and_upcoming_be_a_calendar() {
        let text = format!(
            "{MINIMAL}\n[sections.events]\ncalendar = true\n\n[sections.events.fields]\nstart = {{ type = \"date\" }}\nend = {{ type = \"date\" }}\nlocation = {{ type = \"string\" }}\n\n[home]\nlatest = \"nws\"\nupcoming = \"news\"\nfeatured = \"events\"\n"
        );
        let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
        let config = Config::parse(&text).unwrap();
        assert_eq!(config.home.count, 3);
        let dirs = ["", "news", "events"]
            .map(String::from)
            .into_iter()
            .collect();
        let errs = config.check_sections(&dirs).into_sorted();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].location.as_ref().unwrap().line, line_of("latest"));
        assert!(
            errs[0].message_en().contains("`latest` names `nws`"),
            "{errs:?}"
        );
        assert_eq!(errs[0].help_en().as_deref(), Some("did you mean `news`?"));
        assert_eq!(errs[1].location.as_ref().unwrap().line, line_of("upcoming"));
        assert!(
            errs[1].message_en().contains("not a calendar section"),
            "{errs:?}"
        );
        let errs = errors(&format!("{MINIMAL}\n[home]\ncount = 0\n"));
        assert!(
            errs[0].message_en().contains("`count` must be at least 1"),
            "{errs:?}"
        );
    }

    #[test]
    fn organisation_texts_are_given_for_every_language() {
        let one = format!(
            "{MINIMAL}\n[organisation]\nname = \"Secrétariat\"\naddress = {{ fr = \"1 rue\\nBruxelles\", en = \"1 rue\\nBrussels\" }}\nlogo = \"/images/logo.svg\"\n"
        );
        let config = Config::parse(&one).unwrap();
        assert_eq!(config.organisation.name["en"], "Secrétariat");
        assert_eq!(config.organisation.address["en"], ["1 rue", "Brussels"]);
        assert_eq!(config.organisation.logo.as_deref(), Some("images/logo.svg"));
        let errs = errors(&format!(
            "{MINIMAL}\n[organisation]\nname = {{ fr = \"Secrétariat\" }}\n"
        ));
        assert!(
            errs[0].message_en().contains("`name` has no text for en"),
            "{errs:?}"
        );
        assert_eq!(errs[0].location.as_ref().unwrap().line, 14, "{errs:?}");
        let errs = errors(&format!(
            "{MINIMAL}\n[organisation]\nname = {{ fr = \"A\", en = \"B\", de = \"C\" }}\n"
        ));
        assert!(errs[0].message_en().contains("`de`"), "{errs:?}");
        let errs = errors(&format!(
            "{MINIMAL}\n[organisation]\nlogo = \"../logo.svg\"\n"
        ));
        assert!(errs[0].message_en().contains("below static/"), "{errs:?}");
    }

    #[test]
    fn colors_must_parse_and_be_readable() {
        let fine = format!("{MINIMAL}\n[colors]\naccent = \"#7A1F3D\"\nband = \"#fff\"\n");
        let config = Config::parse(&fine).unwrap();
        assert_eq!(config.colors.accent.as_deref(), Some("#7a1f3d"));
        let errs = errors(&format!("{MINIMAL}\n[colors]\naccent = \"blue\"\n"));
        assert!(errs[0].message_en().contains("found `blue`"), "{errs:?}");
        // Yellow links on white: 1.6:1.
        let errs = errors(&format!("{MINIMAL}\n[colors]\naccent = \"#ffcc00\"\n"));
        assert_eq!(errs[0].location.as_ref().unwrap().line, 14, "{errs:?}");
        assert!(
            errs.iter().any(|e| e
                .message_en()
                .contains("#ffcc00 on #ffffff has a contrast of 1.51:1")),
            "{errs:?}"
        );
        // A dark band under dark text; a dark accent on the dark scheme.
        let errs = errors(&format!("{MINIMAL}\n[colors]\nband = \"#333333\"\n"));
        assert!(errs[0].message_en().contains("`band`"), "{errs:?}");
        assert!(
            errs[0].help_en().unwrap().contains("lighter band"),
            "{errs:?}"
        );
        // Dark enough for the ink and the accent, not for muted text: once.
        let errs = errors(&format!(
            "{MINIMAL}\n[colors]\naccent = \"#003366\"\nband = \"#aab4be\"\n"
        ));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].message_en().contains("#4d5866 on #aab4be"),
            "{errs:?}"
        );
        let errs = errors(&format!("{MINIMAL}\n[colors]\ndark_accent = \"#0b5c8a\"\n"));
        assert!(errs[0].message_en().contains("on #14181d"), "{errs:?}");
    }

    #[test]
    fn menu_links_cannot_run_scripts() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "//evil.example/",
            "/\\\\evil.example/",
            " https://example.org/",
        ] {
            let text = MINIMAL.replace(
                "title = \"Portal\"",
                &format!("title = \"Portal\"\nmenu = [{{ name = \"X\", url = \"{bad}\" }}]"),
            );
            let errs = errors(&text);
            assert!(
                errs[0].message_en().contains("menu link"),
                "{bad}: {errs:?}"
            );
            assert_eq!(
                errs[0].location.as_ref().unwrap().line,
                12,
                "{bad}: {errs:?}"
            );
        }
        for good in [
            "@/news/_index.md",
            "/fr/",
            "https://example.org/",
            "mailto:a@example.org",
            "#top",
        ] {
            let text = MINIMAL.replace(
                "title = \"Portal\"",
                &format!("title = \"Portal\"\nmenu = [{{ name = \"X\", url = \"{good}\" }}]"),
            );
            assert!(Config::parse(&text).is_ok(), "{good}");
        }
    }

    #[test]
    fn rejects_bad_base_urls() {
        for bad in [
            "example.org",
            "https://",
            "https://a.org/../x",
            "https://a.org/a b",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_base_url("https://a.org").unwrap(),
            ("https://a.org/".to_string(), "/".to_string())
        );
    }
}
