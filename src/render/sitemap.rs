//! `sitemap.xml` (with language alternates) and `robots.txt`.

use std::fmt::Write;

use crate::escape::html as xml;
use crate::output::OutputFile;
use crate::site::Site;

pub fn sitemap(site: &Site) -> OutputFile {
    let mut entries: Vec<(String, String)> = site
        .doc_ids()
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
            let translations = &site.placement(id).translations;
            if !translations.is_empty() {
                let mut group = vec![id];
                group.extend(translations);
                group.sort_by_key(|t| {
                    site.config
                        .language_codes()
                        .position(|l| l == site.doc(*t).source.lang)
                });
                for t in group {
                    let _ = writeln!(
                        entry,
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        xml(&site.doc(t).source.lang),
                        xml(&site.permalink(t))
                    );
                }
            }
            entry.push_str("  </url>\n");
            (site.placement(id).url_path.clone(), entry)
        })
        .collect();
    entries.sort();
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
