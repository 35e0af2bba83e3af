//! Stage `schema`: what `config.toml` requires of each section's pages —
//! required keys, taxonomies and fields, values from a fixed list, terms of
//! a taxonomy. Types are checked while parsing; this checks presence and
//! allowed values once translations have inherited their shared fields.

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::config::{Config, FieldSpec};
use crate::load::front_matter::FieldValue;
use crate::load::page::Doc;
use crate::load::taxonomy::Terms;

/// Checks every page (not section pages) against its section's schema.
pub fn check(docs: &[std::sync::Arc<Doc>], config: &Config, terms: &Terms) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for doc in docs.iter().filter(|d| !d.is_section()) {
        let Some(settings) = config.section(&doc.source.section_dir) else {
            continue;
        };
        let fm = &doc.front_matter;
        if settings.calendar && !fm.fields.contains_key("start") && !fm.spans.contains_key("start")
        {
            let inherited_later = doc.source.lang != config.default_language
                && config
                    .shared_fields(&doc.source.section_dir)
                    .contains(&"start");
            if !inherited_later {
                diagnostics.push(
                    Diagnostic::error(msg!("schema.no_start"))
                        .at_span(doc.source.rel_path.clone(), &doc.text, 0..3)
                        .with_help(msg!("schema.no_start_help")),
                );
            }
        }
        for name in &settings.required {
            let present = match name.as_str() {
                "date" => doc.date.is_some(),
                "updated" => fm.updated.is_some(),
                "description" => fm
                    .description
                    .as_deref()
                    .is_some_and(|d| !d.trim().is_empty()),
                "weight" => fm.weight.is_some(),
                other if config.taxonomy(other).is_some() => {
                    fm.taxonomies.get(other).is_some_and(|t| !t.is_empty())
                }
                other => fm.fields.get(other).is_some_and(|v| match v {
                    FieldValue::List(l) => !l.is_empty(),
                    // A blank text (as `portail new` writes) is not filled in yet.
                    FieldValue::String(s) => !s.trim().is_empty(),
                    _ => true,
                }),
            };
            // A shared field missing from a translation is missing from its
            // source too (else it would be inherited): reported there only.
            let shared_key = if config.taxonomy(name).is_some() {
                "taxonomies"
            } else {
                name.as_str()
            };
            let reported_in_source = doc.source.lang != config.default_language
                && config
                    .shared_fields(&doc.source.section_dir)
                    .contains(&shared_key);
            if !present && !reported_in_source {
                let example = if config.taxonomy(name).is_some() {
                    msg!("schema.example_taxonomy", name)
                } else {
                    crate::messages::Message::raw(format!("{name} = …"))
                };
                diagnostics.push(
                    Diagnostic::error(msg!("schema.missing", name))
                        .at_span(doc.source.rel_path.clone(), &doc.text, 0..3)
                        .with_help(msg!(
                            "schema.missing_help",
                            section = &doc.source.section_dir,
                            example
                        )),
                );
            }
        }
        if settings.calendar
            && let (Some(FieldValue::Date(start)), Some(FieldValue::Date(end))) =
                (fm.fields.get("start"), fm.fields.get("end"))
            && end.zoned.timestamp() < start.zoned.timestamp()
            && let Some(span) = fm.spans.get("end")
        {
            diagnostics.push(
                Diagnostic::error(msg!(
                    "schema.ends_before_start",
                    end = end.ymd(),
                    start = start.ymd()
                ))
                .at_span(doc.source.rel_path.clone(), &doc.text, span.clone())
                .with_help(msg!("schema.ends_before_start_help")),
            );
        }
        for (name, spec) in &settings.specs {
            if let Some(value) = fm.fields.get(name) {
                check_value(doc, name, spec, value, terms, &mut diagnostics);
            }
        }
    }
    diagnostics
}

fn check_value(
    doc: &Doc,
    name: &str,
    spec: &FieldSpec,
    value: &FieldValue,
    terms: &Terms,
    diagnostics: &mut Diagnostics,
) {
    let values: Vec<&str> = match value {
        // Blank is "not filled in": reported as missing when required.
        FieldValue::String(s) if s.trim().is_empty() => return,
        FieldValue::String(s) => vec![s.as_str()],
        FieldValue::List(l) => l.iter().map(String::as_str).collect(),
        _ => return,
    };
    let allowed: Option<(Vec<&str>, String)> = match (&spec.one_of, &spec.taxonomy) {
        (Some(list), _) => Some((
            list.iter().map(String::as_str).collect(),
            "config.toml".to_string(),
        )),
        (None, Some(taxonomy)) => terms
            .listed(taxonomy)
            .map(|l| (l, format!("data/{taxonomy}.toml"))),
        (None, None) => None,
    };
    let Some((allowed, source)) = allowed else {
        return;
    };
    for v in values.iter().filter(|v| !allowed.contains(v)) {
        let d = Diagnostic::error(msg!("schema.not_allowed", name, value = v)).with_help(msg!(
            "schema.not_allowed_help",
            hint = did_you_mean(v, &allowed),
            source = &source
        ));
        // A value without a place in this file was inherited: reported in its source.
        if let Some(span) = doc.front_matter.spans.get(name) {
            diagnostics.push(d.at_span(doc.source.rel_path.clone(), &doc.text, span.clone()));
        }
    }
}
