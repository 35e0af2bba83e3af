//! `sitemap.xml` (with language alternates) and `robots.txt`.

use std::fmt::Write;

use crate::escape::html as xml;
use crate::output::OutputFile;
use crate::site::{DocId, Site};

use rayon::prelude::*;

/// Every page of the output: the content pages with their alternates and
/// last change, then the other pages (`lists`: term, year, search and pager
/// pages, as paths of their `index.html`).
pub fn sitemap(site: &Site, lists: &[String]) -> OutputFile {
    let ids: Vec<DocId> = site.doc_ids().collect();
    let mut entries: Vec<(String, String)> = ids
        .into_par_iter()
        .map(|id| {
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
        })
        .collect();
    for path in lists {
        let url_path = path.strip_suffix("index.html").unwrap_or(path);
        let entry = format!(
            "  <url>\n    <loc>{}</loc>\n  </url>\n",
            xml(&format!("{}{url_path}", site.config.base_url))
        );
        entries.push((url_path.to_string(), entry));
    }
    entries.par_sort_unstable();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (_, entry) in entries {
        out.push_str(&entry);
    }
    out.push_str("</urlset>\n");
    OutputFile::html("sitemap.xml".into(), out, "sitemap".into())
}

pub fn robots(site: &Site) -> OutputFile {
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    );
    OutputFile::html("robots.txt".into(), text, "robots.txt".into())
}
