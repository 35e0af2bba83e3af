//! Atom feeds (RFC 4287): one per language for the whole site
//! (`/fr/atom.xml`) and one per section with dated pages
//! (`/fr/actualites/atom.xml`), newest first.

use std::cmp::Ordering;

use crate::escape::html as xml;
use crate::markdown::Rendered;
use crate::output::{Origin, OutputFile};
use crate::site::{DocId, Site, SiteRead};

/// How every feed's origin starts.
pub const ORIGIN: &str = "feed of ";

/// Entries per feed.
pub const FEED_LENGTH: usize = 20;

/// Path of a feed below the output root, for a list at `path`.
pub fn feed_path(path: &str) -> String {
    format!("{path}atom.xml")
}

/// The site feeds and the section feeds of every language.
pub fn feeds(site: &Site, rendered: &[std::sync::Arc<Rendered>]) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for language in &site.config.languages {
        let lang = language.code.as_str();
        let mut dated: Vec<DocId> = site
            .doc_ids()
            .filter(|id| {
                let d = site.doc(*id);
                !d.is_section() && d.source.lang == lang && d.date.is_some()
            })
            .collect();
        sort_newest_first(site, &mut dated);
        let home = site.config.language_prefix(lang);
        if let Some(feed) = feed(site, rendered, &language.title, &home, &dated, lang) {
            files.push(feed);
        }
        let sections = site.sections.iter().enumerate();
        for (i, section) in sections.filter(|(_, s)| s.parent.is_some()) {
            let Some(sl) = section.langs.get(lang) else {
                continue;
            };
            let Some(index) = sl.index else { continue };
            let mut pages: Vec<DocId> = (&site)
                .list(crate::site::SectionId(i), lang)
                .iter()
                .copied()
                .filter(|p| site.doc(*p).date.is_some() && site.doc(*p).source.lang == lang)
                .collect();
            sort_newest_first(site, &mut pages);
            let title = format!("{} · {}", site.doc(index).title(), language.title);
            if let Some(feed) = feed(site, rendered, &title, &sl.url_path, &pages, lang) {
                files.push(feed);
            }
        }
    }
    files
}

/// Whether a section's list in `lang` has a feed (its own dated pages).
pub fn has_feed<'a>(site: &impl SiteRead<'a>, section_pages: &[DocId], lang: &str) -> bool {
    section_pages
        .iter()
        .any(|p| site.doc(*p).date.is_some() && site.doc(*p).source.lang == lang)
}

fn sort_newest_first(site: &Site, ids: &mut [DocId]) {
    ids.sort_by(|a, b| newest_first(site, *a, *b));
}

/// The order of feed entries: newest first, then by URL.
fn newest_first(site: &Site, a: DocId, b: DocId) -> Ordering {
    let (da, db) = (site.doc(a).date.as_ref(), site.doc(b).date.as_ref());
    db.map(|d| d.zoned.timestamp())
        .cmp(&da.map(|d| d.zoned.timestamp()))
        .then_with(|| site.placement(a).url_path.cmp(&site.placement(b).url_path))
}

fn feed(
    site: &Site,
    rendered: &[std::sync::Arc<Rendered>],
    title: &str,
    path: &str,
    ids: &[DocId],
    lang: &str,
) -> Option<OutputFile> {
    let entries = &ids[..ids.len().min(FEED_LENGTH)];
    let updated = entries
        .iter()
        .filter_map(|id| {
            let d = site.doc(*id);
            d.front_matter
                .updated
                .as_ref()
                .or(d.date.as_ref())
                .map(|x| (x.zoned.timestamp(), x.rfc3339()))
        })
        .max()?
        .1;
    let base = &site.config.base_url;
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(lang)
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml(title)));
    out.push_str(&format!(
        "  <id>{}</id>\n",
        xml(&format!("{base}{}", feed_path(path)))
    ));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml(&format!("{base}{}", feed_path(path)))
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&format!("{base}{path}"))
    ));
    let author = site
        .config
        .language(lang)
        .map_or(title, |l| l.title.as_str());
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml(author)
    ));
    out.push_str("  <generator>portail</generator>\n");
    for id in entries {
        let doc = site.doc(*id);
        let Some(date) = doc.date.as_ref() else {
            continue;
        };
        let updated = doc.front_matter.updated.as_ref().unwrap_or(date);
        // Relative links in the content resolve against the page.
        out.push_str(&format!(
            "  <entry xml:base=\"{}\">\n",
            xml(&site.permalink(*id))
        ));
        out.push_str(&format!("    <title>{}</title>\n", xml(doc.title())));
        out.push_str(&format!("    <id>{}</id>\n", xml(&site.permalink(*id))));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&site.permalink(*id))
        ));
        out.push_str(&format!("    <published>{}</published>\n", date.rfc3339()));
        out.push_str(&format!("    <updated>{}</updated>\n", updated.rfc3339()));
        for (taxonomy, terms) in &doc.front_matter.taxonomies {
            for term in terms {
                let label = site.terms.label(taxonomy, term, lang).label;
                out.push_str(&format!(
                    "    <category term=\"{}\" label=\"{}\"/>\n",
                    xml(term),
                    xml(&label)
                ));
            }
        }
        let summary = rendered[id.0].summary.clone().or_else(|| {
            doc.front_matter
                .description
                .as_ref()
                .map(|d| format!("<p>{}</p>", xml(d)))
        });
        if let Some(summary) = summary {
            out.push_str(&format!(
                "    <summary type=\"html\">{}</summary>\n",
                xml(&summary)
            ));
        }
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            xml(&rendered[id.0].html)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    Some(OutputFile::html(
        feed_path(path),
        out,
        Origin::Generated(format!("{ORIGIN}/{path}")),
    ))
}
