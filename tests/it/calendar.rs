//! Activities: upcoming and past split at the build's day, year pages,
//! iCalendar files read back with a real parser.

use crate::harness::tree;

fn build_demo(
    args: &[&str],
    env: &[(&str, &str)],
) -> (
    tempfile::TempDir,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let (out, public, _) = crate::harness::build_demo(args, env);
    let files = tree(&public);
    (out, files)
}

fn text(files: &std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files[path].clone()).unwrap()
}

/// The `<li>` items of the list with `class` in the activities page.
fn items(html: &str, class: &str) -> usize {
    let start = html.find(&format!("class=\"page-list {class}\"")).unwrap();
    let end = start + html[start..].find("</ul>").unwrap();
    html[start..end].matches("<li data-end").count()
}

#[test]
fn upcoming_and_past_follow_the_build_day() {
    let (_out, files) = build_demo(&["--now", "2026-11-26"], &[]);
    let fr = text(&files, "fr/activites/index.html");
    assert_eq!(
        (items(&fr, "events-upcoming"), items(&fr, "events-past")),
        (4, 5),
        "{fr}"
    );
    // The upcoming list starts with the soonest.
    let first = fr.find("events-upcoming").unwrap();
    assert!(
        fr[first..].find("Lisboa").unwrap() < fr[first..].find("Nouakchott").unwrap_or(usize::MAX)
    );
    // SOURCE_DATE_EPOCH fixes the day too (2028-01-01): nothing upcoming.
    let (_out, files) = build_demo(&[], &[("SOURCE_DATE_EPOCH", "1830297600")]);
    let en = text(&files, "en/activities/index.html");
    assert_eq!(
        (items(&en, "events-upcoming"), items(&en, "events-past")),
        (0, 9)
    );
    assert!(en.contains("No upcoming activities for now."));
    for year in ["2024", "2025", "2026", "2027"] {
        assert!(
            files.contains_key(&format!("fr/activites/{year}/index.html")),
            "{year}"
        );
    }
    assert!(text(&files, "fr/activites/2027/index.html").contains("<h1>Activités 2027</h1>"));
}

#[test]
fn calendars_parse_and_describe_every_activity() {
    let (_out, files) = build_demo(&["--now", "2026-11-26"], &[]);
    let calendars: Vec<&String> = files.keys().filter(|k| k.ends_with(".ics")).collect();
    // French and English: nine activities and the whole calendar; Arabic: one.
    assert_eq!(calendars.len(), 2 * (9 + 1) + (1 + 1), "{calendars:?}");
    for path in calendars {
        let raw = text(&files, path);
        assert!(
            raw.contains("\r\n") && !raw.replace("\r\n", "").contains('\n'),
            "{path}: lines end with CRLF"
        );
        assert!(
            raw.lines().all(|l| l.len() <= 75),
            "{path}: lines are folded at 75 octets"
        );
        let unfolded = icalendar::parser::unfold(&raw);
        let calendar =
            icalendar::parser::read_calendar(&unfolded).unwrap_or_else(|e| panic!("{path}: {e}"));
        let events: Vec<_> = calendar
            .components
            .iter()
            .filter(|c| c.name == "VEVENT")
            .collect();
        assert!(!events.is_empty(), "{path}");
        for event in events {
            for property in [
                "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL", "LOCATION",
            ] {
                assert!(event.find_prop(property).is_some(), "{path}: no {property}");
            }
        }
    }
    let workshop = text(&files, "en/activities/regional-workshop-dakar/event.ics");
    assert!(
        workshop.contains("DTSTART;VALUE=DATE:20250311\r\n"),
        "{workshop}"
    );
    assert!(
        workshop.contains("DTEND;VALUE=DATE:20250314\r\n"),
        "the end is the day after the last day"
    );
    assert!(workshop.contains("LOCATION:Dakar\r\n"));
    let page = text(&files, "en/activities/regional-workshop-dakar/index.html");
    assert!(page.contains(
        r#"<a href="/en/activities/regional-workshop-dakar/event.ics">Add to my calendar</a>"#
    ));
}

#[test]
fn calendar_texts_are_escaped() {
    let site = crate::harness::SiteTest::new("shared_fields");
    site.edit("config.toml", |config| {
        config.replace(
            "[sections.events]\n",
            "[sections.events]\ncalendar = true\n",
        )
    });
    site.write(
        "content/events/_index.fr.md",
        "+++\ntitle = \"Ateliers; réunions, et \\\\ débats\"\nslug = \"evenements\"\n+++\n",
    );
    site.build_ok(&["--now", "2025-01-01"]);
    let ics = site.read("fr/evenements/calendar.ics");
    assert!(
        ics.contains("NAME:Ateliers\\; réunions\\, et \\\\ débats\r\n"),
        "{ics}"
    );
    let unfolded = icalendar::parser::unfold(&ics);
    assert!(icalendar::parser::read_calendar(&unfolded).is_ok());
}
