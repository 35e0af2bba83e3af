//! Turns diagnostics into text for people (with source excerpts) or for CI
//! (JSON lines, GitHub annotations). Formatting only: the binary prints.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::diagnostics::{Diagnostic, Severity};

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

/// Formats one diagnostic; the result ends with a newline.
pub fn format_diagnostic(diagnostic: &Diagnostic, format: Format, color: bool) -> String {
    match format {
        Format::Human => human(diagnostic, color),
        Format::Json => json(diagnostic),
        Format::Github => github(diagnostic),
    }
}

fn human(d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = match &d.location {
        Some(loc) => format!("{loc}: {}", d.message),
        None => d.message.clone(),
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
    match (&d.help, &d.excerpt) {
        (Some(help), Some(_)) => {
            let report = [group, Group::with_title(Level::HELP.secondary_title(help))];
            format!("{}\n", renderer.render(&report))
        }
        // Without an excerpt the renderer would draw an empty gutter line.
        (Some(help), None) => format!("{}\nhelp: {help}\n", renderer.render(&[group])),
        (None, _) => format!("{}\n", renderer.render(&[group])),
    }
}

fn json(d: &Diagnostic) -> String {
    let loc = d.location.as_ref();
    let value = serde_json::json!({
        "severity": d.severity,
        "file": loc.map(|l| l.path.as_str()),
        "line": loc.map(|l| l.line).filter(|l| *l > 0),
        "column": loc.map(|l| l.column).filter(|c| *c > 0),
        "message": d.message,
        "help": d.help,
    });
    format!("{value}\n")
}

fn github(d: &Diagnostic) -> String {
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
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
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

    fn sample() -> Diagnostic {
        Diagnostic::error("missing required field `title`")
            .at_line("content/a.fr.md", "+++\ndate = 2024-01-01\n+++\n", 1)
            .with_help("add a line such as: title = \"…\"")
    }

    #[test]
    fn human_has_location_excerpt_and_help() {
        let text = format_diagnostic(&sample(), Format::Human, false);
        assert!(text.starts_with("error: content/a.fr.md:1:1: missing required field `title`"));
        assert!(text.contains("1 | +++"), "{text}");
        assert!(text.contains("help: add a line such as"), "{text}");
    }

    #[test]
    fn json_is_one_object_per_line() {
        let text = format_diagnostic(&sample(), Format::Json, false);
        let v: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
        assert_eq!(v["file"], "content/a.fr.md");
        assert_eq!(v["line"], 1);
        assert_eq!(v["severity"], "error");
    }

    #[test]
    fn github_escapes_newlines_and_commas() {
        let text = format_diagnostic(&sample(), Format::Github, false);
        assert_eq!(
            text,
            "::error file=content/a.fr.md,line=1,col=1::missing required field `title`%0Ahelp: add a line such as: title = \"…\"\n"
        );
    }
}
