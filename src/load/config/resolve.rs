//! The raw model of `config.toml`, resolved and validated into [`Config`],
//! one table at a time. Each step reports its problems at their place in
//! the file and goes on, so that one run shows them all.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::{
    CMS_BACKENDS, CONFIG_FILE, CmsSettings, Colors, Config, DEFAULT_SHARED, FieldType, Home,
    ImageSettings, Language, Organisation, REQUIRABLE_KEYS, RawCms, RawConfig, RawField, RawImages,
    RawLanguage, RawLanguages, RawSearch, RawSection, RawTaxonomy, SEARCH_FIELDS, SHAREABLE_KEYS,
    SearchSetting, SectionSettings, SortBy, Taxonomy, Typography, parse_base_url,
};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::lang::{Direction, Pipeline};
use crate::messages::Message;

/// Problems of `config.toml`, each at its span.
struct Report<'a> {
    text: &'a str,
    diagnostics: Diagnostics,
}

impl Report<'_> {
    fn at(&self, span: Range<usize>, message: Message) -> Diagnostic {
        Diagnostic::error(message).at_span(CONFIG_FILE, self.text, span)
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// A `paginate_by` of 0 is an error; `None` then.
    fn pagination(&mut self, value: &Option<Spanned<usize>>) -> Option<usize> {
        let value = value.as_ref()?;
        if *value.get_ref() == 0 {
            let error = self
                .at(value.span(), msg!("config.paginate_by"))
                .with_help(msg!("config.paginate_by_help"));
            self.push(error);
            return None;
        }
        Some(*value.get_ref())
    }
}

pub(super) fn resolve(raw: RawConfig, text: &str) -> Result<Config, Diagnostics> {
    let RawConfig {
        base_url,
        default_language,
        timezone,
        theme,
        slugs_from,
        languages: RawLanguages { root, languages },
        taxonomies,
        sections,
        search,
        markdown,
        deploy,
        images,
        cms,
        home,
        organisation,
        colors,
        extra,
    } = raw;
    let mut report = Report {
        text,
        diagnostics: Diagnostics::new(),
    };
    let (base_url, base_path) = resolve_base_url(&base_url, &mut report);
    check_language_codes(&languages, &default_language, &mut report);
    let (timezone, timezone_name) = resolve_timezone(&timezone, &mut report);
    let codes: Vec<String> = languages.keys().cloned().collect();
    let taxonomies = resolve_taxonomies(taxonomies, &codes, &mut report);
    let taxonomy_names: Vec<String> = taxonomies.iter().map(|t| t.name.clone()).collect();
    let sections = sections
        .into_iter()
        .map(|(dir, raw)| {
            let settings = resolve_section(&dir, raw, &taxonomy_names, &mut report);
            (dir.get_ref().trim_matches('/').to_string(), settings)
        })
        .collect();
    let default_language = default_language.into_inner();
    let search_fields = resolve_search_fields(&search, &mut report);
    let images = resolve_images(images, &mut report);
    let cms = resolve_cms(cms, &mut report);
    let languages = resolve_languages(languages, &default_language, &mut report);
    let mut diagnostics = report.diagnostics;
    let home = Home::resolve(home, text, &mut diagnostics);
    let codes: Vec<String> = languages.iter().map(|l| l.code.clone()).collect();
    let organisation = Organisation::resolve(organisation, &codes, text, &mut diagnostics);
    let colors = Colors::resolve(colors, text, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(Config {
        base_url,
        base_path,
        default_language,
        languages,
        root,
        timezone,
        timezone_name,
        theme,
        slugs_from,
        taxonomies,
        sections,
        extra: serde_json::to_value(extra).unwrap_or(serde_json::Value::Null),
        search_fields,
        search_whole_index: search.whole_index,
        markdown,
        deploy,
        images,
        cms,
        home,
        organisation,
        colors,
        text: text.to_string(),
    })
}

/// `[images]`: widths from 16 to 8,192 pixels, a quality from 1 to 100.
/// `[cms]`: a known backend, and the repository those on a git host need.
fn resolve_cms(raw: RawCms, report: &mut Report) -> CmsSettings {
    let backend = match &raw.backend {
        Some(name) if CMS_BACKENDS.contains(&name.get_ref().as_str()) => name.get_ref().clone(),
        Some(name) => {
            let error = report
                .at(
                    name.span(),
                    msg!("config.cms_backend", name = name.get_ref()),
                )
                .with_help(did_you_mean(name.get_ref(), CMS_BACKENDS));
            report.push(error);
            String::new()
        }
        None => "git-gateway".to_string(),
    };
    let needs_repo = backend != "git-gateway" && !backend.is_empty();
    if raw.enabled && needs_repo && raw.repo.is_none() {
        let span = raw.backend.as_ref().map(|b| b.span()).unwrap_or(0..0);
        let error = report
            .at(span, msg!("config.cms_repo", backend = &backend))
            .with_help(msg!("config.cms_repo_help"));
        report.push(error);
    }
    CmsSettings {
        enabled: raw.enabled,
        local: false,
        backend,
        repo: raw.repo.map(|r| r.into_inner()),
        branch: raw.branch.unwrap_or_else(|| "main".to_string()),
        api_root: raw.api_root,
        base_url: raw.base_url,
        auth_endpoint: raw.auth_endpoint,
        app_id: raw.app_id,
    }
}

fn resolve_images(raw: RawImages, report: &mut Report) -> ImageSettings {
    let mut settings = ImageSettings::default();
    settings.warn_size_mb = raw.warn_size_mb.unwrap_or(settings.warn_size_mb);
    settings.warn_pixels = raw.warn_pixels.unwrap_or(settings.warn_pixels);
    settings.cards = raw.cards.unwrap_or(settings.cards);
    settings.page_budget_kb = raw.page_budget_kb.unwrap_or(settings.page_budget_kb);
    settings.keep_metadata = raw.keep_metadata.unwrap_or(settings.keep_metadata);
    settings.share =
        (raw.share).map(|s| (s.get_ref().trim_start_matches('/').to_string(), s.span()));
    if let Some(widths) = raw.widths {
        let bad = widths.get_ref().iter().find(|w| !(16..=8192).contains(*w));
        match (widths.get_ref().is_empty(), bad) {
            (false, None) => settings.widths = widths.get_ref().clone(),
            _ => {
                let error = report
                    .at(widths.span(), msg!("config.image_widths"))
                    .with_help(msg!("config.image_widths_help"));
                report.push(error);
            }
        }
    }
    if let Some(quality) = raw.quality {
        match *quality.get_ref() {
            1..=100 => settings.quality = *quality.get_ref(),
            _ => {
                let error = report
                    .at(quality.span(), msg!("config.image_quality"))
                    .with_help(msg!("config.image_quality_help"));
                report.push(error);
            }
        }
    }
    settings
}

/// The base URL, normalised, and its path.
fn resolve_base_url(base_url: &Spanned<String>, report: &mut Report) -> (String, String) {
    match parse_base_url(base_url.get_ref()) {
        Ok(parsed) => parsed,
        Err(msg) => {
            let error = report
                .at(
                    base_url.span(),
                    msg!("config.invalid_base_url", reason = msg),
                )
                .with_help(msg!("config.invalid_base_url_help"));
            report.push(error);
            (String::new(), String::from("/"))
        }
    }
}

/// Language codes of the right shape, at least one, the default among them.
fn check_language_codes(
    languages: &BTreeMap<String, RawLanguage>,
    default_language: &Spanned<String>,
    report: &mut Report,
) {
    let codes: Vec<&str> = languages.keys().map(String::as_str).collect();
    for code in &codes {
        if !crate::load::lang::is_language_code(code) {
            report.push(
                Diagnostic::error(msg!("config.not_a_language_code", code))
                    .in_file(CONFIG_FILE)
                    .with_help(msg!("config.not_a_language_code_help")),
            );
        }
    }
    if codes.is_empty() {
        report.push(
            Diagnostic::error(msg!("config.no_language"))
                .in_file(CONFIG_FILE)
                .with_help(msg!("config.no_language_help")),
        );
    } else if !codes.contains(&default_language.get_ref().as_str()) {
        let error = report
            .at(
                default_language.span(),
                msg!(
                    "config.unknown_default_language",
                    code = default_language.get_ref()
                ),
            )
            .with_help(did_you_mean(default_language.get_ref(), &codes));
        report.push(error);
    }
}

/// The site's time zone and its name (UTC when none is set).
fn resolve_timezone(
    timezone: &Option<Spanned<String>>,
    report: &mut Report,
) -> (jiff::tz::TimeZone, String) {
    let utc = || (jiff::tz::TimeZone::UTC, "UTC".to_string());
    let Some(name) = timezone else {
        return utc();
    };
    match jiff::tz::TimeZone::get(name.get_ref()) {
        Ok(tz) => (tz, name.get_ref().clone()),
        Err(_) => {
            let error = report
                .at(
                    name.span(),
                    msg!("config.unknown_time_zone", name = name.get_ref()),
                )
                .with_help(msg!("config.unknown_time_zone_help"));
            report.push(error);
            utc()
        }
    }
}

/// Each taxonomy with its slug and title in every language.
fn resolve_taxonomies(
    taxonomies: BTreeMap<String, RawTaxonomy>,
    codes: &[String],
    report: &mut Report,
) -> Vec<Taxonomy> {
    let resolved: Vec<Taxonomy> = taxonomies
        .into_iter()
        .map(|(name, t)| Taxonomy {
            paginate_by: report.pagination(&t.paginate_by),
            slug: codes
                .iter()
                .map(|l| {
                    (
                        l.clone(),
                        crate::load::slug::slugify(t.slug.get(l).unwrap_or(&name)),
                    )
                })
                .collect(),
            title: codes
                .iter()
                .map(|l| (l.clone(), t.title.get(l).unwrap_or(&name).clone()))
                .collect(),
            name,
        })
        .collect();
    for taxonomy in &resolved {
        if let Some((lang, slug)) = taxonomy
            .slug
            .iter()
            .find(|(_, slug)| slug.len() > crate::load::slug::MAX_SLUG_LEN)
        {
            // The table has no span of its own: its name's first place.
            let start = report.text.find(taxonomy.name.as_str()).unwrap_or(0);
            let error = report
                .at(
                    start..start + taxonomy.name.len(),
                    msg!(
                        "config.long_taxonomy_slug",
                        taxonomy = &taxonomy.name,
                        lang,
                        length = slug.len(),
                        max = crate::load::slug::MAX_SLUG_LEN
                    ),
                )
                .with_help(msg!("config.long_taxonomy_slug_help", lang));
            report.push(error);
        }
    }
    resolved
}

/// One `[sections."<dir>"]` table.
fn resolve_section(
    dir: &Spanned<String>,
    s: RawSection,
    taxonomy_names: &[String],
    report: &mut Report,
) -> SectionSettings {
    let section = Section {
        dir,
        raw: &s,
        taxonomy_names,
    };
    let sort_by = s.sort_by.clone().map(|sort| section.sort_by(sort, report));
    let paginate_by = report.pagination(&s.paginate_by);
    let shared = section.shared(report);
    section.check_specs(report);
    let required = section.required(report);
    let calendar = section.calendar(report);
    let filters = section.filters(report);
    let specs = s
        .fields
        .iter()
        .filter_map(|(k, f)| match f {
            RawField::Spec(spec) => Some((k.clone(), spec.clone())),
            RawField::Type(_) => None,
        })
        .collect();
    SectionSettings {
        sort_by,
        paginate_by,
        shared,
        specs,
        required,
        calendar,
        filters,
        related: s.related,
        fields: s
            .fields
            .into_iter()
            .map(|(k, f)| (k, f.spec().ty))
            .collect(),
        key_span: dir.span(),
    }
}

/// A section's table, read key by key.
struct Section<'a> {
    dir: &'a Spanned<String>,
    raw: &'a RawSection,
    taxonomy_names: &'a [String],
}

impl Section<'_> {
    fn error(&self, report: &Report, message: Message, help: Message) -> Diagnostic {
        Diagnostic::error(message)
            .at_span(CONFIG_FILE, report.text, self.dir.span())
            .with_help(help)
    }

    fn declared(&self) -> impl Iterator<Item = &str> {
        self.raw.fields.keys().map(String::as_str)
    }

    /// `sort_by` names a declared field, if not `date`, `weight` or `title`.
    fn sort_by(&self, sort: Spanned<SortBy>, report: &mut Report) -> SortBy {
        let span = sort.span();
        let sort = sort.into_inner();
        if let SortBy::Field(name) = &sort
            && !self.raw.fields.contains_key(name)
        {
            let mut choices = vec!["date", "weight", "title"];
            choices.extend(self.declared());
            report.push(
                Diagnostic::error(msg!("config.sort_by", name))
                    .at_span(CONFIG_FILE, report.text, span)
                    .with_help(msg!(
                        "config.sort_by_help",
                        hint = did_you_mean(name, &choices),
                        section = self.dir.get_ref()
                    )),
            );
        }
        sort
    }

    /// The shared fields: those listed, which must be shareable, or the
    /// default ones.
    fn shared(&self, report: &mut Report) -> Vec<String> {
        let Some(list) = &self.raw.shared else {
            return DEFAULT_SHARED.iter().map(|s| s.to_string()).collect();
        };
        for name in list.get_ref() {
            let declared = self.raw.fields.contains_key(name);
            if !declared && !SHAREABLE_KEYS.contains(&name.as_str()) && !name.starts_with("extra.")
            {
                let mut choices: Vec<&str> = SHAREABLE_KEYS.to_vec();
                choices.extend(self.declared());
                report.push(
                    Diagnostic::error(msg!("config.not_shareable", name))
                        .at_span(CONFIG_FILE, report.text, list.span())
                        .with_help(msg!(
                            "config.not_shareable_help",
                            hint = did_you_mean(name, &choices)
                        )),
                );
            }
        }
        list.get_ref().clone()
    }

    /// Declared fields with a taxonomy name one, and allowed values only
    /// on texts and lists.
    fn check_specs(&self, report: &mut Report) {
        let section = self.dir.get_ref();
        for (name, field) in &self.raw.fields {
            let RawField::Spec(spec) = field else {
                continue;
            };
            if let Some(taxonomy) = &spec.taxonomy
                && !self.taxonomy_names.contains(taxonomy)
            {
                let names: Vec<&str> = self.taxonomy_names.iter().map(String::as_str).collect();
                let message = msg!("config.field_unknown_taxonomy", name, section, taxonomy);
                let error = self.error(report, message, did_you_mean(taxonomy, &names));
                report.push(error);
            }
            if (spec.one_of.is_some() || spec.taxonomy.is_some())
                && !matches!(spec.ty, FieldType::String | FieldType::List)
            {
                let message = msg!("config.one_of_type", name, section);
                let error = self.error(report, message, msg!("config.one_of_type_help"));
                report.push(error);
            }
        }
    }

    /// The required keys: those listed, which must be known, and the
    /// fields declared `required`.
    fn required(&self, report: &mut Report) -> Vec<String> {
        for name in &self.raw.required {
            let known = REQUIRABLE_KEYS.contains(&name.as_str())
                || self.taxonomy_names.contains(name)
                || self.raw.fields.contains_key(name);
            if !known {
                let mut choices: Vec<&str> = REQUIRABLE_KEYS.to_vec();
                choices.extend(self.taxonomy_names.iter().map(String::as_str));
                choices.extend(self.declared());
                let message = msg!(
                    "config.unknown_required",
                    section = self.dir.get_ref(),
                    name
                );
                let error = self.error(report, message, did_you_mean(name, &choices));
                report.push(error);
            }
        }
        self.raw
            .required
            .iter()
            .cloned()
            .chain(
                self.raw
                    .fields
                    .iter()
                    .filter(|(_, f)| matches!(f, RawField::Spec(spec) if spec.required))
                    .map(|(k, _)| k.clone()),
            )
            .collect()
    }

    /// A calendar section needs a `start` date field.
    fn calendar(&self, report: &mut Report) -> bool {
        let start = self.raw.fields.get("start").map(|f| match f {
            RawField::Type(t) => *t,
            RawField::Spec(spec) => spec.ty,
        });
        if self.raw.calendar && !matches!(start, Some(FieldType::Date | FieldType::Datetime)) {
            let section = self.dir.get_ref();
            let message = msg!("config.calendar_without_start", section);
            let help = msg!("config.calendar_without_start_help", section);
            let error = self.error(report, message, help);
            report.push(error);
        }
        self.raw.calendar
    }

    /// Filters are taxonomies or `year` (not on a calendar section).
    fn filters(&self, report: &mut Report) -> Vec<String> {
        for name in &self.raw.filters {
            if name != "year" && !self.taxonomy_names.contains(name) {
                let mut choices: Vec<&str> = vec!["year"];
                choices.extend(self.taxonomy_names.iter().map(String::as_str));
                let message = msg!("config.unknown_filter", section = self.dir.get_ref(), name);
                let error = self.error(report, message, did_you_mean(name, &choices));
                report.push(error);
            }
        }
        if self.raw.calendar && self.raw.filters.iter().any(|f| f == "year") {
            let message = msg!("config.calendar_year_filter", section = self.dir.get_ref());
            let error = self.error(report, message, msg!("config.calendar_year_filter_help"));
            report.push(error);
        }
        self.raw.filters.clone()
    }
}

/// The indexed fields and their boosts, in index order (a boost of 0
/// leaves a field out).
fn resolve_search_fields(search: &RawSearch, report: &mut Report) -> Vec<(String, f64)> {
    let Some(fields) = &search.fields else {
        return SEARCH_FIELDS
            .iter()
            .map(|(n, b)| (n.to_string(), *b))
            .collect();
    };
    let known: Vec<&str> = SEARCH_FIELDS.iter().map(|(n, _)| *n).collect();
    for (name, boost) in fields.get_ref() {
        let error = if !known.contains(&name.as_str()) {
            report
                .at(fields.span(), msg!("config.not_searchable", name))
                .with_help(did_you_mean(name, &known))
        } else if !boost.is_finite() || !(0.0..=1000.0).contains(boost) {
            report
                .at(fields.span(), msg!("config.boost_range", name))
                .with_help(msg!("config.boost_range_help"))
        } else {
            continue;
        };
        report.push(error);
    }
    SEARCH_FIELDS
        .iter()
        .filter_map(|(n, _)| {
            fields
                .get_ref()
                .get(*n)
                .filter(|b| **b > 0.0)
                .map(|b| (n.to_string(), *b))
        })
        .collect()
}

/// The languages, the default first, with their search pipeline,
/// typography and menus (whose links must be safe to follow).
fn resolve_languages(
    languages: BTreeMap<String, RawLanguage>,
    default_code: &str,
    report: &mut Report,
) -> Vec<Language> {
    for (code, l) in &languages {
        if l.search.is_none() && Pipeline::for_code(code).is_none() {
            report.push(
                Diagnostic::error(msg!("config.no_search_pipeline", code))
                    .in_file(CONFIG_FILE)
                    .with_help(msg!("config.no_search_pipeline_help", code)),
            );
        }
    }
    let mut languages: Vec<Language> = languages.into_iter().map(resolve_language).collect();
    languages.sort_by_key(|l| (l.code != default_code, l.code.clone()));
    for item in languages.iter().flat_map(|l| &l.menu) {
        if !is_safe_link(&item.url) {
            // As written: a backslash is doubled in a TOML string.
            let written = [item.url.clone(), item.url.replace('\\', "\\\\")];
            let at = written
                .iter()
                .find_map(|w| report.text.find(w.as_str()).map(|i| i..i + w.len()))
                .unwrap_or(0..0);
            let error = report
                .at(at, msg!("config.menu_link", url = &item.url))
                .with_help(msg!("config.menu_link_help"));
            report.push(error);
        }
    }
    languages
}

fn resolve_language((code, l): (String, RawLanguage)) -> Language {
    Language {
        search: match l.search {
            Some(SearchSetting::English) => Some(Pipeline::English),
            Some(SearchSetting::French) => Some(Pipeline::French),
            Some(SearchSetting::Arabic) => Some(Pipeline::Arabic),
            Some(SearchSetting::Generic) => Some(Pipeline::Generic),
            Some(SearchSetting::Off) => None,
            None => Pipeline::for_code(&code),
        },
        typography: l.typography.unwrap_or_else(|| {
            Typography::for_language(&code, l.locale.as_deref().unwrap_or(&code))
        }),
        locale: l.locale.unwrap_or_else(|| code.replace('-', "_")),
        direction: l.direction.unwrap_or_else(|| Direction::for_code(&code)),
        partial: l.partial,
        untranslated: l.untranslated,
        code,
        name: l.name,
        title: l.title,
        description: l.description,
        menu: l.menu,
    }
}

/// Whether a menu link is one a visitor can follow without running
/// anything: a content link, a path, or a web or mail address.
fn is_safe_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    url.starts_with("@/")
        // A path of the site, not `//host` or `/\host` (another site).
        || (url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\"))
        || url.starts_with('#')
        || ["https://", "http://", "mailto:"]
            .iter()
            .any(|scheme| lower.starts_with(scheme))
}

/// Control characters in any value or key, whitespace in a URL.
pub(super) fn check_characters(text: &str) -> Vec<Diagnostic> {
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return Vec::new();
    };
    crate::load::characters::in_table(table.get_ref())
        .into_iter()
        .map(|(span, problem)| problem.diagnostic(CONFIG_FILE, text, span))
        .collect()
}
