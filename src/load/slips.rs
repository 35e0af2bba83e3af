//! Slips people make when they write TOML by hand, explained in plain
//! words instead of the parser's: quotes a word processor made curly, a
//! text without quotes, YAML's `key: value`, a date that does not exist.
//! Asked only once the parser has refused a line.

use crate::messages::Message;

/// What went wrong on the line, and how to write it.
pub struct Slip {
    pub message: Message,
    pub help: Message,
}

/// Opening quotes that are not TOML's.
const CURLY: &[char] = &['“', '”', '«', '»', '„', '‘', '’', '‚', '‹', '›'];

/// The slip on the line of `text` that holds byte `at`, if it is one of
/// those this module knows.
pub fn explain(text: &str, at: usize) -> Option<Slip> {
    let at = crate::diagnostics::clamp_to_char_boundary(text, at);
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text.get(start..end)?.trim();
    if let Some((key, value)) = line.split_once('=') {
        return value_slip(key.trim(), value.trim());
    }
    // `title: "Bonjour"`: YAML, the other front matter.
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let value = quoted(value.trim());
    Some(Slip {
        message: msg!("slips.yaml", key),
        help: msg!("slips.yaml_help", key, value),
    })
}

fn value_slip(key: &str, value: &str) -> Option<Slip> {
    let first = value.chars().next()?;
    if let Some(quote) = CURLY.iter().find(|q| **q == first) {
        let value = format!(
            "\"{}\"",
            value.trim_matches(|c| CURLY.contains(&c) || c == ' ' || c == '\u{a0}')
        );
        return Some(Slip {
            message: msg!("slips.curly_quotes", key, quote = quote),
            help: msg!("slips.curly_quotes_help", key, value),
        });
    }
    if let Some(slip) = date_slip(value) {
        return Some(slip);
    }
    let word = first.is_alphabetic() && !matches!(value, "true" | "false" | "inf" | "nan");
    word.then(|| Slip {
        message: msg!("slips.unquoted", key),
        help: msg!("slips.unquoted_help", key, value = quoted(value)),
    })
}

/// `value` as a TOML string, unless it already is one (or a number, a
/// date, a list…).
fn quoted(value: &str) -> String {
    match value.chars().next() {
        Some(c) if c.is_alphabetic() && !matches!(value, "true" | "false") => {
            format!("\"{}\"", value.replace('"', "\\\""))
        }
        _ => value.to_string(),
    }
}

/// `2027-02-30`, `2027-13-01`: a date the calendar does not have.
fn date_slip(value: &str) -> Option<Slip> {
    let digits = |range: std::ops::Range<usize>| value.get(range)?.parse::<i16>().ok();
    let b = value.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&month) {
        return Some(Slip {
            message: msg!("slips.no_month", month),
            help: msg!("slips.date_help"),
        });
    }
    let days = jiff::civil::Date::new(year, month as i8, 1)
        .ok()?
        .days_in_month();
    if day < 1 || day > i16::from(days) {
        return Some(Slip {
            message: msg!("slips.short_month", month = month_name(month), year, days),
            help: msg!("slips.date_help"),
        });
    }
    None
}

fn month_name(month: i16) -> Message {
    match month {
        1 => msg!("slips.january"),
        2 => msg!("slips.february"),
        3 => msg!("slips.march"),
        4 => msg!("slips.april"),
        5 => msg!("slips.may"),
        6 => msg!("slips.june"),
        7 => msg!("slips.july"),
        8 => msg!("slips.august"),
        9 => msg!("slips.september"),
        10 => msg!("slips.october"),
        11 => msg!("slips.november"),
        _ => msg!("slips.december"),
    }
}

#[cfg(test)]
mod tests {
    use super::explain;
    use crate::messages::MessageLang;

    fn said(line: &str, lang: MessageLang) -> (String, String) {
        let text = format!("title = \"ok\"\n{line}\n");
        let slip = explain(&text, 14).unwrap_or_else(|| panic!("no slip in {line}"));
        (slip.message.render(lang), slip.help.render(lang))
    }

    #[test]
    fn slips_are_explained_in_both_languages() {
        let (message, help) = said("title = “Première actualité”", MessageLang::Fr);
        assert!(message.contains("guillemets typographiques"), "{message}");
        assert!(help.contains("title = \"Première actualité\""), "{help}");
        let (message, _) = said("title = « Première »", MessageLang::En);
        assert!(message.contains("typographic quotes («"), "{message}");
        let (message, help) = said("date = 2027-02-29", MessageLang::Fr);
        assert_eq!(message, "février 2027 n’a que 28 jours");
        assert!(help.contains("AAAA-MM-JJ"), "{help}");
        let (message, _) = said("date = 2028-02-30", MessageLang::En);
        assert_eq!(message, "February 2028 has only 29 days");
        let (message, _) = said("end = 2027-13-01", MessageLang::En);
        assert_eq!(message, "there is no month 13");
        let (message, help) = said("title = Première", MessageLang::En);
        assert!(message.contains("`title`"), "{message}");
        assert!(help.contains("title = \"Première\""), "{help}");
        let (message, help) = said("title: Bonjour", MessageLang::En);
        assert!(message.contains("YAML"), "{message}");
        assert!(help.contains("title = \"Bonjour\""), "{help}");
    }

    #[test]
    fn other_mistakes_are_left_to_the_parser() {
        for line in [
            "title = \"a\" b",
            "date = 2027-02-28",
            "weight = 3x",
            "[taxonomies",
        ] {
            let text = format!("title = \"ok\"\n{line}\n");
            assert!(explain(&text, 14).is_none(), "{line}");
        }
    }
}
