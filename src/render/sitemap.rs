//! `sitemap.xml` (with language alternates) and `robots.txt`.

use std::fmt::Write;

use crate::escape::html as xml;
use crate::output::{Origin, OutputFile};
use crate::site::{DocId, Site, SiteRead};

use rayon::prelude::*;

/// The sitemap's entries, sorted by path: every page of the output, the
/// content pages with their alternates and last change, then the other
/// pages (term, year, search and pager pages).
#[derive(Debug, Default)]
pub struct Sitemap {
    entries: Vec<(String, String)>,
}

impl Sitemap {
    /// The sitemap of `site` with the list pages `lists` (paths of their
    /// `index.html`); a page's entry whose inputs `memo` knows is taken
    /// from it.
    pub fn new(site: &Site, lists: &[String], memo: &EntryMemo) -> Sitemap {
        let ids: Vec<DocId> = site.doc_ids().collect();
        let mut entries: Vec<(String, String)> = ids
            .into_par_iter()
            .map(|id| memo.get(|| entry_key(site, id), || doc_entry(site, id)))
            .collect();
        entries.extend(lists.iter().map(|path| list_entry(site, path)));
        entries.par_sort_unstable();
        Sitemap { entries }
    }

    pub fn file(&self) -> OutputFile {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for (_, entry) in &self.entries {
            out.push_str(entry);
        }
        out.push_str("</urlset>\n");
        OutputFile::html(
            "sitemap.xml".into(),
            out,
            Origin::Generated("sitemap".into()),
        )
    }
}

/// A content page's sitemap entry, kept from one build to the next.
pub type EntryMemo = crate::memo::Recall<(String, String)>;

/// What a page's entry reads: its file and those of its translations
/// (dates are shared), and their addresses. The rest (the base URL)
/// starts a new memo when it changes.
fn entry_key(site: &Site, id: DocId) -> crate::memo::Key {
    let part = |d: DocId| {
        let doc = site.doc(d);
        (
            doc.source.rel_path.as_str(),
            doc.text_hash,
            site.placement(d).url_path.as_str(),
        )
    };
    let group: Vec<_> = site
        .placement(id)
        .translations
        .iter()
        .map(|t| part(*t))
        .collect();
    crate::memo::key_of(&(part(id), group))
}

/// A content page's entry, with its alternates and last change.
fn doc_entry(site: &Site, id: DocId) -> (String, String) {
    let mut entry = String::new();
    let doc = site.doc(id);
    let _ = write!(
        entry,
        "  <url>\n    <loc>{}</loc>\n",
        xml(&site.permalink(id))
    );
    if let Some(date) = doc.front_matter.updated.as_ref().or(doc.date.as_ref()) {
        let _ = writeln!(entry, "    <lastmod>{}</lastmod>", date.ymd());
    }
    if !site.placement(id).translations.is_empty() {
        let (group, x_default) = site.alternates(id);
        let links = group
            .iter()
            .map(|t| (site.doc(*t).source.lang.as_str(), site.permalink(*t)))
            .chain(std::iter::once(("x-default", x_default)));
        for (lang, href) in links {
            let _ = writeln!(
                entry,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                xml(lang),
                xml(&href)
            );
        }
    }
    entry.push_str("  </url>\n");
    (site.placement(id).url_path.clone(), entry)
}

/// A list page's entry (`path`: its `index.html`).
fn list_entry(site: &Site, path: &str) -> (String, String) {
    let url_path = path.strip_suffix("index.html").unwrap_or(path);
    let entry = format!(
        "  <url>\n    <loc>{}</loc>\n  </url>\n",
        xml(&format!("{}{url_path}", site.config.base_url))
    );
    (url_path.to_string(), entry)
}

pub fn robots(site: &Site) -> OutputFile {
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    );
    OutputFile::html(
        "robots.txt".into(),
        text,
        Origin::Generated("robots.txt".into()),
    )
}
