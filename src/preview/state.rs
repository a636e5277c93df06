//! The preview's state: the latest build of the course, the last good one, and a signal for the
//! clients waiting for the next build. Builds live in memory only; nothing is written anywhere.

use super::mode::Mode;
use crate::course::{self, Course, LoadError};
use crate::diagnostics::Diagnostics;
use crate::package::Tree;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// What one build of the course gave.
#[derive(Debug)]
pub enum Outcome {
    /// The course loaded; its warnings.
    Ok(Diagnostics),
    /// The course has errors (and perhaps warnings).
    Content(Diagnostics),
    /// The course folder or `course.yaml` cannot be read.
    Io(String),
}

/// One build: its number (1 for the first, +1 for each rebuild), outcome and duration.
#[derive(Debug)]
pub struct Build {
    pub number: u64,
    pub outcome: Outcome,
    pub elapsed: Duration,
}

impl Build {
    pub fn ok(&self) -> bool {
        matches!(self.outcome, Outcome::Ok(_))
    }

    /// The diagnostics of the build: errors and warnings, or warnings only.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match &self.outcome {
            Outcome::Ok(d) | Outcome::Content(d) => Some(d),
            Outcome::Io(_) => None,
        }
    }
}

/// A module's package as a mode lays it out, or why it could not be (a bug in lmspack).
pub type Laid = Arc<Result<Tree, String>>;

/// A course that loaded, with the packages laid out from it so far (laid out on first request).
pub struct Good {
    pub build: u64,
    pub course: Course,
    packages: Mutex<HashMap<(&'static str, String), Laid>>,
}

impl Good {
    /// The package of `module` as `mode` lays it out; `None` if the course has no such module.
    pub fn package(&self, mode: Mode, module: &str) -> Option<Laid> {
        let m = self
            .course
            .modules
            .iter()
            .find(|m| m.id.as_str() == module)?;
        let key = (mode.name(), module.to_owned());
        if let Some(p) = self.packages.lock().ok()?.get(&key) {
            return Some(Arc::clone(p));
        }
        // Laid out outside the lock: two requests may both lay it out, and get the same bytes.
        let tree = Arc::new(mode.layout(&self.course, m));
        self.packages
            .lock()
            .ok()?
            .entry(key)
            .or_insert_with(|| Arc::clone(&tree));
        Some(tree)
    }
}

/// The latest build, the last good course, and the condition clients wait on.
pub struct Shared {
    pub dir: PathBuf,
    /// The files as they were just before the first load: the watcher starts from here, so an
    /// edit made while the server starts is not missed.
    first: Fingerprint,
    current: Mutex<(Arc<Build>, Option<Arc<Good>>)>,
    changed: Condvar,
}

impl Shared {
    /// Load the course for the first time.
    pub fn new(dir: &Path) -> Self {
        let first = fingerprint(dir);
        let (build, good) = load(dir, 1);
        Self {
            dir: dir.to_path_buf(),
            first,
            current: Mutex::new((Arc::new(build), good.map(Arc::new))),
            changed: Condvar::new(),
        }
    }

    /// The latest build and the last good course (from that build or an earlier one).
    pub fn current(&self) -> (Arc<Build>, Option<Arc<Good>>) {
        let guard = self.current.lock().unwrap_or_else(|e| e.into_inner());
        (Arc::clone(&guard.0), guard.1.clone())
    }

    /// Load the course again, publish the build and wake every waiting client.
    pub fn rebuild(&self) -> Arc<Build> {
        let number = self.current().0.number + 1;
        let (build, good) = load(&self.dir, number);
        let build = Arc::new(build);
        let mut guard = self.current.lock().unwrap_or_else(|e| e.into_inner());
        guard.0 = Arc::clone(&build);
        if let Some(good) = good {
            guard.1 = Some(Arc::new(good));
        }
        drop(guard);
        self.changed.notify_all();
        build
    }

    /// Wait until the build number differs from `seen`, or `timeout` passes; the latest build.
    pub fn wait(&self, seen: u64, timeout: Duration) -> Arc<Build> {
        let guard = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |c| c.0.number == seen)
            .unwrap_or_else(|e| e.into_inner());
        Arc::clone(&guard.0)
    }
}

fn load(dir: &Path, number: u64) -> (Build, Option<Good>) {
    let start = Instant::now();
    let (outcome, good) = match course::load(dir) {
        Ok(loaded) => (
            Outcome::Ok(loaded.warnings),
            Some(Good {
                build: number,
                course: loaded.course,
                packages: Mutex::new(HashMap::new()),
            }),
        ),
        Err(LoadError::Content(d)) => (Outcome::Content(d), None),
        Err(LoadError::Io(m)) => (Outcome::Io(m), None),
    };
    let build = Build {
        number,
        outcome,
        elapsed: start.elapsed(),
    };
    (build, good)
}

/// What the watcher compares: every file under the course folder with its size and time.
pub type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// Folders and files the watcher skips: hidden ones, and build output kept beside the sources.
fn skipped(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "dist" | "target" | "node_modules")
}

/// The fingerprint of the files under `dir` (sorted, so two scans compare equal when nothing
/// changed). Unreadable entries are skipped: the build reports them.
pub fn fingerprint(dir: &Path) -> Fingerprint {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_str().is_none_or(skipped) {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                out.push((entry.path(), meta.len(), meta.modified().ok()));
            }
        }
    }
    out.sort();
    out
}

/// Poll `dir` every `every`; after a change, wait until the files stay the same for one more poll
/// (an editor saving several files, or writing one in steps, gives one rebuild), then rebuild and
/// call `on_build`. Runs until the process ends.
pub fn watch(shared: &Shared, every: Duration, mut on_build: impl FnMut(&Build)) {
    let mut last = shared.first.clone();
    loop {
        std::thread::sleep(every);
        let mut now = fingerprint(&shared.dir);
        if now == last {
            continue;
        }
        // Debounce: settle for a short while, at most a few polls.
        for _ in 0..10 {
            std::thread::sleep(every.min(Duration::from_millis(100)));
            let again = fingerprint(&shared.dir);
            if again == now {
                break;
            }
            now = again;
        }
        last = now;
        let build = shared.rebuild();
        on_build(&build);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_sees_edits_and_skips_hidden_and_dist() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("m/pages")).unwrap();
        std::fs::create_dir_all(dir.path().join("dist")).unwrap();
        std::fs::write(dir.path().join("m/pages/a.md"), "one").unwrap();
        let a = fingerprint(dir.path());
        assert_eq!(a.len(), 1);
        std::fs::write(dir.path().join("dist/x.zip"), "zip").unwrap();
        std::fs::write(dir.path().join(".swp"), "x").unwrap();
        assert_eq!(fingerprint(dir.path()), a);
        std::fs::write(dir.path().join("m/pages/a.md"), "one two").unwrap();
        assert_ne!(fingerprint(dir.path()), a);
    }

    #[test]
    fn a_broken_course_keeps_the_last_good_one() {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/minimal");
        copy(&src, dir.path());
        let shared = Shared::new(dir.path());
        let (first, good) = shared.current();
        assert!(first.ok(), "{first:?}");
        assert_eq!(good.unwrap().build, 1);
        std::fs::write(dir.path().join("course.yaml"), "id: [").unwrap();
        let second = shared.rebuild();
        assert_eq!(second.number, 2);
        assert!(!second.ok());
        let (_, good) = shared.current();
        let good = good.unwrap();
        assert_eq!(good.build, 1);
        let tree = good.package(Mode::by_name("scorm12").unwrap(), "only");
        assert!(tree
            .unwrap()
            .as_ref()
            .as_ref()
            .unwrap()
            .contains_key("index.html"));
        assert!(good.package(Mode::Web, "nope").is_none());
        assert_eq!(shared.wait(1, Duration::from_millis(1)).number, 2);
    }

    fn copy(from: &Path, to: &Path) {
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
}
