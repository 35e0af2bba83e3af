//! `[home]`: what each language's home shows besides its own text — the
//! newest pages of a section, the coming events of a calendar section and
//! the pages of a section marked `featured = true`.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHome {
    latest: Option<Spanned<String>>,
    upcoming: Option<Spanned<String>>,
    featured: Option<Spanned<String>>,
    count: Option<Spanned<usize>>,
}

/// A section named by `[home]`, and where.
#[derive(Debug, Clone)]
pub struct HomeSection {
    /// Content-relative folder (`news`).
    pub dir: String,
    span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Home {
    /// Whose newest pages the home lists.
    pub latest: Option<HomeSection>,
    /// The calendar section whose coming events the home lists.
    pub upcoming: Option<HomeSection>,
    /// Whose `featured = true` pages the home shows.
    pub featured: Option<HomeSection>,
    /// How many pages each list shows at most.
    pub count: usize,
}

impl Default for Home {
    fn default() -> Self {
        Home {
            latest: None,
            upcoming: None,
            featured: None,
            count: DEFAULT_COUNT,
        }
    }
}

const DEFAULT_COUNT: usize = 3;

impl Home {
    pub(super) fn resolve(raw: RawHome, text: &str, diagnostics: &mut Diagnostics) -> Home {
        let section = |value: Option<Spanned<String>>| {
            value.map(|v| HomeSection {
                span: v.span(),
                dir: v.into_inner().trim_matches('/').to_string(),
            })
        };
        let count = match raw.count {
            Some(count) if *count.get_ref() == 0 => {
                diagnostics.push(
                    Diagnostic::error(msg!("config.home_count"))
                        .at_span(CONFIG_FILE, text, count.span())
                        .with_help(msg!("config.home_count_help")),
                );
                DEFAULT_COUNT
            }
            Some(count) => count.into_inner(),
            None => DEFAULT_COUNT,
        };
        Home {
            latest: section(raw.latest),
            upcoming: section(raw.upcoming),
            featured: section(raw.featured),
            count,
        }
    }

    /// Every section named is one of `dirs`, and `upcoming` is a calendar.
    pub(super) fn check(&self, config: &Config, dirs: &[&str]) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let named = [
            ("latest", &self.latest),
            ("upcoming", &self.upcoming),
            ("featured", &self.featured),
        ];
        for (key, section) in named {
            let Some(section) = section else { continue };
            let at = |message| {
                Diagnostic::error(message).at_span(CONFIG_FILE, &config.text, section.span.clone())
            };
            if !dirs.contains(&section.dir.as_str()) {
                diagnostics.push(
                    at(msg!("config.home_no_section", key, dir = &section.dir))
                        .with_help(did_you_mean(&section.dir, dirs)),
                );
            } else if key == "upcoming" && !config.section(&section.dir).is_some_and(|s| s.calendar)
            {
                diagnostics.push(
                    at(msg!("config.home_not_calendar", dir = &section.dir))
                        .with_help(msg!("config.home_not_calendar_help", dir = &section.dir)),
                );
            }
        }
        diagnostics
    }
}
