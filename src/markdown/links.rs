//! Internal links: `@/section/page.md` (the current language's version),
//! `@/section/page.en.md` (a given language), `@/section/_index.md`, with an
//! optional `#anchor`.

use crate::diagnostics::closest;
use crate::load::lang::split_language_suffix;
use crate::messages::Message;
use crate::site::{DocId, LookupKey, Site};

/// Why a link does not resolve: a message and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    pub message: Message,
    pub help: Message,
}

/// Resolves `target` (what follows `@/`) for a page in `lang` to the doc and
/// the anchor (with its `#`, or empty).
pub fn resolve<'t>(
    site: &Site,
    target: &'t str,
    lang: &str,
) -> Result<(DocId, &'t str), LinkError> {
    let (path, anchor) = match target.find('#') {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    let Some(stem) = path.strip_suffix(".md") else {
        return Err(LinkError {
            message: msg!("links.not_markdown", target),
            help: msg!("links.not_markdown_help"),
        });
    };
    let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
    let (base, suffix) = split_language_suffix(name);
    if let Some(code) = suffix
        && site.config.language(code).is_none()
    {
        let codes: Vec<&str> = site.config.language_codes().collect();
        return Err(LinkError {
            message: msg!("links.unknown_language", path, code),
            help: crate::diagnostics::did_you_mean(code, &codes),
        });
    }
    let wanted_lang = suffix.unwrap_or(lang);
    let join = |d: &str, n: &str| {
        if d.is_empty() {
            n.to_string()
        } else {
            format!("{d}/{n}")
        }
    };
    let (key, is_section) = match base {
        "_index" => (dir.to_string(), true),
        "index" if !dir.is_empty() => (dir.to_string(), false),
        _ => (join(dir, base), false),
    };
    if let Some(id) = site
        .lookup
        .get(&LookupKey::new(&key, is_section, wanted_lang))
    {
        return Ok((*id, anchor));
    }
    // A page paired by its `translation_key` is found by its file's name.
    if !is_section {
        let file = format!("content/{}.{wanted_lang}.md", join(dir, base));
        if let Ok(i) = site
            .docs
            .binary_search_by(|d| d.source.rel_path.as_str().cmp(file.as_str()))
        {
            return Ok((DocId(i), anchor));
        }
    }
    let other_langs: Vec<&str> = site
        .config
        .language_codes()
        .filter(|l| {
            site.lookup
                .contains_key(&LookupKey::new(&key, is_section, l))
        })
        .collect();
    if let Some(other) = other_langs.first() {
        let file = join(dir, &format!("{base}.{other}.md"));
        return Err(LinkError {
            message: msg!("links.no_version", path, lang = wanted_lang),
            help: msg!("links.no_version_help", file = &file),
        });
    }
    let keys = site
        .lookup
        .keys()
        .filter(|k| k.section == is_section && k.lang == wanted_lang)
        .map(|k| k.key.as_str());
    let help = match closest(&key, keys) {
        Some(best) if is_section => msg!("links.did_you_mean", target = join(best, "_index.md")),
        Some(best) => msg!("links.did_you_mean", target = format!("{best}.md")),
        None => msg!("links.relative_help"),
    };
    Err(LinkError {
        message: msg!("links.missing", path),
        help,
    })
}
