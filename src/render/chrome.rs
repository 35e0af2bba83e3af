//! Site-wide pages that belong to no content file: the bilingual language
//! chooser at `/`, the 404 page, and alias redirects.

use std::collections::BTreeMap;

use tera::Value;

use super::reads::Reader;
use crate::diagnostics::Diagnostic;
use crate::output::{Origin, OutputFile};
use crate::render::templates::Vars;
use crate::site::SiteRead;

fn bilingual_context(r: &Reader, site_by_lang: &BTreeMap<String, Value>) -> Vars {
    let config = r.config();
    let mut context = Vars::new();
    context.insert("lang", &config.default_language);
    context.insert_value("site", site_by_lang[&config.default_language].clone());
    let languages: Vec<Value> = config
        .language_codes()
        .map(|l| site_by_lang[l].clone())
        .collect();
    context.insert_value("languages", Value::from(languages));
    context
}

/// A page for every language at once, rendered with `template` into `path`:
/// the language chooser at `/index.html` and `/404.html` (which the host
/// serves for any URL, whatever its language).
pub fn bilingual_page<'a>(
    r: &Reader<'a>,
    template: &'a str,
    path: &str,
) -> Result<OutputFile, Diagnostic> {
    let context = bilingual_context(r, r.site_values());
    let html = r.render(template, &context)?;
    Ok(OutputFile::html(
        path.into(),
        html,
        Origin::Template(format!("templates/{template}")),
    ))
}

/// A page in `lang` that sends the visitor to `url` (for `aliases`); search
/// engines are pointed at the absolute `canonical` address.
pub fn redirect(url: &str, canonical: &str, lang: &str) -> String {
    let url = crate::escape::html(url);
    let canonical = crate::escape::html(canonical);
    let lang = crate::escape::html(lang);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{url}</title>\
         <link rel=\"canonical\" href=\"{canonical}\"><meta http-equiv=\"refresh\" content=\"0; url={url}\"></head>\
         <body><a href=\"{url}\">{url}</a></body></html>\n"
    )
}
