//! `lmspack validate`: anyone's SCORM 1.2, SCORM 2004, cmi5, Tin Can or AICC package, checked
//! before the upload.

use super::exit;
use crate::validate::{self, Finding, InputError, Limits, Lms, Options, Report, Severity};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Validate packages: zips, unpacked folders, or bare imsmanifest.xml / cmi5.xml / tincan.xml.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  lmspack validate course.zip                     one package
  lmspack validate dist/*.zip --lms moodle        with Moodle's known limits
  lmspack validate pkg/ --strict --format junit   warnings fail; JUnit XML for CI

Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage, I/O error or not a package.
Every rule is listed in docs/validation-rules.md.")]
pub struct Args {
    /// Packages: zip files, unpacked folders, or bare descriptors.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Add this LMS's known limits as findings.
    #[arg(long, value_enum, default_value = "generic")]
    lms: Lms,
    /// Largest total uncompressed size, in bytes (zip bomb limit).
    #[arg(long, default_value_t = Limits::default().max_size)]
    max_size: u64,
    /// Most entries in a package.
    #[arg(long, default_value_t = Limits::default().max_entries)]
    max_entries: usize,
    /// Largest compression ratio of one entry over 1 MiB.
    #[arg(long, default_value_t = Limits::default().max_ratio)]
    max_ratio: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Junit,
}

pub fn run(args: Args) -> u8 {
    let options = Options {
        lms: args.lms,
        limits: Limits {
            max_size: args.max_size,
            max_entries: args.max_entries,
            max_ratio: args.max_ratio.max(1),
        },
    };
    // Inputs are independent: validate them on every core; `collect` keeps their order.
    let results: Vec<(String, Result<Report, InputError>)> = args
        .paths
        .par_iter()
        .map(|p| {
            let mut r = validate::validate_path(p, &options);
            if let Ok(report) = &mut r {
                if args.strict {
                    for f in &mut report.findings {
                        f.severity = Severity::Error;
                    }
                }
            }
            (p.display().to_string(), r)
        })
        .collect();
    match args.format {
        Format::Human => eprint!("{}", human(&results)),
        Format::Json => super::out(to_json(&results)),
        Format::Junit => super::out(junit(&results)),
    }
    if results.iter().any(|(_, r)| r.is_err()) {
        exit::USAGE
    } else if results
        .iter()
        .any(|(_, r)| r.as_ref().is_ok_and(|r| !r.is_valid(args.strict)))
    {
        exit::CONTENT
    } else {
        exit::OK
    }
}

fn place(input: &str, f: &Finding) -> String {
    let file = match &f.file {
        Some(file) if file != input && !input.ends_with(file.as_str()) => format!("{input}!{file}"),
        _ => input.to_owned(),
    };
    match (f.line, f.column) {
        (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
        (Some(l), None) => format!("{file}:{l}"),
        _ => file,
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn human(results: &[(String, Result<Report, InputError>)]) -> String {
    let mut out = String::new();
    for (input, result) in results {
        match result {
            Err(e) => out.push_str(&format!("{input}: error: {e}\n")),
            Ok(report) => {
                for f in &report.findings {
                    out.push_str(&format!(
                        "{}: {}[{}]: {}\n  = spec: {}\n  = help: {}\n",
                        place(input, f),
                        severity(f.severity),
                        f.rule.id(),
                        f.message,
                        f.rule.section(),
                        f.rule.hint()
                    ));
                }
                for n in &report.notes {
                    out.push_str(&format!("{input}: note: {n}\n"));
                }
                let errors = report.findings.iter().filter(|f| f.is_error()).count();
                let warnings = report.findings.len() - errors;
                let what = report.standard.map_or("unknown standard", |s| s.label());
                let verdict = if errors == 0 { "valid" } else { "INVALID" };
                out.push_str(&format!(
                    "{input}: {verdict} ({what}): {errors} error(s), {warnings} warning(s)\n"
                ));
            }
        }
    }
    out
}

fn finding_json(f: &Finding) -> Value {
    json!({
        "severity": f.severity,
        "rule": f.rule.id(),
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "section": f.rule.section(),
        "hint": f.rule.hint(),
    })
}

fn to_json(results: &[(String, Result<Report, InputError>)]) -> Value {
    let packages: Vec<Value> = results
        .iter()
        .map(|(input, r)| match r {
            Err(e) => json!({"path": input, "valid": false, "error": e.to_string()}),
            Ok(report) => json!({
                "path": input,
                "valid": report.findings.iter().all(|f| !f.is_error()),
                "standard": report.standard.map(|s| s.label()),
                "findings": report.findings.iter().map(finding_json).collect::<Vec<_>>(),
                "notes": report.notes,
            }),
        })
        .collect();
    let ok = packages.iter().all(|p| p["valid"] == json!(true));
    json!({"ok": ok, "packages": packages})
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// One test case per package: a failure listing its errors, warnings as system-out.
fn junit(results: &[(String, Result<Report, InputError>)]) -> String {
    let mut cases = String::new();
    let (mut failures, mut errors) = (0, 0);
    for (input, r) in results {
        let name = escape(input);
        match r {
            Err(e) => {
                errors += 1;
                cases.push_str(&format!(
                    "  <testcase name=\"{name}\" classname=\"lmspack.validate\">\n    <error message=\"{}\"/>\n  </testcase>\n",
                    escape(&e.to_string())
                ));
            }
            Ok(report) => {
                let class = report.standard.map_or("unknown", |s| s.label());
                cases.push_str(&format!(
                    "  <testcase name=\"{name}\" classname=\"lmspack.validate.{}\">\n",
                    escape(class)
                ));
                let lines = |errs: bool| {
                    report
                        .findings
                        .iter()
                        .filter(|f| f.is_error() == errs)
                        .map(|f| {
                            format!(
                                "{}: {}[{}]: {} ({})",
                                place(input, f),
                                severity(f.severity),
                                f.rule.id(),
                                f.message,
                                f.rule.section()
                            )
                        })
                        .collect::<Vec<_>>()
                };
                let errs = lines(true);
                if !errs.is_empty() {
                    failures += 1;
                    cases.push_str(&format!(
                        "    <failure message=\"{} error(s)\" type=\"invalid-package\">{}</failure>\n",
                        errs.len(),
                        escape(&errs.join("\n"))
                    ));
                }
                let mut out = lines(false);
                out.extend(report.notes.iter().map(|n| format!("note: {n}")));
                if !out.is_empty() {
                    cases.push_str(&format!(
                        "    <system-out>{}</system-out>\n",
                        escape(&out.join("\n"))
                    ));
                }
                cases.push_str("  </testcase>\n");
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"lmspack validate\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">\n{cases}</testsuite>\n</testsuites>",
        results.len()
    )
}
