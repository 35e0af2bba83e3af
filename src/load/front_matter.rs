//! Front matter: TOML between `+++` lines at the top of a Markdown file.
//!
//! Parsing goes through toml's spanned document model rather than serde so
//! that every key and value keeps its position: each problem is reported at
//! its own line, and all of a file's problems are reported at once.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::load::config::{Config, FieldType, SortBy};
use crate::load::dates::{self, PageDate};
use crate::messages::Message;

const FENCE: &str = "+++";

/// The front matter and body of a Markdown file.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// Byte offset of the front matter in the file.
    pub front_matter_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Whether a file has front-matter fences and nothing else: what the CMS
/// writes for a language left blank.
pub fn is_blank(text: &str) -> bool {
    split("", text).is_ok_and(|s| s.front_matter.trim().is_empty() && s.body.trim().is_empty())
}

/// Separates front matter from body.
pub fn split<'a>(path: &str, source: &'a str) -> Result<Split<'a>, Diagnostic> {
    let example = "+++\ntitle = \"…\"\n+++";
    if source.trim().is_empty() {
        return Err(Diagnostic::error(msg!("front_matter.empty_file"))
            .in_file(path)
            .with_help(msg!("front_matter.empty_file_help", example)));
    }
    // Some Windows editors start UTF-8 files with a byte-order mark.
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let first = source[start..first_line_end].trim_end();
    if first == "---" || first == "{" {
        // Another generator's front matter (YAML or JSON): the importer
        // converts whole sites.
        let dialect = if first == "---" { "YAML" } else { "JSON" };
        return Err(
            Diagnostic::error(msg!("front_matter.other_dialect", dialect))
                .at_line(path, source, 1)
                .with_help(msg!("front_matter.other_dialect_help", example)),
        );
    }
    if first != FENCE {
        return Err(Diagnostic::error(msg!("front_matter.no_fence"))
            .at_line(path, source, 1)
            .with_help(msg!("front_matter.no_fence_help", example)));
    }
    let fm_start = (first_line_end + 1).min(source.len());
    let mut offset = fm_start;
    for line in source[fm_start..].split_inclusive('\n') {
        if line.trim_end() == FENCE {
            let body_offset = offset + line.len();
            return Ok(Split {
                front_matter: &source[fm_start..offset],
                front_matter_offset: fm_start,
                body: &source[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(msg!("front_matter.not_closed"))
        .at_line(path, source, 1)
        .with_help(msg!("front_matter.not_closed_help")))
}

/// A typed value of a section-specific field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    String(String),
    Date(PageDate),
    Bool(bool),
    Integer(i64),
    List(Vec<String>),
}

impl FieldValue {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            FieldValue::String(s) => s.as_str().into(),
            FieldValue::Date(d) if d.has_time => d.rfc3339().into(),
            FieldValue::Date(d) => d.ymd().into(),
            FieldValue::Bool(b) => (*b).into(),
            FieldValue::Integer(i) => (*i).into(),
            FieldValue::List(l) => l.clone().into(),
        }
    }
}

/// Where an author-given value came from, for later stages' diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    pub date: Option<PageDate>,
    pub updated: Option<PageDate>,
    pub draft: bool,
    /// A translation with nothing in it (the CMS writes one for each
    /// language left blank): left out of the site, with a warning.
    pub blank: bool,
    pub slug: Option<(String, Spot)>,
    pub weight: Option<i64>,
    pub template: Option<(String, Spot)>,
    pub aliases: Vec<(String, Spot)>,
    /// Taxonomy name → terms, in the author's order.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Where each term is written, parallel to `taxonomies`.
    pub term_spans: BTreeMap<String, Vec<Range<usize>>>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Section-declared fields.
    pub fields: BTreeMap<String, FieldValue>,
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    /// Fingerprint of the default-language text this translation was last
    /// checked against (`portail translations --mark-current`).
    pub translation_of: Option<String>,
    /// Pairs this page with the versions whose name (or `translation_key`)
    /// this is, in its folder, whatever its file's name.
    pub translation_key: Option<(String, Spot)>,
    /// `search = false` keeps the page out of the search index.
    pub search: bool,
    /// `featured = true` puts the page on the home (see `[home] featured`).
    pub featured: bool,
    /// The page's picture (a path as in Markdown), shown above it, on its
    /// cards and when it is shared; shared between translations.
    pub image: Option<(String, Spot)>,
    /// What the picture shows, in this page's language.
    pub image_alt: Option<String>,
    /// Where each key's value is written (absolute byte ranges in the file):
    /// top-level keys by name, `[extra]` keys as `extra.<name>`.
    pub spans: BTreeMap<String, Range<usize>>,
}

const PAGE_KEYS: &[&str] = &[
    "search",
    "translation_of",
    "translation_key",
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "featured",
    "image",
    "image_alt",
    "slug",
    "weight",
    "template",
    "aliases",
    "taxonomies",
    "extra",
];
const SECTION_ONLY_KEYS: &[&str] = &["sort_by", "paginate_by"];

/// What the parser needs to know about the file.
pub struct FileContext<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub config: &'a Config,
    pub is_section: bool,
    /// Folder of the section the file belongs to, for its declared fields.
    pub section_dir: &'a str,
}

/// Parses the front matter of `split` (from the file described by `file`).
pub fn parse(file: &FileContext, split: &Split) -> Result<FrontMatter, Vec<Diagnostic>> {
    let table = match DeTable::parse(split.front_matter) {
        Ok(table) => table.into_inner(),
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            let shifted =
                span.start + split.front_matter_offset..span.end + split.front_matter_offset;
            let message = err
                .message()
                .lines()
                .next()
                .unwrap_or("invalid TOML")
                .to_string();
            let (message, help) = match crate::load::slips::explain(split.front_matter, span.start)
            {
                Some(slip) => (slip.message, slip.help),
                None => (
                    msg!("front_matter.invalid", error = message),
                    msg!("front_matter.invalid_help"),
                ),
            };
            return Err(vec![
                Diagnostic::error(message)
                    .at_span(file.path, file.source, shifted)
                    .with_help(help),
            ]);
        }
    };
    let mut reader = Reader {
        file,
        offset: split.front_matter_offset,
        table,
        errors: Vec::new(),
    };
    for (span, problem) in crate::load::characters::in_table(&reader.table) {
        let span = reader.at(span);
        let error = problem.diagnostic(file.path, file.source, span);
        reader.errors.push(error);
    }
    let fm = reader.read();
    if reader.errors.is_empty() {
        Ok(fm)
    } else {
        Err(reader.errors)
    }
}

struct Reader<'a, 'i> {
    file: &'a FileContext<'a>,
    offset: usize,
    table: DeTable<'i>,
    errors: Vec<Diagnostic>,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl<'i> Reader<'_, 'i> {
    fn read(&mut self) -> FrontMatter {
        let tz = &self.file.config.timezone;
        let spans = self.spans();
        let has_title = self.table.contains_key("title");
        let title = self.spanned_string("title");
        if let Some((text, spot)) = &title
            && text.trim().is_empty()
        {
            self.errors.push(
                Diagnostic::error(msg!("front_matter.empty_title"))
                    .at_span(self.file.path, self.file.source, spot.span.clone())
                    .with_help(msg!("front_matter.empty_title_help")),
            );
        }
        let mut fm = FrontMatter {
            title: title.map(|(text, _)| text).unwrap_or_default(),
            description: self.string("description"),
            date: self.date("date", tz),
            updated: self.date("updated", tz),
            draft: self.bool("draft").unwrap_or(false),
            featured: self.bool("featured").unwrap_or(false),
            image: self.spanned_string("image"),
            image_alt: self.string("image_alt"),
            slug: self.spanned_string("slug"),
            weight: self.integer("weight"),
            template: self.spanned_string("template"),
            aliases: self.spanned_list("aliases"),
            translation_of: self.string("translation_of"),
            translation_key: self.spanned_string("translation_key"),
            search: self.bool("search").unwrap_or(true),
            spans,
            ..FrontMatter::default()
        };
        if !has_title {
            let swallowed_by = ["extra", "taxonomies"]
                .into_iter()
                .find(|t| matches!(self.table.get(*t).map(|v| v.get_ref()), Some(DeValue::Table(inner)) if inner.contains_key("title")));
            let help = match swallowed_by {
                Some(table) => msg!("front_matter.title_in_table", table),
                None => msg!("front_matter.no_title_help"),
            };
            self.errors.push(
                Diagnostic::error(msg!("front_matter.no_title"))
                    .at_span(self.file.path, self.file.source, 0..3)
                    .with_help(help),
            );
        }
        if let Some(v) = self.table.remove("taxonomies") {
            for (name, (terms, spans)) in self.taxonomies(v) {
                fm.taxonomies.insert(name.clone(), terms);
                fm.term_spans.insert(name, spans);
            }
        }
        if let Some(v) = self.table.remove("extra") {
            match self.to_json(&v) {
                serde_json::Value::Object(map) => fm.extra = map,
                _ => self.type_error("extra", &v, "a table ([extra])"),
            }
        }
        if self.file.is_section {
            fm.sort_by = self.sort_by();
            fm.paginate_by = self.paginate_by();
        }
        if let Some(settings) = self
            .file
            .config
            .section(self.file.section_dir)
            .filter(|_| !self.file.is_section)
        {
            for (name, ty) in &settings.fields {
                if let Some(v) = self.table.remove(name.as_str())
                    && let Some(value) = self.field(name, *ty, &v)
                {
                    fm.fields.insert(name.clone(), value);
                }
            }
        }
        self.unknown_keys();
        fm
    }

    fn spans(&self) -> BTreeMap<String, Range<usize>> {
        let mut spans = BTreeMap::new();
        for (key, value) in self.table.iter() {
            spans.insert(key.get_ref().to_string(), self.at(value.span()));
            if let (true, DeValue::Table(inner)) = (key.get_ref() == "extra", value.get_ref()) {
                for (k, v) in inner.iter() {
                    spans.insert(format!("extra.{}", k.get_ref()), self.at(v.span()));
                }
            }
        }
        spans
    }

    fn at(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.offset..span.end + self.offset
    }

    fn error_at(&mut self, span: Range<usize>, message: Message, help: Message) {
        let span = self.at(span);
        self.errors.push(
            Diagnostic::error(message)
                .at_span(self.file.path, self.file.source, span)
                .with_help(help),
        );
    }

    fn type_error(&mut self, key: &str, value: &Value<'i>, expected: &str) {
        let found = describe(value.get_ref());
        self.error_at(
            value.span(),
            msg!(
                "front_matter.wrong_type",
                key,
                expected = expected_msg(expected),
                found
            ),
            msg!(
                "front_matter.write_it_as",
                example = example_for(key, expected)
            ),
        );
    }

    fn string(&mut self, key: &str) -> Option<String> {
        self.spanned_string(key).map(|(s, _)| s)
    }

    fn spanned_string(&mut self, key: &str) -> Option<(String, Spot)> {
        let v = self.table.remove(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some((
                s.to_string(),
                Spot {
                    span: self.at(v.span()),
                },
            )),
            _ => {
                self.type_error(key, &v, "a string");
                None
            }
        }
    }

    fn bool(&mut self, key: &str) -> Option<bool> {
        let v = self.table.remove(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.type_error(key, &v, "true or false");
                None
            }
        }
    }

    fn integer(&mut self, key: &str) -> Option<i64> {
        let v = self.table.remove(key)?;
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => de_integer(i),
            _ => None,
        };
        if parsed.is_none() {
            self.type_error(key, &v, "a whole number");
        }
        parsed
    }

    fn paginate_by(&mut self) -> Option<usize> {
        let v = self.table.remove("paginate_by")?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => de_integer(i),
            _ => None,
        };
        match n.and_then(|n| usize::try_from(n).ok()).filter(|n| *n > 0) {
            Some(n) => Some(n),
            None => {
                self.error_at(
                    v.span(),
                    msg!("front_matter.paginate_by"),
                    msg!("front_matter.paginate_by_help"),
                );
                None
            }
        }
    }

    fn spanned_list(&mut self, key: &str) -> Vec<(String, Spot)> {
        let Some(v) = self.table.remove(key) else {
            return Vec::new();
        };
        self.string_list(key, &v).into_iter().collect()
    }

    fn string_list(&mut self, key: &str, v: &Value<'i>) -> Vec<(String, Spot)> {
        let DeValue::Array(items) = v.get_ref() else {
            self.type_error(key, v, "a list of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((
                    s.to_string(),
                    Spot {
                        span: self.at(item.span()),
                    },
                )),
                _ => self.type_error(key, item, "a list of strings"),
            }
        }
        out
    }

    fn date(&mut self, key: &str, tz: &jiff::tz::TimeZone) -> Option<PageDate> {
        let v = self.table.remove(key)?;
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) => dates::from_toml(dt, tz),
            DeValue::String(s) => dates::parse_str(s, tz),
            _ => None,
        };
        if parsed.is_none() {
            let found = describe(v.get_ref());
            self.error_at(
                v.span(),
                msg!("front_matter.not_a_date", key, found),
                msg!("front_matter.date_forms"),
            );
        }
        parsed
    }

    /// Taxonomy name → (terms, where each is written).
    fn taxonomies(&mut self, v: Value<'i>) -> BTreeMap<String, (Vec<String>, Vec<Range<usize>>)> {
        let mut out = BTreeMap::new();
        let DeValue::Table(table) = v.get_ref() else {
            self.type_error("taxonomies", &v, "a table ([taxonomies])");
            return out;
        };
        let names: Vec<&str> = self
            .file
            .config
            .taxonomies
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        for (name, terms) in table.iter() {
            if !names.contains(&name.get_ref().as_ref()) {
                let help = if PAGE_KEYS.contains(&name.get_ref().as_ref()) {
                    msg!("front_matter.key_in_taxonomies", key = name.get_ref())
                } else if names.is_empty() {
                    msg!("front_matter.no_taxonomy")
                } else {
                    msg!(
                        "front_matter.unknown_taxonomy_help",
                        hint = did_you_mean(name.get_ref(), &names)
                    )
                };
                self.error_at(
                    name.span(),
                    msg!("front_matter.unknown_taxonomy", name = name.get_ref()),
                    help,
                );
                continue;
            }
            let key = format!("taxonomies.{}", name.get_ref());
            let (list, spans): (Vec<String>, Vec<Range<usize>>) = self
                .string_list(&key, terms)
                .into_iter()
                .map(|(s, spot)| (s, spot.span))
                .unzip();
            out.insert(name.get_ref().to_string(), (list, spans));
        }
        out
    }

    fn sort_by(&mut self) -> Option<SortBy> {
        let (value, spot) = self.spanned_string("sort_by")?;
        match value.as_str() {
            "date" => Some(SortBy::Date),
            "weight" => Some(SortBy::Weight),
            "title" => Some(SortBy::Title),
            other => {
                let declared = self
                    .file
                    .config
                    .section(self.file.section_dir)
                    .is_some_and(|s| s.fields.contains_key(other));
                if declared {
                    Some(SortBy::Field(other.to_string()))
                } else {
                    let span = spot.span.start - self.offset..spot.span.end - self.offset;
                    self.error_at(
                        span,
                        msg!("front_matter.sort_by", field = other),
                        msg!("front_matter.sort_by_help"),
                    );
                    None
                }
            }
        }
    }

    fn field(&mut self, name: &str, ty: FieldType, v: &Value<'i>) -> Option<FieldValue> {
        let tz = &self.file.config.timezone;
        let value = match (ty, v.get_ref()) {
            (FieldType::String, DeValue::String(s)) => Some(FieldValue::String(s.to_string())),
            (FieldType::Bool, DeValue::Boolean(b)) => Some(FieldValue::Bool(*b)),
            (FieldType::Integer, DeValue::Integer(i)) => de_integer(i).map(FieldValue::Integer),
            (FieldType::Date | FieldType::Datetime, DeValue::Datetime(dt)) => {
                dates::from_toml(dt, tz).map(FieldValue::Date)
            }
            (FieldType::Date | FieldType::Datetime, DeValue::String(s)) => {
                dates::parse_str(s, tz).map(FieldValue::Date)
            }
            (FieldType::List, DeValue::Array(_)) => {
                return Some(FieldValue::List(
                    self.string_list(name, v)
                        .into_iter()
                        .map(|(s, _)| s)
                        .collect(),
                ));
            }
            _ => None,
        };
        if value.is_none() {
            let found = describe(v.get_ref());
            let help = match ty {
                FieldType::Date | FieldType::Datetime => msg!("front_matter.date_forms"),
                _ => msg!(
                    "front_matter.write_it_as",
                    example = example_for(name, ty.describe())
                ),
            };
            self.error_at(
                v.span(),
                msg!(
                    "front_matter.wrong_type",
                    key = name,
                    expected = expected_msg(ty.describe()),
                    found
                ),
                help,
            );
        }
        value
    }

    fn unknown_keys(&mut self) {
        let mut allowed: Vec<&str> = PAGE_KEYS.to_vec();
        if self.file.is_section {
            allowed.extend(SECTION_ONLY_KEYS);
        }
        let declared: Vec<String> = self
            .file
            .config
            .section(self.file.section_dir)
            .map(|s| s.fields.keys().cloned().collect())
            .unwrap_or_default();
        if !self.file.is_section {
            allowed.extend(declared.iter().map(String::as_str));
        }
        let leftovers: Vec<(String, Range<usize>)> = self
            .table
            .iter()
            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
            .collect();
        for (key, span) in leftovers {
            let help = if SECTION_ONLY_KEYS.contains(&key.as_str()) {
                msg!("front_matter.section_only")
            } else {
                msg!(
                    "front_matter.unknown_key_help",
                    hint = did_you_mean(&key, &allowed)
                )
            };
            self.error_at(span, msg!("front_matter.unknown_key", key), help);
        }
    }

    fn to_json(&self, v: &Value<'i>) -> serde_json::Value {
        de_to_json(v.get_ref())
    }
}

/// The value of a TOML integer (which keeps its digits as written).
fn de_integer(i: &toml::de::DeInteger) -> Option<i64> {
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

fn de_to_json(v: &DeValue) -> serde_json::Value {
    match v {
        DeValue::String(s) => s.to_string().into(),
        DeValue::Integer(i) => de_integer(i).map_or_else(|| i.as_str().into(), Into::into),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .map_or(serde_json::Value::Null, Into::into),
        DeValue::Boolean(b) => (*b).into(),
        DeValue::Datetime(dt) => dt.to_string().into(),
        DeValue::Array(items) => items.iter().map(|i| de_to_json(i.get_ref())).collect(),
        DeValue::Table(t) => t
            .iter()
            .map(|(k, v)| (k.get_ref().to_string(), de_to_json(v.get_ref())))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn describe(v: &DeValue) -> Message {
    match v {
        DeValue::String(s) => Message::raw(format!("\"{s}\"")),
        DeValue::Integer(i) => msg!("front_matter.found_number", value = i.as_str()),
        DeValue::Float(f) => msg!("front_matter.found_number", value = f.as_str()),
        DeValue::Boolean(b) => Message::raw(format!("`{b}`")),
        DeValue::Datetime(dt) => msg!("front_matter.found_date", value = dt),
        DeValue::Array(_) => msg!("front_matter.found_list"),
        DeValue::Table(_) => msg!("front_matter.found_table"),
    }
}

/// `expected` names what a field takes; these names double as identifiers
/// in [`example_for`], so they are translated only here.
fn expected_msg(expected: &str) -> Message {
    match expected {
        "a string" => msg!("front_matter.expected_string"),
        "true or false" => msg!("front_matter.expected_bool"),
        "a whole number" => msg!("front_matter.expected_integer"),
        "a list of strings" => msg!("front_matter.expected_list"),
        "a table ([taxonomies])" => msg!("front_matter.expected_taxonomies"),
        "a table ([extra])" => msg!("front_matter.expected_extra"),
        "a date (YYYY-MM-DD)" => msg!("front_matter.expected_date"),
        "a date-time (YYYY-MM-DDTHH:MM:SS)" => msg!("front_matter.expected_datetime"),
        other => Message::raw(other),
    }
}

fn example_for(key: &str, expected: &str) -> Message {
    match expected {
        "a string" => Message::raw(format!("{key} = \"…\"")),
        "true or false" => Message::raw(format!("{key} = true")),
        "a whole number" => Message::raw(format!("{key} = 10")),
        "a list of strings" => Message::raw(format!("{key} = [\"…\", \"…\"]")),
        "a table ([taxonomies])" => msg!("front_matter.example_taxonomies"),
        "a table ([extra])" => msg!("front_matter.example_extra"),
        _ => msg!(
            "front_matter.example_other",
            key,
            expected = expected_msg(expected)
        ),
    }
}

#[cfg(test)]
mod tests;
