//! Site-wide pages that belong to no content file: the bilingual language
//! chooser at `/`, the 404 page, and alias redirects.

use std::collections::BTreeMap;

use tera::{Context, Value};

use super::Inputs;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;

fn bilingual_context(inputs: &Inputs, site_by_lang: &BTreeMap<String, Value>) -> Context {
    let config = &inputs.site.config;
    let mut context = Context::new();
    context.insert("lang", &config.default_language);
    context.insert_value("site", site_by_lang[&config.default_language].clone());
    let languages: Vec<Value> = config
        .language_codes()
        .map(|l| site_by_lang[l].clone())
        .collect();
    context.insert_value("languages", Value::from(languages));
    context
}

/// `/index.html`: every language's title and a link to its home.
pub fn language_chooser(
    inputs: &Inputs,
    site_by_lang: &BTreeMap<String, Value>,
) -> Result<OutputFile, Diagnostic> {
    let context = bilingual_context(inputs, site_by_lang);
    let html = inputs.templates.render("language_chooser.html", &context)?;
    Ok(OutputFile::html(
        "index.html".into(),
        html,
        "templates/language_chooser.html".into(),
    ))
}

/// `/404.html`, in every language at once since the host serves it for any URL.
pub fn not_found(
    inputs: &Inputs,
    site_by_lang: &BTreeMap<String, Value>,
) -> Result<OutputFile, Diagnostic> {
    let context = bilingual_context(inputs, site_by_lang);
    let html = inputs.templates.render("404.html", &context)?;
    Ok(OutputFile::html(
        "404.html".into(),
        html,
        "templates/404.html".into(),
    ))
}

/// A page that sends the visitor to `url` (for `aliases`).
pub fn redirect(url: &str) -> String {
    let url = crate::escape::html(url);
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{url}</title>\
         <link rel=\"canonical\" href=\"{url}\"><meta http-equiv=\"refresh\" content=\"0; url={url}\"></head>\
         <body><a href=\"{url}\">{url}</a></body></html>\n"
    )
}
