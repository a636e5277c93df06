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

    /// Parse `text` (the document's own text) into `T`, or one diagnostic explaining why not.
    /// Parse `text` (the document's own text) into `T`, or say why not. Deserializing stops at
    /// the first problem; when that is an unknown top-level key, every other unknown top-level
    /// key is reported with it, since typos rarely come alone.
    pub fn parse<T: DeserializeOwned>(&self, text: &str, what: &str) -> Result<T, Diagnostics> {
        serde_saphyr::from_str(text).map_err(|e| {
            let e = e.without_snippet();
            let mut all = Diagnostics::from(self.diagnose(e, what));
            if let Error::SerdeUnknownField {
                field,
                expected,
                location,
            } = e
            {
                if location.column() == 1 {
                    for d in self.other_unknown_keys(text, field, expected, what) {
                        all.push(d);
                    }
                }
            }
            all.sorted()
        })
    }

    fn other_unknown_keys(
        &self,
        text: &str,
        reported: &str,
        expected: &[&str],
        what: &str,
    ) -> Vec<Diagnostic> {
        type Keys = std::collections::HashMap<Spanned<String>, serde::de::IgnoredAny>;
        let Ok(keys) = serde_saphyr::from_str::<Keys>(text) else {
            return Vec::new();
        };
        keys.into_keys()
            .filter(|k| k.value != reported && !expected.contains(&k.value.as_str()))
            .map(|k| {
                let d = Diagnostic::error(
                    "unknown-key",
                    format!("unknown key `{}` in {what}", k.value),
                )
                .at(self.of(&k))
                .label("unknown key");
                match did_you_mean(&k.value, expected.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!("expected one of: {}", expected.join(", "))),
                }
            })
            .collect()
    }

    fn diagnose(&self, err: &Error, what: &str) -> Diagnostic {
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
