//! YAML documents that may sit inside a larger file (front matter, a fenced block in a page), with
//! every position mapped back to the file, and parser errors turned into diagnostics with hints.

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Location, SourceFile};
use serde::de::DeserializeOwned;
use serde_saphyr::{Error, Spanned};
use std::sync::Arc;

/// Where a YAML document starts in its file: the document's line 1 is file line `line_offset + 1`,
/// and every column is shifted by `column_offset` (the indentation of a fenced block).
#[derive(Clone)]
pub struct Embedded {
    pub file: Arc<SourceFile>,
    pub line_offset: usize,
    pub column_offset: usize,
}

impl Embedded {
    pub fn whole(file: &Arc<SourceFile>) -> Self {
        Self {
            file: Arc::clone(file),
            line_offset: 0,
            column_offset: 0,
        }
    }

    /// The file location of a parser location (or of the document start when it has none).
    pub fn locate(&self, loc: &serde_saphyr::Location) -> Location {
        let (line, column) = match (loc.line(), loc.column()) {
            (0, _) => (1, 1),
            (l, c) => (l as usize, c.max(1) as usize),
        };
        Location::at(
            &self.file,
            line + self.line_offset,
            column + self.column_offset,
        )
    }

    /// Where a spanned value was written.
    pub fn of<T>(&self, value: &Spanned<T>) -> Location {
        self.locate(&value.referenced)
    }

    /// Parse `text` (the document's own text) into `T`, or say why not, with every problem of
    /// the document at once.
    ///
    /// Deserializing stops at the first problem, so after each one the entry it is in (its key,
    /// its value and everything nested under it) is blanked out and the document read again,
    /// until it reads or a problem is only the consequence of a blanked entry (a required key
    /// now missing, a parent now empty, YAML no longer well-formed). Blanking keeps every line
    /// and column where it was, so each problem is reported where it was written.
    pub fn parse<T: DeserializeOwned>(&self, text: &str, what: &str) -> Result<T, Diagnostics> {
        let first = match serde_saphyr::from_str(text) {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        let mut all = Diagnostics::from(self.diagnose(first.without_snippet(), what, text));
        let mut repaired = text.to_owned();
        let mut blanked: Vec<(String, usize)> = Vec::new();
        let mut error = first;
        for _ in 0..MAX_ERRORS_PER_DOCUMENT {
            let Some(entry) = error
                .without_snippet()
                .location()
                .and_then(|l| Entry::at(&repaired, l.line() as usize, l.column() as usize))
            else {
                break;
            };
            entry.blank(&mut repaired);
            blanked.push((entry.key.clone(), entry.line));
            let broken = serde_saphyr::from_str::<serde::de::IgnoredAny>(&repaired).is_err();
            if repaired.trim().is_empty() || broken {
                break; // nothing left, or the repair itself broke the YAML
            }
            error = match serde_saphyr::from_str::<T>(&repaired) {
                Ok(_) => break,
                Err(e) => e,
            };
            let e = error.without_snippet();
            if let Error::SerdeMissingField { field, .. } = e {
                // Blanking cannot supply a key, so reading stops here; the key is reported
                // unless it went missing by the repair, or is the one a reported unknown key
                // was a misspelling of.
                let misspelt = blanked
                    .iter()
                    .any(|(key, _)| key == field || did_you_mean(key, [*field]).is_some());
                if !misspelt {
                    all.push(self.diagnose(e, what, text));
                }
                break;
            }
            let on_blanked = e
                .location()
                .is_none_or(|l| blanked.iter().any(|(_, line)| *line == l.line() as usize));
            if on_blanked || matches!(e, Error::Eof { .. }) {
                break;
            }
            all.push(self.diagnose(e, what, text));
        }
        Err(all.sorted())
    }

    /// The diagnostic of a parser error in `text` (the document).
    fn diagnose(&self, err: &Error, what: &str, text: &str) -> Diagnostic {
        let at = |d: Diagnostic| match err.location() {
            Some(loc) => d.at(self.locate(&loc)),
            None => d.at(Location::file_start(&self.file)),
        };
        match err {
            Error::SerdeUnknownField {
                field, expected, ..
            } => {
                let mut d = at(Diagnostic::error(
                    "unknown-key",
                    format!("unknown key `{field}` in {what}"),
                ))
                .label("unknown key");
                d = match did_you_mean(field, expected.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!("expected one of: {}", expected.join(", "))),
                };
                d
            }
            Error::SerdeUnknownVariant {
                variant, expected, ..
            } => {
                let mut d = at(Diagnostic::error(
                    "bad-value",
                    format!("`{variant}` is not allowed here in {what}"),
                ))
                .label("not one of the allowed values");
                if let Some(s) = did_you_mean(variant, expected.iter().copied()) {
                    d = d.hint(format!("did you mean `{s}`?"));
                }
                d.hint(format!("allowed: {}", expected.join(", ")))
            }
            Error::SerdeMissingField { field, .. } => at(Diagnostic::error(
                "missing-key",
                format!("{what} is missing the required key `{field}`"),
            ))
            .label(format!("`{field}` needed here"))
            .hint(format!("add `{field}: …`; see docs/course-format.md")),
            Error::InvalidScalar { ty, location } => {
                let key = Entry::at(text, location.line() as usize, location.column() as usize);
                match (key, scalar_kind(ty)) {
                    (Some(key), Some((kind, hint))) => at(Diagnostic::error(
                        "yaml",
                        format!("invalid {what}: `{}` takes {kind}", key.key),
                    ))
                    .label(format!("not {kind}"))
                    .hint(hint),
                    _ => at(Diagnostic::error(
                        "yaml",
                        format!("invalid {what}: invalid {ty}"),
                    ))
                    .hint("check the indentation and the value's type; see docs/course-format.md"),
                }
            }
            other => {
                let message = strip_position(&other.to_string());
                at(Diagnostic::error(
                    "yaml",
                    format!("invalid {what}: {message}"),
                ))
                .hint("check the indentation and the value's type; see docs/course-format.md")
            }
        }
    }
}

/// Problems reported from one YAML document at most (beyond, they are most likely one mistake's
/// consequences).
const MAX_ERRORS_PER_DOCUMENT: usize = 20;

/// A mapping entry of a YAML document, found from a position inside it: `key:` on `line`
/// (1-based) at `column` (1-based, after any `- `), with its value and the more indented lines
/// under it.
struct Entry {
    key: String,
    line: usize,
    column: usize,
}

impl Entry {
    /// The innermost entry that holds (line, column): the nearest line at or above it whose
    /// key starts at or left of the column (any column, for an error without one).
    fn at(text: &str, line: usize, column: usize) -> Option<Entry> {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut l = line.min(lines.len());
        while l >= 1 {
            if let Some((key, key_column)) = key_of(lines[l - 1]) {
                if l < line || key_column <= column.max(1) {
                    return Some(Entry {
                        key,
                        line: l,
                        column: key_column,
                    });
                }
            }
            l -= 1;
        }
        None
    }

    /// Replace the entry with spaces: its key line from the key on, and the lines after it
    /// that are blank, indented further than the key, or (after `key:` with no value on its
    /// line) the items of a sequence written at the key's own indentation.
    fn blank(&self, text: &mut String) {
        let lines: Vec<&str> = text.split('\n').collect();
        let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
        let bare_key = lines[self.line - 1].trim_end().ends_with(':');
        let mut end = self.line;
        while let Some(l) = lines.get(end) {
            let deeper = l.trim().is_empty() || indent(l) >= self.column;
            let sequence =
                bare_key && indent(l) + 1 == self.column && l.trim_start().starts_with('-');
            if !(deeper || sequence) {
                break;
            }
            end += 1;
        }
        let mut out = String::with_capacity(text.len());
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let n = i + 1;
            if n < self.line || n > end {
                out.push_str(line);
                continue;
            }
            let from = if n == self.line {
                line.char_indices()
                    .nth(self.column - 1)
                    .map_or(line.len(), |(b, _)| b)
            } else {
                0
            };
            out.push_str(&line[..from]);
            out.extend(line[from..].chars().map(|_| ' '));
        }
        *text = out;
    }
}

/// The key of a block mapping line (`key: …`, `- key: …`, `- - key:`) and its 1-based column.
fn key_of(line: &str) -> Option<(String, usize)> {
    let mut rest = line.trim_start_matches(' ');
    let mut column = line.len() - rest.len() + 1;
    while let Some(after) = rest.strip_prefix("- ") {
        let trimmed = after.trim_start_matches(' ');
        column += rest.len() - trimmed.len();
        rest = trimmed;
    }
    if rest.starts_with('#') || rest.starts_with('"') || rest.starts_with('\'') {
        return None;
    }
    let colon = rest
        .find(": ")
        .or_else(|| rest.strip_suffix(':').map(|k| k.len()))?;
    let key = &rest[..colon];
    if key.is_empty() || key.contains(['{', '[', '#']) {
        return None;
    }
    Some((key.to_owned(), column))
}

/// What a value of the parser's scalar type `ty` is, and how to write one: an author who wrote
/// `retake: maybe` needs to read "`retake` takes `true` or `false`", not the name of a Rust type.
fn scalar_kind(ty: &str) -> Option<(&'static str, &'static str)> {
    let whole = "write a number such as `3`, without quotes or units";
    match ty {
        "boolean" | "bool" => Some((
            "`true` or `false`",
            "write `true` or `false`, without quotes",
        )),
        "u8" | "u16" | "u32" | "u64" | "usize" => Some(("a whole number, 0 or more", whole)),
        "i8" | "i16" | "i32" | "i64" | "isize" => Some(("a whole number", whole)),
        _ => None,
    }
}

/// The parser puts its own (document-relative, so misleading) position into some messages.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        mastery_score: u32,
        id: Spanned<String>,
    }

    fn embedded(text: &str) -> Embedded {
        let file = SourceFile::new("p.md", text);
        Embedded {
            file,
            line_offset: 2,
            column_offset: 4,
        }
    }

    #[test]
    fn unknown_key_points_into_the_file_and_suggests() {
        let e = embedded("x\n```\n    mastery: 3\n    id: a\n");
        let d = e
            .parse::<T>("mastery: 3\nid: a\n", "the block")
            .unwrap_err();
        let d = d.iter().next().unwrap();
        assert_eq!(d.code, "unknown-key");
        assert_eq!(d.location.as_ref().unwrap().line_col(), (3, 5));
        assert_eq!(d.hints, ["did you mean `mastery_score`?"]);
    }

    #[test]
    fn every_unknown_top_level_key_is_reported() {
        let text = "mastery: 3\nid: a\nidd: b\n";
        let e = embedded(&format!(
            "x\n```\n{}",
            text.lines()
                .map(|l| format!("    {l}\n"))
                .collect::<String>()
        ));
        let d = e.parse::<T>(text, "the block").unwrap_err();
        let found: Vec<_> = d
            .iter()
            .map(|d| (d.message.clone(), d.location.as_ref().unwrap().line_col()))
            .collect();
        assert_eq!(
            found,
            [
                ("unknown key `mastery` in the block".to_owned(), (3, 5)),
                ("unknown key `idd` in the block".to_owned(), (5, 5)),
            ]
        );
    }

    #[test]
    fn spans_of_values_are_mapped() {
        let e = embedded("x\n```\n    mastery_score: 3\n    id: abc\n");
        let t = e
            .parse::<T>("mastery_score: 3\nid: abc\n", "the block")
            .unwrap();
        let loc = e.of(&t.id);
        assert_eq!(loc.line_col(), (4, 9));
        assert_eq!(&loc.file.text[loc.span], "abc");
    }

    #[test]
    fn type_errors_name_the_key_and_what_it_takes() {
        let e = embedded("x\n```\n    id: a\n    mastery_score: -3\n");
        let d = e
            .parse::<T>("id: a\nmastery_score: -3\n", "the block")
            .unwrap_err();
        let d = d.iter().next().unwrap();
        assert_eq!(d.location.as_ref().unwrap().line_col(), (4, 20));
        assert_eq!(
            d.message,
            "invalid the block: `mastery_score` takes a whole number, 0 or more"
        );
        assert_eq!(
            d.hints,
            ["write a number such as `3`, without quotes or units"]
        );
    }

    #[test]
    fn type_errors_have_a_position() {
        let e = embedded("x\n```\n    mastery_score: ten\n    id: a\n");
        let d = e
            .parse::<T>("mastery_score: ten\nid: a\n", "the block")
            .unwrap_err();
        let d = d.iter().next().unwrap();
        assert_eq!(
            d.location.as_ref().unwrap().line_col().0,
            3,
            "{}",
            d.message
        );
    }
}
