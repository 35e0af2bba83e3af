//! The `home` variable of each language's home: the lists `[home]` asks
//! for (newest pages, coming events, featured pages).

use tera::Value;

use super::views::map;
use super::{Inputs, Shared, calendar};
use crate::load::config::HomeSection;
use crate::site::DocId;

/// `{ latest, upcoming, featured }`, each `{ section, pages }` or none.
pub(super) fn home_view(inputs: &Inputs, shared: &Shared, lang: &str) -> Value {
    let site = inputs.site;
    let home = &site.config.home;
    let block = |section: &Option<HomeSection>, pick: &dyn Fn(&[DocId]) -> Vec<DocId>| {
        // A section without an `_index` in this language has no title or
        // link to give the list: no list then.
        let Some((sl, index)) = section
            .as_ref()
            .and_then(|s| site.section_by_dir.get(&s.dir))
            .and_then(|id| site.section(*id).langs.get(lang))
            .and_then(|sl| Some((sl, sl.index?)))
        else {
            return Value::none();
        };
        let pages: Vec<Value> = pick(&sl.pages)
            .into_iter()
            .take(home.count)
            .map(|id| shared.summaries[id.0].clone())
            .collect();
        let section = shared.summaries[index.0].clone();
        map([("section", section), ("pages", Value::from(pages))])
    };
    let newest_first = |pages: &[DocId]| {
        let mut ids = pages.to_vec();
        // Stable: pages of one date keep the section's order.
        ids.sort_by_key(|id| {
            std::cmp::Reverse(site.doc(*id).date.as_ref().map(|d| d.zoned.timestamp()))
        });
        ids
    };
    let upcoming = |pages: &[DocId]| calendar::split(site, pages, inputs.today).0;
    let featured = |pages: &[DocId]| {
        pages
            .iter()
            .copied()
            .filter(|id| site.doc(*id).front_matter.featured)
            .collect()
    };
    map([
        ("latest", block(&home.latest, &newest_first)),
        ("upcoming", block(&home.upcoming, &upcoming)),
        ("featured", block(&home.featured, &featured)),
    ])
}
