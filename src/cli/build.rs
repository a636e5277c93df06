//! `lmspack build`: load, check, render, package, validate.

use super::exit;
use super::report::{self, Format};
use crate::build::{self, Artifact, BuildError, PackageMode, Plan};
use crate::course::{self, LoadError};
use crate::target::{self, Target};
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// Build packages from a course folder.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  lmspack build                              build ./course into ./dist (its default targets)
  lmspack build my-course --target all       every target
  lmspack build --target scorm12 --module data-stewardship
  lmspack build --package course             one package holding every module
  lmspack build --format json                machine-readable result for CI")]
pub struct Args {
    /// The course folder (holding course.yaml).
    #[arg(default_value = "course")]
    dir: PathBuf,
    /// Where packages and build.json are written.
    #[arg(long, short, default_value = "dist")]
    out: PathBuf,
    /// Targets, comma-separated: scorm12, scorm2004, xapi, cmi5, web, or all. Default: the course's `targets`, else all.
    #[arg(long, short, value_delimiter = ',')]
    target: Vec<String>,
    /// Only this module (by id); repeat for several.
    #[arg(long, short)]
    module: Vec<String>,
    /// One package per module, or one for the whole course.
    #[arg(long, value_enum, default_value = "module")]
    package: PackageMode,
    /// Worker threads (default: one per core).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print each package's sha256 and where it was written.
    #[arg(long, short)]
    verbose: bool,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

pub fn run(args: Args) -> u8 {
    if let Some(jobs) = args.jobs {
        if jobs == 0 {
            eprintln!("error: --jobs must be at least 1");
            return exit::USAGE;
        }
        // The global pool can be set once; a second call in the same process (tests) is harmless.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global();
    }
    let start = Instant::now();
    let loaded = match course::load(&args.dir) {
        Ok(l) => l,
        Err(LoadError::Io(message)) => return fail(&args, exit::USAGE, &message),
        Err(LoadError::Content(diagnostics)) => {
            match args.format {
                Format::Human => eprint!("{}", report::human(&diagnostics)),
                Format::Json => super::out(
                    json!({"ok": false, "diagnostics": diagnostics.iter().collect::<Vec<_>>()}),
                ),
            }
            return exit::CONTENT;
        }
    };
    let course = loaded.course;
    if args.format == Format::Human && !args.quiet && !loaded.warnings.is_empty() {
        eprint!("{}", report::human(&loaded.warnings));
    }
    let names = if args.target.is_empty() {
        course.targets.clone()
    } else {
        args.target.clone()
    };
    let targets = match resolve_targets(&names) {
        Ok(t) => t,
        Err(message) => return fail(&args, exit::USAGE, &message),
    };
    let progress = args.format == Format::Human && !args.quiet && std::io::stderr().is_terminal();
    let show = |done: usize, total: usize, name: &str| eprint!("\x1b[2K\r[{done}/{total}] {name}");
    let plan = Plan {
        out: args.out.clone(),
        targets,
        modules: args.module.clone(),
        package: args.package,
        parallel: true,
        progress: progress.then_some(&show as &build::Progress),
    };
    match build::build(&course, &plan) {
        Ok(artifacts) => {
            if progress {
                eprint!("\x1b[2K\r");
            }
            match args.format {
                Format::Json => super::out(
                    json!({"ok": true, "out": args.out, "artifacts": artifacts,
                           "warnings": loaded.warnings.iter().collect::<Vec<_>>()})
                ),
                Format::Human if !args.quiet => {
                    eprint!("{}", summary(&artifacts, &args.out, start));
                    if args.verbose {
                        for a in &artifacts {
                            eprintln!("{}  {}", a.sha256, args.out.join(&a.file).display());
                        }
                    }
                }
                Format::Human => {}
            }
            exit::OK
        }
        Err(BuildError::UnknownModule(m)) => fail(&args, exit::USAGE, &m),
        Err(BuildError::Io(m)) => fail(&args, exit::USAGE, &m),
        Err(BuildError::Internal(problems)) => fail(
            &args,
            exit::INTERNAL,
            &format!(
                "a package failed its own checks; this is a bug in lmspack, please report it. Nothing was written.\n{}",
                problems.join("\n")
            ),
        ),
    }
}

fn resolve_targets(names: &[String]) -> Result<Vec<&'static dyn Target>, String> {
    if names.is_empty() || names.iter().any(|n| n == "all") {
        return Ok(target::all());
    }
    let mut out: Vec<&'static dyn Target> = Vec::new();
    for n in names {
        let t = target::by_name(n).ok_or_else(|| {
            let known: Vec<&str> = target::all().iter().map(|t| t.name()).collect();
            format!("unknown target `{n}` (known: {}, all)", known.join(", "))
        })?;
        if !out.iter().any(|o| o.name() == t.name()) {
            out.push(t);
        }
    }
    Ok(out)
}

fn fail(args: &Args, code: u8, message: &str) -> u8 {
    match args.format {
        Format::Human => eprintln!("error: {message}"),
        Format::Json => super::out(json!({"ok": false, "error": message})),
    }
    code
}

fn summary(artifacts: &[Artifact], out: &std::path::Path, start: Instant) -> String {
    let width = artifacts
        .iter()
        .map(|a| a.file.len())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut s = format!("{:<width$}  {:>10}  {:>8}\n", "package", "size", "time");
    for a in artifacts {
        s.push_str(&format!(
            "{:<width$}  {:>10}  {:>6} ms\n",
            a.file,
            human_size(a.size),
            a.elapsed.as_millis()
        ));
    }
    s.push_str(&format!(
        "built {} package(s) into {} in {} ms (validated)\n",
        artifacts.len(),
        out.display(),
        start.elapsed().as_millis()
    ));
    s
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
