//! Turns diagnostics into text for people (with source excerpts) or for CI
//! (JSON lines, GitHub annotations). Formatting only: the binary prints.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::diagnostics::{Diagnostic, Severity};
use crate::messages::MessageLang;

/// How diagnostics are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Readable text with source excerpts and help lines.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
}

/// Formats one diagnostic in `lang`; the result ends with a newline.
pub fn format_diagnostic(
    diagnostic: &Diagnostic,
    format: Format,
    color: bool,
    lang: MessageLang,
) -> String {
    match format {
        Format::Human => human(diagnostic, color, lang),
        Format::Json => json(diagnostic, lang),
        Format::Github => github(diagnostic, lang),
    }
}

fn human(d: &Diagnostic, color: bool, lang: MessageLang) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let level = level.with_name(label(d.severity, lang));
    let message = d.message.render(lang);
    let help_label = msg!("report.help").render(lang);
    let title = match &d.location {
        Some(loc) => format!("{loc}: {message}"),
        None => message,
    };
    let mut group = Group::with_title(level.primary_title(&title));
    if let (Some(loc), Some(excerpt)) = (&d.location, &d.excerpt) {
        group = group.element(
            Snippet::source(&excerpt.text)
                .line_start(loc.line)
                .path(&loc.path)
                .annotation(AnnotationKind::Primary.span(excerpt.underline.clone())),
        );
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let help = d.help.as_ref().map(|h| h.render(lang));
    match (help, &d.excerpt) {
        (Some(help), Some(_)) => {
            let level = Level::HELP.with_name(help_label.as_str());
            let report = [group, Group::with_title(level.secondary_title(help))];
            format!("{}\n", renderer.render(&report))
        }
        // Without an excerpt the renderer would draw an empty gutter line.
        (Some(help), None) => format!("{}\n{help_label}: {help}\n", renderer.render(&[group])),
        (None, _) => format!("{}\n", renderer.render(&[group])),
    }
}

/// "error" or "warning" in `lang`.
fn label(severity: Severity, lang: MessageLang) -> String {
    match severity {
        Severity::Error => msg!("report.error"),
        Severity::Warning => msg!("report.warning"),
    }
    .render(lang)
}

fn json(d: &Diagnostic, lang: MessageLang) -> String {
    let loc = d.location.as_ref();
    let value = serde_json::json!({
        "severity": d.severity,
        "file": loc.map(|l| l.path.as_str()),
        "line": loc.map(|l| l.line).filter(|l| *l > 0),
        "column": loc.map(|l| l.column).filter(|c| *c > 0),
        "message": d.message.render(lang),
        "help": d.help.as_ref().map(|h| h.render(lang)),
    });
    format!("{value}\n")
}

fn github(d: &Diagnostic, lang: MessageLang) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some(loc) = &d.location {
        properties.push(format!("file={}", escape_property(&loc.path)));
        if loc.line > 0 {
            properties.push(format!("line={}", loc.line));
        }
        if loc.column > 0 {
            properties.push(format!("col={}", loc.column));
        }
    }
    let mut message = d.message.render(lang);
    if let Some(help) = &d.help {
        message.push_str(&format!(
            "\n{}: {}",
            msg!("report.help").render(lang),
            help.render(lang)
        ));
    }
    format!(
        "::{command} {}::{}\n",
        properties.join(","),
        escape_data(&message)
    )
}

// Escapes defined by the workflow-command syntax.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Message;

    fn sample() -> Diagnostic {
        Diagnostic::error(Message::raw("missing required field `title`"))
            .at_line("content/a.fr.md", "+++\ndate = 2024-01-01\n+++\n", 1)
            .with_help(Message::raw("add a line such as: title = \"…\""))
    }

    #[test]
    fn human_has_location_excerpt_and_help() {
        let text = format_diagnostic(&sample(), Format::Human, false, MessageLang::En);
        assert!(text.starts_with("error: content/a.fr.md:1:1: missing required field `title`"));
        assert!(text.contains("1 | +++"), "{text}");
        assert!(text.contains("help: add a line such as"), "{text}");
    }

    #[test]
    fn french_labels_and_texts() {
        let d = Diagnostic::error(msg!("front_matter.no_title"))
            .at_line("content/a.fr.md", "+++\ndate = 2024-01-01\n+++\n", 1)
            .with_help(msg!("front_matter.no_title_help"));
        let text = format_diagnostic(&d, Format::Human, false, MessageLang::Fr);
        assert!(
            text.starts_with("erreur: content/a.fr.md:1:1: le champ obligatoire `title` manque"),
            "{text}"
        );
        assert!(text.contains("aide: ajoutez une ligne"), "{text}");
        let github = format_diagnostic(&d, Format::Github, false, MessageLang::Fr);
        assert!(github.contains("%0Aaide: ajoutez"), "{github}");
    }

    #[test]
    fn json_is_one_object_per_line() {
        let text = format_diagnostic(&sample(), Format::Json, false, MessageLang::En);
        let v: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
        assert_eq!(v["file"], "content/a.fr.md");
        assert_eq!(v["line"], 1);
        assert_eq!(v["severity"], "error");
    }

    #[test]
    fn github_escapes_newlines_and_commas() {
        let text = format_diagnostic(&sample(), Format::Github, false, MessageLang::En);
        assert_eq!(
            text,
            "::error file=content/a.fr.md,line=1,col=1::missing required field `title`%0Ahelp: add a line such as: title = \"…\"\n"
        );
    }
}
