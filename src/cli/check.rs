//! `lmspack check`: every problem `build` would report, and content lints, without writing anything.

use super::exit;
use super::report::{self, Format};
use crate::course::{self, stats, LoadError};
use serde_json::json;
use std::path::PathBuf;

/// Check a course without building it (fast enough for a pre-commit hook).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  lmspack check                 check ./course
  lmspack check --report        plus pages, words, minutes, blocks and reading ease per module
  lmspack check --format json")]
pub struct Args {
    /// The course folder (holding course.yaml).
    #[arg(default_value = "course")]
    dir: PathBuf,
    /// Print statistics per module and page.
    #[arg(long)]
    report: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

pub fn run(args: Args) -> u8 {
    let (course, diagnostics) = match course::load(&args.dir) {
        Ok(l) => (Some(l.course), l.warnings),
        Err(LoadError::Content(d)) => (None, d),
        Err(LoadError::Io(message)) => {
            match args.format {
                Format::Human => eprintln!("error: {message}"),
                Format::Json => super::out(json!({"ok": false, "error": message})),
            }
            return exit::USAGE;
        }
    };
    let stats = course.as_ref().filter(|_| args.report).map(stats::course);
    let failed = course.is_none() || (args.strict && !diagnostics.is_empty());
    match args.format {
        Format::Json => super::out(json!({
            "ok": !failed,
            "diagnostics": diagnostics.iter().collect::<Vec<_>>(),
            "modules": stats,
        })),
        Format::Human => {
            eprint!("{}", report::human(&diagnostics));
            if let Some(stats) = &stats {
                super::out(table(stats).trim_end());
            }
            if !failed && diagnostics.is_empty() {
                eprintln!("{}: no problems found", args.dir.display());
            }
        }
    }
    if failed {
        exit::CONTENT
    } else {
        exit::OK
    }
}

fn table(modules: &[stats::ModuleStats]) -> String {
    let ease = |e: Option<f64>| e.map_or("–".to_owned(), |e| format!("{e:.0}"));
    let mut s = format!(
        "{:<28} {:>5} {:>6} {:>9} {:>6} {:>12}  blocks\n",
        "module", "pages", "words", "minutes", "scored", "reading ease"
    );
    for m in modules {
        let blocks: Vec<String> = m.blocks.iter().map(|(k, n)| format!("{k} {n}")).collect();
        s.push_str(&format!(
            "{:<28} {:>5} {:>6} {:>4}/{:<4} {:>6} {:>12}  {}\n",
            m.id,
            m.pages.len(),
            m.words,
            m.estimated_minutes,
            m.declared_minutes,
            m.scored_questions,
            format!("min {}", ease(m.lowest_reading_ease)),
            blocks.join(", ")
        ));
        for p in &m.pages {
            s.push_str(&format!(
                "  {:<26} {:>5} {:>6} {:>9} {:>6} {:>12}\n",
                p.id,
                "",
                p.words,
                "",
                "",
                ease(p.reading_ease)
            ));
        }
    }
    s.push_str("minutes: estimated/declared; reading ease: Flesch, 60+ is plain English\n");
    s
}
