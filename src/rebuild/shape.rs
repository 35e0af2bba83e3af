//! The rebuild after pages came, went or changed address: a new file, a
//! deleted one, a draft published or withdrawn, a new slug or date. Every
//! version of the saved pages is parsed again and the site is assembled
//! again around them; the other pages keep what the last build made of
//! them, and only the files that show the changed pages are rendered.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Moved, OpenPages, Rebuilder, Rebuilt};
use crate::build::{BuildError, Built};
use crate::load::lang::split_language_suffix;
use crate::load::source::{SourceFile, SourceKind, is_ignored};
use crate::load::{inheritance, page, schema};
use crate::markdown;
use crate::render::feeds;
use crate::site::{DocId, LookupKey, Reassembled, Site};

impl Rebuilder {
    /// The rebuild after a save of `paths`, Markdown files of pages (not
    /// sections) of the simple form `content/<section>/<name>.<lang>.md`;
    /// `None` when a full rebuild is needed (which also reports any
    /// error).
    pub(super) fn shape_change(
        &mut self,
        paths: &[String],
        open: Option<OpenPages>,
    ) -> Option<Result<Rebuilt, BuildError>> {
        if !self.may_reuse(paths) {
            return None;
        }
        let last = self.last.as_ref()?;
        let site = &last.site;
        let config = &site.config;
        let (keys, sources) = versions(last, &self.options.root, paths)?;
        let mut docs = Vec::with_capacity(sources.len());
        for source in sources {
            // A link is for a full build to follow or refuse.
            let link = std::fs::symlink_metadata(&source.abs_path);
            if link
                .as_ref()
                .is_ok_and(|meta| meta.file_type().is_symlink())
            {
                return None;
            }
            match std::fs::read_to_string(&source.abs_path) {
                Ok(text) => docs.push(page::parse_text(source, text, config).ok()?),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound && link.is_err() => {}
                Err(_) => return None,
            }
        }
        // The checks of a full build's content stage, in its order.
        if site.terms.check(&docs).has_errors() {
            return None;
        }
        inheritance::inherit(&mut docs, config).ok()?;
        let drafts = page::drop_drafts(&mut docs, self.options.drafts);
        if schema::check(&docs, config, &site.terms).has_errors() {
            return None;
        }
        let in_keys = |doc: &page::Doc| !doc.is_section() && keys.contains(&doc.source.key);
        let before: Vec<DocId> = keys
            .iter()
            .flat_map(|key| {
                config
                    .language_codes()
                    .filter_map(|lang| site.lookup.get(&LookupKey::new(key, false, lang)).copied())
            })
            .collect();
        // Aliases make files and `_redirects` lines of their own.
        let before_docs = before.iter().map(|id| site.doc(*id));
        if docs
            .iter()
            .chain(before_docs)
            .any(|doc| !doc.front_matter.aliases.is_empty())
        {
            return None;
        }
        // Pages whose links lead to these pages show their addresses.
        let linkers: BTreeSet<DocId> = last
            .markdown
            .iter()
            .zip(site.doc_ids())
            .filter(|(body, id)| {
                body.links.iter().any(|key| keys.contains(key)) && !in_keys(site.doc(*id))
            })
            .map(|(_, id)| id)
            .collect();
        let shown_in_feeds = before.iter().any(|id| feeds::shows(site, *id));

        // From here the last build is taken apart: whatever stops this
        // path leaves the rest to a full rebuild.
        let mut last = self.last.take()?;
        let Reassembled {
            site,
            ids,
            replaced,
        } = last.site.reassemble(&keys, docs, &linkers).ok()?;
        last.site = site;
        let site = &last.site;
        last.left_out.retain(|d| !in_keys(d));
        last.left_out.extend(drafts);
        let left_out = &last.left_out;
        // New terms, and the terms of the saved drafts (checked against
        // every other page's, as a full build does).
        let drafts_terms = left_out.iter().filter(|d| in_keys(d)).flat_map(|d| {
            d.front_matter
                .taxonomies
                .iter()
                .flat_map(move |(taxonomy, names)| {
                    names
                        .iter()
                        .map(move |name| (taxonomy.as_str(), d.source.lang.as_str(), name.as_str()))
                })
        });
        let new_terms: Vec<(&str, &str, &str)> = replaced.new_terms().chain(drafts_terms).collect();
        if site
            .terms
            .new_terms_clash(site.docs.iter().chain(left_out), &new_terms)
        {
            return None;
        }
        // Kept bodies move to their new ids; the others are rendered with
        // the pages.
        let mut bodies: Vec<markdown::Rendered> = std::iter::repeat_with(Default::default)
            .take(site.docs.len())
            .collect();
        for (body, id) in std::mem::take(&mut last.markdown).into_iter().zip(&ids) {
            if let Some(id) = id {
                bodies[id.0] = body;
            }
        }
        // Open pages follow a page to its new address.
        let moved: Vec<Moved> = replaced
            .vacated
            .iter()
            .filter(|v| !v.gone)
            .filter_map(|v| {
                let before = site.config.url_of(&v.url_path);
                let now = site.url(site.find(&v.origin)?);
                (before != now).then_some((before, now))
            })
            .collect();
        last.shared.remap(&ids, site.docs.len());
        last.markdown = bodies;
        self.last = Some(last);
        let rebuilt = self.write_replaced(&replaced, shown_in_feeds, open, &moved)?;
        Some(rebuilt.map(|rebuilt| Rebuilt { moved, ..rebuilt }))
    }
}

/// The translation keys of the pages `paths` belong to, and the source
/// files of every version of them, known to the last build or new; `None`
/// when a path is not a page this path handles or two files would give
/// one version (a full build reports that).
fn versions(
    last: &Built,
    root: &Path,
    paths: &[String],
) -> Option<(BTreeSet<String>, Vec<SourceFile>)> {
    let site = &last.site;
    let known = |path: &str| {
        let in_site = site.find(path).map(|id| &site.doc(id).source);
        in_site.or_else(|| {
            let mut left_out = last.left_out.iter().map(|doc| &doc.source);
            left_out.find(|source| source.rel_path == path)
        })
    };
    let mut keys = BTreeSet::new();
    let mut new = Vec::new();
    for path in paths {
        let source = match known(path) {
            Some(source) => source.clone(),
            None => {
                let source = new_source(site, root, path)?;
                new.push(source.clone());
                source
            }
        };
        if source.kind != (SourceKind::Page { bundle: false }) {
            return None;
        }
        keys.insert(source.key);
    }
    let mut sources = Vec::new();
    for key in &keys {
        for lang in site.config.language_codes() {
            let lookup = LookupKey::new(key, false, lang);
            let in_site = site.lookup.get(&lookup).map(|id| &site.doc(*id).source);
            let left_out = last
                .left_out
                .iter()
                .map(|doc| &doc.source)
                .find(|s| s.kind != SourceKind::Section && s.key == *key && s.lang == lang);
            let saved = new.iter().find(|s| s.key == *key && s.lang == lang);
            let mut found = [in_site, left_out, saved].into_iter().flatten();
            match found.next() {
                Some(first) => {
                    if found.any(|other| other.rel_path != first.rel_path) {
                        return None;
                    }
                    sources.push(first.clone());
                }
                // A file the last build did not know of.
                None => {
                    let suffixed = format!("content/{key}.{lang}.md");
                    let plain = format!("content/{key}.md");
                    let default = lang == site.config.default_language;
                    if root.join(suffixed).exists() || (default && root.join(plain).exists()) {
                        return None;
                    }
                }
            }
        }
    }
    // A page folder's files are published beside every version.
    if sources
        .iter()
        .any(|source| source.kind != (SourceKind::Page { bundle: false }))
    {
        return None;
    }
    Some((keys, sources))
}

/// The source of a page file new to the site, when it has the simple form
/// `content/<section>/<name>.<lang>.md` in a section folder.
fn new_source(site: &Site, root: &Path, path: &str) -> Option<SourceFile> {
    let rel = path.strip_prefix("content/")?;
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let (base, lang) = split_language_suffix(name.strip_suffix(".md")?);
    let lang = lang?;
    site.config.language(lang)?;
    site.section_by_dir.get(dir)?;
    let hidden = |name: &str| is_ignored(std::ffi::OsStr::new(name));
    if matches!(base, "" | "_index" | "index") || rel.split('/').any(hidden) {
        return None;
    }
    let key = if dir.is_empty() {
        base.to_string()
    } else {
        format!("{dir}/{base}")
    };
    Some(SourceFile {
        rel_path: path.to_string(),
        abs_path: root.join(path),
        kind: SourceKind::Page { bundle: false },
        lang: lang.to_string(),
        key,
        section_dir: dir.to_string(),
        name: base.to_string(),
    })
}
