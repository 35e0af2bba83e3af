//! Pages that are lists rather than content files: the search page, each
//! taxonomy's list of terms and each term's paginated list of pages.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use tera::Value;

use super::engine::{self, Job};
use super::reads::{Reader, TermName};
use super::views::map;
use super::{Jobs, ListPage, Outcome};
use crate::diagnostics::Diagnostic;
use crate::output::{Origin, OutputFile};
use crate::render::templates::Vars;
use crate::site::{DocId, Site, SiteRead};

/// The context a page that belongs to no content file gets: the same
/// variables as a content page, with `current` made of `title` and its URL,
/// and alternates for the languages in `versions` (`(lang, path)`).
pub fn page_context<'a>(
    r: &Reader<'a>,
    lang: &'a str,
    title: &str,
    path: &str,
    versions: &[(String, String)],
) -> Vars {
    let config = r.config();
    let mut context = Vars::new();
    context.insert("lang", lang);
    let site = r.site_value(lang);
    context.insert_value("share", super::share::of_site_value(&site));
    context.insert_value("site", site);
    context.insert_value("data", r.data());
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

/// Every taxonomy's list page and its terms' pages, in every language.
pub fn taxonomy_pages(jobs: &Jobs) -> Vec<Outcome> {
    let site = jobs.inputs.site;
    let mut outcomes = Vec::new();
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
            let head = BTreeMap::from([
                ("name", Value::from(taxonomy.name.as_str())),
                ("title", Value::from(title.as_str())),
                ("url", Value::from(site.config.url_of(path))),
            ]);
            let job = Job::Taxonomy {
                taxonomy: engine::name(&taxonomy.name),
                lang: engine::name(lang),
            };
            outcomes.push(jobs.one(job, |r| {
                let by_term = r.term_pages(&taxonomy.name, lang);
                let mut head = head.clone();
                head.insert("terms", term_list(r, &taxonomy.name, lang, by_term));
                let mut context = page_context(r, lang, &title, path, &versions);
                context.insert_value("taxonomy", Value::from(head));
                let html = r.render("taxonomy.html", &context)?;
                Ok(vec![OutputFile::html(
                    format!("{path}index.html"),
                    html,
                    Origin::Template("templates/taxonomy.html".into()),
                )])
            }));
            // Every term's count, for a template that may show it: made
            // once, read by each term page through its reads.
            let shows_counts = jobs
                .inputs
                .templates
                .may_read("term.html", "taxonomy_terms");
            let terms = shows_counts.then(|| {
                let r = jobs.reader();
                term_list(&r, &taxonomy.name, lang, r.term_pages(&taxonomy.name, lang))
            });
            let listing = TermListing {
                taxonomy,
                lang,
                head: Value::from(head),
                terms,
            };
            // Term pages are many (thousands on a large site): in parallel.
            let by_term = &site.term_pages[&(taxonomy.name.clone(), lang.clone())];
            let terms: Vec<(&String, &Vec<DocId>)> = by_term.iter().collect();
            let term_outcomes: Vec<Vec<Outcome>> = terms
                .into_par_iter()
                .map(|(id, pages)| term_pages(jobs, &listing, id, pages))
                .collect();
            outcomes.extend(term_outcomes.into_iter().flatten());
        }
    }
    outcomes
}

/// A taxonomy's terms in one language, sorted by label, with their URLs
/// and counts.
fn term_list<'a>(
    r: &Reader<'a>,
    taxonomy: &'a str,
    lang: &'a str,
    by_term: &'a BTreeMap<String, Vec<DocId>>,
) -> Value {
    let mut terms: Vec<(String, Value)> = by_term
        .iter()
        .map(|(id, pages)| {
            let label = r.terms().label(taxonomy, id, lang);
            let url = r
                .term_path(taxonomy, id, lang)
                .map(|p| r.config().url_of(&p));
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
    /// Its terms ([`term_list`]), when `term.html` may show them.
    terms: Option<Value>,
}

/// The pager pages of one term that the plan asks for.
fn term_pages<'a>(
    jobs: &Jobs<'a>,
    listing: &TermListing<'a>,
    id: &'a str,
    pages: &'a [DocId],
) -> Vec<Outcome> {
    let (taxonomy, lang) = (listing.taxonomy.name.as_str(), listing.lang);
    let name = TermName {
        taxonomy: engine::name(taxonomy),
        lang: engine::name(lang),
        term: engine::name(id),
    };
    let (pagers, kept) = jobs.rendering.plan.pagers(|n| Job::Term(name.clone(), n));
    let mut outcomes: Vec<Outcome> = kept
        .into_iter()
        .map(|(job, files)| Outcome::Reused { job, files })
        .collect();
    let r = jobs.reader();
    let Some(term_path) = r.term_path(taxonomy, id, lang) else {
        return outcomes;
    };
    let label = r.terms().label(taxonomy, id, lang).label;
    let term_versions: Vec<(String, String)> = r
        .config()
        .language_codes()
        .filter_map(|l| r.term_path(taxonomy, id, l).map(|p| (l.to_string(), p)))
        .collect();
    let mut context = page_context(&r, lang, &label, &term_path, &term_versions);
    context.insert_value("taxonomy", listing.head.clone());
    if let Some(terms) = &listing.terms {
        // What the list is made of: the taxonomy's terms and counts, labels.
        r.term_pages(taxonomy, lang);
        r.terms();
        context.insert_value("taxonomy_terms", terms.clone());
    }
    context.insert_value(
        "term",
        map([
            ("id", Value::from(id)),
            ("label", Value::from(label.as_str())),
            ("url", Value::from(r.config().url_of(&term_path))),
        ]),
    );
    let made = super::paginate(
        &r,
        &mut context,
        pages,
        listing.taxonomy.paginate_by,
        &term_path,
        "term.html",
        &pagers,
    );
    outcomes.extend(made.into_iter().map(|page: ListPage| Outcome::Rendered {
        job: Job::Term(name.clone(), page.number),
        files: page.files,
        reads: jobs.reads(page.reader),
        doc: None,
    }));
    outcomes
}

/// A "page not found" page in every language (`/fr/404.html`), besides the
/// bilingual one at the root.
pub fn not_found_pages(jobs: &Jobs) -> Vec<Outcome> {
    let site = jobs.inputs.site;
    site.config
        .language_codes()
        .map(|lang| {
            jobs.one(Job::NotFound(engine::name(lang)), |r| {
                let path = site.config.language_prefix(lang);
                let title = r
                    .strings()
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
                let context = page_context(r, lang, &title, &page, &versions);
                let html = r.render("not_found.html", &context)?;
                Ok(vec![OutputFile::html(
                    format!("{path}404.html"),
                    html,
                    Origin::Template("templates/not_found.html".into()),
                )])
            })
        })
        .collect()
}

/// The browse page of a section with `filters`: for each filter its options
/// (term or year, label, the page that lists them without JavaScript), and
/// year pages when `year` is a filter (rendered into `files`).
pub fn browse_filters<'a>(
    r: &Reader<'a>,
    section_lang: &'a crate::site::SectionLang,
    pages: &'a [DocId],
    filters: &'a [String],
    lang: &'a str,
    context: &Vars,
    mut files: Option<&mut Vec<Result<OutputFile, Diagnostic>>>,
) -> Value {
    let config = r.config();
    let mut out = Vec::new();
    for name in filters {
        let options: Vec<Value> = if name == "year" {
            let mut years: std::collections::BTreeMap<i16, Vec<crate::site::DocId>> =
                Default::default();
            for id in pages {
                if let Some(date) = &r.doc(*id).date {
                    years.entry(date.date().year()).or_default().push(*id);
                }
            }
            years
                .into_iter()
                .rev()
                .map(|(year, ids)| {
                    let path = format!("{}{year}/", section_lang.url_path);
                    if let Some(files) = files.as_deref_mut() {
                        let mut year_context = context.clone();
                        year_context.insert("year", &i64::from(year));
                        standalone(
                            &mut year_context,
                            lang,
                            &format!("{}{path}", config.base_url),
                        );
                        files.extend(super::year_pages(r, &mut year_context, &ids, &path));
                    }
                    map([
                        ("id", Value::from(year.to_string())),
                        ("label", Value::from(year.to_string())),
                        ("url", Value::from(config.url_of(&path))),
                        ("count", Value::from(ids.len())),
                    ])
                })
                .collect()
        } else {
            let by_term = r.term_pages(name, lang);
            let in_section: std::collections::HashSet<&crate::site::DocId> = pages.iter().collect();
            let mut options: Vec<(String, Value)> = by_term
                .iter()
                .filter_map(|(term, term_pages)| {
                    let count = term_pages.iter().filter(|p| in_section.contains(p)).count();
                    (count > 0).then(|| {
                        let label = r.terms().label(name, term, lang).label;
                        let url = r.term_path(name, term, lang).map(|p| config.url_of(&p));
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
            "year" => r.strings().get(lang, "year").unwrap_or("Year").to_string(),
            taxonomy => config
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
    let terms = term_set(doc);
    let mut ranked: Vec<(Rank, DocId)> = site
        .list(site.placement(id).section, &doc.source.lang)
        .iter()
        .filter(|p| **p != id && site.doc(**p).source.lang == doc.source.lang)
        .map(|p| (rank(site, &terms, *p), *p))
        .filter(|(rank, _)| rank.0.0 > 0)
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    ranked.into_iter().take(RELATED).map(|(_, p)| p).collect()
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
