//! The files an edit of some pages changes, rendered again for `serve`
//! once [`Site::replace`] or [`Site::reassemble`] has put the new versions
//! in place: the pages themselves, the lists that show them (their
//! sections in every language, the homes, their terms, the pages that show
//! them as related), the feeds and calendars that may show them, and the
//! sitemap; and the files of the output that are gone (a page's old
//! address, a pager page beyond the last, a year without events…). Every
//! other file is the same as before.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::lists::Pick;
use super::{
    Inputs, Kept, Pagers, Shared, calendar, feeds, lists, render_doc_pagers, shows_related, views,
};
use crate::diagnostics::Diagnostic;
use crate::load::page::Doc;
use crate::output::{OutputFile, OutputSet};
use crate::site::{DocId, Replaced, SectionId, Site, TermKey, Vacated};

/// Pages open in browsers, rendered before the other files a change
/// needs (a new page moves every item after it in its lists: hundreds of
/// pager pages), so that they can be written and reloaded first.
pub struct Ahead<'a> {
    /// Their output paths (`fr/news/index.html`).
    pub open: &'a BTreeSet<String>,
    /// Takes those of them the change renders again (called at most once).
    pub ready: &'a mut dyn FnMut(Vec<OutputFile>),
}

/// The files `replaced` changes, and the paths of those it removes (the
/// pages of terms that lost their last page); `shown_in_feeds` tells
/// whether a feed showed one of the pages before, `written` is the output
/// as it is. Updates `shared` to the new versions.
pub fn render_replaced(
    inputs: &Inputs,
    kept: Kept,
    replaced: &Replaced,
    shown_in_feeds: bool,
    written: &OutputSet,
    ahead: Option<Ahead>,
) -> Result<(Vec<OutputFile>, Vec<String>), Diagnostic> {
    let site = inputs.site;
    let Kept { shared, sitemap } = kept;
    let ids = replaced.ids();
    // Pages that came, went or moved change addresses and alternates, and
    // the menus may lead to them.
    let moved = !replaced.added.is_empty() || !replaced.vacated.is_empty();
    if moved && !shared.same_site_values(inputs) {
        return Err(Diagnostic::error(msg!("render.partial_refused")));
    }
    // The pages whose summary, which lists show, changed.
    let mut changed = BTreeSet::new();
    for id in &ids {
        let summary = views::summary(site, *id, &inputs.rendered[id.0]);
        if summary != shared.summaries[id.0] {
            changed.insert(*id);
        }
        shared.summaries[id.0] = summary;
    }
    // A section's summary (changed when its links lead elsewhere) shows on
    // its parent section's pages, which a full build renders.
    if changed.iter().any(|id| site.doc(*id).is_section()) {
        return Err(Diagnostic::error(msg!("render.partial_refused")));
    }
    let terms = term_changes(site, replaced);
    // Sections' own terms are not counted: their summaries, which many
    // pages show, name the term's page if it exists.
    let come_or_gone: BTreeSet<(&str, &str)> = terms
        .iter()
        .filter(|change| change.come_or_gone())
        .map(|change| (change.key.taxonomy.as_str(), change.key.term.as_str()))
        .collect();
    let in_sections = site.docs.iter().filter(|d| d.is_section()).any(|d| {
        d.front_matter.taxonomies.iter().any(|(taxonomy, terms)| {
            terms
                .iter()
                .any(|term| come_or_gone.contains(&(taxonomy.as_str(), term.as_str())))
        })
    });
    if in_sections {
        return Err(Diagnostic::error(msg!("render.partial_refused")));
    }
    // Files of these origins in these folders that are not rendered again
    // are gone: a page's old address, pager pages beyond the last…
    let mut owners: Vec<(String, String)> = replaced
        .vacated
        .iter()
        .map(|v| (v.origin.clone(), v.url_path.clone()))
        .collect();
    let mut docs: Vec<(DocId, Pagers)> = ids.iter().map(|id| (*id, Pagers::All)).collect();
    docs.extend(
        related_changes(site, shared, &ids, &changed, &replaced.vacated)
            .into_iter()
            .filter(|id| !ids.contains(id))
            .map(|id| (id, Pagers::All)),
    );
    // Whether a dated page came to or left a section.
    let dated_changed = |section: SectionId| {
        let was_dated = |id: &DocId| replaced.previous.get(id).map(|old| old.date.is_some());
        let changed = |id: &DocId| match was_dated(id) {
            Some(was) => was != site.doc(*id).date.is_some(),
            None => replaced.added.contains(id) && site.doc(*id).date.is_some(),
        };
        let in_section = |id: &&DocId| site.placement(**id).section == section;
        let gone = |v: &Vacated| v.section == section && v.gone && v.dated;
        ids.iter().filter(in_section).any(changed) || replaced.vacated.iter().any(gone)
    };
    for (section, before) in &replaced.sections {
        if *section == site.root_section() {
            continue;
        }
        let settings = site.config.section(&site.section(*section).dir);
        // A calendar or a browse page shows every page on one page; every
        // page of a list links to its feed, which dated pages give it.
        let whole = settings.is_some_and(|s| s.calendar || !s.filters.is_empty())
            || dated_changed(*section);
        for (lang, sl) in &site.section(*section).langs {
            let Some(index) = sl.index else { continue };
            let pagers = if whole {
                Pagers::All
            } else {
                changed_pagers(&before[lang], &sl.pages, sl.paginate_by, &changed)
            };
            if !pagers.none() {
                docs.push((index, pagers));
            }
        }
    }
    // The homes' lists may show any page.
    let homes = site.section(site.root_section()).langs.values();
    docs.extend(homes.filter_map(|sl| Some((sl.index?, Pagers::All))));
    let docs = merge_pagers(docs);
    let mut year_folders = Vec::new();
    for (id, pagers) in &docs {
        if *pagers == Pagers::All {
            let url_path = &site.placement(*id).url_path;
            owners.push((site.doc(*id).source.rel_path.clone(), url_path.clone()));
            if site.doc(*id).is_section() {
                year_folders.push(url_path.as_str());
            }
        }
    }
    // A taxonomy's page shows how many pages each term has.
    let recounted: BTreeSet<(&str, &str)> = terms
        .iter()
        .filter(|change| change.recounted())
        .map(|change| (change.key.taxonomy.as_str(), change.key.lang.as_str()))
        .collect();
    let term_pagers: BTreeMap<&TermKey, Pagers> = terms
        .iter()
        .filter_map(|change| {
            let per_page = site.config.taxonomy(&change.key.taxonomy)?.paginate_by;
            let pagers = changed_pagers(change.before, change.now?, per_page, &changed);
            Some((change.key, pagers))
        })
        .collect();
    // Term pages show every term's count only if their template reads them.
    let counts_shown = inputs.templates.may_read("term.html", "taxonomy_terms");
    let pick = |taxonomy: &str, lang: &str, term: Option<&str>| match term {
        None => recounted.contains(&(taxonomy, lang)).then_some(Pagers::All),
        Some(_) if counts_shown && recounted.contains(&(taxonomy, lang)) => Some(Pagers::All),
        Some(term) if come_or_gone.contains(&(taxonomy, term)) => Some(Pagers::All),
        Some(term) => {
            let key = TermKey::new(taxonomy, lang, term);
            term_pagers
                .get(&key)
                .filter(|pagers| !pagers.none())
                .cloned()
        }
    };
    let shared = &*shared;
    let places = Places {
        written,
        freed: replaced.vacated.iter().map(|v| v.origin.as_str()).collect(),
    };
    if let Some(ahead) = ahead {
        render_ahead(inputs, shared, &docs, &ids, &pick, ahead, &places)?;
    }
    let pages: Vec<Vec<OutputFile>> = docs
        .into_par_iter()
        .map(|(id, pagers)| render_doc_pagers(inputs, shared, id, &pagers))
        .collect::<Result<_, _>>()?;
    let mut files: Vec<OutputFile> = pages.into_iter().flatten().collect();

    for file in lists::taxonomy_pages(inputs, shared, &pick) {
        files.push(file?);
    }
    // Kinds of files made whole again: those not made again are gone.
    let mut kinds: Vec<&str> = Vec::new();
    if shown_in_feeds || ids.iter().any(|id| feeds::shows(site, *id)) {
        files.extend(feeds::feeds(site, inputs.rendered));
        kinds.push(feeds::ORIGIN);
    }
    let is_calendar = |section: SectionId| {
        let section = &site.section(section).dir;
        site.config.section(section).is_some_and(|s| s.calendar)
    };
    if ids
        .iter()
        .any(|id| is_calendar(site.placement(*id).section))
        || replaced.vacated.iter().any(|v| is_calendar(v.section))
    {
        files.extend(calendar::files(site));
        kinds.push(calendar::ORIGIN);
    }
    // The pages of a term whose count changed were all rendered: those not
    // rendered again belong to a term that has no page any more, or are
    // pager pages beyond the last.
    let rendered: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    owners.extend(
        terms
            .iter()
            .filter(|change| change.recounted())
            .filter_map(|change| {
                let TermKey {
                    taxonomy,
                    lang,
                    term,
                } = change.key;
                let slug = site.terms.label(taxonomy, term, lang).slug;
                let folder = format!("{}{slug}/", site.taxonomy_path(taxonomy, lang)?);
                Some(("templates/term.html".to_string(), folder))
            }),
    );
    let removed: Vec<String> = written
        .files
        .values()
        .filter(|f| {
            kinds.iter().any(|kind| f.origin.as_str().starts_with(kind))
                || owners.iter().any(|(origin, folder)| {
                    f.origin.as_str() == origin && is_list_file(&f.path, folder)
                })
                || year_folders.iter().any(|folder| is_year_page(f, folder))
        })
        .filter(|f| !rendered.contains(f.path.as_str()))
        .map(|f| f.path.clone())
        .collect();
    // A new page must not take another file's place or folder, nor two
    // files one place, as a full build would report.
    let mut origins: BTreeMap<&str, &str> = BTreeMap::new();
    for file in &files {
        let taken = origins.insert(&file.path, file.origin.as_str());
        if taken.is_some_and(|origin| origin != file.origin.as_str()) || places.taken(file) {
            let refused = Diagnostic::error(msg!("render.partial_refused"));
            return Err(refused.in_file(file.path.clone()));
        }
    }
    // The sitemap shows each page's last change and the list pages.
    let last_change = |d: &Doc| {
        let date = d.front_matter.updated.as_ref().or(d.date.as_ref());
        date.map(|date| date.ymd())
    };
    let added = files.iter().any(|f| !written.files.contains_key(&f.path));
    if added
        || moved
        || !removed.is_empty()
        || replaced
            .previous
            .iter()
            .any(|(id, old)| last_change(old) != last_change(site.doc(*id)))
    {
        // Patched: the entries of the pages that left or moved and of the
        // list pages removed go, those of the pages rendered (with their
        // translations' alternates) and of the new list pages come.
        let content = std::cell::OnceCell::new();
        let is_content = |folder: &str| {
            let content = content.get_or_init(|| super::content_paths(site));
            content.contains(folder)
        };
        let removed_lists = removed
            .iter()
            .filter_map(|path| written.files.get(path))
            .filter(|f| super::is_list_page(f, is_content))
            .filter_map(|f| f.path.strip_suffix("index.html"));
        let vacated = replaced.vacated.iter().map(|v| v.url_path.as_str());
        let docs: BTreeSet<DocId> = ids
            .iter()
            .flat_map(|id| std::iter::once(id).chain(&site.placement(*id).translations))
            .copied()
            .collect();
        let new_lists = files
            .iter()
            .filter(|f| !written.files.contains_key(&f.path) && super::is_list_page(f, is_content))
            .map(|f| f.path.as_str());
        sitemap.patch(site, vacated.chain(removed_lists), docs, new_lists);
        files.push(sitemap.file());
    }
    Ok((files, removed))
}

/// Whether `file` is a year page of the section at `folder`
/// (`folder/2025/index.html`).
fn is_year_page(file: &OutputFile, folder: &str) -> bool {
    let year = file
        .path
        .strip_prefix(folder)
        .and_then(|rest| rest.strip_suffix("/index.html"));
    file.origin.template() == Some("templates/year.html") && year.is_some_and(super::is_number)
}

/// Whether `path` is one of the files a page or list at `folder` makes:
/// its page, its pager pages, its event file (not an alias, which may
/// lie below it).
fn is_list_file(path: &str, folder: &str) -> bool {
    let Some(rest) = path.strip_prefix(folder) else {
        return false;
    };
    rest == "event.ics" || super::pager_number(rest).is_some()
}

/// One entry per page: the pager pages each asked for, together.
fn merge_pagers(docs: Vec<(DocId, Pagers)>) -> Vec<(DocId, Pagers)> {
    let mut merged: BTreeMap<DocId, Pagers> = BTreeMap::new();
    for (id, pagers) in docs {
        let entry = merged
            .entry(id)
            .or_insert_with(|| Pagers::Only(BTreeSet::new()));
        *entry = match (std::mem::replace(entry, Pagers::All), pagers) {
            (Pagers::Only(mut a), Pagers::Only(b)) => {
                a.extend(b);
                Pagers::Only(a)
            }
            _ => Pagers::All,
        };
    }
    merged.into_iter().collect()
}

/// A term the edited pages had or have: its pages before the edit, and
/// now (none when it has no page left).
struct TermChange<'a> {
    key: &'a TermKey,
    before: &'a [DocId],
    now: Option<&'a [DocId]>,
}

impl TermChange<'_> {
    /// Whether it gained or lost pages.
    fn recounted(&self) -> bool {
        self.now.is_none_or(|now| now.len() != self.before.len())
    }

    /// Whether it gained its first page or lost its last one.
    fn come_or_gone(&self) -> bool {
        self.now.is_some() == self.before.is_empty()
    }
}

fn term_changes<'a>(site: &'a Site, replaced: &'a Replaced) -> Vec<TermChange<'a>> {
    replaced
        .terms
        .iter()
        .map(|(key, before)| {
            let TermKey {
                taxonomy,
                lang,
                term,
            } = key;
            let now = site
                .term_pages
                .get(&(taxonomy.clone(), lang.clone()))
                .and_then(|by_term| by_term.get(term))
                .map(Vec::as_slice);
            TermChange { key, before, now }
        })
        .collect()
}

/// Renders the open pages among `docs` and the term pages `pick` asks
/// for, and gives them to `ahead.ready`. The `saved` pages are rendered
/// first, as a check: what is most likely to fail or be refused is theirs
/// (a template they name, an address taken), and then nothing is given.
fn render_ahead(
    inputs: &Inputs,
    shared: &Shared,
    docs: &[(DocId, Pagers)],
    saved: &BTreeSet<DocId>,
    pick: Pick,
    ahead: Ahead,
    places: &Places,
) -> Result<(), Diagnostic> {
    let site = inputs.site;
    let open = ahead.open;
    let mut files = Vec::new();
    // A saved page (not a list) has one page.
    let saved_page = |id: &DocId| saved.contains(id) && !site.doc(*id).is_section();
    for id in saved.iter().filter(|id| saved_page(id)) {
        files.extend(render_doc_pagers(inputs, shared, *id, &Pagers::first())?);
    }
    for (id, pagers) in docs.iter().filter(|(id, _)| !saved_page(id)) {
        let wanted = pagers.and(&Pagers::among(&site.placement(*id).url_path, open));
        if !wanted.none() {
            files.extend(render_doc_pagers(inputs, shared, *id, &wanted)?);
        }
    }
    let taxonomy_folders: Vec<String> = site
        .config
        .taxonomies
        .iter()
        .flat_map(|t| {
            site.config
                .language_codes()
                .filter_map(|lang| site.taxonomy_path(&t.name, lang))
        })
        .collect();
    if open.iter().any(|path| {
        taxonomy_folders
            .iter()
            .any(|f| path.starts_with(f.as_str()))
    }) {
        let pick_open = |taxonomy: &str, lang: &str, term: Option<&str>| {
            let pagers = pick(taxonomy, lang, term)?;
            let folder = match term {
                Some(term) => site.term_path(taxonomy, term, lang)?,
                None => site.taxonomy_path(taxonomy, lang)?,
            };
            let wanted = pagers.and(&Pagers::among(&folder, open));
            (!wanted.none()).then_some(wanted)
        };
        for file in lists::taxonomy_pages(inputs, shared, &pick_open) {
            files.push(file?);
        }
    }
    if files.iter().any(|f| places.taken(f)) {
        return Ok(());
    }
    files.retain(|file| open.contains(&file.path) && !places.written.holds(file));
    if !files.is_empty() {
        (ahead.ready)(files);
    }
    Ok(())
}

/// The output as it is, and the pages that left or moved, whose places
/// are free.
struct Places<'a> {
    written: &'a OutputSet,
    freed: BTreeSet<&'a str>,
}

impl Places<'_> {
    /// Whether `file` would replace a file made by something else (but a
    /// freed page), or need a folder where the output has a file.
    fn taken(&self, file: &OutputFile) -> bool {
        if let Some(old) = self.written.files.get(&file.path) {
            return old.origin != file.origin && !self.freed.contains(old.origin.as_str());
        }
        let mut folder = file.path.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if self.written.files.contains_key(parent) {
                return true;
            }
            folder = parent;
        }
        false
    }
}

/// The pages of a list, `per_page` a page, that differ between its order
/// `before` and `now` or show a page of `changed`: every page when the
/// list grew or shrank (each shows the count).
fn changed_pagers(
    before: &[DocId],
    now: &[DocId],
    per_page: Option<usize>,
    changed: &BTreeSet<DocId>,
) -> Pagers {
    if before.len() != now.len() {
        return Pagers::All;
    }
    let per_page = per_page.unwrap_or(usize::MAX).max(1);
    let numbers = before
        .chunks(per_page)
        .zip(now.chunks(per_page))
        .enumerate()
        .filter(|(_, (was, is))| was != is || is.iter().any(|id| changed.contains(id)))
        .map(|(i, _)| i + 1)
        .collect();
    Pagers::Only(numbers)
}

/// The pages whose related pages change with `ids` or show one of
/// `changed`, their lists updated in `shared`.
fn related_changes(
    site: &Site,
    shared: &mut Shared,
    ids: &BTreeSet<DocId>,
    changed: &BTreeSet<DocId>,
    vacated: &[Vacated],
) -> Vec<DocId> {
    // Related pages are found among the pages of the same section and
    // language.
    let lists = ids
        .iter()
        .filter(|id| shows_related(site, **id))
        .map(|id| {
            (
                site.placement(*id).section,
                site.doc(*id).source.lang.as_str(),
            )
        })
        .chain(vacated.iter().map(|v| (v.section, v.lang.as_str())));
    let candidates: BTreeSet<DocId> = lists
        .filter_map(|(section, lang)| site.section(section).langs.get(lang))
        .flat_map(|sl| sl.pages.iter().copied())
        .filter(|id| shows_related(site, *id))
        .collect();
    let previous = &shared.related;
    let found: Vec<(DocId, Vec<DocId>)> = candidates
        .into_par_iter()
        .filter(|page| {
            let shown = &previous[page.0];
            ids.contains(page)
                || shown.iter().any(|p| ids.contains(p) || *p == DocId::GONE)
                || ids
                    .iter()
                    .any(|id| lists::would_show(site, *page, *id, shown))
        })
        .map(|page| (page, lists::related(site, page)))
        .collect();
    let mut again = Vec::new();
    for (page, related) in found {
        if related != shared.related[page.0] || related.iter().any(|p| changed.contains(p)) {
            again.push(page);
        }
        shared.related[page.0] = related;
    }
    again
}
