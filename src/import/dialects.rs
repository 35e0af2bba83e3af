//! The front matter other generators write — YAML between `---`, TOML
//! between `+++`, a JSON object at the top — and their configuration
//! files, read into one kind of value (JSON's) for the importers.

use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

use crate::messages::Message;

/// A content file: its front matter and its body.
#[derive(Debug)]
pub struct Parsed {
    pub front: Map<String, Value>,
    pub body: String,
}

/// Splits and reads a content file's front matter; a file without one is
/// all body. The error says what is wrong and on which line.
pub fn parse(text: &str) -> Result<Parsed, Message> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fenced = |fence: &str| -> Option<(&str, &str)> {
        let rest = text
            .strip_prefix(fence)?
            .strip_prefix('\n')
            .or_else(|| text.strip_prefix(fence)?.strip_prefix("\r\n"))?;
        let end = find_fence(rest, fence)?;
        let after = &rest[end + fence.len()..];
        Some((&rest[..end], after.trim_start_matches(['\r', '\n'])))
    };
    if text.starts_with("---") {
        let (front, body) = fenced("---").ok_or_else(|| msg!("import.unclosed", fence = "---"))?;
        return Ok(Parsed {
            front: yaml_map(front)?,
            body: body.to_string(),
        });
    }
    if text.starts_with("+++") {
        let (front, body) = fenced("+++").ok_or_else(|| msg!("import.unclosed", fence = "+++"))?;
        return Ok(Parsed {
            front: toml_map(front)?,
            body: body.to_string(),
        });
    }
    if text.starts_with('{') {
        // A JSON object, then the body: the object's end is where a
        // streaming reader stops.
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        return match stream.next() {
            Some(Ok(Value::Object(front))) => Ok(Parsed {
                front,
                body: text[stream.byte_offset()..]
                    .trim_start_matches(['\r', '\n'])
                    .to_string(),
            }),
            Some(Err(err)) => Err(msg!("import.bad_json", line = err.line(), error = err)),
            _ => Err(msg!("import.bad_json", line = 1, error = "not an object")),
        };
    }
    Ok(Parsed {
        front: Map::new(),
        body: text.to_string(),
    })
}

/// The byte offset of a line that is the fence alone.
fn find_fence(text: &str, fence: &str) -> Option<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some(at);
        }
        at += line.len();
    }
    None
}

/// A YAML mapping (an empty document is an empty mapping).
pub fn yaml_map(text: &str) -> Result<Map<String, Value>, Message> {
    let docs = YamlLoader::load_from_str(text).map_err(|err| {
        msg!(
            "import.bad_yaml",
            line = err.marker().line(),
            error = err.info()
        )
    })?;
    match docs.into_iter().next().map(yaml_value) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(_) => Err(msg!("import.bad_yaml", line = 1, error = "not a mapping")),
    }
}

/// A TOML table, its dates as the strings they are written as.
pub fn toml_map(text: &str) -> Result<Map<String, Value>, Message> {
    let table: toml::Table = text.parse().map_err(|err: toml::de::Error| {
        let line = err.span().map_or(1, |s| {
            text[..s.start.min(text.len())].lines().count().max(1)
        });
        msg!("import.bad_toml", line, error = err.message())
    })?;
    match toml_value(toml::Value::Table(table)) {
        Value::Object(map) => Ok(map),
        _ => Ok(Map::new()),
    }
}

/// A JSON object.
pub fn json_map(text: &str) -> Result<Map<String, Value>, Message> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(msg!("import.bad_json", line = 1, error = "not an object")),
        Err(err) => Err(msg!("import.bad_json", line = err.line(), error = err)),
    }
}

fn yaml_value(yaml: Yaml) -> Value {
    match yaml {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::String(s), Value::Number),
        Yaml::Integer(i) => Value::from(i),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(items) => Value::Array(items.into_iter().map(yaml_value).collect()),
        Yaml::Hash(hash) => Value::Object(
            hash.into_iter()
                .map(|(k, v)| (yaml_key(k), yaml_value(v)))
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

fn yaml_key(key: Yaml) -> String {
    match key {
        Yaml::String(s) | Yaml::Real(s) => s,
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

fn toml_value(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_value).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.into_iter().map(|(k, v)| (k, toml_value(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_dialects() {
        let yaml = parse(
            "---\ntitle: \"Réunion\"\ntags: [a, b]\ndate: 2024-05-12\ndraft: true\n---\n\nText.\n",
        )
        .unwrap();
        assert_eq!(yaml.front["title"], "Réunion");
        assert_eq!(yaml.front["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(yaml.front["date"], "2024-05-12");
        assert_eq!(yaml.front["draft"], true);
        assert_eq!(yaml.body, "Text.\n");
        let toml =
            parse("+++\ntitle = \"T\"\ndate = 2024-05-12T10:30:00+02:00\n+++\nBody").unwrap();
        assert_eq!(toml.front["date"], "2024-05-12T10:30:00+02:00");
        assert_eq!(toml.body, "Body");
        let json = parse("{\n  \"title\": \"J\",\n  \"weight\": 3\n}\n\nBody {x}\n").unwrap();
        assert_eq!(json.front["weight"], 3);
        assert_eq!(json.body, "Body {x}\n");
        assert!(parse("No front matter").unwrap().front.is_empty());
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        let en = |m: Message| m.render(crate::messages::MessageLang::En);
        let unclosed = en(parse("---\ntitle: x\n").unwrap_err());
        assert!(unclosed.contains("---"), "{unclosed}");
        let bad = en(parse("---\ntitle: x\n  - y: [\n---\n").unwrap_err());
        assert!(bad.contains("YAML"), "{bad}");
        let toml = en(parse("+++\ntitle = \n+++\n").unwrap_err());
        assert!(toml.contains("line 1"), "{toml}");
    }
}
