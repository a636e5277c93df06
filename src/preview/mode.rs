//! What a preview serves a module as: one of the package targets, or the bare web player.
//!
//! Each mode names the LMS the simulator page plays (a SCORM 1.2 `API`, a SCORM 2004
//! `API_1484_11`, or none). A new target (xAPI, cmi5) joins [`crate::target::all`] and is served
//! here at once; giving it a simulator means one more [`Lms`] variant and its JavaScript.

use crate::course::model::{Course, Module};
use crate::package::{Content, Tree};
use crate::render::{self, Api};
use crate::target::{self, Target, Unit};
use std::fmt;

/// How a module is laid out for the preview.
#[derive(Clone, Copy)]
pub enum Mode {
    /// The package a target builds, exactly as `lmspack build` lays it out.
    Package(&'static dyn Target),
    /// The learner player with no LMS (progress in the browser's storage), as a plain web page.
    Web,
}

/// The LMS the simulator page plays for a mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lms {
    /// A strict SCORM 1.2 `API` object.
    Scorm12,
    /// A strict SCORM 2004 `API_1484_11` object.
    Scorm2004,
    /// No LMS: the module runs standalone.
    None,
}

impl Lms {
    /// The name the simulator script reads.
    pub fn name(self) -> &'static str {
        match self {
            Lms::Scorm12 => "scorm12",
            Lms::Scorm2004 => "scorm2004",
            Lms::None => "none",
        }
    }
}

impl Mode {
    /// Every mode, in the order the index page lists them: each target, then the web player.
    pub fn all() -> Vec<Mode> {
        // The `web` target's module package is the preview's own `Web` mode.
        target::all()
            .into_iter()
            .filter(|t| t.name() != "web")
            .map(Mode::Package)
            .chain([Mode::Web])
            .collect()
    }

    pub fn by_name(name: &str) -> Option<Mode> {
        Mode::all().into_iter().find(|m| m.name() == name)
    }

    /// The names `--target` accepts.
    pub fn names() -> Vec<&'static str> {
        Mode::all().iter().map(Mode::name).collect()
    }

    pub fn name(&self) -> &'static str {
        match self {
            Mode::Package(t) => t.name(),
            Mode::Web => "web",
        }
    }

    /// A label for people.
    pub fn label(&self) -> String {
        match self.name() {
            "scorm12" => "SCORM 1.2".into(),
            "scorm2004" => "SCORM 2004".into(),
            "web" => "Web (no LMS)".into(),
            other => other.to_owned(),
        }
    }

    pub fn lms(&self) -> Lms {
        match self.name() {
            "scorm12" => Lms::Scorm12,
            "scorm2004" => Lms::Scorm2004,
            _ => Lms::None,
        }
    }

    /// The files of one module's package, in memory.
    pub fn layout(&self, course: &Course, module: &Module) -> Result<Tree, String> {
        match self {
            Mode::Package(t) => t.layout(course, Unit::Module(module)),
            Mode::Web => {
                let mut tree = Tree::new();
                for (path, bytes) in render::module_files(course, module, Api::Standalone)? {
                    tree.insert(path, Content::bytes(bytes));
                }
                let logo = course.theme.logo.as_ref().map(|l| &l.asset);
                for asset in module.assets.iter().chain(logo) {
                    tree.insert(asset.path.clone(), Content::Disk(asset.source.clone()));
                }
                Ok(tree)
            }
        }
    }
}

impl fmt::Debug for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq for Mode {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_is_a_mode_and_web_is_last() {
        let names = Mode::names();
        for t in target::all() {
            assert!(names.contains(&t.name()), "{}", t.name());
        }
        assert_eq!(names.last(), Some(&"web"));
        assert_eq!(Mode::by_name("scorm12").unwrap().lms(), Lms::Scorm12);
        assert_eq!(Mode::by_name("scorm2004").unwrap().lms(), Lms::Scorm2004);
        assert_eq!(Mode::by_name("web").unwrap().lms(), Lms::None);
    }
}
