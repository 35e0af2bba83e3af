//! Stage `inherit`: fields that are facts rather than words (dates, places,
//! taxonomies, weights…) are written once, in the default-language file, and
//! copied into its translations. A translation that writes a different
//! value is an error naming both files.

use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::config::Config;
use crate::load::dates::{PageDate, split_date_prefix};
use crate::load::front_matter::FrontMatter;
use crate::load::page::Doc;
use crate::load::reuse::{LinedUp, Reuse};

/// A shared value as JSON, for comparing and for messages. The date is the
/// effective one: from the front matter, else from the file name.
fn value(doc: &Doc, name: &str) -> Option<serde_json::Value> {
    let fm = &doc.front_matter;
    let date = |d: &PageDate| serde_json::Value::from(d.rfc3339());
    match name {
        "date" => doc.date.as_ref().map(date),
        "updated" => fm.updated.as_ref().map(date),
        "weight" => fm.weight.map(Into::into),
        "draft" => fm.spans.contains_key("draft").then(|| fm.draft.into()),
        "featured" => fm
            .spans
            .contains_key("featured")
            .then(|| fm.featured.into()),
        "image" => fm.image.as_ref().map(|(path, _)| path.as_str().into()),
        "taxonomies" => (!fm.taxonomies.is_empty())
            .then(|| serde_json::to_value(&fm.taxonomies).unwrap_or_default()),
        _ => match name.strip_prefix("extra.") {
            Some(key) => fm.extra.get(key).cloned(),
            None => fm.fields.get(name).map(|f| f.to_json()),
        },
    }
}

/// Copies `name` from `from` into `to`; `date` is the effective date.
fn copy(from: &FrontMatter, from_date: Option<&PageDate>, to: &mut FrontMatter, name: &str) {
    match name {
        "date" => to.date = from_date.cloned(),
        "updated" => to.updated = from.updated.clone(),
        "weight" => to.weight = from.weight,
        "draft" => to.draft = from.draft,
        "featured" => to.featured = from.featured,
        "image" => to.image = from.image.clone(),
        "taxonomies" => to.taxonomies = from.taxonomies.clone(),
        _ => match name.strip_prefix("extra.") {
            Some(key) => {
                if let Some(v) = from.extra.get(key) {
                    to.extra.insert(key.to_string(), v.clone());
                }
            }
            None => {
                if let Some(v) = from.fields.get(name) {
                    to.fields.insert(name.to_string(), v.clone());
                }
            }
        },
    }
}

/// Where a doc writes `name`, as `path:line`.
fn written_at(doc: &Doc, name: &str) -> String {
    match doc.front_matter.spans.get(name) {
        Some(span) => {
            let d = Diagnostic::error(crate::messages::Message::raw("")).at_span(
                doc.source.rel_path.clone(),
                &doc.text,
                span.clone(),
            );
            d.location.map_or_else(
                || doc.source.rel_path.clone(),
                |l: Location| format!("{}:{}", l.path, l.line),
            )
        }
        None => doc.source.rel_path.clone(),
    }
}

/// Copies shared fields from each default-language doc into its
/// translations (`groups`: indexes into `docs`, which are in the order of
/// the sources); a translation whose text and source are as `reuse` knows
/// them is taken from it.
pub fn inherit(
    docs: &mut [Arc<Doc>],
    groups: &[Vec<usize>],
    config: &Config,
    reuse: &Reuse,
    lined_up: Option<&LinedUp>,
) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut kept = Vec::new();
    for group in groups {
        // A group none of whose files changed inherits as it did.
        if let Some(lined_up) = lined_up
            && !group
                .iter()
                .any(|i| lined_up.changed.binary_search(i).is_ok())
        {
            group
                .iter()
                .for_each(|&i| docs[i] = Arc::clone(&lined_up.inheriting[i]));
            continue;
        }
        let Some(&source) = group
            .iter()
            .find(|i| docs[**i].source.lang == config.default_language)
        else {
            continue;
        };
        let names = config.shared_fields(&docs[source].source.section_dir);
        let from_hash = docs[source].text_hash;
        for &target in group.iter().filter(|i| **i != source) {
            if let Some(doc) = reuse.inherited(&docs[target], from_hash) {
                kept.push((Arc::clone(&doc), from_hash));
                docs[target] = doc;
                continue;
            }
            let errors = diagnostics.len();
            let mut inherited = Vec::new();
            for name in &names {
                let (from, to) = (&docs[source], &docs[target]);
                // A translation without its own `date` is not in conflict:
                // it has the same name, hence the same date prefix, or inherits.
                let theirs = match *name {
                    "date" => to
                        .front_matter
                        .date
                        .as_ref()
                        .map(|d| serde_json::Value::from(d.rfc3339())),
                    _ => value(to, name),
                };
                match (value(from, name), theirs) {
                    (Some(a), Some(b)) if a != b => {
                        let span = to.front_matter.spans.get(*name).cloned().unwrap_or(0..3);
                        diagnostics.push(
                            Diagnostic::error(msg!(
                                "shared.differs",
                                name,
                                here = b,
                                source = written_at(from, name),
                                there = a
                            ))
                            .at_span(to.source.rel_path.clone(), &to.text, span)
                            .with_help(msg!(
                                "shared.differs_help",
                                name,
                                file = &from.source.rel_path
                            )),
                        );
                    }
                    (Some(_), None) => inherited.push(*name),
                    _ => {}
                }
            }
            if !inherited.is_empty() {
                let from = Arc::clone(&docs[source]);
                let to = Arc::make_mut(&mut docs[target]);
                for name in inherited {
                    copy(
                        &from.front_matter,
                        from.date.as_ref(),
                        &mut to.front_matter,
                        name,
                    );
                }
                to.date = to.front_matter.date.clone().or_else(|| {
                    split_date_prefix(&to.source.name)
                        .and_then(|(date, _)| PageDate::from_civil_date(date, &config.timezone))
                });
            }
            if diagnostics.len() == errors {
                kept.push((Arc::clone(&docs[target]), from_hash));
            }
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    reuse.keep_inherited(kept);
    reuse.keep_inheriting(docs);
    Ok(())
}
