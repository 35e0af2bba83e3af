//! Every text portail says to people, in English and French.
//!
//! Code builds a [`Message`] (a key of the tables `en.toml` and `fr.toml`
//! plus named arguments) and the edge — reports, status lines, the serve
//! overlay — renders it in the reader's [`MessageLang`]. Arguments that come from
//! libraries (a TOML parser's error, an OS error) are inserted as they are.

/// `msg!("config.unknown_key", key, table = name)`: the message `key` with
/// arguments, `key` alone standing for `key = key`.
#[macro_export]
macro_rules! msg {
    (@value $name:ident = $value:expr) => {
        $value
    };
    (@value $name:ident) => {
        $name
    };
    ($key:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::messages::Message::new($key)
            $(.arg(stringify!($name), $crate::msg!(@value $name $(= $value)?)))*
    };
}

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

/// The language of portail's own messages (not of the site's content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MessageLang {
    #[default]
    En,
    Fr,
}

impl MessageLang {
    /// `--lang` when given, else the environment.
    pub fn resolve(flag: Option<MessageLang>) -> MessageLang {
        flag.unwrap_or_else(|| MessageLang::from_locale(|name| std::env::var(name).ok()))
    }

    /// POSIX precedence: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is
    /// set and not empty decides; `fr…` means French, anything else English.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> MessageLang {
        let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()));
        match value {
            Some(v) if v.starts_with("fr") => MessageLang::Fr,
            _ => MessageLang::En,
        }
    }

    fn table(self) -> &'static BTreeMap<String, String> {
        match self {
            MessageLang::En => &EN,
            MessageLang::Fr => &FR,
        }
    }

    /// Whether `n` takes the singular: French counts 0 and 1 as singular.
    fn is_singular(self, n: u64) -> bool {
        match self {
            MessageLang::En => n == 1,
            MessageLang::Fr => n <= 1,
        }
    }
}

static EN: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| parse(include_str!("en.toml")));
static FR: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| parse(include_str!("fr.toml")));

/// Flattens the nested tables into dotted keys. The tables are part of the
/// program and tested, so a broken one yields an empty table, not a panic.
fn parse(text: &str) -> BTreeMap<String, String> {
    fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
        for (key, value) in table {
            let full = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                toml::Value::String(s) => {
                    out.insert(full, s.clone());
                }
                toml::Value::Table(t) => flatten(&full, t, out),
                _ => {}
            }
        }
    }
    let mut out = BTreeMap::new();
    if let Ok(table) = text.parse::<toml::Table>() {
        flatten("", &table, &mut out);
    }
    out
}

/// A text to show, before its language is known. Boxed: diagnostics
/// carry two and travel in `Result`s, which should stay small.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Message(Box<Parts>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Parts {
    key: &'static str,
    /// For plural messages (`key.one` / `key.other`): the count that chooses.
    count: Option<u64>,
    args: Vec<(&'static str, Arg)>,
}

/// The value of a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Text inserted as it is: a file name, a key, a library's error.
    Text(String),
    /// A message rendered in the same language.
    Message(Message),
}

/// What can fill a placeholder.
pub trait IntoArg {
    fn into_arg(self) -> Arg;
}

impl<T: fmt::Display> IntoArg for T {
    fn into_arg(self) -> Arg {
        Arg::Text(self.to_string())
    }
}

impl IntoArg for Message {
    fn into_arg(self) -> Arg {
        Arg::Message(self)
    }
}

impl Message {
    /// The message `key`; see also [`msg!`](crate::msg).
    pub fn new(key: &'static str) -> Message {
        Message(Box::new(Parts {
            key,
            count: None,
            args: Vec::new(),
        }))
    }

    /// A message with a singular and a plural form (`key.one`, `key.other`)
    /// chosen by `n`, which is also its `{n}` placeholder.
    pub fn count(key: &'static str, n: usize) -> Message {
        let n = n as u64;
        Message(Box::new(Parts {
            key,
            count: Some(n),
            args: vec![("n", Arg::Text(n.to_string()))],
        }))
    }

    /// Text from a library, shown as it is.
    pub fn raw(text: impl fmt::Display) -> Message {
        Message::new("raw").arg("text", text)
    }

    pub fn arg(mut self, name: &'static str, value: impl IntoArg) -> Message {
        self.0.args.push((name, value.into_arg()));
        self
    }

    pub fn key(&self) -> &'static str {
        self.0.key
    }

    /// The text in `lang`.
    pub fn render(&self, lang: MessageLang) -> String {
        let Parts { key, count, args } = &*self.0;
        let key = match count {
            Some(n) if lang.is_singular(*n) => format!("{key}.one"),
            Some(_) => format!("{key}.other"),
            None => key.to_string(),
        };
        // Both tables are tested to have the same keys; the key itself beats
        // a panic should one be missing anyway.
        let template = lang
            .table()
            .get(&key)
            .or_else(|| MessageLang::En.table().get(&key))
            .map_or(key.as_str(), String::as_str);
        crate::placeholders::fill(template, |name| {
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, arg)| match arg {
                    Arg::Text(text) => text.clone(),
                    Arg::Message(m) => m.render(lang),
                })
        })
    }
}

/// The placeholders of a template, for the table tests.
#[cfg(test)]
fn placeholders(template: &str) -> std::collections::BTreeSet<String> {
    let names = std::cell::RefCell::new(std::collections::BTreeSet::new());
    crate::placeholders::fill(template, |name| {
        names.borrow_mut().insert(name.to_string());
        None
    });
    names.into_inner()
}

/// An error of portail worded by a message, carried in an `anyhow` chain
/// until a report renders it in the reader's language.
#[derive(Debug)]
pub struct Failure {
    message: Message,
    source: Option<anyhow::Error>,
}

impl fmt::Display for Failure {
    /// English, for logs: people see [`error_chain`] in their language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message.render(MessageLang::En))
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// An error that is only a message (where `bail!` would be).
pub fn failure(message: Message) -> anyhow::Error {
    anyhow::Error::new(Failure {
        message,
        source: None,
    })
}

/// Like `anyhow::Context`, with a message instead of a string.
pub trait WithMessage<T> {
    fn with_message(self, message: impl FnOnce() -> Message) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> WithMessage<T> for Result<T, E> {
    fn with_message(self, message: impl FnOnce() -> Message) -> anyhow::Result<T> {
        self.map_err(|err| {
            anyhow::Error::new(Failure {
                message: message(),
                source: Some(err.into()),
            })
        })
    }
}

impl<T> WithMessage<T> for Option<T> {
    fn with_message(self, message: impl FnOnce() -> Message) -> anyhow::Result<T> {
        self.ok_or_else(|| failure(message()))
    }
}

/// Each error of the chain as a message: portail's own in the reader's
/// language, the libraries' as they are.
pub fn error_messages(err: &anyhow::Error) -> Vec<Message> {
    err.chain()
        .map(|cause| match cause.downcast_ref::<Failure>() {
            Some(failure) => failure.message.clone(),
            None => Message::raw(cause),
        })
        .collect()
}

/// The whole chain on one line, `outer: inner` (what `{:#}` would print).
pub fn error_chain(err: &anyhow::Error) -> Message {
    let mut messages = error_messages(err).into_iter();
    let first = messages.next().unwrap_or_else(|| Message::raw(err));
    messages.fold(first, |outer, inner| msg!("error.chain", outer, inner))
}

#[cfg(test)]
mod tests;
