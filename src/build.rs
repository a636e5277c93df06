//! Build: the checked course → every requested package, checked, zipped, written atomically.
//!
//! Packages are laid out, checked and zipped to temporary files in parallel; only when every one of
//! them succeeded are they renamed into place and `build.json` written. A failed build therefore
//! leaves the previous `dist/` exactly as it was.

use crate::course::model::Course;
use crate::diagnostics::did_you_mean;
use crate::package::{self, Pending, Written};
use crate::target::{Target, Unit};
use rayon::prelude::*;
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// One package per module, or one for the whole course.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PackageMode {
    Module,
    Course,
}

/// Called as each package is ready, with (done, total, file name): for a progress display.
pub type Progress = dyn Fn(usize, usize, &str) + Sync;

pub struct Plan<'p> {
    pub out: PathBuf,
    pub targets: Vec<&'static dyn Target>,
    /// Only these module ids (all when empty).
    pub modules: Vec<String>,
    pub package: PackageMode,
    /// Compress entries in parallel (the bytes are the same either way).
    pub parallel: bool,
    pub progress: Option<&'p Progress>,
}

/// One package written.
#[derive(Clone, Debug, Serialize)]
pub struct Artifact {
    /// File name inside the output folder.
    pub file: String,
    pub target: &'static str,
    /// The module, for a module package.
    pub module: Option<String>,
    pub size: u64,
    pub sha256: String,
    #[serde(skip)]
    pub elapsed: Duration,
}

/// `build.json`: what a CI job needs to publish the artifacts. No timestamps, so it is reproducible.
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    pub course: &'a str,
    pub version: &'a str,
    pub lmspack: &'static str,
    pub artifacts: &'a [Artifact],
}

#[derive(Debug)]
pub enum BuildError {
    /// A `--module` that the course does not have (exit 2).
    UnknownModule(String),
    /// A package failed its own checks: a bug in lmspack, never the author's (exit 3).
    Internal(Vec<String>),
    /// Writing failed (exit 2).
    Io(String),
}

pub fn build(course: &Course, plan: &Plan) -> Result<Vec<Artifact>, BuildError> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    for wanted in &plan.modules {
        if !course.modules.iter().any(|m| m.id.as_str() == wanted) {
            let hint = did_you_mean(wanted, course.modules.iter().map(|m| m.id.as_str()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(BuildError::UnknownModule(format!(
                "the course has no module `{wanted}`{hint}"
            )));
        }
    }
    let units: Vec<Unit> = match plan.package {
        PackageMode::Course => vec![Unit::Course],
        PackageMode::Module => course
            .modules
            .iter()
            .filter(|m| plan.modules.is_empty() || plan.modules.iter().any(|w| w == m.id.as_str()))
            .map(Unit::Module)
            .collect(),
    };
    let jobs: Vec<(&dyn Target, Unit)> = plan
        .targets
        .iter()
        .flat_map(|t| units.iter().map(move |u| (*t, *u)))
        .collect();

    let results: Vec<Result<(Pending, Artifact), BuildError>> = jobs
        .par_iter()
        .map(|(target, unit)| {
            let start = Instant::now();
            let name = format!("{}-{}.zip", unit.name(course), target.name());
            let tree = target
                .layout(course, *unit)
                .map_err(|e| BuildError::Internal(vec![format!("{name}: {e}")]))?;
            let problems = target.check(&tree);
            if !problems.is_empty() {
                return Err(BuildError::Internal(
                    problems
                        .into_iter()
                        .map(|p| format!("{name}: {p}"))
                        .collect(),
                ));
            }
            let (pending, Written { size, sha256, .. }) =
                Pending::write(&tree, &plan.out.join(&name), plan.parallel).map_err(|e| {
                    BuildError::Io(format!("{}: {e}", plan.out.join(&name).display()))
                })?;
            if let Some(progress) = plan.progress {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(n, jobs.len(), &name);
            }
            let module = match unit {
                Unit::Module(m) => Some(m.id.to_string()),
                Unit::Course => None,
            };
            Ok((
                pending,
                Artifact {
                    file: name,
                    target: target.name(),
                    module,
                    size,
                    sha256,
                    elapsed: start.elapsed(),
                },
            ))
        })
        .collect();

    let mut done = Vec::new();
    let mut internal = Vec::new();
    let mut io = None;
    for r in results {
        match r {
            Ok(ok) => done.push(ok),
            Err(BuildError::Internal(p)) => internal.extend(p),
            Err(e) => io = Some(e),
        }
    }
    // On any failure the pending zips are dropped, which deletes them: the output folder is as it was.
    if !internal.is_empty() {
        return Err(BuildError::Internal(internal));
    }
    if let Some(e) = io {
        return Err(e);
    }
    let mut artifacts = Vec::new();
    for (pending, artifact) in done {
        pending
            .commit()
            .map_err(|e| BuildError::Io(format!("{}: {e}", artifact.file)))?;
        artifacts.push(artifact);
    }
    let json = serde_json::to_vec_pretty(&Manifest {
        course: course.id.as_str(),
        version: &course.version,
        lmspack: env!("CARGO_PKG_VERSION"),
        artifacts: &artifacts,
    })
    .expect("build.json is plain data");
    package::write_atomic(&plan.out.join("build.json"), &json)
        .map_err(|e| BuildError::Io(format!("build.json: {e}")))?;
    Ok(artifacts)
}
