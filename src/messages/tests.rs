use std::collections::BTreeSet;

use super::*;

fn keys(table: &BTreeMap<String, String>) -> BTreeSet<&str> {
    table.keys().map(String::as_str).collect()
}

#[test]
fn tables_parse_and_are_not_empty() {
    assert!(include_str!("en.toml").parse::<toml::Table>().is_ok());
    assert!(include_str!("fr.toml").parse::<toml::Table>().is_ok());
    assert!(EN.len() > 50, "{}", EN.len());
}

#[test]
fn both_tables_have_the_same_keys_and_placeholders() {
    let (en, fr) = (keys(&EN), keys(&FR));
    let only_en: Vec<_> = en.difference(&fr).collect();
    let only_fr: Vec<_> = fr.difference(&en).collect();
    assert!(only_en.is_empty(), "missing in fr.toml: {only_en:?}");
    assert!(only_fr.is_empty(), "missing in en.toml: {only_fr:?}");
    for (key, text) in EN.iter() {
        assert_eq!(
            placeholders(text),
            placeholders(&FR[key]),
            "placeholders differ for `{key}`"
        );
    }
}

/// Every key the code asks for exists, and every key of the tables is used.
#[test]
fn code_and_tables_agree_on_keys() {
    let call = regex::Regex::new(r#"(msg!|Message::new|Message::count)\(\s*"([^"]+)""#).unwrap();
    let mut used = BTreeSet::from(["raw".to_string()]);
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("messages/tests.rs") {
            continue;
        }
        // Comments may show examples: only code counts.
        let text: String = std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for c in call.captures_iter(&text) {
            let key = &c[2];
            if &c[1] == "Message::count" {
                used.insert(format!("{key}.one"));
                used.insert(format!("{key}.other"));
            } else {
                used.insert(key.to_string());
            }
        }
    }
    let table = keys(&EN);
    let missing: Vec<_> = used
        .iter()
        .filter(|k| !table.contains(k.as_str()))
        .collect();
    let unused: Vec<_> = table.iter().filter(|k| !used.contains(**k)).collect();
    assert!(
        missing.is_empty(),
        "keys used in src/ but not in the tables: {missing:?}"
    );
    assert!(
        unused.is_empty(),
        "keys of the tables used nowhere: {unused:?}"
    );
}

#[test]
fn renders_arguments_nested_messages_and_braces() {
    let hint = Message::new("hint.did_you_mean").arg("best", "title");
    assert_eq!(hint.render(MessageLang::En), "did you mean `title`?");
    assert_eq!(hint.render(MessageLang::Fr), "vouliez-vous dire `title` ?");
    assert_eq!(
        crate::placeholders::fill("{{a}} {b} {c}", |n| (n == "b").then(|| "x".into())),
        "{a} x {c}"
    );
    assert_eq!(
        crate::placeholders::fill("unclosed { brace }", |_| None),
        "unclosed { brace }"
    );
}

#[test]
fn plurals_follow_each_language() {
    let errors = |n| Message::count("count.errors", n);
    assert_eq!(errors(0).render(MessageLang::En), "0 errors");
    assert_eq!(errors(1).render(MessageLang::En), "1 error");
    assert_eq!(errors(0).render(MessageLang::Fr), "0 erreur");
    assert_eq!(errors(2).render(MessageLang::Fr), "2 erreurs");
}

#[test]
fn locale_variables_follow_posix_precedence() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        MessageLang::from_locale(move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    };
    assert_eq!(env(&[]), MessageLang::En);
    assert_eq!(env(&[("LANG", "fr_FR.UTF-8")]), MessageLang::Fr);
    assert_eq!(
        env(&[("LANG", "fr_FR.UTF-8"), ("LC_ALL", "C")]),
        MessageLang::En
    );
    assert_eq!(
        env(&[("LANG", "en_US"), ("LC_MESSAGES", "fr_CA")]),
        MessageLang::Fr
    );
    assert_eq!(env(&[("LC_ALL", ""), ("LANG", "fr")]), MessageLang::Fr);
    assert_eq!(env(&[("LANG", "C")]), MessageLang::En);
}
