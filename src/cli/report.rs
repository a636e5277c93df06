//! Showing diagnostics: a miette report with the source snippet for people, JSON for machines.

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::io::IsTerminal;

/// How output is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Colour only for a terminal, and never when `NO_COLOR` is set.
pub fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Every diagnostic as a report with a snippet, then a count.
pub fn human(diagnostics: &Diagnostics) -> String {
    let theme = if colour() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for d in diagnostics.iter() {
        let report = Report::new(d);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&d.one_line());
        }
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors + warnings > 0 {
        out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    }
    out
}

/// A diagnostic as miette wants it.
struct Report<'a> {
    d: &'a Diagnostic,
    source: Option<NamedSource<String>>,
    help: Option<String>,
}

impl<'a> Report<'a> {
    fn new(d: &'a Diagnostic) -> Self {
        let source = d.location.as_ref().map(|l| {
            NamedSource::new(l.path().display().to_string(), l.file.text.clone())
                .with_language("yaml")
        });
        let mut help: Vec<String> = d.hints.clone();
        // Related places in other files cannot share the snippet: name them in the help.
        for (loc, label) in &d.related {
            if d.location
                .as_ref()
                .is_none_or(|l| l.file.path != loc.file.path)
            {
                help.push(format!("{label}: {loc}"));
            }
        }
        Self {
            d,
            source,
            help: (!help.is_empty()).then(|| help.join("\n")),
        }
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.one_line())
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Report<'_> {}

fn span(range: &std::ops::Range<usize>) -> SourceSpan {
    (range.start, range.end.saturating_sub(range.start)).into()
}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.d.severity.as_str(),
            self.d.code
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let loc = self.d.location.as_ref()?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            self.d.label.clone(),
            span(&loc.span),
        )];
        for (other, label) in &self.d.related {
            if other.file.path == loc.file.path {
                labels.push(LabeledSpan::new_with_span(
                    Some(label.clone()),
                    span(&other.span),
                ));
            }
        }
        Some(Box::new(labels.into_iter()))
    }
}
