//! cmi5 (Quartz): `cmi5.xml` at the package root, one AU per module.
//!
//! Ids are IRIs from [`activity_iri`], so they are stable across builds. Each AU: `moveOn`
//! `CompletedOrPassed` when the module has scored questions (then `masteryScore` = mastery / 100),
//! `Completed` otherwise; `launchMethod` `AnyWindow`; a relative `url` to its page in the zip; the
//! module's objectives, declared once at the course level and referenced by the AU.

use super::scorm::{self, Sco};
use super::scorm2004::normalized;
use super::xml::Xml;
use super::{activity_iri, Target, Unit};
use crate::course::model::{Course, Module};
use crate::package::{Content, Tree};
use crate::render::Api;
use crate::validate::xsd::SchemaSet;

pub struct Cmi5;

pub const DESCRIPTOR: &str = "cmi5.xml";

impl Target for Cmi5 {
    fn name(&self) -> &'static str {
        "cmi5"
    }

    fn layout(&self, course: &Course, unit: Unit) -> Result<Tree, String> {
        let (mut tree, aus) = scorm::layout(course, unit, Api::Cmi5, None)?;
        if tree.contains_key(DESCRIPTOR) {
            return Err(format!("a course file clashes with `{DESCRIPTOR}`"));
        }
        tree.insert(
            DESCRIPTOR.into(),
            Content::bytes(course_structure(course, unit, &aus)),
        );
        Ok(tree)
    }

    fn check(&self, tree: &Tree) -> Vec<String> {
        scorm::check_descriptor(tree, DESCRIPTOR, SchemaSet::Cmi5)
    }
}

/// The id of the objective `n` (from 1) of `module`.
pub fn objective_iri(course: &Course, module: &Module, n: usize) -> String {
    activity_iri(course, &[module.id.as_str(), "objectives", &n.to_string()])
}

/// `moveOn` and `masteryScore` of a module's AU.
pub fn move_on(module: &Module) -> (&'static str, Option<String>) {
    if module.is_scored() {
        ("CompletedOrPassed", Some(normalized(module.mastery_score)))
    } else {
        ("Completed", None)
    }
}

/// `<objectives>` referring to the module's objectives, declared once at the course level.
fn objective_refs(x: &mut Xml, course: &Course, m: &Module) {
    if !m.objectives.is_empty() {
        x.open("objectives", &[]);
        for i in 0..m.objectives.len() {
            x.empty("objective", &[("idref", &objective_iri(course, m, i + 1))]);
        }
        x.close("objectives");
    }
}

pub fn course_structure(course: &Course, unit: Unit, aus: &[Sco]) -> Vec<u8> {
    let lang = course.language.as_str();
    let text = |x: &mut Xml, el: &str, t: &str| {
        x.open(el, &[])
            .leaf("langstring", &[("lang", lang)], t)
            .close(el);
    };
    let (title, description) = scorm::title_and_description(course, unit, aus);
    let course_id = match unit {
        Unit::Module(m) => activity_iri(course, &[m.id.as_str(), "course"]),
        Unit::Course => activity_iri(course, &[]),
    };
    let mut x = Xml::new();
    x.open(
        "courseStructure",
        &[(
            "xmlns",
            "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd",
        )],
    );
    x.open("course", &[("id", &course_id)]);
    text(&mut x, "title", title);
    text(&mut x, "description", description);
    x.close("course");
    if aus.iter().any(|a| !a.module.objectives.is_empty()) {
        x.open("objectives", &[]);
        for au in aus {
            for (i, o) in au.module.objectives.iter().enumerate() {
                x.open(
                    "objective",
                    &[("id", &objective_iri(course, au.module, i + 1))],
                );
                text(&mut x, "title", o);
                text(&mut x, "description", o);
                x.close("objective");
            }
        }
        x.close("objectives");
    }
    let blocks = course.cmi5_blocks && matches!(unit, Unit::Course);
    for au in aus {
        let m = au.module;
        let id = activity_iri(course, &[m.id.as_str()]);
        if blocks {
            x.open(
                "block",
                &[("id", &activity_iri(course, &[m.id.as_str(), "block"]))],
            );
            text(&mut x, "title", &m.title);
            text(&mut x, "description", &m.description);
            objective_refs(&mut x, course, m);
        }
        let (move_on, mastery) = move_on(m);
        let mut attrs = vec![("id", id.as_str()), ("moveOn", move_on)];
        if let Some(s) = &mastery {
            attrs.push(("masteryScore", s));
        }
        attrs.push(("launchMethod", "AnyWindow"));
        x.open("au", &attrs);
        text(&mut x, "title", &m.title);
        text(&mut x, "description", &m.description);
        objective_refs(&mut x, course, m);
        x.leaf("url", &[], &au.href);
        x.close("au");
        if blocks {
            x.close("block");
        }
    }
    x.close("courseStructure");
    x.finish()
}
