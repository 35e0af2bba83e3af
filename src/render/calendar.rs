//! Event sections (`calendar = true`): upcoming and past lists measured from
//! the build's day, a page per year, and iCalendar files (RFC 5545): one per
//! event and one per section and language.

use chrono::{NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, EventLike};
use jiff::civil::Date;

use crate::load::front_matter::FieldValue;
use crate::load::page::Doc;
use crate::output::{Origin, OutputFile};
use crate::site::{DocId, SectionLang, Site, SiteRead};

/// How every section calendar's origin starts.
pub const ORIGIN: &str = "calendar of ";

/// An event's first and last day (inclusive), from its `start` and `end`.
pub fn days(doc: &Doc) -> Option<(Date, Date)> {
    let date = |name: &str| match doc.front_matter.fields.get(name) {
        Some(FieldValue::Date(d)) => Some(d.date()),
        _ => None,
    };
    let start = date("start")?;
    let end = date("end").filter(|e| *e >= start).unwrap_or(start);
    Some((start, end))
}

/// Upcoming events (not yet over on `today`), soonest first, and past ones,
/// latest first.
pub fn split<'a>(
    site: &impl SiteRead<'a>,
    pages: &[DocId],
    today: Date,
) -> (Vec<DocId>, Vec<DocId>) {
    let mut events: Vec<(DocId, Date, Date)> = pages
        .iter()
        .filter_map(|id| days(site.doc(*id)).map(|(s, e)| (*id, s, e)))
        .collect();
    events.sort_by(|a, b| {
        a.1.cmp(&b.1).then_with(|| {
            site.placement(a.0)
                .url_path
                .cmp(&site.placement(b.0).url_path)
        })
    });
    let (upcoming, mut past): (Vec<_>, Vec<_>) =
        events.into_iter().partition(|(_, _, end)| *end >= today);
    past.reverse();
    (
        upcoming.into_iter().map(|e| e.0).collect(),
        past.into_iter().map(|e| e.0).collect(),
    )
}

/// Events by year of their start, latest year first.
pub fn by_year<'a>(site: &impl SiteRead<'a>, pages: &[DocId]) -> Vec<(i16, Vec<DocId>)> {
    let mut years: std::collections::BTreeMap<i16, Vec<(Date, DocId)>> =
        std::collections::BTreeMap::new();
    for id in pages {
        if let Some((start, _)) = days(site.doc(*id)) {
            years.entry(start.year()).or_default().push((start, *id));
        }
    }
    years
        .into_iter()
        .rev()
        .map(|(year, mut events)| {
            events.sort();
            (year, events.into_iter().map(|(_, id)| id).collect())
        })
        .collect()
}

/// Path of an event's iCalendar file.
pub fn event_path<'a>(site: &impl SiteRead<'a>, id: DocId) -> String {
    format!("{}event.ics", site.placement(id).url_path)
}

/// Path of a section's whole calendar.
pub fn calendar_path(section_lang: &SectionLang) -> String {
    format!("{}calendar.ics", section_lang.url_path)
}

fn naive(date: Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )
}

fn event(site: &Site, id: DocId) -> Option<icalendar::Event> {
    let doc = site.doc(id);
    let (start, end) = days(doc)?;
    let mut event = icalendar::Event::new();
    event
        .uid(&site.permalink(id))
        .summary(&line_breaks(doc.title()))
        .url(&site.permalink(id));
    // DTSTAMP from the page, not the clock: builds stay reproducible.
    let stamp = doc
        .front_matter
        .updated
        .as_ref()
        .or(doc.date.as_ref())
        .map_or(0, |d| d.zoned.timestamp().as_second());
    if let chrono::LocalResult::Single(stamp) = Utc.timestamp_opt(stamp, 0) {
        event.timestamp(stamp);
    }
    match (
        doc.front_matter.fields.get("start"),
        doc.front_matter.fields.get("end"),
    ) {
        // Times given: exact instants, in UTC.
        (Some(FieldValue::Date(s)), e) if s.has_time => {
            let utc = |d: &crate::load::dates::PageDate| {
                Utc.timestamp_opt(d.zoned.timestamp().as_second(), 0)
                    .single()
            };
            event.starts(utc(s)?);
            match e {
                Some(FieldValue::Date(e)) if e.has_time => {
                    event.ends(utc(e)?);
                }
                // A whole last day: the event ends when that day does.
                Some(FieldValue::Date(e)) => {
                    let midnight = e
                        .date()
                        .tomorrow()
                        .ok()?
                        .to_zoned_datetime(site.config.timezone.clone())
                        .ok()?;
                    event.ends(
                        Utc.timestamp_opt(midnight.timestamp().as_second(), 0)
                            .single()?,
                    );
                }
                _ => {}
            }
        }
        // Whole days: the end is exclusive, the day after the last.
        _ => {
            event.starts(naive(start)?);
            event.ends(naive(end.tomorrow().ok()?)?);
        }
    }
    if let Some(FieldValue::String(location)) = doc.front_matter.fields.get("location") {
        event.location(&line_breaks(location));
    }
    if let Some(description) = &doc.front_matter.description {
        event.description(&line_breaks(description));
    }
    Some(event.done())
}

fn calendar(name: &str, events: impl IntoIterator<Item = icalendar::Event>) -> String {
    let mut calendar = Calendar::new();
    // The crate escapes X-WR-CALNAME but not NAME (RFC 7986): escape it here.
    calendar.append_property(icalendar::Property::new("NAME", text(name)));
    calendar.append_property(icalendar::Property::new("X-WR-CALNAME", line_breaks(name)));
    for e in events {
        calendar.push(e);
    }
    calendar
        .done()
        .to_string()
        .replace("PRODID:ICALENDAR-RS", "PRODID:-//portail//portail//EN")
}

/// Every line break as `\n`, which the crate escapes (it leaves a lone CR
/// as it is, which would break the line), and no other control character
/// (RFC 5545 TEXT allows none but the tab).
fn line_breaks(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// RFC 5545 TEXT: backslash, semicolon and comma escaped, line breaks as `\n`.
fn text(value: &str) -> String {
    line_breaks(value)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// The iCalendar files of every calendar section, in every language.
pub fn files(site: &Site) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for (i, section) in site.sections.iter().enumerate() {
        if !site
            .config
            .section(&section.dir)
            .is_some_and(|s| s.calendar)
        {
            continue;
        }
        for (lang, sl) in &section.langs {
            let events: Vec<DocId> = (&site)
                .list(crate::site::SectionId(i), lang)
                .iter()
                .copied()
                .filter(|p| site.doc(*p).source.lang == *lang)
                .collect();
            for id in &events {
                if let Some(e) = event(site, *id) {
                    let text = calendar(site.doc(*id).title(), [e]);
                    files.push(OutputFile::html(
                        event_path(&site, *id),
                        text,
                        Origin::Content(site.doc(*id).source.rel_path.clone()),
                    ));
                }
            }
            let name = sl
                .index
                .map_or(section.dir.clone(), |i| site.doc(i).title().to_string());
            let text = calendar(&name, events.iter().filter_map(|id| event(site, *id)));
            files.push(OutputFile::html(
                calendar_path(sl),
                text,
                Origin::Generated(format!("{ORIGIN}content/{}", section.dir)),
            ));
        }
    }
    files
}
