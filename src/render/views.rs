//! The values templates see, built once per doc and shared: a page's
//! summary is serialised once and then referenced (Tera values are
//! reference-counted) by every list, pager page and translation that shows it.

use std::collections::BTreeMap;

use tera::Value;

use super::reads::Reader;
use crate::load::page::Doc;
use crate::markdown::Rendered;
use crate::site::{DocId, Site, SiteRead};

/// Builds a Tera map from `(key, value)` pairs.
pub fn map(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::from(pairs.into_iter().collect::<BTreeMap<&'static str, Value>>())
}

/// Titles and descriptions get the language's typography, like the text.
pub(super) fn typeset<'t>(
    config: &crate::load::config::Config,
    lang: &str,
    text: &'t str,
) -> std::borrow::Cow<'t, str> {
    match config.language(lang) {
        Some(l) => crate::markdown::typography::typeset(l.typography, text),
        None => std::borrow::Cow::Borrowed(text),
    }
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or_else(Value::none, Value::from)
}

/// What lists show of a doc.
pub(crate) fn summary(site: &Site, id: DocId, rendered: &Rendered) -> Value {
    let doc = site.doc(id);
    let fm = &doc.front_matter;
    let lang = doc.source.lang.as_str();
    let terms: BTreeMap<String, Value> = fm
        .taxonomies
        .iter()
        .map(|(taxonomy, ids)| {
            let items: Vec<Value> = ids
                .iter()
                .map(|id| {
                    let label = site.terms.label(taxonomy, id, lang);
                    let url = site
                        .term_path(taxonomy, id, lang)
                        .map(|p| site.config.url_of(&p));
                    map([
                        ("id", Value::from(id.as_str())),
                        ("label", Value::from(label.label)),
                        ("url", url.map_or_else(Value::none, Value::from)),
                    ])
                })
                .collect();
            (taxonomy.clone(), Value::from(items))
        })
        .collect();
    let taxonomies: BTreeMap<String, Value> = fm
        .taxonomies
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.clone())))
        .collect();
    let fields: BTreeMap<String, Value> = fm
        .fields
        .iter()
        .map(|(k, v)| (k.clone(), Value::from_serializable(&v.to_json())))
        .collect();
    let summary_html = rendered.summary.as_deref();
    map([
        (
            "title",
            Value::from(typeset(&site.config, &doc.source.lang, &fm.title).as_ref()),
        ),
        (
            "description",
            opt_str(
                fm.description
                    .as_deref()
                    .map(|d| typeset(&site.config, &doc.source.lang, d))
                    .as_deref(),
            ),
        ),
        ("url", Value::from(site.url(id))),
        ("permalink", Value::from(site.permalink(id))),
        ("lang", Value::from(doc.source.lang.as_str())),
        (
            "date",
            opt_str(doc.date.as_ref().map(|d| d.ymd()).as_deref()),
        ),
        (
            "datetime",
            opt_str(doc.date.as_ref().map(|d| d.rfc3339()).as_deref()),
        ),
        (
            "updated",
            opt_str(fm.updated.as_ref().map(|d| d.ymd()).as_deref()),
        ),
        ("weight", fm.weight.map_or_else(Value::none, Value::from)),
        ("draft", Value::from(fm.draft)),
        ("summary", opt_str(summary_html)),
        ("taxonomies", Value::from(taxonomies)),
        ("terms", Value::from(terms)),
        ("fields", Value::from(fields)),
        ("extra", Value::from_serializable(&fm.extra)),
        ("source_path", Value::from(doc.source.rel_path.as_str())),
        ("is_section", Value::from(doc.is_section())),
        ("image", image(&site.config, rendered)),
    ])
}

/// The page's own picture (see `image` in the front matter): its markup
/// above the page (`html`) and on a card (`card`, decorative: the card's
/// title says what it leads to). Share previews read `share` (see
/// `share.rs`).
fn image(config: &crate::load::config::Config, rendered: &Rendered) -> Value {
    use crate::pictures;
    let Some(lead) = &rendered.lead else {
        return Value::none();
    };
    let url_of = |path: &str| config.url_of(path);
    let html = |alt: &str, sizes: &str, first: bool| {
        Value::from(pictures::html(&lead.picture, alt, url_of, sizes, first))
    };
    map([
        ("html", html(&lead.alt, pictures::SIZES, true)),
        ("card", html("", pictures::CARD_SIZES, false)),
    ])
}

/// Links to the other languages' versions of a doc.
pub fn translations(r: &Reader, id: DocId) -> Value {
    let config = r.config();
    let items: Vec<Value> = r
        .placement(id)
        .translations
        .iter()
        .map(|t| {
            let doc: &Doc = r.doc(*t);
            let lang = &doc.source.lang;
            let name = config
                .language(lang)
                .map(|l| l.name.as_str())
                .unwrap_or(lang);
            map([
                ("lang", Value::from(lang.as_str())),
                ("name", Value::from(name)),
                (
                    "title",
                    Value::from(typeset(config, lang, doc.title()).as_ref()),
                ),
                ("url", Value::from(r.url(*t))),
                ("permalink", Value::from(r.permalink(*t))),
                ("locale", Value::from(locale(config, lang))),
            ])
        })
        .collect();
    Value::from(items)
}

/// One link per other language: the exact translation, else the nearest
/// translated ancestor section, else that language's home (`fallback`).
pub fn language_links(r: &Reader, id: DocId) -> Value {
    let doc = r.doc(id);
    let placement = r.placement(id);
    // The languages the page does exist in, for the fallback's wording.
    let (group, _) = r.alternates(id);
    let exists_in = Value::from(
        group
            .iter()
            .map(|d| r.doc(*d).source.lang.clone())
            .collect::<Vec<_>>(),
    );
    let links: Vec<Value> = r
        .config()
        .languages
        .iter()
        .filter(|l| l.code != doc.source.lang)
        .map(|l| {
            let exact = placement
                .translations
                .iter()
                .find(|t| r.doc(**t).source.lang == l.code);
            let (url, fallback) = match exact {
                Some(t) => (r.url(*t), false),
                None => (nearest_translated_section(r, id, &l.code), true),
            };
            map([
                ("lang", Value::from(l.code.as_str())),
                ("name", Value::from(l.name.as_str())),
                ("url", Value::from(url)),
                ("fallback", Value::from(fallback)),
                ("exists_in", exists_in.clone()),
            ])
        })
        .collect();
    Value::from(links)
}

fn nearest_translated_section(r: &Reader, id: DocId, lang: &str) -> String {
    let mut section = Some(r.placement(id).section);
    while let Some(s) = section {
        let sl = &r.section(s).langs[lang];
        if let Some(index) = sl.index {
            return r.url(index);
        }
        section = r.section(s).parent;
    }
    r.config().home_url(lang)
}

fn locale<'a>(config: &'a crate::load::config::Config, lang: &'a str) -> &'a str {
    config.language(lang).map_or(lang, |l| l.locale.as_str())
}

/// `hreflang` alternates of a doc (itself and its real translations) and
/// its `x-default` URL.
pub fn alternates(r: &Reader, id: DocId) -> (Value, String) {
    let (group, x_default) = r.alternates(id);
    let items: Vec<Value> = group
        .iter()
        .map(|d| {
            let lang = r.doc(*d).source.lang.as_str();
            map([
                ("lang", Value::from(lang)),
                ("locale", Value::from(locale(r.config(), lang))),
                ("permalink", Value::from(r.permalink(*d))),
            ])
        })
        .collect();
    (Value::from(items), x_default)
}

/// Pictures, videos and their captions: shown in the page, not offered
/// as documents.
fn is_media(path: &str) -> bool {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    matches!(mime.type_().as_str(), "image" | "video" | "audio") || path.ends_with(".vtt")
}

/// The files published beside a page (its page folder's assets) but its
/// media, with type and size, for a "documents" list.
pub fn documents(r: &Reader, id: DocId) -> Value {
    let doc = r.doc(id);
    let items: Vec<Value> = r
        .assets()
        .iter()
        .filter(
            |a| matches!(&a.owner, crate::load::source::AssetOwner::Page(key) if *key == doc.source.key),
        )
        .filter(|a| !is_media(&a.sub_path))
        .map(|a| {
            let size = std::fs::metadata(&a.abs_path).map_or(0, |m| m.len());
            let extension = a
                .sub_path
                .rsplit_once('.')
                .map_or("", |(_, e)| e)
                .to_uppercase();
            let mime = mime_guess::from_path(&a.sub_path).first_or_octet_stream();
            map([
                ("name", Value::from(a.sub_path.as_str())),
                (
                    "url",
                    Value::from(format!(
                        "{}{}",
                        r.url(id),
                        crate::escape::url_path(&a.sub_path)
                    )),
                ),
                ("type", Value::from(extension)),
                ("mime", Value::from(mime.essence_str())),
                ("size", Value::from(size)),
                ("size_text", Value::from(human_size(size))),
            ])
        })
        .collect();
    Value::from(items)
}

/// `12 KB`, `1.4 MB`.
fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}
