//! AICC (CMI001) course structure files: recognised, with the required files and fields checked.
//! They are INI (`.crs`) and comma-separated (`.au`, `.des`, `.cst`) text files at the package root.

use super::finding::{Finding, Rule};
use super::scorm::{is_external, resolve};
use std::collections::BTreeMap;

const REQUIRED: [(&str, &[&str]); 4] = [
    ("crs", &[]),
    (
        "au",
        &["System_ID", "Command_Line", "File_Name", "Core_Vendor"],
    ),
    ("des", &["System_ID", "Title"]),
    ("cst", &["Block", "Member"]),
];

const CRS_FIELDS: [&str; 6] = [
    "Course_ID",
    "Course_Title",
    "Level",
    "Total_AUs",
    "Total_Blocks",
    "Version",
];

/// The AICC files at the root of a package, by lower-case extension.
pub fn files(kept: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, &str> {
    kept.keys()
        .filter(|p| !p.contains('/'))
        .filter_map(|p| {
            let ext = p.rsplit_once('.')?.1.to_ascii_lowercase();
            matches!(ext.as_str(), "crs" | "au" | "des" | "cst").then(|| (ext, p.as_str()))
        })
        .collect()
}

/// Split one CSV line (quoted fields, `""` escapes).
fn csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field).trim().to_owned()),
            c => field.push(c),
        }
    }
    out.push(field.trim().to_owned());
    out
}

pub fn check(
    kept: &BTreeMap<String, Vec<u8>>,
    present: &BTreeMap<String, u64>,
    findings: &mut Vec<Finding>,
) {
    let found = files(kept);
    for (ext, columns) in REQUIRED {
        let Some(&path) = found.get(ext) else {
            findings.push(Finding::new(
                Rule::AiccRequiredFile,
                format!("the AICC course has no .{ext} file"),
            ));
            continue;
        };
        let text = String::from_utf8_lossy(&kept[path]);
        if ext == "crs" {
            let keys: Vec<String> = text
                .lines()
                .filter_map(|l| l.split_once('='))
                .map(|(k, _)| k.trim().to_ascii_lowercase())
                .collect();
            let sections: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with('['))
                .map(|l| l.trim_matches(['[', ']']).to_ascii_lowercase())
                .collect();
            for s in ["course", "course_description"] {
                if !sections.iter().any(|x| x == s) {
                    findings.push(
                        Finding::new(
                            Rule::AiccRequiredField,
                            format!("{path} has no [{s}] section"),
                        )
                        .file(path),
                    );
                }
            }
            for f in CRS_FIELDS {
                if !keys.iter().any(|k| k.eq_ignore_ascii_case(f)) {
                    findings.push(
                        Finding::new(Rule::AiccRequiredField, format!("{path} has no {f}"))
                            .file(path),
                    );
                }
            }
            continue;
        }
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header: Vec<String> = lines.next().map(csv).unwrap_or_default();
        for col in columns {
            if !header.iter().any(|h| h.eq_ignore_ascii_case(col)) {
                findings.push(
                    Finding::new(
                        Rule::AiccRequiredField,
                        format!("{path} has no {col} column"),
                    )
                    .file(path)
                    .at(1, 1),
                );
            }
        }
        if ext == "au" {
            let Some(col) = header
                .iter()
                .position(|h| h.eq_ignore_ascii_case("File_Name"))
            else {
                continue;
            };
            for (n, line) in text.lines().enumerate().skip(1) {
                let row = csv(line);
                let Some(name) = row.get(col).filter(|n| !n.is_empty()) else {
                    continue;
                };
                if is_external(name) {
                    continue;
                }
                if !resolve("", name).is_some_and(|p| present.contains_key(&p)) {
                    findings.push(
                        Finding::new(
                            Rule::AiccAuFile,
                            format!("File_Name `{name}` is not in the package"),
                        )
                        .file(path)
                        .at(u32::try_from(n + 1).unwrap_or(u32::MAX), 1),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields() {
        assert_eq!(
            super::csv(r#""a", "b,c" ,"d""e""#),
            vec!["a", "b,c", "d\"e"]
        );
    }
}
