//! Tera, loaded once per build: the theme's templates, overridden by name
//! by the site's `templates/`, plus the `trans` function over the UI
//! string tables (`i18n/<lang>.toml` of the theme, then of the site).

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::i18n::{self, Strings};
use crate::load::lang::Direction;
use crate::load::theme::{Theme, site_files};
use crate::memo;
use crate::timings::Timings;

/// Compiled templates and where each came from.
pub struct Templates {
    pub tera: Tera,
    /// The interface texts, for stages that word things outside templates.
    pub strings: Arc<Strings>,
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
                    Diagnostic::error(msg!("templates.not_utf8"))
                        .in_file(file.origin.clone())
                        .with_help(msg!("templates.not_utf8_help")),
                ),
            }
        }
        let used_by = |key: &str| -> Vec<String> {
            let (double, single) = (format!("key=\"{key}\""), format!("key='{key}'"));
            sources
                .values()
                .filter(|(_, text)| text.contains(&double) || text.contains(&single))
                .map(|(origin, _)| origin.clone())
                .collect()
        };
        let strings = match Strings::load(root, theme, config, used_by) {
            Ok(strings) => strings,
            Err(errors) => {
                diagnostics.extend(errors.into_sorted());
                Strings::default()
            }
        };
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let strings = Arc::new(strings);
        register_i18n(&mut tera, Arc::clone(&strings));
        register_direction(&mut tera, config);
        let mut templates = Templates {
            tera,
            strings,
            sources,
        };
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

    /// Whether `name` may read the variable `variable` when it renders: an
    /// unknown template may read anything, and otherwise the variable must
    /// be named in some template (the page's own, those it extends or
    /// includes, or a component, which takes `@variable`s from the page
    /// that calls it), or the whole context dumped (`__tera_context`).
    pub fn may_read(&self, name: &str, variable: &str) -> bool {
        !self.has(name)
            || self
                .sources
                .values()
                .any(|(_, text)| text.contains(variable) || text.contains("__tera_context"))
    }

    /// Renders `name` with `vars`.
    pub fn render(&self, name: &str, vars: &Vars, timings: &Timings) -> Result<String, Diagnostic> {
        timings
            .template(name, || self.tera.render(name, &vars.to_context()))
            .map_err(|err| self.diagnostic(&err))
    }

    /// A hash of every template's name and text.
    pub fn digest(&self) -> memo::Key {
        memo::key_of(&self.sources)
    }

    /// A Tera error as a diagnostic at the template's file and line.
    pub fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        match err.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                let message = msg!("templates.error", error = report.message());
                let help = if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                    msg!("templates.syntax_help")
                } else {
                    msg!("templates.rendering_help")
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
                let mut message = other.to_string();
                let mut source = std::error::Error::source(err);
                while let Some(cause) = source {
                    message.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                Diagnostic::error(msg!("templates.error", error = message))
                    .in_file("templates")
                    .with_help(msg!("templates.lookup_help"))
            }
        }
    }
}

/// A template's variables.
#[derive(Debug, Clone, Default)]
pub struct Vars(BTreeMap<&'static str, Value>);

impl Vars {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.0.insert(key, Value::from_serializable(value));
    }

    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        self.0.insert(key, value);
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    fn to_context(&self) -> tera::Context {
        let mut context = tera::Context::new();
        for (key, value) in &self.0 {
            context.insert_value(*key, value.clone());
        }
        context
    }
}

/// A hash of what a template can see of `value`.
pub fn value_hash(value: &Value) -> memo::Key {
    let mut h = memo::hasher();
    hash_value(value, &mut h);
    h.key()
}

/// Hashes what a template can see of a value: its kind, whether a string
/// is safe from escaping, and its content, maps in their order.
fn hash_value<H: Hasher>(value: &Value, state: &mut H) {
    use tera::value::ValueKind;
    let kind = value.kind();
    std::mem::discriminant(&kind).hash(state);
    match kind {
        ValueKind::Undefined | ValueKind::None => {}
        ValueKind::Bool => value.as_bool().hash(state),
        ValueKind::U64 | ValueKind::I64 | ValueKind::U128 | ValueKind::I128 => {
            (value.as_i128(), value.as_u128()).hash(state)
        }
        ValueKind::F64 => value.as_f64().map(f64::to_bits).hash(state),
        ValueKind::String => {
            value.is_safe().hash(state);
            value.as_str().hash(state);
        }
        ValueKind::Bytes => value.as_bytes().hash(state),
        ValueKind::Array => {
            let items = value.as_array().unwrap_or_default();
            state.write_usize(items.len());
            for item in items {
                hash_value(item, state);
            }
        }
        ValueKind::Map => match value.as_map() {
            Some(map) => {
                state.write_usize(map.len());
                for (key, item) in map {
                    key.hash(state);
                    hash_value(item, state);
                }
            }
            None => state.write_usize(0),
        },
        // A kind this code does not know: its debug form says everything.
        _ => format!("{value:?}").hash(state),
    }
}

/// The page's language, or `lang="…"` when the template gives one.
fn language(kwargs: &Kwargs, state: &State) -> tera::TeraResult<String> {
    match kwargs.get::<String>("lang")? {
        Some(lang) => Ok(lang),
        None => state.get::<String>("lang")?.ok_or_else(|| {
            tera::Error::message("no `lang` in this template's context: pass lang=\"…\"")
        }),
    }
}

fn date_arg(value: &tera::Value, what: &str) -> tera::TeraResult<jiff::civil::Date> {
    value.as_str().and_then(i18n::parse_date).ok_or_else(|| {
        tera::Error::message(format!(
            "{what} must be a date such as \"2024-05-12\", found `{value}`"
        ))
    })
}

/// `{{ code | direction }}`: `rtl` or `ltr`, the `dir` of a language's
/// text (as configured, or known from the code for any other language).
fn register_direction(tera: &mut Tera, config: &Config) {
    let configured: BTreeMap<String, Direction> = config
        .languages
        .iter()
        .map(|l| (l.code.clone(), l.direction))
        .collect();
    tera.register_filter(
        "direction",
        move |value: &tera::Value, _: Kwargs, _: &State| -> tera::TeraResult<&'static str> {
            let code = value.as_str().ok_or_else(|| {
                tera::Error::message(format!("direction takes a language code, found `{value}`"))
            })?;
            let direction = configured
                .get(code)
                .copied()
                .unwrap_or_else(|| Direction::for_code(code));
            Ok(direction.as_str())
        },
    );
}

/// `trans(key="…", name=value…)`: the interface text in the page's language
/// with its `{name}` placeholders filled; `format_date` and `date_range`
/// word dates the same way.
fn register_i18n(tera: &mut Tera, strings: Arc<Strings>) {
    let trans_strings = Arc::clone(&strings);
    tera.register_function(
        "trans",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            let lang = language(&kwargs, state)?;
            let values: Vec<(String, String)> = kwargs
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), Some("key" | "lang")))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let args: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            trans_strings
                .format(&lang, &key, &args)
                .map_err(tera::Error::message)
        },
    );
    let list_strings = Arc::clone(&strings);
    tera.register_function(
        "language_names",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let lang = language(&kwargs, state)?;
            let codes: Vec<String> = kwargs.must_get("codes")?;
            let names = codes
                .iter()
                .map(|code| {
                    list_strings
                        .get(&lang, &format!("language_{code}"))
                        .map(str::to_string)
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(tera::Error::message)?;
            list_strings
                .join(&lang, &names)
                .map_err(tera::Error::message)
        },
    );
    let date_strings = Arc::clone(&strings);
    tera.register_filter(
        "format_date",
        move |value: &tera::Value, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let lang = language(&kwargs, state)?;
            let date = date_arg(value, "format_date's input")?;
            date_strings
                .format_date(&lang, date)
                .map_err(tera::Error::message)
        },
    );
    tera.register_function(
        "date_range",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let lang = language(&kwargs, state)?;
            let start = date_arg(
                &kwargs.must_get::<tera::Value>("start")?,
                "date_range's `start`",
            )?;
            let end = match kwargs.get::<tera::Value>("end")? {
                Some(end) if !end.is_none() => date_arg(&end, "date_range's `end`")?,
                _ => start,
            };
            strings
                .format_range(&lang, start, end)
                .map_err(tera::Error::message)
        },
    );
}
