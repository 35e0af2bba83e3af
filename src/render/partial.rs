//! The files an edit of some pages' front matter changes, rendered again
//! for `serve` once [`Site::replace`] has put the new versions in place:
//! the pages themselves, the lists that show them (their sections in every
//! language, the homes, their terms, the pages that show them as related),
//! the feeds and calendars that may show them, and the sitemap. Every other
//! file is the same as before.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::{Inputs, Shared, calendar, feeds, lists, render_doc, shows_related, views};
use crate::diagnostics::Diagnostic;
use crate::output::{OutputFile, OutputSet};
use crate::page::Doc;
use crate::site::{DocId, Replaced, Site};

/// Whether the output keeps the same files after `replaced`: the year
/// pages and event files follow the pages' dates.
pub fn keeps_files(site: &Site, replaced: &Replaced) -> bool {
    let year = |d: &Doc| d.date.as_ref().map(|date| date.date().year());
    let event_year = |d: &Doc| calendar::days(d).map(|(start, _)| start.year());
    replaced.previous.iter().all(|(id, old)| {
        let new = site.doc(*id);
        year(old) == year(new) && event_year(old) == event_year(new)
    })
}

/// The files `replaced` changes; `shown_in_feeds` tells whether a feed
/// showed one of the pages before, `written` is the output as it is
/// (whose paths stay the same). Updates `shared` to the new versions.
pub fn render_replaced(
    inputs: &Inputs,
    shared: &mut Shared,
    replaced: &Replaced,
    shown_in_feeds: bool,
    written: &OutputSet,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let site = inputs.site;
    let ids: BTreeSet<DocId> = replaced.previous.keys().copied().collect();
    for id in &ids {
        shared.summaries[id.0] = views::summary(site, *id, &inputs.rendered[id.0]);
    }
    let mut docs = ids.clone();
    docs.extend(related_changes(site, shared, &ids));
    for section in replaced
        .sections
        .iter()
        .copied()
        .chain([site.root_section()])
    {
        docs.extend(
            site.section(section)
                .langs
                .values()
                .filter_map(|sl| sl.index),
        );
    }
    let shared = &*shared;
    let pages: Vec<Vec<OutputFile>> = docs
        .into_par_iter()
        .map(|id| render_doc(inputs, shared, id))
        .collect::<Result<_, _>>()?;
    let mut files: Vec<OutputFile> = pages.into_iter().flatten().collect();

    let terms = &replaced.terms;
    let taxonomies: BTreeSet<(&str, &str)> = terms
        .iter()
        .map(|(taxonomy, lang, _)| (taxonomy.as_str(), lang.as_str()))
        .collect();
    let pick = |taxonomy: &str, lang: &str, term: Option<&str>| match term {
        None => taxonomies.contains(&(taxonomy, lang)),
        Some(term) => terms.contains(&(taxonomy.to_string(), lang.to_string(), term.to_string())),
    };
    for file in lists::taxonomy_pages(inputs, shared, &pick) {
        files.push(file?);
    }
    if shown_in_feeds || ids.iter().any(|id| feeds::shows(site, *id)) {
        files.extend(feeds::feeds(site, inputs.rendered));
    }
    let in_calendar = |id: &DocId| {
        let section = &site.section(site.placement(*id).section).dir;
        site.config.section(section).is_some_and(|s| s.calendar)
    };
    if ids.iter().any(in_calendar) {
        files.extend(calendar::files(site));
    }
    files.push(super::sitemap_of(site, written));
    Ok(files)
}

/// The pages whose related pages change with `ids` or show one of them,
/// their lists updated in `shared`.
fn related_changes(site: &Site, shared: &mut Shared, ids: &BTreeSet<DocId>) -> Vec<DocId> {
    let candidates: BTreeSet<DocId> = ids
        .iter()
        .filter(|id| shows_related(site, **id))
        .filter_map(|id| {
            let doc = site.doc(*id);
            site.section(site.placement(*id).section)
                .langs
                .get(&doc.source.lang)
        })
        .flat_map(|sl| sl.pages.iter().copied())
        .collect();
    let previous = &shared.related;
    let found: Vec<(DocId, Vec<DocId>)> = candidates
        .into_par_iter()
        .filter(|page| {
            let shown = &previous[page.0];
            ids.contains(page)
                || shown.iter().any(|p| ids.contains(p))
                || ids
                    .iter()
                    .any(|id| lists::would_show(site, *page, *id, shown))
        })
        .map(|page| (page, lists::related(site, page)))
        .collect();
    let mut changed = Vec::new();
    for (page, related) in found {
        if related != shared.related[page.0] || related.iter().any(|p| ids.contains(p)) {
            changed.push(page);
        }
        shared.related[page.0] = related;
    }
    changed
}
