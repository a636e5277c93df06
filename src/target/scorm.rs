//! What SCORM 1.2 and 2004 packages share: the player files, the assets, the schema files at the
//! root, and the list of files each SCO uses.

use super::stable_id;
use super::xml::Xml;
use crate::course::model::{Course, Module};
use crate::package::{Content, Tree};
use crate::render::{self, Api};
use crate::target::Unit;
use crate::validate::xsd::{self, SchemaSet};

/// One SCO of a package: a module and the files it uses.
pub struct Sco<'c> {
    pub module: &'c Module,
    /// Launch page, relative to the package root.
    pub href: String,
    /// Every file the SCO uses, sorted, the launch page included.
    pub files: Vec<String>,
}

/// Lay out the content of a package (everything but the descriptor), with the schema files of
/// `schemas` at the root (SCORM packages carry them; cmi5 and Tin Can packages do not).
pub fn layout<'c>(
    course: &'c Course,
    unit: Unit<'c>,
    api: Api,
    schemas: Option<SchemaSet>,
) -> Result<(Tree, Vec<Sco<'c>>), String> {
    let mut tree = Tree::new();
    let mut scos = Vec::new();
    let single = matches!(unit, Unit::Module(_));
    for module in unit.modules(course) {
        let mut files = Vec::new();
        let mut href = String::from("index.html");
        for (path, bytes) in render::module_files(course, module, api)? {
            // In a course package every module has its own launch page beside the shared player.
            let path = if !single && path == "index.html" {
                href = format!("{}.html", module.id);
                href.clone()
            } else {
                path
            };
            files.push(path.clone());
            tree.insert(path, Content::bytes(bytes));
        }
        let logo = course.theme.logo.as_ref().map(|l| &l.asset);
        for asset in module.assets.iter().chain(logo) {
            files.push(asset.path.clone());
            tree.insert(asset.path.clone(), Content::Disk(asset.source.clone()));
        }
        files.sort();
        files.dedup();
        scos.push(Sco {
            module,
            href,
            files,
        });
    }
    for (path, bytes) in schemas.map(xsd::package_files).unwrap_or_default() {
        if tree.contains_key(path) {
            return Err(format!(
                "a course file clashes with the schema file `{path}` at the package root"
            ));
        }
        tree.insert(path.to_owned(), Content::bytes(bytes.into_owned()));
    }
    Ok((tree, scos))
}

/// The manifest's text, for checks.
pub fn manifest(tree: &Tree) -> Option<&[u8]> {
    match tree.get("imsmanifest.xml")? {
        Content::Bytes(b) => Some(b),
        Content::Disk(_) => None,
    }
}

/// The package checked by `lmspack validate`'s own rules (schema, references, files, Moodle's
/// limits), strictly: any finding is a problem, as messages.
pub fn check(tree: &Tree, set: SchemaSet) -> Vec<String> {
    let Some(manifest) = manifest(tree) else {
        return vec!["the package has no imsmanifest.xml".into()];
    };
    crate::validate::check_built(tree.keys().map(String::as_str), manifest, set)
}

/// [`check`] for a package described by `descriptor` (`cmi5.xml`, `tincan.xml`) at its root.
pub fn check_descriptor(tree: &Tree, descriptor: &str, set: SchemaSet) -> Vec<String> {
    let Some(Content::Bytes(bytes)) = tree.get(descriptor) else {
        return vec![format!("the package has no {descriptor}")];
    };
    crate::validate::check_built_descriptor(tree.keys().map(String::as_str), descriptor, bytes, set)
}

/// What the package's metadata describes: the module of a module package, else the course.
pub fn title_and_description<'c>(
    course: &'c Course,
    unit: Unit,
    scos: &[Sco<'c>],
) -> (&'c str, &'c str) {
    match (unit, scos) {
        (Unit::Module(_), [sco]) => (&sco.module.title, &sco.module.description),
        _ => (&course.title, &course.description),
    }
}

/// `<resources>`: one SCO resource per module, listing every file it uses. `scorm_type` is the
/// attribute's name, which differs in case between SCORM 1.2 and 2004.
pub fn resources(x: &mut Xml, course_id: &str, scos: &[Sco], scorm_type: &str) {
    x.open("resources", &[]);
    for sco in scos {
        x.open(
            "resource",
            &[
                (
                    "identifier",
                    &stable_id("RES", &[course_id, sco.module.id.as_str()]),
                ),
                ("type", "webcontent"),
                (scorm_type, "sco"),
                ("href", &sco.href),
            ],
        );
        for f in &sco.files {
            x.empty("file", &[("href", f)]);
        }
        x.close("resource");
    }
    x.close("resources");
}
