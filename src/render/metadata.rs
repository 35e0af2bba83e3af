//! Metadata for search engines and link previews: JSON-LD (`NewsArticle`,
//! `Event`, `Organization`) and the Open Graph type of each page.

use serde_json::{Value as Json, json};

use super::calendar;
use crate::load::front_matter::FieldValue;
use crate::site::{DocId, SiteRead};

/// The JSON-LD of a doc, ready to sit inside `<script type="application/ld+json">`.
pub fn json_ld<'a>(site: &impl SiteRead<'a>, id: DocId) -> Option<String> {
    let doc = site.doc(id);
    let config = site.config();
    let lang = doc.source.lang.as_str();
    let language = config.language(lang)?;
    let home = format!("{}{}", config.base_url, config.language_prefix(lang));
    let organization = json!({ "@type": "Organization", "name": language.title, "url": home });
    let section = site.section(site.placement(id).section);
    let is_calendar = config.section(&section.dir).is_some_and(|s| s.calendar);
    let value: Json = if doc.is_section() && doc.source.key.is_empty() {
        json!({
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": language.title,
            "description": language.description,
            "url": home,
        })
    } else if let (true, Some((start, end))) = (is_calendar, calendar::days(doc)) {
        let when = |name: &str, fallback: jiff::civil::Date| match doc.front_matter.fields.get(name)
        {
            Some(FieldValue::Date(d)) if d.has_time => d.rfc3339(),
            _ => fallback.to_string(),
        };
        let mut event = json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": doc.title(),
            "url": site.permalink(id),
            "startDate": when("start", start),
            "endDate": when("end", end),
            "inLanguage": lang,
            "organizer": organization,
        });
        if let Some(FieldValue::String(place)) = doc.front_matter.fields.get("location") {
            event["location"] = json!({ "@type": "Place", "name": place, "address": place });
        }
        if let Some(description) = &doc.front_matter.description {
            event["description"] = json!(description);
        }
        event
    } else if let (false, Some(date)) = (doc.is_section(), doc.date.as_ref()) {
        json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": doc.title(),
            "url": site.permalink(id),
            "datePublished": date.rfc3339(),
            "dateModified": doc.front_matter.updated.as_ref().unwrap_or(date).rfc3339(),
            "inLanguage": lang,
            "publisher": organization,
            "description": doc.front_matter.description.clone().unwrap_or_default(),
        })
    } else {
        return None;
    };
    // `<`, `>` and `&` as JSON escapes: no `</script>` or `<!--` can end or
    // bend the script element, whatever the JSON says.
    Some(
        serde_json::to_string(&value)
            .ok()?
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026"),
    )
}

/// `article` for dated pages, `website` otherwise.
pub fn og_type<'a>(site: &impl SiteRead<'a>, id: DocId) -> &'static str {
    let doc = site.doc(id);
    if !doc.is_section() && doc.date.is_some() {
        "article"
    } else {
        "website"
    }
}
