//! Tera, loaded once per build: the theme's templates, overridden by name
//! by the site's `templates/`, plus the `trans` function over the UI
//! string tables (`i18n/<lang>.toml` of the theme, then of the site).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use tera::{Kwargs, State, Tera};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::theme::{Theme, ThemeFile, site_files};

/// Language → key → text.
pub type Strings = BTreeMap<String, BTreeMap<String, String>>;

/// Compiled templates and where each came from.
pub struct Templates {
    pub tera: Tera,
    /// Template name → (origin path for diagnostics, source text).
    sources: BTreeMap<String, (String, String)>,
}

impl Templates {
    /// Loads the theme's templates, then the site's overrides.
    pub fn load(root: &Path, theme: &Theme, config: &Config) -> Result<Templates, Diagnostics> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut diagnostics = Diagnostics::new();
        let site_templates = site_files(root, "templates", false).map_err(Diagnostics::from)?;
        let theme_templates = theme
            .files_under("templates")
            .map(|(name, f)| (name.to_string(), f));
        let site_templates = site_templates.iter().map(|f| (f.rel.clone(), f));
        for (name, file) in theme_templates.chain(site_templates) {
            match std::str::from_utf8(&file.bytes) {
                Ok(text) => {
                    sources.insert(name, (file.origin.clone(), text.to_string()));
                }
                Err(_) => diagnostics.push(
                    Diagnostic::error("template is not valid UTF-8")
                        .in_file(file.origin.clone())
                        .with_help("save the file as UTF-8"),
                ),
            }
        }
        let strings = load_strings(root, theme, config, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        register_trans(&mut tera, Arc::new(strings));
        let mut templates = Templates { tera, sources };
        // Tera checks inheritance when templates are added, so all go in at once.
        let all: Vec<(String, String)> = templates
            .sources
            .iter()
            .map(|(n, (_, t))| (n.clone(), t.clone()))
            .collect();
        if let Err(err) = templates.tera.add_raw_templates(all) {
            return Err(templates.diagnostic(&err).into());
        }
        Ok(templates)
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|err| self.diagnostic(&err))
    }

    /// A Tera error as a diagnostic at the template's file and line.
    pub fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        match err.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                let message = format!("template error: {}", report.message());
                let help = if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                    "check the template syntax near this line (Tera: {{ value }}, {% if … %}…{% endif %})"
                } else {
                    "the README lists the variables templates receive; test optional ones with {% if … %}"
                };
                match self.sources.get(report.filename()) {
                    Some((origin, text)) => Diagnostic::error(message)
                        .at_span(origin.clone(), text, report.span().range.clone())
                        .with_help(help),
                    None => Diagnostic::error(message)
                        .in_file(report.filename().to_string())
                        .with_help(help),
                }
            }
            other => {
                let mut message = format!("template error: {other}");
                let mut source = std::error::Error::source(err);
                while let Some(cause) = source {
                    message.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                Diagnostic::error(message)
                    .in_file("templates")
                    .with_help("templates are looked up by name in templates/, then in the theme")
            }
        }
    }
}

fn load_strings(
    root: &Path,
    theme: &Theme,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Strings {
    let mut strings: Strings = config
        .language_codes()
        .map(|l| (l.to_string(), BTreeMap::new()))
        .collect();
    let site_i18n = match site_files(root, "i18n", false) {
        Ok(files) => files,
        Err(d) => {
            diagnostics.push(d);
            Vec::new()
        }
    };
    let theme_i18n = theme
        .files_under("i18n")
        .map(|(n, f)| (n.to_string(), f.clone()));
    for (name, file) in theme_i18n.chain(site_i18n.into_iter().map(|f| (f.rel.clone(), f))) {
        let Some(lang) = name.strip_suffix(".toml") else {
            continue;
        };
        let Some(table) = strings.get_mut(lang) else {
            continue;
        };
        match parse_strings(&file) {
            Ok(parsed) => table.extend(parsed),
            Err(d) => diagnostics.push(d),
        }
    }
    report_missing_strings(&strings, theme, config, diagnostics);
    strings
}

/// Every language must have every interface string that any language has,
/// so a missing translation is reported once, before rendering.
fn report_missing_strings(
    strings: &Strings,
    theme: &Theme,
    config: &Config,
    diagnostics: &mut Diagnostics,
) {
    let all_keys: std::collections::BTreeSet<&String> =
        strings.values().flat_map(|t| t.keys()).collect();
    let fallback = theme
        .files_under("i18n")
        .map(|(name, _)| name.to_string())
        .next()
        .unwrap_or_else(|| format!("{}.toml", config.default_language));
    for (lang, table) in strings {
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
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = if missing.len() > 8 {
            format!(" and {} more", missing.len() - 8)
        } else {
            String::new()
        };
        let help = if table.is_empty() {
            format!(
                "copy themes/{}/i18n/{fallback} to i18n/{lang}.toml and translate its texts",
                theme.name
            )
        } else {
            format!(
                "add them to i18n/{lang}.toml (the site's file adds to and overrides the theme's)"
            )
        };
        diagnostics.push(
            Diagnostic::error(format!(
                "{} interface text(s) missing in `{lang}`: {shown}{more}",
                missing.len()
            ))
            .in_file(format!("i18n/{lang}.toml"))
            .with_help(help),
        );
    }
}

fn parse_strings(file: &ThemeFile) -> Result<BTreeMap<String, String>, Diagnostic> {
    let text = std::str::from_utf8(&file.bytes).map_err(|_| {
        Diagnostic::error("string table is not valid UTF-8").in_file(file.origin.clone())
    })?;
    toml::from_str::<BTreeMap<String, String>>(text).map_err(|err| {
        let d = Diagnostic::error(format!("invalid string table: {}", err.message()))
            .with_help("each line is key = \"text\"");
        match err.span() {
            Some(span) => d.at_span(file.origin.clone(), text, span),
            None => d.in_file(file.origin.clone()),
        }
    })
}

/// `trans(key="…")` in the page's language (or `lang="…"`); a missing key is
/// an error naming key and language, never a word in another language.
fn register_trans(tera: &mut Tera, strings: Arc<Strings>) {
    tera.register_function(
        "trans",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            let lang: String = match kwargs.get::<String>("lang")? {
                Some(lang) => lang,
                None => state.get::<String>("lang")?.ok_or_else(|| {
                    tera::Error::message("trans: no `lang` in this template's context")
                })?,
            };
            strings
                .get(&lang)
                .and_then(|table| table.get(&key))
                .cloned()
                .ok_or_else(|| {
                    tera::Error::message(format!(
                        "no text for key `{key}` in language `{lang}`; add it to i18n/{lang}.toml"
                    ))
                })
        },
    );
}
