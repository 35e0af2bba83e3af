//! Dates as authors and git-based CMS editors write them, normalised in the
//! site's time zone.

use jiff::ZonedDateTime as Zoned;
use jiff::civil;
use jiff::tz::TimeZone;

/// A date or date-time from front matter, in the site's time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct PageDate {
    pub zoned: Zoned,
    /// Whether the author gave a time of day.
    pub has_time: bool,
}

impl PageDate {
    pub fn date(&self) -> civil::Date {
        self.zoned.date()
    }

    /// `YYYY-MM-DD`.
    pub fn ymd(&self) -> String {
        self.date().to_string()
    }

    /// RFC 3339 with the site's offset, e.g. `2024-05-12T14:30:00+02:00`.
    pub fn rfc3339(&self) -> String {
        self.zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    pub fn from_civil_date(date: civil::Date, tz: &TimeZone) -> Option<PageDate> {
        let zoned = date.to_zoned_datetime(tz.clone()).ok()?;
        Some(PageDate {
            zoned,
            has_time: false,
        })
    }
}

impl PartialOrd for PageDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.zoned.timestamp().cmp(&other.zoned.timestamp()))
    }
}

/// Parses a TOML date-time value (date, local date-time, offset date-time).
pub fn from_toml(value: &toml::value::Datetime, tz: &TimeZone) -> Option<PageDate> {
    value.date?; // a bare time of day is not a date
    parse_str(&value.to_string(), tz)
}

/// Parses a date written as a string, in any of the forms that the message
/// `front_matter.date_forms` lists.
pub fn parse_str(s: &str, tz: &TimeZone) -> Option<PageDate> {
    let s = s.trim();
    // Every accepted form is ASCII; this also keeps the slicing below on
    // character boundaries.
    if s.len() < 10 || !s.is_ascii() {
        return None;
    }
    if s.len() == 10 {
        let date: civil::Date = s.parse().ok()?;
        return PageDate::from_civil_date(date, tz);
    }
    let has_offset = {
        let time_part = &s[10..];
        time_part.ends_with(['Z', 'z']) || time_part.contains(['+', '-'])
    };
    let zoned = if has_offset {
        let ts: jiff::Timestamp = s.replacen(' ', "T", 1).parse().ok()?;
        ts.to_zoned_datetime(tz.clone())
    } else {
        let dt: civil::DateTime = s.replacen(' ', "T", 1).parse().ok()?;
        dt.to_zoned_datetime(tz.clone()).ok()?
    };
    Some(PageDate {
        zoned,
        has_time: true,
    })
}

/// Reads a `YYYY-MM-DD-` prefix from a file or folder name: the date and the
/// rest of the name.
pub fn split_date_prefix(name: &str) -> Option<(civil::Date, &str)> {
    let bytes = name.as_bytes();
    if bytes.len() < 11 || bytes[10] != b'-' {
        return None;
    }
    let date: civil::Date = name.get(..10)?.parse().ok()?;
    Some((date, &name[11..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brussels() -> TimeZone {
        TimeZone::get("Europe/Brussels").unwrap()
    }

    #[test]
    fn accepts_every_documented_form() {
        let tz = brussels();
        let cases = [
            ("2024-05-12", "2024-05-12T00:00:00+02:00"),
            ("2024-05-12T14:30:00", "2024-05-12T14:30:00+02:00"),
            ("2024-05-12 14:30", "2024-05-12T14:30:00+02:00"),
            ("2024-05-12T14:30:00+02:00", "2024-05-12T14:30:00+02:00"),
            ("2024-05-12T12:30:00Z", "2024-05-12T14:30:00+02:00"),
            ("2024-05-12T23:30:00-05:00", "2024-05-13T06:30:00+02:00"),
            ("2024-01-12T10:00:00.5", "2024-01-12T10:00:00+01:00"),
        ];
        for (input, expected) in cases {
            let got = parse_str(input, &tz).unwrap_or_else(|| panic!("{input} rejected"));
            assert_eq!(got.rfc3339(), expected, "{input}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        let tz = brussels();
        for input in [
            "yesterday",
            "12 mai",
            "2024-13-01",
            "2024-02-30",
            "14:30:00",
            "",
            "2024-05-12T25:00",
        ] {
            assert!(parse_str(input, &tz).is_none(), "{input} accepted");
        }
    }

    #[test]
    fn toml_values_match_strings() {
        let tz = brussels();
        let doc: toml::Table =
            toml::from_str("a = 2024-05-12\nb = 2024-05-12T12:30:00Z\nc = 14:00:00").unwrap();
        let get = |k: &str| *doc[k].as_datetime().unwrap();
        assert_eq!(from_toml(&get("a"), &tz).unwrap().ymd(), "2024-05-12");
        assert_eq!(
            from_toml(&get("b"), &tz).unwrap().rfc3339(),
            "2024-05-12T14:30:00+02:00"
        );
        assert!(from_toml(&get("c"), &tz).is_none());
    }

    #[test]
    fn reads_filename_date_prefix() {
        let (date, rest) = split_date_prefix("2024-05-12-reunion-dakar").unwrap();
        assert_eq!(
            (date.to_string().as_str(), rest),
            ("2024-05-12", "reunion-dakar")
        );
        assert!(split_date_prefix("2024-05-reunion").is_none());
        assert!(split_date_prefix("reunion").is_none());
    }
}
