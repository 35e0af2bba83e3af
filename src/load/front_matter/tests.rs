use super::*;

const CONFIG: &str = r#"
base_url = "https://example.org/"
default_language = "fr"
timezone = "Europe/Brussels"
[languages.fr]
name = "Français"
title = "Portail"
[taxonomies.themes]
[taxonomies.countries]
[sections.activities.fields]
start = "date"
location = "string"
"#;

fn parse_text(path: &str, text: &str, section_dir: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
    let config = Config::parse(CONFIG).unwrap();
    let file = FileContext {
        path,
        source: text,
        config: &config,
        is_section: path.contains("_index"),
        section_dir,
    };
    let split = split(path, text).map_err(|d| vec![d])?;
    parse(&file, &split)
}

fn first_error(text: &str) -> Diagnostic {
    parse_text("content/news/a.fr.md", text, "news")
        .unwrap_err()
        .remove(0)
}

#[test]
fn reads_known_keys_and_declared_fields() {
    let text = "+++\ntitle = \"Réunion\"\ndate = \"2024-05-12T10:00:00Z\"\nstart = 2024-06-01\nlocation = \"Dakar\"\n[taxonomies]\nthemes = [\"protection\"]\n[extra]\nphoto = \"a.jpg\"\n+++\nBody\n";
    let fm = parse_text("content/activities/a.fr.md", text, "activities").unwrap();
    assert_eq!(fm.title, "Réunion");
    assert_eq!(fm.date.unwrap().rfc3339(), "2024-05-12T12:00:00+02:00");
    assert_eq!(fm.fields["start"].to_json(), "2024-06-01");
    assert_eq!(fm.taxonomies["themes"], ["protection"]);
    assert_eq!(fm.extra["photo"], "a.jpg");
}

#[test]
fn splits_body_after_closing_fence() {
    let text = "+++\ntitle = \"a\"\n+++\nHello\n";
    let s = split("a.md", text).unwrap();
    assert_eq!(s.front_matter, "title = \"a\"\n");
    assert_eq!(s.body, "Hello\n");
    assert_eq!(&text[s.body_offset..], "Hello\n");
}

#[test]
fn errors_have_the_right_line() {
    let cases = [
        (
            "+++\ntitle = \"a\"\ndate = \"yesterday\"\n+++\n",
            3,
            "field `date` must be a date, found \"yesterday\"",
        ),
        (
            "+++\ndate = 2024-01-01\n+++\n",
            1,
            "missing required field `title`",
        ),
        (
            "+++\ntitle = \"a\"\ntitel = \"b\"\n+++\n",
            3,
            "unknown front-matter key `titel`",
        ),
        (
            "+++\ntitle = \"a\"\ndraft = \"yes\"\n+++\n",
            3,
            "field `draft` must be true or false, found \"yes\"",
        ),
        (
            "+++\ntitle = \"a\"\n\n[taxonomies]\ntheme = [\"x\"]\n+++\n",
            5,
            "unknown taxonomy `theme`",
        ),
        ("+++\ntitle = \"a\n+++\n", 2, "invalid front matter"),
        ("+++\ntitle = \"a\"\n", 1, "the front matter is not closed"),
        (
            "title = \"a\"\n",
            1,
            "the file does not start with front matter",
        ),
    ];
    for (text, line, message) in cases {
        let d = first_error(text);
        assert_eq!(
            d.location.as_ref().map(|l| l.line),
            Some(line),
            "{text:?}: {d:?}"
        );
        assert!(
            d.message_en().starts_with(message),
            "{text:?}: {}",
            d.message_en()
        );
    }
}

#[test]
fn hints_name_the_closest_key() {
    let d = first_error("+++\ntitle = \"a\"\ndescripion = \"b\"\n+++\n");
    assert!(
        d.help_en()
            .unwrap()
            .starts_with("did you mean `description`?")
    );
    let d = first_error("+++\ntitle = \"a\"\n[taxonomies]\ntheme = [\"x\"]\n+++\n");
    assert!(d.help_en().unwrap().starts_with("did you mean `themes`?"));
}

#[test]
fn empty_file_is_an_error() {
    assert_eq!(first_error("").message_en(), "the file is empty");
    assert_eq!(first_error("\n  \n").message_en(), "the file is empty");
}

#[test]
fn reports_every_error_of_a_file() {
    let errors = parse_text(
        "content/news/a.fr.md",
        "+++\ndate = \"x\"\ndraft = 1\n+++\n",
        "news",
    )
    .unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
}

#[test]
fn accepts_a_byte_order_mark_and_crlf() {
    let fm = parse_text(
        "content/news/a.fr.md",
        "\u{feff}+++\r\ntitle = \"a\"\r\n+++\r\nBody\r\n",
        "news",
    )
    .unwrap();
    assert_eq!(fm.title, "a");
}

#[test]
fn empty_title_is_an_error() {
    let d = first_error("+++\ntitle = \"  \"\n+++\n");
    assert_eq!(d.message_en(), "the title is empty");
    assert_eq!(d.location.unwrap().line, 2);
}

#[test]
fn keys_below_a_table_line_get_a_helpful_hint() {
    let d = first_error("+++\n[extra]\nfoo = 1\ntitle = \"X\"\n+++\n");
    assert_eq!(d.message_en(), "missing required field `title`");
    assert!(d.help_en().unwrap().contains("move it above [extra]"));
    let d = first_error("+++\ntitle = \"X\"\n[taxonomies]\nthemes = []\ndate = 2024-01-01\n+++\n");
    assert_eq!(d.message_en(), "unknown taxonomy `date`");
    assert!(d.help_en().unwrap().contains("move it above [taxonomies]"));
}
