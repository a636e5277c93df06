//! Diagnostics as data.
//!
//! Every stage reports problems as [`Diagnostic`] values and keeps going, so an author sees every
//! problem of a course in one run. Nothing here prints: the CLI decides how to show them (a miette
//! report with a snippet, one line per problem, or JSON). A [`Location`] carries its source text, so a
//! diagnostic can be rendered, or its line and column asked for, without any global state.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A source file as read from disk, shared by every diagnostic that points into it.
#[derive(Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user should see it (relative to where lmspack was started when possible).
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(Self {
            path: path.into(),
            text: text.into(),
        })
    }

    /// Byte offset of a 1-based `line` and `column` (counted in characters), clamped to the file.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let line_start = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        let rest = &self.text[line_start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let in_line = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        line_start + in_line
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// The span of the "word" that starts at `offset`: up to the next white space, `:` or line end.
    /// Used to underline a key or a scalar when the parser gives only a start position.
    pub fn token_at(&self, offset: usize) -> Range<usize> {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let len = self.text[offset..]
            .find(|c: char| c == '\n' || c == ':' || c.is_whitespace())
            .unwrap_or(self.text.len() - offset);
        offset..offset + len.max(1).min(self.text.len() - offset)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A place in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
}

impl Location {
    pub fn new(file: &Arc<SourceFile>, span: Range<usize>) -> Self {
        Self {
            file: Arc::clone(file),
            span,
        }
    }

    /// The whole first line of a file: for problems about a file as a whole.
    pub fn file_start(file: &Arc<SourceFile>) -> Self {
        let end = file.text.find('\n').unwrap_or(file.text.len());
        Self::new(file, 0..end)
    }

    /// The token at a 1-based line and column.
    pub fn at(file: &Arc<SourceFile>, line: usize, column: usize) -> Self {
        let span = file.token_at(file.offset_of(line, column));
        Self::new(file, span)
    }

    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.span.start)
    }

    pub fn path(&self) -> &Path {
        &self.file.path
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, col) = self.line_col();
        write!(f, "{}:{line}:{col}", self.file.path.display())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem, with where it is and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case name for the kind of problem (`unknown-key`, `duplicate-id`, …).
    pub code: &'static str,
    pub message: String,
    pub location: Option<Location>,
    /// Short text shown under the underlined source.
    pub label: Option<String>,
    pub hints: Vec<String>,
    /// Other places that explain this one (the first definition of a duplicate id, …).
    pub related: Vec<(Location, String)>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            label: None,
            hints: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn related(mut self, location: Location, label: impl Into<String>) -> Self {
        self.related.push((location, label.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col: error[code]: message` — the form for logs, CI and tests.
    pub fn one_line(&self) -> String {
        let severity = self.severity.as_str();
        match &self.location {
            Some(loc) => format!("{loc}: {severity}[{}]: {}", self.code, self.message),
            None => format!("{severity}[{}]: {}", self.code, self.message),
        }
    }
}

/// The JSON form (`--format json`, the preview's error overlay): places as file, line and column,
/// with the source line a diagnostic points at.
impl serde::Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Place<'a> {
            file: String,
            line: usize,
            column: usize,
            source: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            label: Option<&'a str>,
        }
        fn place<'a>(l: &'a Location, label: Option<&'a str>) -> Place<'a> {
            let (line, column) = l.line_col();
            Place {
                file: l.path().display().to_string(),
                line,
                column,
                source: l.file.text.lines().nth(line - 1).unwrap_or(""),
                label,
            }
        }
        use serde::ser::SerializeStruct;
        let here = self.location.as_ref().map(|l| place(l, None));
        let mut s = serializer.serialize_struct("Diagnostic", 10)?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("code", self.code)?;
        s.serialize_field("message", &self.message)?;
        s.serialize_field("file", &here.as_ref().map(|p| &p.file))?;
        s.serialize_field("line", &here.as_ref().map(|p| p.line))?;
        s.serialize_field("column", &here.as_ref().map(|p| p.column))?;
        s.serialize_field("source", &here.as_ref().map(|p| p.source))?;
        s.serialize_field("label", &self.label)?;
        s.serialize_field("hints", &self.hints)?;
        let related: Vec<Place> = self
            .related
            .iter()
            .map(|(l, label)| place(l, Some(label.as_str())))
            .collect();
        s.serialize_field("related", &related)?;
        s.end()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.one_line())
    }
}

/// The problems a stage found. Errors stop the build at the end of the stage; warnings do not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sort by file, then position, so output is stable whatever order the stages ran in.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.file.path.clone(), l.span.start))
            };
            key(a).cmp(&key(b)).then(a.message.cmp(&b.message))
        });
        self
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Self(vec![d])
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (levenshtein(word, c), c))
        .filter(|(d, c)| {
            *d <= (c.len().max(word.len()) / 3).max(2) || c.starts_with(word) || word.starts_with(c)
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_line_columns_round_trip() {
        let f = SourceFile::new("a.yaml", "id: x\ntitlé: é y\n");
        let off = f.offset_of(2, 10);
        assert_eq!(&f.text[off..off + 1], "y");
        assert_eq!(f.line_col(off), (2, 10));
        assert_eq!(Location::at(&f, 2, 1).span, 6..12);
    }

    #[test]
    fn suggests_close_names_only() {
        let keys = ["mastery_score", "completion", "pages"];
        assert_eq!(did_you_mean("mastery", keys), Some("mastery_score"));
        assert_eq!(did_you_mean("pagse", keys), Some("pages"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }
}
