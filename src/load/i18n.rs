//! Interface texts per language (`i18n/<lang>.toml` of the theme, then of
//! the site) and everything worded with them: `trans` with placeholders,
//! dates and date ranges. Month names and date patterns live in the tables,
//! so a new language needs a file, not code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::civil::Date;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::theme::{Theme, ThemeFile, site_files};
use crate::messages::Message;

/// Language → key → text.
#[derive(Debug, Default, Clone)]
pub struct Strings {
    tables: BTreeMap<String, BTreeMap<String, String>>,
}

impl Strings {
    /// Loads the theme's tables, then the site's, for every configured
    /// language, and checks that no language lacks a key another one has;
    /// `used_by` names the templates that ask for a key, for the report.
    pub fn load(
        root: &Path,
        theme: &Theme,
        config: &Config,
        used_by: impl Fn(&str) -> Vec<String>,
    ) -> Result<Strings, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let mut tables: BTreeMap<String, BTreeMap<String, String>> = config
            .language_codes()
            .map(|l| (l.to_string(), BTreeMap::new()))
            .collect();
        let site_i18n = site_files(root, "i18n", false).map_err(Diagnostics::from)?;
        let theme_i18n = theme
            .files_under("i18n")
            .map(|(n, f)| (n.to_string(), f.clone()));
        for (name, file) in theme_i18n.chain(site_i18n.into_iter().map(|f| (f.rel.clone(), f))) {
            let Some(table) = name
                .strip_suffix(".toml")
                .and_then(|lang| tables.get_mut(lang))
            else {
                continue;
            };
            match parse_table(&file) {
                Ok(parsed) => table.extend(parsed),
                Err(d) => diagnostics.push(d),
            }
        }
        let strings = Strings { tables };
        strings.report_missing(theme, config, &used_by, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(strings)
    }

    /// Builds tables from literal text, for tests.
    pub fn from_tables<'a>(tables: impl IntoIterator<Item = (&'a str, &'a str)>) -> Strings {
        let tables = tables
            .into_iter()
            .map(|(lang, text)| (lang.to_string(), toml::from_str(text).unwrap_or_default()))
            .collect();
        Strings { tables }
    }

    /// The text of `key` in `lang`.
    pub fn get(&self, lang: &str, key: &str) -> Result<&str, String> {
        self.tables
            .get(lang)
            .and_then(|table| table.get(key))
            .map(String::as_str)
            .ok_or_else(|| {
                format!("no text for key `{key}` in language `{lang}`; add it to i18n/{lang}.toml")
            })
    }

    /// The text of `key` in `lang` with `{name}` placeholders filled from `args`.
    pub fn format(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> Result<String, String> {
        let text = self.get(lang, key)?;
        fill(text, args).map_err(|name| {
            format!(
                "the text `{key}` in `{lang}` uses `{{{name}}}`, which the template does not give"
            )
        })
    }

    /// « français, anglais et espagnol »: items joined with the table's
    /// `comma` (`, ` if it has none) and its `and`: a word set between the
    /// last two, or a pattern with `{a}` and `{b}` where the word joins
    /// the next one (Arabic « الفرنسية والإنجليزية »: `"{a} و{b}"`).
    pub fn join(&self, lang: &str, items: &[String]) -> Result<String, String> {
        let comma = self.get(lang, "comma").unwrap_or(", ");
        Ok(match items {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => {
                let (rest, and) = (rest.join(comma), self.get(lang, "and")?);
                if and.contains("{b}") {
                    fill(and, &[("a", &rest), ("b", last)]).map_err(|name| {
                        format!("the text `and` in `{lang}` uses `{{{name}}}`; it may use {{a}} and {{b}}")
                    })?
                } else {
                    format!("{rest} {and} {last}")
                }
            }
        })
    }

    /// « 12 mai 2024 », "12 May 2024": pattern `date` with `{day}`, `{month}`, `{year}`.
    pub fn format_date(&self, lang: &str, date: Date) -> Result<String, String> {
        let day = self.day(lang, date)?;
        let month = self.month(lang, date)?;
        let year = date.year().to_string();
        self.format(
            lang,
            "date",
            &[("day", &day), ("month", month), ("year", &year)],
        )
    }

    /// « 12–14 mai 2024 », « 30 avril – 2 mai 2024 », "12–14 May 2024".
    pub fn format_range(&self, lang: &str, start: Date, end: Date) -> Result<String, String> {
        let (start, end) = if end < start {
            (end, start)
        } else {
            (start, end)
        };
        if start == end {
            return self.format_date(lang, start);
        }
        let (start_day, end_day) = (self.day(lang, start)?, self.day(lang, end)?);
        let (start_month, end_month) = (self.month(lang, start)?, self.month(lang, end)?);
        let (start_year, end_year) = (start.year().to_string(), end.year().to_string());
        if start.year() != end.year() {
            let (from, to) = (self.format_date(lang, start)?, self.format_date(lang, end)?);
            return self.format(lang, "date_range", &[("start", &from), ("end", &to)]);
        }
        let key = if start.month() == end.month() {
            "date_range_same_month"
        } else {
            "date_range_same_year"
        };
        self.format(
            lang,
            key,
            &[
                ("start_day", &start_day),
                ("end_day", &end_day),
                ("start_month", start_month),
                ("end_month", end_month),
                ("month", end_month),
                ("year", &end_year),
                ("start_year", &start_year),
            ],
        )
    }

    fn month(&self, lang: &str, date: Date) -> Result<&str, String> {
        self.get(lang, &format!("month_{}", date.month()))
    }

    /// The day number, or the table's `day_first` on the 1st (« 1er mai »).
    fn day(&self, lang: &str, date: Date) -> Result<String, String> {
        if date.day() == 1 {
            return self.get(lang, "day_first").map(str::to_string);
        }
        Ok(date.day().to_string())
    }

    fn report_missing(
        &self,
        theme: &Theme,
        config: &Config,
        used_by: &dyn Fn(&str) -> Vec<String>,
        diagnostics: &mut Diagnostics,
    ) {
        let all_keys: BTreeSet<&String> = self.tables.values().flat_map(|t| t.keys()).collect();
        // The table to translate from: English, the one translators most
        // often read, unless it is the site's own language.
        let tables: Vec<String> = theme
            .files_under("i18n")
            .map(|(name, _)| name.to_string())
            .filter(|name| name.strip_suffix(".toml") != Some(config.default_language.as_str()))
            .collect();
        let model = (tables.iter())
            .find(|name| *name == "en.toml")
            .or(tables.first())
            .cloned()
            .unwrap_or_else(|| format!("{}.toml", config.default_language));
        for (lang, table) in &self.tables {
            let missing: Vec<&str> = all_keys
                .iter()
                .filter(|k| !table.contains_key(**k))
                .map(|k| k.as_str())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let shown = missing
                .iter()
                .take(8)
                .map(|k| match used_by(k).as_slice() {
                    // A language with no table at all gets the list only.
                    templates if !templates.is_empty() && !table.is_empty() => {
                        msg!("i18n.used_by", key = k, templates = templates.join(", "))
                    }
                    _ => Message::raw(format!("`{k}`")),
                })
                .fold(None, |list: Option<Message>, item| {
                    Some(match list {
                        None => item,
                        Some(list) => msg!("i18n.list", list, item),
                    })
                })
                .unwrap_or_else(|| Message::raw(""));
            let more = if missing.len() > 8 {
                msg!("i18n.more", n = missing.len() - 8)
            } else {
                Message::raw("")
            };
            let help = if table.is_empty() {
                msg!("i18n.copy_help", theme = &theme.name, model = &model, lang)
            } else {
                msg!("i18n.add_help", lang)
            };
            diagnostics.push(
                Diagnostic::error(msg!(
                    "i18n.missing",
                    count = missing.len(),
                    lang,
                    shown,
                    more
                ))
                .in_file(format!("i18n/{lang}.toml"))
                .with_help(help),
            );
        }
    }
}

/// Replaces `{name}` by its value; `{{` and `}}` stand for braces. Returns
/// the name of a placeholder that has no value.
fn fill(text: &str, args: &[(&str, &str)]) -> Result<String, String> {
    let missing = std::cell::RefCell::new(None);
    let out = crate::placeholders::fill(text, |name| {
        let value = args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string());
        if value.is_none() {
            missing.borrow_mut().get_or_insert_with(|| name.to_string());
        }
        value
    });
    match missing.into_inner() {
        Some(name) => Err(name),
        None => Ok(out),
    }
}

fn parse_table(file: &ThemeFile) -> Result<BTreeMap<String, String>, Diagnostic> {
    let text = std::str::from_utf8(&file.bytes)
        .map_err(|_| Diagnostic::error(msg!("i18n.not_utf8")).in_file(file.origin.clone()))?;
    toml::from_str::<BTreeMap<String, String>>(text).map_err(|err| {
        let d = Diagnostic::error(msg!("i18n.invalid", error = err.message()))
            .with_help(msg!("i18n.invalid_help"));
        match err.span() {
            Some(span) => d.at_span(file.origin.clone(), text, span),
            None => d.in_file(file.origin.clone()),
        }
    })
}

/// Reads the date part of `2024-05-12` or `2024-05-12T10:00:00+02:00`.
pub fn parse_date(value: &str) -> Option<Date> {
    value.get(..10)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme_strings() -> Strings {
        let root = env!("CARGO_MANIFEST_DIR");
        let read = |lang: &str| {
            std::fs::read_to_string(format!("{root}/themes/default/i18n/{lang}.toml")).unwrap()
        };
        let (fr, en, ar) = (read("fr"), read("en"), read("ar"));
        Strings::from_tables([
            ("fr", fr.as_str()),
            ("en", en.as_str()),
            ("ar", ar.as_str()),
        ])
    }

    #[test]
    fn joins_lists_per_language() {
        let s = theme_strings();
        let names = |n: &[&str]| n.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let cases = [
            ("fr", names(&["français"]), "français"),
            (
                "fr",
                names(&["français", "anglais", "arabe"]),
                "français, anglais et arabe",
            ),
            ("en", names(&["French", "English"]), "French and English"),
            (
                "ar",
                names(&["الفرنسية", "الإنجليزية"]),
                "الفرنسية والإنجليزية",
            ),
            (
                "ar",
                names(&["الفرنسية", "الإنجليزية", "الإسبانية"]),
                "الفرنسية، الإنجليزية والإسبانية",
            ),
        ];
        for (lang, items, expected) in cases {
            assert_eq!(s.join(lang, &items).unwrap(), expected);
        }
        let bad = Strings::from_tables([("ar", "and = \"{x} و{b}\"")]);
        assert!(
            bad.join("ar", &names(&["a", "b"]))
                .unwrap_err()
                .contains("{x}")
        );
    }

    #[test]
    fn words_arabic_dates() {
        let s = theme_strings();
        assert_eq!(
            s.format_date("ar", d("2025-06-20")).unwrap(),
            "20 يونيو 2025"
        );
        assert_eq!(
            s.format_range("ar", d("2025-03-11"), d("2025-03-13"))
                .unwrap(),
            "11–13 مارس 2025"
        );
        assert_eq!(
            s.format_range("ar", d("2024-12-30"), d("2025-01-02"))
                .unwrap(),
            "30 ديسمبر 2024 – 2 يناير 2025"
        );
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn formats_dates_per_language() {
        let s = theme_strings();
        let cases = [
            ("fr", "2024-05-12", "12 mai 2024"),
            ("en", "2024-05-12", "12 May 2024"),
            ("fr", "2024-05-01", "1er mai 2024"),
            ("en", "2024-05-01", "1 May 2024"),
            ("fr", "2025-08-15", "15 août 2025"),
            ("fr", "2025-02-03", "3 février 2025"),
            ("en", "2025-12-31", "31 December 2025"),
        ];
        for (lang, date, expected) in cases {
            assert_eq!(
                s.format_date(lang, d(date)).unwrap(),
                expected,
                "{lang} {date}"
            );
        }
    }

    #[test]
    fn formats_date_ranges_per_language() {
        let s = theme_strings();
        let cases = [
            ("fr", "2024-05-12", "2024-05-14", "12–14 mai 2024"),
            ("fr", "2024-04-30", "2024-05-02", "30 avril – 2 mai 2024"),
            ("en", "2024-05-12", "2024-05-14", "12–14 May 2024"),
            ("en", "2024-04-30", "2024-05-02", "30 April – 2 May 2024"),
            (
                "fr",
                "2024-12-30",
                "2025-01-02",
                "30 décembre 2024 – 2 janvier 2025",
            ),
            (
                "en",
                "2024-12-30",
                "2025-01-02",
                "30 December 2024 – 2 January 2025",
            ),
            ("fr", "2024-05-12", "2024-05-12", "12 mai 2024"),
            ("fr", "2024-05-01", "2024-05-03", "1er–3 mai 2024"),
            ("en", "2024-05-14", "2024-05-12", "12–14 May 2024"),
        ];
        for (lang, start, end, expected) in cases {
            assert_eq!(
                s.format_range(lang, d(start), d(end)).unwrap(),
                expected,
                "{lang} {start} {end}"
            );
        }
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill("Page {n} sur {total}", &[("n", "2"), ("total", "5")]).unwrap(),
            "Page 2 sur 5"
        );
        assert_eq!(
            fill("{{literal}} {n}", &[("n", "1")]).unwrap(),
            "{literal} 1"
        );
        assert_eq!(fill("a } b", &[]).unwrap(), "a } b");
        assert_eq!(fill("{missing}", &[]).unwrap_err(), "missing");
    }

    #[test]
    fn missing_keys_name_key_and_language() {
        let s = Strings::from_tables([("fr", "a = \"x\"")]);
        assert_eq!(
            s.get("fr", "b").unwrap_err(),
            "no text for key `b` in language `fr`; add it to i18n/fr.toml"
        );
    }
}
