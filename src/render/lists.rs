//! Pages that are lists rather than content files: the search page, each
//! taxonomy's list of terms and each term's paginated list of pages.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use tera::Value;

use super::views::map;
use super::{Inputs, Pagers, Shared};
use crate::diagnostics::Diagnostic;
use crate::output::{Origin, OutputFile};
use crate::render::templates::Vars;
use crate::site::{DocId, Site};

/// The context a page that belongs to no content file gets: the same
/// variables as a content page, with `current` made of `title` and its URL,
/// and alternates for the languages in `versions` (`(lang, path)`).
pub fn page_context(
    inputs: &Inputs,
    shared: &Shared,
    lang: &str,
    title: &str,
    path: &str,
    versions: &[(String, String)],
) -> Vars {
    let site = inputs.site;
    let config = &site.config;
    let mut context = Vars::new();
    context.insert("lang", lang);
    context.insert_value("site", shared.site_by_lang[lang].clone());
    context.insert_value("data", shared.data.clone());
    let alternates: Vec<Value> = versions
        .iter()
        .map(|(l, p)| {
            let locale = config.language(l).map_or(l.as_str(), |x| x.locale.as_str());
            map([
                ("lang", Value::from(l.as_str())),
                ("locale", Value::from(locale)),
                ("permalink", Value::from(format!("{}{p}", config.base_url))),
            ])
        })
        .collect();
    let links: Vec<Value> = config
        .languages
        .iter()
        .filter(|l| l.code != lang)
        .map(|l| {
            let version = versions.iter().find(|(v, _)| *v == l.code);
            let url = match version {
                Some((_, p)) => config.url_of(p),
                None => config.home_url(&l.code),
            };
            let exists_in: Vec<String> = versions.iter().map(|(v, _)| v.clone()).collect();
            map([
                ("lang", Value::from(l.code.as_str())),
                ("name", Value::from(l.name.as_str())),
                ("url", Value::from(url)),
                ("fallback", Value::from(version.is_none())),
                ("exists_in", Value::from(exists_in)),
            ])
        })
        .collect();
    let permalink = format!("{}{path}", config.base_url);
    let x_default = versions.first().map_or(permalink.clone(), |(_, p)| {
        format!("{}{p}", config.base_url)
    });
    context.insert_value("alternates", Value::from(alternates));
    context.insert("x_default", &x_default);
    context.insert(
        "locale",
        config.language(lang).map_or("", |l| l.locale.as_str()),
    );
    context.insert_value("language_links", Value::from(links));
    context.insert_value("translations", Value::from(Vec::<Value>::new()));
    context.insert_value("json_ld", Value::none());
    context.insert("og_type", "website");
    context.insert_value("section", Value::none());
    context.insert_value("page", Value::none());
    context.insert_value("paginator", Value::none());
    context.insert("page_number", &1);
    context.insert("canonical", &permalink);
    context.insert("current_url", &config.url_of(path));
    context.insert_value(
        "current",
        map([
            ("title", Value::from(title)),
            ("url", Value::from(config.url_of(path))),
            ("permalink", Value::from(permalink.as_str())),
        ]),
    );
    context
}

/// Makes a context copied from a section's a page of its own (a year
/// page): no translation, so it is its own alternate, and the language
/// links lead to the other languages' sections as fallbacks.
pub fn standalone(context: &mut Vars, lang: &str, permalink: &str) {
    context.insert_value(
        "alternates",
        Value::from(vec![map([
            ("lang", Value::from(lang)),
            ("locale", Value::from(lang)),
            ("permalink", Value::from(permalink)),
        ])]),
    );
    context.insert("x_default", permalink);
    if let Some(links) = context
        .get("language_links")
        .and_then(|v| v.as_array())
        .map(|a| a.to_vec())
    {
        let links: Vec<Value> = links
            .into_iter()
            .map(|link| {
                let mut m = link.into_map().unwrap_or_default();
                m.insert("fallback".into(), Value::from(true));
                Value::from(m)
            })
            .collect();
        context.insert_value("language_links", Value::from(links));
    }
}

/// Which of the taxonomy pages to render: `(taxonomy, language, None)`
/// for a taxonomy's list of terms, `Some(term)` for a term's pages (and
/// which of them).
pub type Pick<'a> = &'a (dyn Fn(&str, &str, Option<&str>) -> Option<Pagers> + Sync);

/// Every taxonomy's list page and its terms' pages, in every language
/// (those `pick` takes).
pub fn taxonomy_pages(
    inputs: &Inputs,
    shared: &Shared,
    pick: Pick,
) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = inputs.site;
    let mut files = Vec::new();
    for taxonomy in &site.config.taxonomies {
        let versions: Vec<(String, String)> = site
            .config
            .language_codes()
            .filter_map(|l| {
                site.taxonomy_path(&taxonomy.name, l)
                    .map(|p| (l.to_string(), p))
            })
            .collect();
        for (lang, path) in &versions {
            let title = taxonomy
                .title
                .get(lang)
                .cloned()
                .unwrap_or_else(|| taxonomy.name.clone());
            let by_term = &site.term_pages[&(taxonomy.name.clone(), lang.clone())];
            let wanted = |term: Option<&str>| pick(&taxonomy.name, lang, term);
            let all_terms = term_list(site, &taxonomy.name, lang, by_term);
            let mut taxonomy_head = BTreeMap::from([
                ("name", Value::from(taxonomy.name.as_str())),
                ("title", Value::from(title.as_str())),
                ("url", Value::from(site.config.url_of(path))),
            ]);
            // Term pages have the terms apart: `serve` renders them all again
            // after a count changed only if `term.html` reads them.
            let listing = TermListing {
                taxonomy,
                lang,
                head: Value::from(taxonomy_head.clone()),
                terms: all_terms.clone(),
            };
            taxonomy_head.insert("terms", all_terms);
            if wanted(None).is_some() {
                let mut context = page_context(inputs, shared, lang, &title, path, &versions);
                context.insert_value("taxonomy", Value::from(taxonomy_head));
                files.push(
                    shared
                        .render(inputs, "taxonomy.html", &context)
                        .map(|html| {
                            OutputFile::html(
                                format!("{path}index.html"),
                                html,
                                Origin::Template("templates/taxonomy.html".into()),
                            )
                        }),
                );
            }
            // Term pages are many (thousands on a large site): in parallel.
            let terms: Vec<_> = by_term
                .iter()
                .filter_map(|(term, pages)| Some((term, pages, wanted(Some(term))?)))
                .collect();
            let term_files: Vec<Vec<Result<OutputFile, Diagnostic>>> = terms
                .into_par_iter()
                .map(|(id, pages, pagers)| term_pages(inputs, shared, &listing, id, pages, &pagers))
                .collect();
            files.extend(term_files.into_iter().flatten());
        }
    }
    files
}

/// A taxonomy's terms in one language, sorted by label, with their URLs
/// and counts.
fn term_list(
    site: &Site,
    taxonomy: &str,
    lang: &str,
    by_term: &BTreeMap<String, Vec<DocId>>,
) -> Value {
    let mut terms: Vec<(String, Value)> = by_term
        .iter()
        .map(|(id, pages)| {
            let label = site.terms.label(taxonomy, id, lang);
            let url = site
                .term_path(taxonomy, id, lang)
                .map(|p| site.config.url_of(&p));
            let sort_key = deunicode::deunicode(&label.label).to_lowercase();
            let value = map([
                ("id", Value::from(id.as_str())),
                ("label", Value::from(label.label)),
                ("url", url.map_or_else(Value::none, Value::from)),
                ("count", Value::from(pages.len())),
            ]);
            (sort_key, value)
        })
        .collect();
    terms.sort_by(|a, b| a.0.cmp(&b.0));
    Value::from(terms.into_iter().map(|(_, v)| v).collect::<Vec<_>>())
}

/// What every term page of a taxonomy in one language shows of it.
struct TermListing<'a> {
    taxonomy: &'a crate::load::config::Taxonomy,
    lang: &'a str,
    /// Its name, title and URL.
    head: Value,
    /// Its terms ([`term_list`]).
    terms: Value,
}

/// The pager pages of one term.
fn term_pages(
    inputs: &Inputs,
    shared: &Shared,
    listing: &TermListing,
    id: &str,
    pages: &[DocId],
    pagers: &Pagers,
) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = inputs.site;
    let (taxonomy, lang) = (&listing.taxonomy.name, listing.lang);
    let Some(term_path) = site.term_path(taxonomy, id, lang) else {
        return Vec::new();
    };
    let label = site.terms.label(taxonomy, id, lang).label;
    let term_versions: Vec<(String, String)> = site
        .config
        .language_codes()
        .filter_map(|l| site.term_path(taxonomy, id, l).map(|p| (l.to_string(), p)))
        .collect();
    let mut context = page_context(inputs, shared, lang, &label, &term_path, &term_versions);
    context.insert_value("taxonomy", listing.head.clone());
    context.insert_value("taxonomy_terms", listing.terms.clone());
    context.insert_value(
        "term",
        map([
            ("id", Value::from(id)),
            ("label", Value::from(label.as_str())),
            ("url", Value::from(site.config.url_of(&term_path))),
        ]),
    );
    let summaries: Vec<Value> = pages
        .iter()
        .map(|p| shared.summaries[p.0].clone())
        .collect();
    super::paginate(
        inputs,
        shared,
        &mut context,
        &summaries,
        listing.taxonomy.paginate_by,
        &term_path,
        "term.html",
        pagers,
    )
}

/// A "page not found" page in every language (`/fr/404.html`), besides the
/// bilingual one at the root.
pub fn not_found_pages(inputs: &Inputs, shared: &Shared) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = inputs.site;
    site.config
        .language_codes()
        .map(|lang| {
            let path = site.config.language_prefix(lang);
            let title = inputs
                .templates
                .strings
                .get(lang, "not_found_title")
                .unwrap_or("404")
                .to_string();
            let page = format!("{path}404.html");
            // Every language has one: the switcher leads to the others'.
            let versions: Vec<(String, String)> = site
                .config
                .language_codes()
                .map(|l| {
                    let prefix = site.config.language_prefix(l);
                    (l.to_string(), format!("{prefix}404.html"))
                })
                .collect();
            let context = page_context(inputs, shared, lang, &title, &page, &versions);
            shared
                .render(inputs, "not_found.html", &context)
                .map(|html| {
                    OutputFile::html(
                        format!("{path}404.html"),
                        html,
                        Origin::Template("templates/not_found.html".into()),
                    )
                })
        })
        .collect()
}

/// The browse page of a section with `filters`: for each filter its options
/// (term or year, label, the page that lists them without JavaScript), and
/// year pages when `year` is a filter (rendered into `files`).
pub fn browse_filters(
    inputs: &Inputs,
    shared: &Shared,
    section_lang: &crate::site::SectionLang,
    filters: &[String],
    lang: &str,
    context: &Vars,
    files: &mut Vec<Result<OutputFile, Diagnostic>>,
) -> Value {
    let site = inputs.site;
    let pages = &section_lang.pages;
    let mut out = Vec::new();
    for name in filters {
        let options: Vec<Value> = if name == "year" {
            let mut years: std::collections::BTreeMap<i16, Vec<crate::site::DocId>> =
                Default::default();
            for id in pages {
                if let Some(date) = &site.doc(*id).date {
                    years.entry(date.date().year()).or_default().push(*id);
                }
            }
            years
                .into_iter()
                .rev()
                .map(|(year, ids)| {
                    let path = format!("{}{year}/", section_lang.url_path);
                    let mut year_context = context.clone();
                    year_context.insert("year", &i64::from(year));
                    standalone(
                        &mut year_context,
                        lang,
                        &format!("{}{path}", site.config.base_url),
                    );
                    let summaries: Vec<Value> =
                        ids.iter().map(|p| shared.summaries[p.0].clone()).collect();
                    files.extend(super::paginate(
                        inputs,
                        shared,
                        &mut year_context,
                        &summaries,
                        None,
                        &path,
                        "year.html",
                        &Pagers::All,
                    ));
                    map([
                        ("id", Value::from(year.to_string())),
                        ("label", Value::from(year.to_string())),
                        ("url", Value::from(site.config.url_of(&path))),
                        ("count", Value::from(ids.len())),
                    ])
                })
                .collect()
        } else {
            let by_term = &site.term_pages[&(name.clone(), lang.to_string())];
            let in_section: std::collections::HashSet<&crate::site::DocId> = pages.iter().collect();
            let mut options: Vec<(String, Value)> = by_term
                .iter()
                .filter_map(|(term, term_pages)| {
                    let count = term_pages.iter().filter(|p| in_section.contains(p)).count();
                    (count > 0).then(|| {
                        let label = site.terms.label(name, term, lang).label;
                        let url = site
                            .term_path(name, term, lang)
                            .map(|p| site.config.url_of(&p));
                        let key = deunicode::deunicode(&label).to_lowercase();
                        (
                            key,
                            map([
                                ("id", Value::from(term.as_str())),
                                ("label", Value::from(label)),
                                ("url", url.map_or_else(Value::none, Value::from)),
                                ("count", Value::from(count)),
                            ]),
                        )
                    })
                })
                .collect();
            options.sort_by(|a, b| a.0.cmp(&b.0));
            options.into_iter().map(|(_, v)| v).collect()
        };
        let title = match name.as_str() {
            "year" => inputs
                .templates
                .strings
                .get(lang, "year")
                .unwrap_or("Year")
                .to_string(),
            taxonomy => site
                .config
                .taxonomy(taxonomy)
                .and_then(|t| t.title.get(lang).cloned())
                .unwrap_or_default(),
        };
        out.push(map([
            ("name", Value::from(name.as_str())),
            ("title", Value::from(title)),
            ("options", Value::from(options)),
        ]));
    }
    Value::from(out)
}

/// How many related pages a page shows.
const RELATED: usize = 5;

/// Up to five pages of the same section and language sharing the most
/// taxonomy terms with `id`; ties by date (newest first), then URL.
pub fn related(site: &Site, id: DocId) -> Vec<DocId> {
    let doc = site.doc(id);
    let section = site.section(site.placement(id).section);
    let Some(sl) = section.langs.get(&doc.source.lang) else {
        return Vec::new();
    };
    let terms = term_set(doc);
    let mut ranked: Vec<(Rank, DocId)> = sl
        .pages
        .iter()
        .filter(|p| **p != id && site.doc(**p).source.lang == doc.source.lang)
        .map(|p| (rank(site, &terms, *p), *p))
        .filter(|(rank, _)| rank.0.0 > 0)
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    ranked.into_iter().take(RELATED).map(|(_, p)| p).collect()
}

/// Whether `candidate`, a page of the same section as `id`, now ranks
/// among the pages `id` showed as related (`shown`, none of them changed
/// since): then `id`'s related pages must be found again.
pub fn would_show(site: &Site, id: DocId, candidate: DocId, shown: &[DocId]) -> bool {
    let doc = site.doc(id);
    if candidate == id
        || site.doc(candidate).source.lang != doc.source.lang
        || site.placement(candidate).section != site.placement(id).section
    {
        return false;
    }
    let terms = term_set(doc);
    let candidate_rank = rank(site, &terms, candidate);
    if candidate_rank.0.0 == 0 {
        return false;
    }
    match shown.get(RELATED - 1) {
        Some(last) => candidate_rank < rank(site, &terms, *last),
        None => true,
    }
}

type TermSet<'a> = BTreeSet<(&'a String, &'a String)>;

fn term_set(doc: &crate::load::page::Doc) -> TermSet<'_> {
    doc.front_matter
        .taxonomies
        .iter()
        .flat_map(|(t, ids)| ids.iter().map(move |i| (t, i)))
        .collect()
}

/// Terms shared (most first), date (newest first), URL: smaller ranks first.
type Rank<'a> = (Reverse<usize>, Reverse<Option<jiff::Timestamp>>, &'a str);

fn rank<'a>(site: &'a Site, terms: &TermSet, other: DocId) -> Rank<'a> {
    let doc = site.doc(other);
    let shared = doc
        .front_matter
        .taxonomies
        .iter()
        .flat_map(|(t, ids)| ids.iter().map(move |i| (t, i)))
        .filter(|x| terms.contains(x))
        .count();
    (
        Reverse(shared),
        Reverse(doc.date.as_ref().map(|d| d.zoned.timestamp())),
        site.placement(other).url_path.as_str(),
    )
}
