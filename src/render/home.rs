//! The `home` variable of each language's home: the lists `[home]` asks
//! for (newest pages, coming events, featured pages).

use tera::Value;

use super::calendar;
use super::reads::Reader;
use super::views::map;
use crate::load::config::HomeSection;
use crate::site::{DocId, SiteRead};

/// `{ latest, upcoming, featured }`, each `{ section, pages }` or none.
pub(super) fn home_view<'a>(r: &Reader<'a>, lang: &'a str) -> Value {
    let home = &r.config().home;
    let block = |section: &Option<HomeSection>, pick: &dyn Fn(&[DocId]) -> Vec<DocId>| {
        // A section without an `_index` in this language has no title or
        // link to give the list: no list then.
        let Some((id, index)) = section
            .as_ref()
            .and_then(|s| r.section_by_dir(&s.dir))
            .and_then(|id| Some((id, r.section(id).langs.get(lang)?.index?)))
        else {
            return Value::none();
        };
        let pages: Vec<Value> = pick(r.list(id, lang))
            .into_iter()
            .take(home.count)
            .map(|id| r.summary(id))
            .collect();
        let section = r.summary(index);
        map([("section", section), ("pages", Value::from(pages))])
    };
    let newest_first = |pages: &[DocId]| {
        let mut ids = pages.to_vec();
        // Stable: pages of one date keep the section's order.
        ids.sort_by_key(|id| {
            std::cmp::Reverse(r.doc(*id).date.as_ref().map(|d| d.zoned.timestamp()))
        });
        ids
    };
    let upcoming = |pages: &[DocId]| calendar::split(r, pages, r.today()).0;
    let featured = |pages: &[DocId]| {
        pages
            .iter()
            .copied()
            .filter(|id| r.doc(*id).front_matter.featured)
            .collect()
    };
    map([
        ("latest", block(&home.latest, &newest_first)),
        ("upcoming", block(&home.upcoming, &upcoming)),
        ("featured", block(&home.featured, &featured)),
    ])
}
