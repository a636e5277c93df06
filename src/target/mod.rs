//! Targets: one file per standard behind one trait, so adding a target touches no other.
//!
//! A target turns the checked course into an in-memory [`Tree`] (package path → bytes) and says how
//! to check it. Only [`crate::package`] writes to disk.

pub mod cmi5;
mod scorm;
pub mod scorm12;
pub mod scorm2004;
pub mod web;
pub mod xapi;
mod xml;

use crate::course::model::{Course, Module};
use crate::package::Tree;
use uuid::Uuid;

/// What one package holds.
#[derive(Clone, Copy, Debug)]
pub enum Unit<'a> {
    /// One module: one SCO (the default; what Moodle and Totara handle best).
    Module(&'a Module),
    /// Every module of the course, one SCO each, under one non-launchable root item.
    Course,
}

impl Unit<'_> {
    pub fn modules<'c>(&self, course: &'c Course) -> Vec<&'c Module>
    where
        Self: 'c,
    {
        match *self {
            Unit::Module(m) => course.modules.iter().filter(|x| x.id == m.id).collect(),
            Unit::Course => course.modules.iter().collect(),
        }
    }

    /// The id the package is named after: the module's, or the course's.
    pub fn name<'c>(&self, course: &'c Course) -> &'c str
    where
        Self: 'c,
    {
        match *self {
            Unit::Module(m) => course
                .modules
                .iter()
                .find(|x| x.id == m.id)
                .map_or(course.id.as_str(), |m| m.id.as_str()),
            Unit::Course => course.id.as_str(),
        }
    }
}

pub trait Target: Sync {
    /// The name used on the command line and in file names (`scorm12`).
    fn name(&self) -> &'static str;

    /// Lay out the package.
    fn layout(&self, course: &Course, unit: Unit) -> Result<Tree, String>;

    /// Check a laid-out package against the schemas and package rules; each problem as a message.
    /// A problem here is a bug in lmspack, never the author's.
    fn check(&self, tree: &Tree) -> Vec<String>;
}

/// Every target, in the order `all` builds them.
pub fn all() -> Vec<&'static dyn Target> {
    vec![
        &scorm12::Scorm12,
        &scorm2004::Scorm2004,
        &xapi::Xapi,
        &cmi5::Cmi5,
        &web::Web,
    ]
}

pub fn by_name(name: &str) -> Option<&'static dyn Target> {
    all().into_iter().find(|t| t.name() == name)
}

/// The namespace of every lmspack identifier (itself UUID v5 of a fixed URL).
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://lmspack.org/ns/id")
}

/// A stable identifier from source ids: the same parts give the same id on every build.
/// Manifest identifiers are `xs:ID`s, which cannot start with a digit, hence the prefix.
pub fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let id = Uuid::new_v5(&namespace(), parts.join("/").as_bytes());
    format!("{prefix}-{id}")
}

/// The xAPI activity id (an IRI) of a part of the course: `[]` is the course, `[module]` a
/// module, `[module, block]` a question or likert item, `[module, "objectives", n]` an objective.
///
/// With `xapi.activity_base` in course.yaml: the base, `/`, then the parts joined by `/`. Without:
/// `urn:uuid:` and the UUID v5 of the course id and the parts, so every course gets its own ids
/// without anyone owning a domain.
pub fn activity_iri(course: &Course, parts: &[&str]) -> String {
    match &course.activity_base {
        Some(base) if parts.is_empty() => base.clone(),
        Some(base) => format!("{base}/{}", parts.join("/")),
        None => {
            let mut all = vec!["xapi", course.id.as_str()];
            all.extend_from_slice(parts);
            let id = Uuid::new_v5(&namespace(), all.join("/").as_bytes());
            format!("urn:uuid:{id}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = stable_id("ITEM", &["course", "module"]);
        assert_eq!(a, stable_id("ITEM", &["course", "module"]));
        assert_ne!(a, stable_id("ITEM", &["course", "module2"]));
        assert!(a.starts_with("ITEM-") && a.len() == 41);
    }
}
